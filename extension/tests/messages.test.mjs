// messages/index.js: who may send what, and the validation of scrape batches with the standalone
// validator the build generates (the one the background imports).

import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import { ALLOWED, MAX_BATCH_BYTES, MSG, SENDER, X_MATCHES, isXUrl, parseMessage, senderKind } from "../src/messages/index.js";
import { sampleBatch } from "./lib/batches.mjs";
import { standaloneValidators } from "./lib/fakes.mjs";
import { makeAjv, validatorFor } from "./lib/shared.mjs";

const SELF = { id: "abcdefghijklmnopabcdefghijklmnop", pageBase: "chrome-extension://abcdefghijklmnopabcdefghijklmnop/" };

let validateBatch;
let validatePatch;
let validateEvent;
const tools = () => ({ validateBatch, validatePatch, validateEvent });

before(async () => {
  ({ validateScrapeBatch: validateBatch, validatePersonPatch: validatePatch, validateEvent } = await standaloneValidators());
});

describe("senderKind", () => {
  test("our content script in an X tab", () => {
    for (const url of ["https://x.com/home", "https://twitter.com/alice", "https://mobile.x.com/notifications"]) {
      assert.equal(senderKind({ id: SELF.id, url, tab: { id: 3 } }, SELF), SENDER.CONTENT, url);
    }
  });

  test("our own pages, in a tab or not", () => {
    assert.equal(senderKind({ id: SELF.id, url: `${SELF.pageBase}options/options.html` }, SELF), SENDER.PAGE);
    assert.equal(senderKind({ id: SELF.id, url: `${SELF.pageBase}options/options.html`, tab: { id: 4 } }, SELF), SENDER.PAGE);
    const firefox = { id: "rapport@rapport.invalid", pageBase: "moz-extension://0d7b-uuid/" };
    assert.equal(senderKind({ id: firefox.id, url: "moz-extension://0d7b-uuid/options/options.html" }, firefox), SENDER.PAGE);
  });

  test("anyone else is ignored", () => {
    for (const sender of [
      null,
      {},
      { id: "another-extension", url: "https://x.com/home", tab: {} },
      { id: SELF.id, url: "https://evil.example/x.com", tab: {} },
      { id: SELF.id, url: "https://x.com.evil.example/", tab: {} },
      { id: SELF.id, url: "http://x.com/home", tab: {} },
      { id: SELF.id, url: "https://x.com/home" }, // no tab: not a content script
      { id: SELF.id, url: "chrome-extension://someoneelse/options.html" },
      { id: SELF.id, tab: {} },
    ]) {
      assert.equal(senderKind(sender, SELF), null, JSON.stringify(sender));
    }
  });

  test("X_MATCHES and isXUrl agree", () => {
    assert.deepEqual([...X_MATCHES], ["https://x.com/*", "https://twitter.com/*", "https://mobile.x.com/*"]);
    assert.equal(isXUrl("https://x.com/"), true);
    assert.equal(isXUrl("https://www.x.com/"), false);
    assert.equal(isXUrl(42), false);
  });
});

