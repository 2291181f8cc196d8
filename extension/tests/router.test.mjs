// background/router.js: who may send what (a content script cannot pair, a stranger is not
// answered), the one handler per type, refusals counted, and the route table's handlers.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createRouter, createRoutes } from "../src/background/router.js";
import { createMessageStats } from "../src/background/stats.js";
import { KEYS } from "../src/common/settings.js";
import { ALLOWED, MSG, SENDER } from "../src/messages/index.js";
import { FakeStorage, standaloneValidators } from "./lib/fakes.mjs";

const SELF = { id: "abcdefghijklmnopabcdefghijklmnop", pageBase: "chrome-extension://abcdefghijklmnopabcdefghijklmnop/" };
const CONTENT = { id: SELF.id, url: "https://x.com/home", tab: { id: 3 } };
const PAGE = { id: SELF.id, url: `${SELF.pageBase}options/options.html` };

/** A table where every type answers with its own name, and what was called. */
function echoRoutes() {
  const called = [];
  const routes = [...ALLOWED.content, ...ALLOWED.page].map((type) => [type, async (message) => {
    called.push(message.type);
    return { ok: true, handled: type };
  }]);
  return { routes, called };
}

/** Send one message through the router's listener: what it returned and what it answered. */
function deliver(router, message, sender) {
  return new Promise((resolve) => {
    let answered = null;
    let later = null;
    const asynchronous = router.listener(message, sender, (answer) => {
      answered = answer;
      later?.(answer);
    });
    if (!asynchronous) resolve({ asynchronous, answer: answered });
    else if (answered) resolve({ asynchronous, answer: answered });
    else later = (answer) => resolve({ asynchronous, answer });
  });
}

function setup(routes) {
  const storage = new FakeStorage();
  const stats = createMessageStats({ storage, warn: () => {} });
  const router = createRouter({ self: SELF, routes, validators: { validateBatch: () => true }, stats, onError: () => {} });
  return { router, storage };
}

describe("the router", () => {
  test("a content script may not send what only our pages send: refused, counted, its handler never called", async () => {
    const { routes, called } = echoRoutes();
    const { router, storage } = setup(routes);
    for (const type of [MSG.PAIR_START, MSG.PERSON_EDIT, MSG.FLUSH]) {
      const { asynchronous, answer } = await deliver(router, { type }, CONTENT);
      assert.equal(asynchronous, false);
      assert.deepEqual(answer, { ok: false, error: `unknown message type "${type}"` });
    }
    assert.deepEqual(called, []);
    await deliver(router, { type: MSG.CHECK }, PAGE);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const counted = (await storage.get(KEYS.messages))[KEYS.messages];
    assert.equal(counted.rejected, 3);
    assert.equal(counted.last_rejected.from, SENDER.CONTENT);
    assert.equal(counted.last_rejected.reason, 'unknown message type "queue/flush"');
  });

  test("nor may our pages send what only content scripts send", async () => {
    const { routes, called } = echoRoutes();
    const { router } = setup(routes);
    const { answer } = await deliver(router, { type: MSG.HELLO }, PAGE);
    assert.equal(answer.ok, false);
    assert.deepEqual(called, []);
  });

  test("a sender that is not ours gets no answer at all", async () => {
    const { routes, called } = echoRoutes();
    const { router } = setup(routes);
    for (const sender of [{ ...CONTENT, id: "another-extension" }, { id: SELF.id, url: "https://evil.example/", tab: { id: 1 } }, null]) {
      let answered = false;
      assert.equal(router.listener({ type: MSG.HELLO }, sender, () => { answered = true; }), false);
      assert.equal(answered, false);
    }
    assert.deepEqual(called, []);
  });

  test("an allowed message goes to its one handler and is answered asynchronously; a failing handler answers its error", async () => {
    const { routes } = echoRoutes();
    routes.find(([type]) => type === MSG.CHECK)[1] = async () => { throw new Error("the check broke"); };
    const { router } = setup(routes);
    assert.deepEqual(await deliver(router, { type: MSG.HELLO }, CONTENT), { asynchronous: true, answer: { ok: true, handled: MSG.HELLO } });
    assert.deepEqual(await deliver(router, { type: MSG.CHECK }, PAGE), { asynchronous: true, answer: { ok: false, error: "the check broke" } });
  });

  test("a table with a type missing, twice, or that nobody may send is refused when the router is made", () => {
    const { routes } = echoRoutes();
    const make = (table) => () => createRouter({ self: SELF, routes: table, validators: {}, stats: {} });
    assert.throws(make(routes.slice(1)), /no handler for content\/hello/);
    assert.throws(make([...routes, routes[0]]), /two handlers for "content\/hello"/);
    assert.throws(make([...routes, ["debug/everything", async () => ({})]]), /nobody may send: debug\/everything/);
    assert.doesNotThrow(make(routes));
  });
});

