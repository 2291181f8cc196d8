// background/pairing.js: ask, show the code, poll, collect the token once; against a real HTTP
// stand-in of the companion and against a fake fetch for the odd answers.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { createClient } from "../src/background/client.js";
import { PAIR_STATE, browserName, clientName, createPairing, publicPairing } from "../src/background/pairing.js";
import { KEYS } from "../src/common/settings.js";
import { startCompanion } from "./lib/companion.mjs";
import { FakeStorage } from "./lib/fakes.mjs";
import { pairValidators } from "./lib/shared.mjs";

const validators = pairValidators();

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function fakeFetch(routes) {
  const calls = [];
  const fetch = async (url, init = {}) => {
    const key = `${init.method ?? "GET"} ${new URL(url).pathname}`;
    calls.push({ key, init });
    const answer = routes[key];
    if (answer === undefined) throw new TypeError(`fetch failed (${key})`);
    return typeof answer === "function" ? answer(init) : answer.clone();
  };
  return { fetch, calls };
}

const START = { request_id: "req_000000000000000000000001", code: "ABCD-EFGH", expires_at: "2026-03-02T10:10:00Z", poll_interval_ms: 1000 };

function setup(routes, { now = Date.parse("2026-03-02T10:00:00Z") } = {}) {
  const storage = new FakeStorage();
  const { fetch, calls } = fakeFetch(routes);
  const client = createClient({ fetch, validators, settings: async () => ({ url: "http://127.0.0.1:47600", token: null }) });
  const scheduled = [];
  const paired = [];
  let t = now;
  const pairing = createPairing({ storage, client, now: () => t, schedule: (ms) => scheduled.push(ms), onPaired: (r) => paired.push(r) });
  return { storage, calls, pairing, scheduled, paired, advance: (ms) => { t += ms; } };
}

const stored = async (storage) => (await storage.get(KEYS.pairing))[KEYS.pairing];

describe("clientName", () => {
  test("names the browser and the platform", () => {
    assert.equal(clientName({ browser: "firefox", os: "linux" }), "Firefox on Linux");
    assert.equal(clientName({ browser: "chrome", os: "mac" }), "Chrome on macOS");
    assert.equal(clientName({ browser: "chrome", os: "win" }), "Chrome on Windows");
    assert.equal(clientName({ browser: "chrome", os: "" }), "Chrome");
    assert.equal(clientName({ browser: "chrome", os: "<b>x</b>" }), "Chrome");
  });

  test("browserName asks the runtime: Firefox has getBrowserInfo; an unknown platform leaves the browser alone", async () => {
    assert.equal(await browserName({ getPlatformInfo: async () => ({ os: "linux" }), getBrowserInfo: async () => ({}) }), "Firefox on Linux");
    assert.equal(await browserName({ getPlatformInfo: async () => ({ os: "mac" }) }), "Chrome on macOS");
    assert.equal(await browserName({ getPlatformInfo: async () => { throw new Error("no"); } }), "Chrome");
  });
});

