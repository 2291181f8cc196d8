// The scrapers on the hand-written pages in tests/fixtures/synthetic/ (page kinds no real capture
// exists of: profile header, hover card, DM inboxes, XChat, notifications). See the README there.
// The pages in other languages: languages.test.mjs.

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { describe, test } from "node:test";

import { scrapeDms } from "../../src/scrape/index.js";
import { LANGUAGE_PAGES } from "./languages.mjs";
import { OBSERVED_AT, SYNTHETIC_DIR, byId, documentFrom, loadDocument, scrapeSynthetic, scrapeValid, tweet } from "./helpers.mjs";

const PROFILE = "synthetic-profile-header.html";
const DM_2026 = "synthetic-dm-inbox-2026.html";
const DM_LEGACY = "synthetic-dm-inbox-legacy.html";
const XCHAT = "synthetic-xchat-conversation.html";
const XCHAT_REQUESTS = "synthetic-xchat-requests.html";
const NOTIFICATIONS = "synthetic-notifications.html";

test("every synthetic page is named synthetic-* and tested here; the README names each", () => {
  const files = readdirSync(SYNTHETIC_DIR).filter((f) => f !== "README.md").sort();
  assert.deepEqual(files, [DM_2026, DM_LEGACY, NOTIFICATIONS, PROFILE, XCHAT, XCHAT_REQUESTS, ...Object.keys(LANGUAGE_PAGES)].sort());
  const readme = readFileSync(SYNTHETIC_DIR + "README.md", "utf8");
  assert.match(readme, /written by hand/i);
  for (const file of files) assert.ok(readme.includes(`\`${file}\``), `README.md must describe ${file}`);
});

describe(`synthetic ${PROFILE}`, () => {
  const url = "https://x.com/alice_reads";
  const { batch, skipped } = scrapeSynthetic(PROFILE, { url });

  test("page: profile of alice_reads, me from the side nav", () => {
    assert.deepEqual(batch.page, { url, type: "profile", observed_at: OBSERVED_AT, me: "rapport_me", profile_handle: "alice_reads" });
  });

  test("profile header: every field, counts parsed from '1,234' and '12.3K'", () => {
    assert.deepEqual(batch.people[0], {
      handle: "alice_reads",
      user_id: "44196397",
      display_name: "Alice 📚",
      bio: "Reader. Runner. Barolo over Brunello. Reading Dune with @bob_wines.\nBook club Thursdays 🍷",
      location: "Lisbon, Portugal",
      website: "alice.example/books",
      joined: "Joined March 2010",
      followers: 12300,
      following: 1234,
      follows_me: true,
      i_follow: true,
    });
  });

  test("hover card: user cell with 'Follow back', counts '310' and '1.2M', avatar alt is not the name", () => {
    assert.deepEqual(batch.people[1], {
      handle: "bob_wines",
      user_id: "987654321",
      display_name: "Bob Wines",
      follows_me: true,
      i_follow: false,
      followers: 1200000,
      following: 310,
    });
    assert.equal(batch.people.length, 2);
  });

  test("timeline: pinned, '<Name> reposted' with the reposter's handle, reply to me; the ad is skipped", () => {
    const t = byId(batch);
    assert.deepEqual(Object.keys(t), ["1896000000000000001", "1895000000000000002", "1896000000000000003"]);
    assert.deepEqual(t["1896000000000000001"].social_context, { type: "pinned", text: "Pinned", handle: null });
    assert.deepEqual(t["1895000000000000002"], tweet({
      status_id: "1895000000000000002",
      author: "bob_wines",
      author_display_name: "Bob Wines",
      text: "A thread on Barolo vintages 🍷",
      created_at: "2026-02-28T20:00:00.000Z",
      social_context: { type: "repost", text: "Alice 📚 reposted", handle: "alice_reads" },
    }));
    assert.deepEqual(t["1896000000000000003"], tweet({
      status_id: "1896000000000000003",
      author: "alice_reads",
      author_display_name: "Alice 📚",
      text: "@rapport_me Dune is better on the second read.",
      created_at: "2026-03-02T09:58:00.000Z",
      reply_to: ["rapport_me"],
      mentions: ["rapport_me"],
    }));
    assert.deepEqual(skipped, { "tweet:promoted": 1 });
  });
});

