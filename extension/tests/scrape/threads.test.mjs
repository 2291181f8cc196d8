// Who replies to whom, from what X draws: the connector bars in the avatar column, the focused post
// of a status page, "Replying to" links. Pages built from the shapes of the real captures
// (xmarkup.mjs), with and without separators, in several languages.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { scrapeTweets } from "../../src/scrape/index.js";
import { documentFrom, scrapeValid } from "./helpers.mjs";
import { ICON, cells, heading, page, showReplies, tombstone, tweet } from "./xmarkup.mjs";

const at = (minutes) => new Date(Date.UTC(2024, 5, 1, 12, minutes)).toISOString().replace(".000", "");
const post = (handle, id, minutes, extra = {}) => tweet({ handle, name: handle.toUpperCase(), id: String(id), time: at(minutes), text: `post ${id}`, ...extra });

/** [status id, parent id] of every tweet, sorted by id (the order shown). */
const edges = (batch) => batch.tweets.map((t) => [t.status_id, t.in_reply_to_status_id]).sort((a, b) => Number(a[0]) - Number(b[0]));

const scrape = (html, url) => scrapeValid(documentFrom(html, url), { url });

describe("a status page: replies under the focused post", () => {
  const url = "https://x.com/me_main/status/3";
  // The 2024 conversation: my post replied to by twelve people, one of whom got a reply back.
  const conversation = [
    post("root_r", 1, 0, { below: true }),
    post("mid_m", 2, 5, { above: true, below: true }),
    post("me_main", 3, 10, { above: true, focused: true }),
    ...Array.from({ length: 12 }, (_, i) => post(`fan_${i}`, 10 + i, 20 + i, i === 4 ? { below: true } : {})),
  ];
  conversation.splice(8, 0, post("me_main", 30, 50, { above: true })); // my reply to fan_4, joined by the bars
  for (const separators of [false, true]) {
    test(`every top-level reply replies to the focused post; a joined one to the post above (${separators ? "with" : "without"} separators)`, () => {
      const { batch, skipped } = scrape(page({ timeline: "Timeline: Conversation", cells: cells(conversation, { separators }) }), url);
      assert.deepEqual(skipped, {});
      const expected = [["1", null], ["2", "1"], ["3", "2"], ...Array.from({ length: 12 }, (_, i) => [String(10 + i), "3"]), ["30", "14"]];
      assert.deepEqual(edges(batch), expected);
    });
  }

  test("a 'Show replies' stub, a deleted post and a section heading break what they stand between", () => {
    const list = [
      post("me_main", 3, 10, { focused: true }),
      post("ann_a", 10, 20, { below: true }),
      showReplies("さらに返信を表示する"),
      post("bob_b", 11, 40, { above: true }), // replies to a hidden post: no parent
      post("cat_c", 12, 30, { below: true }),
      tombstone("このポストは投稿者により削除されました。"),
      post("dan_d", 13, 45, { above: true }), // replies to the deleted post
      post("eve_e", 14, 46),
      heading("もっと見つける"),
      post("fay_f", 15, 47), // "Discover more": not a reply
    ];
    const { batch } = scrape(page({ lang: "ja", timeline: "タイムライン: 会話", cells: cells(list) }), url);
    assert.deepEqual(edges(batch), [["3", null], ["10", "3"], ["11", null], ["12", "3"], ["13", null], ["14", "3"], ["15", null]]);
  });

  test("a parent is never newer than its reply: such an edge is dropped", () => {
    const list = [
      post("old_o", 1, 30, { below: true }),
      post("me_main", 3, 10, { above: true, focused: true }), // "joined" to a post 20 minutes newer
      post("early_e", 4, 5), // older than the focused post
      post("late_l", 5, 40),
    ];
    const { batch } = scrape(page({ timeline: "Timeline: Conversation", cells: cells(list) }), url);
    assert.deepEqual(edges(batch), [["1", null], ["3", null], ["4", null], ["5", "3"]]);
  });

  test("a reply below the focused post whose 'Replying to' names someone else answers a post not shown", () => {
    const list = [
      post("me_main", 3, 10, { focused: true }),
      post("bob_b", 10, 20, { replyingTo: { words: "En réponse à", handles: ["carol_c"] } }),
      post("dan_d", 11, 21, { replyingTo: { words: "En réponse à", handles: ["carol_c", "Me_Main"] } }),
      post("eve_e", 12, 22),
    ];
    const { batch } = scrape(page({ lang: "fr", timeline: "Fil : Conversation", cells: cells(list) }), url);
    assert.deepEqual(edges(batch), [["3", null], ["10", null], ["11", "3"], ["12", "3"]]);
  });

  test("a bar on one side only joins nothing", () => {
    const list = [
      post("me_main", 3, 10, { focused: true }),
      post("ann_a", 10, 20), // no bar below
      post("bob_b", 11, 30, { above: true }), // bar above, but ann_a draws none below: not hers, not the focused post's
      post("cat_c", 12, 31, { below: true }),
      post("dan_d", 13, 32), // no bar above: a reply to the focused post
    ];
    const { batch } = scrape(page({ timeline: "Timeline: Conversation", cells: cells(list) }), url);
    assert.deepEqual(edges(batch), [["3", null], ["10", "3"], ["11", null], ["12", "3"], ["13", "3"]]);
  });
});