describe("createPairing with a fake fetch", () => {
  test("start stores the pending request and shows the code, never the request id", async () => {
    const { pairing, storage, scheduled, calls } = setup({ "POST /api/v1/pair": json(START, 201) });
    const view = await pairing.start("Chrome on Linux");
    assert.equal(view.state, PAIR_STATE.PENDING);
    assert.equal(view.code, "ABCD-EFGH");
    assert.equal(view.request_id, undefined);
    assert.equal((await stored(storage)).request_id, START.request_id);
    assert.deepEqual(JSON.parse(calls[0].init.body), { client_name: "Chrome on Linux" });
    assert.equal(calls[0].init.headers.Authorization, undefined, "pairing sends no token");
    assert.deepEqual(scheduled, [1000]);
  });

  test("approved: the token is stored with the outcome, once; the pending request is cleared", async () => {
    let state = "pending";
    const { pairing, storage, scheduled, paired } = setup({
      "POST /api/v1/pair": json(START, 201),
      [`GET /api/v1/pair/${START.request_id}`]: () => json(state === "approved"
        ? { state: "approved", code: "ABCD-EFGH", token: "tok_new_abcdefghijklmnop" }
        : { state, code: "ABCD-EFGH" }),
    });
    await pairing.start("Chrome");
    assert.equal((await pairing.poll()).state, PAIR_STATE.PENDING);
    state = "approved";
    const done = await pairing.poll();
    assert.equal(done.state, PAIR_STATE.PAIRED);
    const all = await storage.get([KEYS.token, KEYS.pairing]);
    assert.equal(all[KEYS.token], "tok_new_abcdefghijklmnop");
    assert.equal(all[KEYS.pairing].state, PAIR_STATE.PAIRED);
    assert.equal(all[KEYS.pairing].request_id, undefined);
    assert.equal(paired.length, 1);
    assert.deepEqual(scheduled, [1000, 1000, null]);
    state = "delivered";
    assert.equal((await pairing.poll()).state, PAIR_STATE.PAIRED, "nothing more to poll");
  });

  test("rejected, expired, and unknown (404) end the request", async () => {
    for (const [answer, expected] of [
      [json({ state: "rejected", code: "ABCD-EFGH" }), PAIR_STATE.REJECTED],
      [json({ state: "expired", code: "ABCD-EFGH" }), PAIR_STATE.EXPIRED],
      [json({ error: { type: "not_found", message: "unknown" } }, 404), PAIR_STATE.EXPIRED],
      [json({ state: "delivered", code: "ABCD-EFGH" }), PAIR_STATE.FAILED],
      [json({ state: "approved", code: "ABCD-EFGH", token: "bad token with spaces" }), PAIR_STATE.FAILED],
    ]) {
      const { pairing, storage, scheduled } = setup({ "POST /api/v1/pair": json(START, 201), [`GET /api/v1/pair/${START.request_id}`]: answer });
      await pairing.start("Chrome");
      const view = await pairing.poll();
      assert.equal(view.state, expected);
      assert.ok(view.detail);
      assert.equal((await stored(storage)).request_id, undefined);
      assert.equal((await storage.get(KEYS.token))[KEYS.token], undefined);
      assert.equal(scheduled.at(-1), null);
    }
  });

  test("past expires_at it expires without asking", async () => {
    const { pairing, calls, advance } = setup({ "POST /api/v1/pair": json(START, 201) });
    await pairing.start("Chrome");
    advance(10 * 60 * 1000);
    assert.equal((await pairing.poll()).state, PAIR_STATE.EXPIRED);
    assert.equal(calls.length, 1);
  });

  test("the companion unreachable while polling: still pending, with the reason, polled less often", async () => {
    const { pairing, scheduled } = setup({ "POST /api/v1/pair": json(START, 201) });
    await pairing.start("Chrome");
    const view = await pairing.poll();
    assert.equal(view.state, PAIR_STATE.PENDING);
    assert.match(view.error, /does not answer/);
    assert.deepEqual(scheduled, [1000, 2000]);
  });

  test("start fails clearly when the companion is down or answers something else", async () => {
    const down = setup({});
    const failed = await down.pairing.start("Chrome");
    assert.equal(failed.state, PAIR_STATE.FAILED);
    assert.match(failed.detail, /does not answer/);
    const other = setup({ "POST /api/v1/pair": json({ hello: "world" }, 200) });
    assert.match((await other.pairing.start("Chrome")).detail, /not as the Rapport companion/);
  });

  test("cancel forgets the request", async () => {
    const { pairing, storage } = setup({ "POST /api/v1/pair": json(START, 201) });
    await pairing.start("Chrome");
    await pairing.cancel();
    assert.equal(await stored(storage), undefined);
    assert.equal(await pairing.current(), null);
  });

  test("publicPairing never shows the request id", () => {
    assert.equal(publicPairing({ state: "pending", request_id: "secret", code: "ABCD-EFGH" }).request_id, undefined);
    assert.equal(publicPairing({ state: "bogus" }), null);
    assert.equal(publicPairing(null), null);
  });
});

describe("pairing against a real HTTP server", () => {
  let companion;
  before(async () => {
    companion = await startCompanion();
  });
  after(() => companion.close());

  function real() {
    const storage = new FakeStorage();
    const client = createClient({ fetch: globalThis.fetch, validators, settings: async () => ({ url: companion.url, token: null }) });
    const pairing = createPairing({ storage, client, schedule: () => {} });
    return { storage, pairing };
  }

  test("ask, approve (as `rapport pair approve CODE` would), collect the token; it then works for ingest", async () => {
    const { storage, pairing } = real();
    const view = await pairing.start("Firefox on Linux");
    assert.equal(view.state, PAIR_STATE.PENDING);
    assert.equal((await pairing.poll()).state, PAIR_STATE.PENDING);
    companion.approve(view.code);
    assert.equal((await pairing.poll()).state, PAIR_STATE.PAIRED);
    const token = (await storage.get(KEYS.token))[KEYS.token];
    assert.ok(companion.state.tokens.has(token));

    const client = createClient({ fetch: globalThis.fetch, validators, settings: async () => ({ url: companion.url, token }) });
    assert.equal((await client.ingest({ page: { url: "https://x.com/home", type: "home", observed_at: "2026-03-02T10:00:00Z", me: null }, batch_id: "p-1" })).kind, "ok");
  });

  test("rejected in the companion", async () => {
    const { pairing } = real();
    const view = await pairing.start("Chrome on Linux");
    companion.reject(view.code);
    assert.equal((await pairing.poll()).state, PAIR_STATE.REJECTED);
  });
});
