// background/client.js: what each answer of the companion means for a batch, and the client
// against a real HTTP server on 127.0.0.1 — alone, and under the offline queue while the
// companion goes down and comes back.

import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";

import { classify, createClient, parsePairStarted, parsePairStatus } from "../src/background/client.js";
import { KIND } from "../src/background/policy.js";
import { createQueue } from "../src/background/queue.js";
import { sampleBatch } from "./lib/batches.mjs";
import { startCompanion } from "./lib/companion.mjs";
import { FakeStorage } from "./lib/fakes.mjs";
import { pairValidators } from "./lib/shared.mjs";

const validators = pairValidators();

const TOKEN = "tok_existing_0123456789";
const err = (type) => ({ error: { type, message: `${type} happened` } });

describe("classifyIngest", () => {
  test("2xx acknowledges", () => {
    assert.equal(classify({ status: 200, body: { ok: true } }).kind, KIND.OK);
    assert.equal(classify({ status: 201, body: undefined }).kind, KIND.OK);
  });

  test("400, 413, 422 and other 4xx drop the batch, with the companion's reason", () => {
    for (const [status, type] of [[400, "invalid"], [400, "malformed_json"], [413, "too_large"], [422, "invalid"], [410, "gone"]]) {
      const result = classify({ status, body: err(type) });
      assert.equal(result.kind, KIND.DROP, `${status}`);
      assert.equal(result.type, type);
      assert.equal(result.message, `${type} happened`);
    }
    assert.deepEqual(classify({ status: 400, body: undefined }).type, "http_400");
  });

  test("401 is unauthorized (keep the queue, stop)", () => {
    assert.equal(classify({ status: 401, body: err("unauthorized") }).kind, KIND.UNAUTHORIZED);
  });

  test("5xx, 408 and 429 retry; 403, 404, 405 and redirects hold the queue (not this batch's fault)", () => {
    for (const status of [500, 502, 503, 507, 408, 429]) assert.equal(classify({ status, body: undefined }).kind, KIND.RETRY, `${status}`);
    for (const status of [403, 404, 405, 301, 307]) assert.equal(classify({ status, body: err("x") }).kind, KIND.HOLD, `${status}`);
    assert.equal(classify({ status: 200, body: {}, redirected: true }).kind, KIND.HOLD);
  });
});

describe("parsePairStarted / parsePairStatus", () => {
  const started = { request_id: "r".repeat(24), code: "ABCD-EFGH", expires_at: "2026-03-02T10:10:00Z", poll_interval_ms: 1000 };

  test("accept the companion's documents", () => {
    assert.deepEqual(parsePairStarted(started, validators.pairStarted), started);
    assert.deepEqual(parsePairStatus({ state: "pending", code: "ABCD-EFGH" }, validators.pairStatus), { state: "pending", code: "ABCD-EFGH" });
    assert.deepEqual(parsePairStatus({ state: "approved", code: "ABCD-EFGH", token: "t".repeat(30), client_id: "c1" }, validators.pairStatus),
      { state: "approved", code: "ABCD-EFGH", token: "t".repeat(30) });
  });

  test("refuse anything else", () => {
    for (const bad of [null, [], {}, { ...started, code: "abcd-efgh" }, { ...started, code: "ABCD-EFG1" }, { ...started, request_id: "short" },
      { ...started, poll_interval_ms: 5 }, { ...started, poll_interval_ms: "1000" }, { ...started, expires_at: "tomorrow" },
      { ...started, request_id: `${"r".repeat(24)} x` }]) {
      assert.equal(parsePairStarted(bad, validators.pairStarted), null, JSON.stringify(bad));
    }
    for (const bad of [null, { state: "done", code: "ABCD-EFGH" }, { state: "approved" }, { state: "approved", code: "ABCD-EFGH", token: "short" }]) {
      assert.equal(parsePairStatus(bad, validators.pairStatus), null, JSON.stringify(bad));
    }
  });
});