describe("parseMessage", () => {
  test("a valid batch is accepted and copied, without a batch_id (the queue names it)", () => {
    const batch = sampleBatch(1);
    const parsed = parseMessage({ type: MSG.BATCH, batch, stats: { errors: 2, skipped: 5 } }, SENDER.CONTENT, tools());
    assert.equal(parsed.ok, true, parsed.error);
    assert.equal(parsed.message.batch.batch_id, undefined);
    assert.notEqual(parsed.message.batch, batch);
    assert.deepEqual(parsed.message.stats, { errors: 2, skipped: 5 });
    assert.equal(batch.batch_id, undefined, "the sender's object is not changed");
    assert.deepEqual(parseMessage({ type: MSG.BATCH, batch }, SENDER.CONTENT, tools()).message.stats, { errors: 0, skipped: 0 });
  });

  test("a batch_id from the content script is refused: only the queue names batches", () => {
    const parsed = parseMessage({ type: MSG.BATCH, batch: sampleBatch(1, { withId: true }) }, SENDER.CONTENT, tools());
    assert.deepEqual(parsed, { ok: false, error: "invalid batch: batch_id is set by the queue, not the sender" });
  });

  test("invalid batches are rejected with the first schema error", () => {
    const cases = [
      [(b) => { b.tweets[0].author = "not a handle!"; }, /\/tweets\/0\/author/],
      [(b) => { b.page.type = "timeline"; }, /\/page\/type/],
      [(b) => { delete b.page; }, /page/],
      [(b) => { b.evil = "<script>"; }, /additional/],
      [(b) => { b.tweets[0].status_id = 12; }, /status_id/],
      [(b) => { b.people[0].followers = -1; }, /followers/],
      [(b) => { b.tweets = Array.from({ length: 1001 }, () => b.tweets[0]); }, /tweets/],
    ];
    for (const [change, reason] of cases) {
      const batch = structuredClone(sampleBatch(1));
      change(batch);
      const parsed = parseMessage({ type: MSG.BATCH, batch }, SENDER.CONTENT, tools());
      assert.equal(parsed.ok, false, String(change));
      assert.match(parsed.error, /^invalid batch: /);
      assert.match(parsed.error, reason);
    }
  });

  test("a batch about a page off X, an empty batch, a huge one, or bad stats is rejected", () => {
    const off = sampleBatch(1);
    off.page.url = "https://evil.example/home";
    assert.match(parseMessage({ type: MSG.BATCH, batch: off }, SENDER.CONTENT, tools()).error, /not on X/);
    const empty = { page: sampleBatch(1).page, tweets: [] };
    assert.match(parseMessage({ type: MSG.BATCH, batch: empty }, SENDER.CONTENT, tools()).error, /empty/);
    const huge = sampleBatch(1);
    huge.tweets[0].text = "x".repeat(MAX_BATCH_BYTES);
    assert.match(parseMessage({ type: MSG.BATCH, batch: huge }, SENDER.CONTENT, tools()).error, /too large/);
    for (const stats of [{ errors: -1 }, { errors: 1.5 }, { oops: 1 }, "many"]) {
      assert.equal(parseMessage({ type: MSG.BATCH, batch: sampleBatch(1), stats }, SENDER.CONTENT, tools()).ok, false, JSON.stringify(stats));
    }
    assert.equal(parseMessage({ type: MSG.BATCH, batch: "{}" }, SENDER.CONTENT, tools()).ok, false);
    const cyclic = sampleBatch(1);
    cyclic.self = cyclic;
    assert.equal(parseMessage({ type: MSG.BATCH, batch: cyclic }, SENDER.CONTENT, tools()).ok, false);
  });

  test("unknown types, and types the sender may not send, are rejected", () => {
    for (const [message, kind] of [
      [{ type: "scrape/everything" }, SENDER.CONTENT],
      [{ type: MSG.PAIR_START }, SENDER.CONTENT], // a web page's content script must not start pairing
      [{ type: MSG.CHECK }, SENDER.CONTENT],
      [{ type: MSG.BATCH, batch: sampleBatch(1) }, SENDER.PAGE],
      [{ type: MSG.HELLO }, "stranger"],
      [null, SENDER.CONTENT],
      ["scrape/batch", SENDER.CONTENT],
      [{ kind: MSG.HELLO }, SENDER.CONTENT],
      [{ type: MSG.HELLO, extra: 1 }, SENDER.CONTENT],
    ]) {
      const parsed = parseMessage(message, kind, tools());
      assert.equal(parsed.ok, false, JSON.stringify(message));
      assert.ok(parsed.error);
    }
  });

  test("scrape/me takes one handle", () => {
    assert.deepEqual(parseMessage({ type: MSG.ME, handle: "rapport_me" }, SENDER.CONTENT, tools()), { ok: true, message: { type: MSG.ME, handle: "rapport_me" } });
    for (const handle of ["", "@me", "x".repeat(21), 42, "a b"]) {
      assert.equal(parseMessage({ type: MSG.ME, handle }, SENDER.CONTENT, tools()).ok, false, JSON.stringify(handle));
    }
  });

  test("every allowed type of each sender parses", () => {
    const fields = {
      [MSG.PERSON_GET]: { handle: "alice" },
      [MSG.PERSON_EDIT]: { handle: "alice", change: { notes: { wine: "Barolo" } } },
      [MSG.PERSON_LOG]: { handle: "alice", event: { kind: "meeting", at: "2026-11-02" } },
      [MSG.PERSON_SUGGESTION]: { handle: "alice", suggestion: "0123456789ab", action: "accept" },
    };
    for (const type of ALLOWED[SENDER.PAGE]) assert.equal(parseMessage({ type, ...fields[type] }, SENDER.PAGE, tools()).ok, true, type);
    assert.equal(parseMessage({ type: MSG.HELLO }, SENDER.CONTENT, tools()).ok, true);
    assert.equal(parseMessage({ type: MSG.BADGES, handles: ["alice", "Bob_2"] }, SENDER.CONTENT, tools()).ok, true);
  });

  test("a conversation starter is accepted or dismissed by its id, nothing else", () => {
    const act = (fields) => parseMessage({ type: MSG.PERSON_SUGGESTION, handle: "alice", ...fields }, SENDER.PAGE, tools());
    assert.deepEqual(act({ suggestion: "0123456789ab", action: "dismiss" }), {
      ok: true, message: { type: MSG.PERSON_SUGGESTION, handle: "alice", suggestion: "0123456789ab", action: "dismiss" } });
    for (const bad of [{ suggestion: "0123456789ab", action: "delete" }, { suggestion: "../../x", action: "accept" },
      { suggestion: "0123456789AB", action: "accept" }, { action: "accept" }, { suggestion: "0123456789ab" },
      { suggestion: "0123456789ab", action: "accept", note: "x" }]) {
      assert.equal(act(bad).ok, false, JSON.stringify(bad));
    }
    assert.equal(parseMessage({ type: MSG.PERSON_SUGGESTION, handle: "alice", suggestion: "0123456789ab", action: "accept" },
      SENDER.CONTENT, tools()).ok, false, "x.com pages cannot act on suggestions");
  });

  test("badge lookups need a list of at most 500 handles", () => {
    const ask = (handles) => parseMessage({ type: MSG.BADGES, handles }, SENDER.CONTENT, tools());
    assert.equal(ask([]).ok, true);
    assert.equal(ask(Array.from({ length: 500 }, (_, i) => `h${i}`)).ok, true);
    assert.equal(ask(Array.from({ length: 501 }, (_, i) => `h${i}`)).ok, false);
    assert.equal(ask(["<img src=x>"]).ok, false);
    assert.equal(ask("alice").ok, false);
    assert.equal(parseMessage({ type: MSG.BADGES, handles: ["a"] }, SENDER.PAGE, tools()).ok, false, "pages do not ask for badges");
  });

  test("overlay edits and logged events are checked against shared_schema before they are kept", () => {
    const edit = (change, extra = {}) => parseMessage({ type: MSG.PERSON_EDIT, handle: "alice", change, ...extra }, SENDER.PAGE, tools());
    assert.equal(edit({ tags: ["friend"] }).ok, true);
    assert.equal(edit({ stage: { stage: 4, reason: "met at a conference" } }).ok, true);
    assert.equal(edit({ stage: null }).ok, true);
    assert.match(edit({ tags: ["best-friend"] }).error, /invalid change/);
    assert.match(edit({}).error, /invalid change/, "an empty change says nothing");
    assert.match(edit({ stage: { stage: 7, reason: "x" } }).error, /invalid change/);
    assert.match(edit({ notes: { wine: "x" } }, { extra: 1 }).error, /unexpected field/);
    assert.match(parseMessage({ type: MSG.PERSON_EDIT, handle: "no such handle!", change: { tags: [] } }, SENDER.PAGE, tools()).error, /needs a handle/);
    const log = (event) => parseMessage({ type: MSG.PERSON_LOG, handle: "alice", event }, SENDER.PAGE, tools());
    assert.equal(log({ kind: "call", at: "2026-11-02", place: "phone", note: "about Barolo" }).ok, true);
    assert.match(log({ kind: "dinner", at: "2026-11-02" }).error, /invalid event/);
    assert.match(log({ kind: "call" }).error, /invalid event/);
    assert.equal(parseMessage({ type: MSG.PERSON_GET, handle: "alice" }, SENDER.CONTENT, tools()).ok, false, "content scripts cannot read cards");
  });
});