describe(`synthetic ${DM_2026}`, () => {
  const url = "https://x.com/i/chat";

  test("2026 chat list: handles from aria-description and links, time where a <time> is shown; a group without handles is counted", () => {
    const { batch, skipped } = scrapeSynthetic(DM_2026, { url });
    assert.deepEqual(batch.page, { url, type: "messages", observed_at: OBSERVED_AT, me: "rapport_me" });
    assert.deepEqual(batch.dm_conversations, [
      // Alice's row shows a preview without my prefix: her message was the last; Bob's reads "You: …".
      { with: ["alice_reads"], last_message_at: "2026-03-02T08:00:00.000Z", writers: ["them"] },
      { with: ["bob_wines"], last_message_at: null, writers: ["me"] },
    ]);
    assert.deepEqual(skipped, { "dm:no-party": 1 }); // the group; the empty conversation panel is no conversation
  });

  test("with my user id, the other id of '<id>:<id>' is theirs", () => {
    const { batch } = scrapeSynthetic(DM_2026, { url, myUserId: "1111111111" });
    assert.deepEqual(batch.dm_conversations, [
      { with: [{ handle: "alice_reads", user_id: "44196397" }], last_message_at: "2026-03-02T08:00:00.000Z", writers: ["them"] },
      { with: [{ handle: "bob_wines", user_id: "555" }], last_message_at: null, writers: ["me"] },
    ]);
  });

  test("someone the last message mentions is not a party to the conversation, nor a member of a group", () => {
    const html = readFileSync(SYNTHETIC_DIR + DM_2026, "utf8").replaceAll("See you Thursday!", "did you see what @bob_wines posted?")
      .replaceAll("Carol: bring snacks", "Carol: ok, @dan_d, see you");
    const { batch, skipped } = scrapeValid(documentFrom(html, url), { url, myUserId: "1111111111" });
    assert.deepEqual(batch.dm_conversations[0],
      { with: [{ handle: "alice_reads", user_id: "44196397" }], last_message_at: "2026-03-02T08:00:00.000Z", writers: ["them"] });
    assert.deepEqual(skipped, { "dm:no-party": 1 });
  });

  test("scrapeDms on one item", () => {
    const doc = loadDocument(SYNTHETIC_DIR + DM_2026, url);
    const item = doc.querySelector('[data-testid="dm-conversation-item-1111111111:44196397"]');
    assert.deepEqual(scrapeDms(item, { baseUrl: url, me: "rapport_me" }), {
      dm_conversations: [{ with: ["alice_reads"], last_message_at: "2026-03-02T08:00:00.000Z", writers: ["them"] }],
      skipped: {},
    });
  });
});

describe(`synthetic ${XCHAT}`, () => {
  const url = "https://x.com/i/chat/1111111111-44196397";

  test("an open conversation in the Spanish UI: the person in its header, both sides wrote; the inbox rows' last writers", () => {
    const { batch, skipped } = scrapeSynthetic(XCHAT, { url, myUserId: "1111111111" });
    assert.deepEqual(batch.page, { url, type: "messages", observed_at: OBSERVED_AT, me: "rapport_me" });
    assert.deepEqual(batch.dm_conversations, [
      { with: [{ handle: "alice_reads", user_id: "44196397" }], last_message_at: null, writers: ["me"] }, // "Tú:" before the preview
      { with: [{ handle: "gus_lopez", user_id: "66600066" }], last_message_at: null, writers: ["them"] },
      { with: [{ handle: "alice_reads", user_id: "44196397" }], last_message_at: null, writers: ["me", "them"] },
    ]);
    assert.deepEqual(skipped, {});
  });

  test("only my messages shown: one side wrote", () => {
    const html = readFileSync(SYNTHETIC_DIR + XCHAT, "utf8").replace('class="flex justify-start"', 'class="flex justify-end"');
    const list = documentFrom(html, url).querySelector('[data-testid="dm-message-list"]');
    assert.deepEqual(scrapeDms(list, { baseUrl: url, me: "rapport_me" }).dm_conversations, [{ with: ["alice_reads"], last_message_at: null, writers: ["me"] }]);
  });

  test("the side of a message from its layout: inline style, or the live page's computed style", () => {
    const html = readFileSync(SYNTHETIC_DIR + XCHAT, "utf8").replace(/ class="flex justify-(start|end)"/g, (m, side) => ` style="display: flex; justify-content: flex-${side}"`);
    const list = documentFrom(html, url).querySelector('[data-testid="dm-message-list"]');
    assert.deepEqual(scrapeDms(list, { baseUrl: url, me: "rapport_me" }).dm_conversations[0].writers, ["me", "them"]);
  });

  test("a prefix in another script (Japanese) marks my last message too", () => {
    const html = readFileSync(SYNTHETIC_DIR + XCHAT, "utf8").replace("<span>Tú:</span>", "<span>あなた:</span>");
    const item = documentFrom(html, url).querySelector('[data-testid^="dm-conversation-item-1111111111:44196397"]');
    assert.deepEqual(scrapeDms(item, { baseUrl: url, me: "rapport_me" }).dm_conversations[0].writers, ["me"]);
  });

  test("XChat inside the open shadow root of xchatEmbedRoute is read", () => {
    const source = documentFrom(readFileSync(SYNTHETIC_DIR + XCHAT, "utf8"), url);
    const doc = documentFrom('<html lang="es"><body><div data-testid="xchatEmbedRoute"></div></body></html>', url);
    const shadow = doc.querySelector('[data-testid="xchatEmbedRoute"]').attachShadow({ mode: "open" });
    shadow.append(doc.importNode(source.querySelector('[data-testid="dm-container"]'), true));
    const { batch } = scrapeValid(doc, { url, me: "rapport_me" });
    assert.deepEqual(batch.dm_conversations.map((c) => [c.with, c.writers]), [
      [["alice_reads"], ["me"]], [["gus_lopez"], ["them"]], [["alice_reads"], ["me", "them"]],
    ]);
  });
});