describe("markup the connectors cannot be read from", () => {
  const url = "https://x.com/me_main/status/3";
  // An avatar X draws under another testid: where its bars are is unknown, not "no bar".
  const unreadable = (html) => html.replace('data-testid="Tweet-User-Avatar"', 'data-testid="Tweet-User-Portrait"');

  test("a reply whose avatar column cannot be read replies to nothing, not to the focused post", () => {
    const list = [
      post("me_main", 3, 10, { focused: true }),
      unreadable(post("ann_a", 10, 20, { below: true })),
      post("bob_b", 11, 30, { above: true }), // joined to ann_a's unknown bars: no parent either
      post("cat_c", 12, 31), // readable again: a reply to the focused post
    ];
    const { batch } = scrape(page({ timeline: "Timeline: Conversation", cells: cells(list) }), url);
    assert.deepEqual(edges(batch), [["3", null], ["10", null], ["11", null], ["12", "3"]]);
  });

  test("a repost on a page saved before 2023, in another language, is told by its icon of then", () => {
    const old = "M23.615 15.477c-.47-.47-1.23-.47-1.697 0l-1.326 1.326V7.4c0-2.178-1.772-3.95-3.95-3.95h-5.2";
    const list = [post("ana_a", 10, 20, { context: { kind: "repost", text: "Juan retwitteó", href: "/juan" } })];
    const html = page({ lang: "es", timeline: "Cronología: Inicio", cells: cells(list) }).replace(ICON.repost, old)
      .replaceAll('data-testid="User-Name"', 'data-testid="User-Names"');
    const { batch } = scrape(html, "https://twitter.com/home");
    assert.deepEqual(batch.tweets[0].social_context, { type: "repost", text: "Juan retwitteó", handle: "juan" });
  });

  test("pages saved before 2023 (name block 'User-Names') are read as today's", () => {
    const list = [
      post("root_r", 1, 0, { below: true }),
      post("me_main", 3, 10, { above: true, focused: true }),
      post("ann_a", 10, 20, { replyingTo: { words: "Replying to", handles: ["me_main"] } }),
    ];
    const html = page({ timeline: "Timeline: Conversation", cells: cells(list) }).replaceAll('data-testid="User-Name"', 'data-testid="User-Names"');
    const { batch, skipped } = scrape(html, url);
    assert.deepEqual(skipped, {});
    assert.deepEqual(edges(batch), [["1", null], ["3", "1"], ["10", "3"]]);
    assert.deepEqual(batch.tweets.map((t) => [t.author, t.author_display_name, t.reply_to]),
      [["root_r", "ROOT_R", []], ["me_main", "ME_MAIN", []], ["ann_a", "ANN_A", ["me_main"]]]);
  });
});