describe("the standalone validator", () => {
  test("agrees with Ajv's compiled validator on valid and invalid batches", () => {
    const ajv = validatorFor(makeAjv(), "scrape-batch");
    const docs = [sampleBatch(1), sampleBatch(2, { withId: true }), { page: sampleBatch(1).page }, {}, { page: {} }, { ...sampleBatch(1), tweets: [{}] },
      { ...sampleBatch(1), batch_id: "" }, { ...sampleBatch(1), notifications: [{ type: "like", actors: [] }] }];
    for (const doc of docs) assert.equal(validateBatch(doc), ajv(doc), JSON.stringify(doc).slice(0, 80));
  });

  test("counts text length in code points, as JSON Schema does (its bundled helper works)", () => {
    const batch = sampleBatch(1);
    batch.tweets[0].author_display_name = "😀".repeat(500); // 1000 UTF-16 units, 500 code points
    assert.equal(validateBatch(batch), true);
    batch.tweets[0].author_display_name = "😀".repeat(501);
    assert.equal(validateBatch(batch), false);
  });
});

describe("scrape/reading", () => {
  const reading = (fields = {}) => ({ type: MSG.READING, page_type: "home", recognised: 3, skipped: 1, errors: 0, skipped_by: { "tweet:no-status-link": 1 }, ...fields });

  test("a page kind and counts are accepted from a content script, and only from one", () => {
    assert.deepEqual(parseMessage(reading(), SENDER.CONTENT, tools()), { ok: true, message: reading() });
    assert.equal(parseMessage(reading(), SENDER.PAGE, tools()).ok, false);
  });

  test("anything but counts and reason names is refused: no page text can ride along", () => {
    for (const bad of [
      reading({ page_type: "evil" }), reading({ recognised: -1 }), reading({ skipped: 1.5 }), reading({ errors: "2" }),
      reading({ skipped_by: { "tweet: Alice wrote <b>hi</b>": 1 } }), reading({ skipped_by: { "tweet:no-status-link": "x" } }),
      reading({ skipped_by: [] }), reading({ text: "hello" }),
      reading({ skipped_by: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`tweet:r${String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26))}`, 1])) }),
    ]) {
      assert.equal(parseMessage(bad, SENDER.CONTENT, tools()).ok, false, JSON.stringify(bad).slice(0, 120));
    }
  });
});