describe("the route table", () => {
  const handler = (routes, type) => routes.find(([t]) => t === type)[1];

  test("a batch while collection is paused is refused; otherwise queued, counted and sent", async () => {
    const storage = new FakeStorage();
    const queued = [];
    let flushed = 0;
    const stats = createMessageStats({ storage, warn: () => {} });
    const queue = {
      enqueue: async (batch) => (batch.bad ? { ok: false, error: "too big" } : (queued.push(batch), { ok: true, batch_id: "b1" })),
      flush: async () => { flushed += 1; },
    };
    const routes = createRoutes({ storage, queue, stats });
    const batch = handler(routes, MSG.BATCH);
    await storage.set({ [KEYS.paused]: true });
    assert.deepEqual(await batch({ type: MSG.BATCH, batch: {}, stats: { errors: 0, skipped: 0 } }), { ok: false, error: "paused" });
    assert.equal(queued.length, 0);
    await storage.set({ [KEYS.paused]: false });
    assert.deepEqual(await batch({ type: MSG.BATCH, batch: { a: 1 }, stats: { errors: 2, skipped: 5 } }), { ok: true, batch_id: "b1" });
    assert.deepEqual(await batch({ type: MSG.BATCH, batch: { bad: true }, stats: { errors: 0, skipped: 0 } }), { ok: false, error: "too big" });
    assert.equal(flushed, 1);
    await stats.accepted({ errors: 0, skipped: 0 }); // waits for the counts before it
    const counted = (await storage.get(KEYS.messages))[KEYS.messages];
    assert.deepEqual([counted.accepted, counted.rejected, counted.content_errors, counted.content_skipped], [2, 1, 2, 5]);
  });

  test("hello: the pause switch, the handle last seen, and the tag labels (read again after a failed read)", async () => {
    const storage = new FakeStorage();
    let reads = 0;
    const routes = createRoutes({
      storage,
      loadVocabulary: async () => {
        reads += 1;
        if (reads === 1) throw new Error("not yet");
        return { tagLabels: { friend: "Friend" } };
      },
    });
    const hello = handler(routes, MSG.HELLO);
    await assert.rejects(hello(), /not yet/);
    await storage.set({ [KEYS.paused]: true, [KEYS.me]: "rapport_me" });
    assert.deepEqual(await hello(), { ok: true, paused: true, me: "rapport_me", tag_labels: { friend: "Friend" } });
    await hello();
    assert.equal(reads, 2, "read once it worked");
  });

  test("my handle is stored once, not at every page", async () => {
    const storage = new FakeStorage();
    const me = handler(createRoutes({ storage }), MSG.ME);
    await me({ type: MSG.ME, handle: "rapport_me" });
    await me({ type: MSG.ME, handle: "rapport_me" });
    assert.equal(storage.writes, 1);
    assert.equal((await storage.get(KEYS.me))[KEYS.me], "rapport_me");
  });

  test("the edits go to saving, the panel's close to its own tab, pairing with this browser's name", async () => {
    const saved = [];
    const pushed = [];
    const started = [];
    const routes = createRoutes({
      saving: { save: async (message) => (saved.push(message.type), { ok: true }) },
      hub: { pushTab: (tab, message) => pushed.push([tab, message.type]) },
      pairing: { start: async (name) => (started.push(name), { state: "pending" }) },
      browserName: async () => "Firefox on Linux",
    });
    for (const type of [MSG.PERSON_EDIT, MSG.PERSON_LOG, MSG.PERSON_SUGGESTION]) await handler(routes, type)({ type });
    assert.deepEqual(saved, [MSG.PERSON_EDIT, MSG.PERSON_LOG, MSG.PERSON_SUGGESTION]);
    await handler(routes, MSG.OVERLAY_CLOSE)({ type: MSG.OVERLAY_CLOSE }, { tab: { id: 12 } });
    assert.deepEqual(pushed, [[12, "overlay/close"]]);
    assert.deepEqual(await handler(routes, MSG.PAIR_START)({ type: MSG.PAIR_START }), { ok: true, pairing: { state: "pending" } });
    assert.deepEqual(started, ["Firefox on Linux"]);
  });
});

test("with the real validators, a batch from an x.com tab passes the router and a forged one does not", async () => {
  const { validateScrapeBatch } = await standaloneValidators();
  const { routes, called } = echoRoutes();
  const storage = new FakeStorage();
  const router = createRouter({ self: SELF, routes, validators: { validateBatch: validateScrapeBatch }, stats: createMessageStats({ storage, warn: () => {} }) });
  const page = { url: "https://x.com/home", type: "home", observed_at: "2026-03-02T10:00:00.000Z", me: null };
  const good = { type: MSG.BATCH, batch: { page, people: [{ handle: "alice_reads" }] } };
  const { answer } = await deliver(router, good, CONTENT);
  assert.deepEqual(answer, { ok: true, handled: MSG.BATCH });
  const forged = { type: MSG.BATCH, batch: { ...good.batch, page: { ...page, url: "https://evil.example/" } } };
  assert.equal((await deliver(router, forged, CONTENT)).answer.ok, false);
  assert.deepEqual(called, [MSG.BATCH]);
});