describe("createClient against a real HTTP server", () => {
  let companion;
  let settings;
  let client;

  before(async () => {
    companion = await startCompanion();
    settings = { url: companion.url, token: TOKEN };
    client = createClient({ fetch: globalThis.fetch, validators, settings: async () => settings, timeoutMs: 1000 });
  });

  after(() => companion.close());

  test("ingest: 200 with the token, the batch_id echoed; sent only to the companion's address", async () => {
    companion.state.requests.length = 0;
    const result = await client.ingest({ ...sampleBatch(1), batch_id: "k-1" });
    assert.equal(result.kind, KIND.OK);
    assert.equal(result.result.batch_id, "k-1");
    assert.deepEqual(companion.state.requests, [`POST /api/v1/ingest Bearer ${TOKEN}`]);
  });

  test("ingest: a wrong token is unauthorized; no token at all sends nothing", async () => {
    settings = { url: companion.url, token: "tok_wrong_000000000000" };
    assert.equal((await client.ingest(sampleBatch(2))).kind, KIND.UNAUTHORIZED);
    settings = { url: companion.url, token: null };
    companion.state.requests.length = 0;
    const result = await client.ingest(sampleBatch(2));
    assert.equal(result.kind, KIND.UNAUTHORIZED);
    assert.equal(result.type, "no_token");
    assert.deepEqual(companion.state.requests, []);
    settings = { url: companion.url, token: TOKEN };
  });

  test("ingest: 500 retries, 400 and 413 drop", async () => {
    for (const [mode, kind, status] of [["error500", KIND.RETRY, 500], ["reject400", KIND.DROP, 400], ["too_large", KIND.DROP, 413]]) {
      companion.state.mode = mode;
      const result = await client.ingest(sampleBatch(3));
      assert.equal(result.kind, kind, mode);
      assert.equal(result.status, status, mode);
    }
    companion.state.mode = "normal";
  });

  test("ingest: no answer in time is a retry (timeout)", async () => {
    companion.state.mode = "hang";
    const started = Date.now();
    const result = await client.ingest(sampleBatch(4));
    companion.state.mode = "normal";
    assert.equal(result.kind, KIND.RETRY);
    assert.equal(result.type, "timeout");
    assert.ok(Date.now() - started < 3000);
  });

  test("pairStart and pairPoll speak the pairing API", async () => {
    const started = await client.pairStart("Firefox on Linux");
    assert.equal(started.ok, true);
    assert.match(started.started.code, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const pending = await client.pairPoll(started.started.request_id);
    assert.deepEqual(pending, { ok: true, status: { state: "pending", code: started.started.code } });
    const unknown = await client.pairPoll("req_unknown_000000000000000");
    assert.equal(unknown.ok, false);
    assert.equal(unknown.status, 404);
  });
});

describe("the queue over the client: the companion goes down and comes back", () => {
  test("nothing is lost, nothing is stored twice", async () => {
    let companion = await startCompanion();
    const port = companion.port;
    const storage = new FakeStorage();
    const client = createClient({ fetch: globalThis.fetch, validators, settings: async () => ({ url: `http://127.0.0.1:${port}`, token: TOKEN }), timeoutMs: 1000 });
    let t = Date.now();
    const queue = createQueue({ storage, send: (b) => client.ingest(b), now: () => t, random: () => 0.5, log: { warn() {} } });

    await queue.enqueue(sampleBatch(1));
    await queue.flush();
    assert.equal(companion.state.ingested.length, 1);

    await companion.close(); // the companion stops
    for (let i = 2; i <= 4; i += 1) await queue.enqueue(sampleBatch(i));
    await queue.flush();
    let status = await queue.status();
    assert.equal(status.length, 3);
    assert.equal(status.attempts, 1);
    assert.equal(status.last_error.type, "network");

    // A browser restart while it is down: a new queue over the same storage.
    const restarted = createQueue({ storage, send: (b) => client.ingest(b), now: () => t, random: () => 0.5, log: { warn() {} } });
    companion = await startCompanion({ port }); // it is back (an empty stand-in, on the same port)
    t += 2000;
    await restarted.flush();
    status = await restarted.status();
    assert.equal(status.length, 0);
    assert.deepEqual(companion.state.ingested.map((b) => b.tweets[0].text), [2, 3, 4].map((n) => `@rapport_me tweet number ${n}`));
    assert.equal(new Set(companion.state.ingested.map((b) => b.batch_id)).size, 3);
    await companion.close();
  });

  test("a port with something else on it: 404 holds the queue", async () => {
    const other = createServer((req, res) => { res.writeHead(404); res.end("Not Found"); });
    other.listen(0, "127.0.0.1");
    await once(other, "listening");
    const client = createClient({ fetch: globalThis.fetch, validators, settings: async () => ({ url: `http://127.0.0.1:${other.address().port}`, token: TOKEN }) });
    const queue = createQueue({ storage: new FakeStorage(), send: (b) => client.ingest(b), log: { warn() {} } });
    await queue.enqueue(sampleBatch(1));
    await queue.flush();
    const status = await queue.status();
    assert.equal(status.length, 1);
    assert.equal(status.dropped_rejected, 0);
    assert.equal(status.last_error.status, 404);
    other.closeAllConnections();
    other.close();
  });
});