describe(`synthetic ${XCHAT_REQUESTS}`, () => {
  test("message requests are not conversations I took part in: rows and the open request are skipped and counted", () => {
    const url = "https://x.com/i/chat/requests";
    const { batch, skipped } = scrapeSynthetic(XCHAT_REQUESTS, { url });
    assert.deepEqual(batch.dm_conversations, []);
    assert.deepEqual(skipped, { "dm:request": 3 });
  });
});

describe(`synthetic ${DM_LEGACY}`, () => {
  const url = "https://x.com/messages";

  test("older inbox: one-to-one and group conversations from avatar links, times; an empty cell is counted", () => {
    const { batch, skipped } = scrapeSynthetic(DM_LEGACY, { url });
    assert.deepEqual(batch.page, { url, type: "messages", observed_at: OBSERVED_AT, me: "rapport_me" });
    assert.deepEqual(batch.dm_conversations, [
      { with: ["carol_sings"], last_message_at: "2026-02-28T19:04:11.000Z" },
      { with: ["dave_1", "erin"], last_message_at: "2026-02-20T12:00:00.000Z" },
    ]);
    assert.deepEqual(skipped, { "dm:no-party": 1 });
    assert.deepEqual(batch.tweets, []);
    assert.deepEqual(batch.people, []);
  });
});

describe(`synthetic ${NOTIFICATIONS}`, () => {
  const url = "https://x.com/notifications";
  const { batch, skipped } = scrapeSynthetic(NOTIFICATIONS, { url });

  test("like (two actors, my post, a time), follow, repost told by its icon, a like whose quoted text has other verbs", () => {
    assert.deepEqual(batch.page, { url, type: "notifications", observed_at: OBSERVED_AT, me: "rapport_me" });
    assert.deepEqual(batch.notifications, [
      { type: "like", actors: ["carol_sings", "dave_1"], status_id: "1896000000000000002", at: "2026-03-01T21:30:00.000Z" },
      { type: "follow", actors: ["erin"], status_id: null, at: null },
      { type: "repost", actors: ["frank_io"], status_id: null, at: null },
      { type: "like", actors: ["dave_1"], status_id: null, at: null },
    ]);
    assert.deepEqual(skipped, { "notification:unknown-type": 1 });
  });

  test("a reply on the notifications page is a normal tweet", () => {
    assert.deepEqual(batch.tweets, [tweet({
      status_id: "1896100000000000009",
      author: "carol_sings",
      author_display_name: "Carol 🎤",
      text: "Count me in for the tasting, @bob_wines too?",
      created_at: "2026-03-02T07:45:00.000Z",
      reply_to: ["rapport_me", "alice_reads"],
      mentions: ["bob_wines"],
    })]);
  });
});