describe("a timeline: every cell is its own post unless the bars join it", () => {
  test("four reposts by one account in a row are four posts, not a chain (no separators, as in 2024)", () => {
    const reposts = [1, 2, 3, 4].map((n) => post(`author_${n}`, n, 60 - n, { context: { kind: "repost", text: "Dana reposted", href: "/dana_d" } }));
    const { batch } = scrape(page({ timeline: "Timeline: Your Home Timeline", cells: cells(reposts), me: "me_main" }), "https://x.com/home");
    assert.deepEqual(edges(batch), [["1", null], ["2", null], ["3", null], ["4", null]]);
    assert.ok(batch.tweets.every((t) => t.social_context.type === "repost" && t.social_context.handle === "dana_d"));
  });

  test("a self-thread of three and a reply to a reply are chained; the posts around them are not", () => {
    const list = [
      post("solo_s", 1, 0),
      post("self_t", 2, 1, { below: true }),
      post("self_t", 3, 2, { above: true, below: true }),
      post("self_t", 4, 3, { above: true }),
      post("other_o", 5, 4),
      post("asker_a", 6, 5, { below: true }),
      post("answer_b", 7, 6, { above: true }),
    ];
    for (const separators of [false, true]) {
      const { batch } = scrape(page({ timeline: "Timeline: Your Home Timeline", cells: cells(list, { separators }) }), "https://x.com/home");
      assert.deepEqual(edges(batch), [["1", null], ["2", null], ["3", "2"], ["4", "3"], ["5", null], ["6", null], ["7", "6"]]);
    }
  });

  test("a profile in the Chinese UI: posts newer than the one above are not its replies; 回复 @… is read", () => {
    const list = [
      post("owner_o", 9, 90),
      post("owner_o", 8, 80, { context: { kind: "repost", text: "Owner 已转帖", href: "/owner_o" } }),
      post("owner_o", 7, 95, { replyingTo: { words: "回复", handles: ["friend_f", "pal_p"] } }),
      post("owner_o", 6, 60, { below: true }),
      post("owner_o", 5, 61, { above: true, replyingTo: { words: "回复", handles: ["owner_o"] } }),
    ];
    const { batch } = scrape(page({ lang: "zh", timeline: "时间线：Owner的帖子", cells: cells(list) }), "https://x.com/owner_o");
    assert.deepEqual(edges(batch), [["5", "6"], ["6", null], ["7", null], ["8", null], ["9", null]]);
    const byId = Object.fromEntries(batch.tweets.map((t) => [t.status_id, t]));
    assert.deepEqual(byId["7"].reply_to, ["friend_f", "pal_p"]);
    assert.deepEqual(byId["5"].reply_to, ["owner_o"]);
    assert.deepEqual(byId["9"].reply_to, []);
  });

  test("\"@handle\" links in the text are mentions, not the replying-to line", () => {
    const list = [post("writer_w", 1, 0, { mentions: ["named_n"], replyingTo: { words: "Antwort an", handles: ["parent_p"] } })];
    const { batch } = scrape(page({ lang: "de", timeline: "Timeline: Startseite", cells: cells(list) }), "https://x.com/home");
    assert.deepEqual(batch.tweets[0].reply_to, ["parent_p"]);
    assert.deepEqual(batch.tweets[0].mentions, ["named_n"]);
  });
});

test("cells are ordered by where X draws them, not by DOM order (recycled cells)", () => {
  const a = post("one_a", 1, 0, { below: true });
  const b = post("two_b", 2, 1, { above: true });
  const html = `<div aria-label="Timeline"><div>`
    + `<div data-testid="cellInnerDiv" style="transform: translateY(300px);">${b}</div>`
    + `<div data-testid="cellInnerDiv" style="transform: translateY(0px);">${a}</div></div></div>`;
  const { tweets } = scrapeTweets(documentFrom(html), { baseUrl: "https://x.com/home", pageType: "home" });
  assert.deepEqual(tweets.map((t) => [t.status_id, t.in_reply_to_status_id]), [["2", "1"], ["1", null]]);
});
