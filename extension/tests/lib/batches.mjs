// Scrape batches for the background's tests (valid against scrape-batch.schema.json).

export function sampleBatch(n = 1, { withId = false } = {}) {
  const batch = {
    page: { url: "https://x.com/home", type: "home", observed_at: "2026-03-02T10:15:00.123Z", me: "rapport_me" },
    tweets: [
      {
        status_id: String(1896000000000000000n + BigInt(n)),
        author: "alice_reads",
        author_display_name: "Alice",
        text: `@rapport_me tweet number ${n}`,
        created_at: "2026-03-02T09:58:00Z",
        reply_to: ["rapport_me"],
        mentions: ["rapport_me"],
      },
    ],
    people: [{ handle: "alice_reads", user_id: "44196397", display_name: "Alice" }],
  };
  return withId ? { batch_id: `b-${n}`, ...batch } : batch;
}
