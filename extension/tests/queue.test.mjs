// background/queue.js: FIFO, the head kept until acknowledged, drops and their counters, backoff,
// the bound, and persistence across a restart (a new queue over the same storage).

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { BACKOFF, KIND, backoffDelay } from "../src/background/policy.js";
import { createQueue } from "../src/background/queue.js";
import { KEYS, QUEUE_ITEM_PREFIX } from "../src/common/settings.js";
import { sampleBatch } from "./lib/batches.mjs";
import { FakeStorage, fakeClock } from "./lib/fakes.mjs";

const quiet = { warn: () => {} };

/** A queue over `storage` whose sender answers from `answers` (a function of the batch, or a list). */
function setup({ storage = new FakeStorage(), answers = () => ({ kind: KIND.OK, status: 200 }), limits, random = () => 0.5 } = {}) {
  const clock = fakeClock();
  const sent = [];
  const scheduled = [];
  const seen = [];
  let ids = 0;
  const answerFor = typeof answers === "function" ? answers : () => answers.shift() ?? { kind: KIND.OK, status: 200 };
  const queue = createQueue({
    storage,
    send: async (batch) => {
      sent.push(batch);
      return answerFor(batch);
    },
    now: clock.now,
    random,
    newId: () => `id-${++ids}`,
    schedule: (ms) => scheduled.push(ms),
    onAnswer: (answer) => seen.push(answer.kind),
    log: quiet,
    ...(limits ? { limits } : {}),
  });
  return { queue, storage, clock, sent, scheduled, seen };
}

const ok = { kind: KIND.OK, status: 200 };
const net = { kind: KIND.RETRY, status: 0, type: "network", message: "refused" };
const http500 = { kind: KIND.RETRY, status: 500, type: "internal", message: "boom" };
const http400 = { kind: KIND.DROP, status: 400, type: "invalid", message: "bad handle at /people/0" };
const http413 = { kind: KIND.DROP, status: 413, type: "too_large", message: "too big" };
const http401 = { kind: KIND.UNAUTHORIZED, status: 401, type: "unauthorized", message: "token" };

describe("backoffDelay", () => {
  test("doubles from 1 s up to 5 min", () => {
    const mid = () => 0.5; // no jitter
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => backoffDelay(n, mid)),
      [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000]);
    assert.equal(backoffDelay(50, mid), 300000);
    assert.equal(backoffDelay(1e6, mid), 300000);
  });

  test("jitter spreads each wait by ±20 %, never below 1 s nor above 5 min", () => {
    assert.equal(backoffDelay(3, () => 0), 3200);
    assert.equal(backoffDelay(3, () => 0.999999), 4800);
    assert.equal(backoffDelay(1, () => 0), BACKOFF.baseMs);
    assert.equal(backoffDelay(20, () => 0.999999), BACKOFF.maxMs);
    assert.equal(backoffDelay(20, () => 0), 240000);
  });
});

describe("createQueue", () => {
  test("enqueue names every batch with a new batch_id (idempotency key); the input is not changed", async () => {
    const { queue } = setup();
    const batch = sampleBatch(1);
    const first = await queue.enqueue(batch);
    assert.deepEqual(first, { ok: true, batch_id: "id-1", length: 1, dropped: 0 });
    assert.equal(batch.batch_id, undefined);
    const second = await queue.enqueue(sampleBatch(2, { withId: true }));
    assert.equal(second.batch_id, "id-2");
    assert.deepEqual((await queue.batches()).map((b) => b.batch_id), ["id-1", "id-2"]);
  });

  test("FIFO: sends in order, removes each on 200, and counts them", async () => {
    const { queue, sent, storage } = setup();
    for (let i = 1; i <= 5; i += 1) await queue.enqueue(sampleBatch(i));
    await queue.flush();
    assert.deepEqual(sent.map((b) => b.batch_id), ["id-1", "id-2", "id-3", "id-4", "id-5"]);
    const status = await queue.status();
    assert.equal(status.length, 0);
    assert.equal(status.sent, 5);
    assert.equal(status.bytes, 0);
    assert.deepEqual(storage.keys().filter((k) => k.startsWith(QUEUE_ITEM_PREFIX)), [], "no item left behind");
  });

  test("the head stays until acknowledged: a network error keeps it, and it is sent again first", async () => {
    const { queue, sent, clock, scheduled } = setup({ answers: [net, ok, ok] });
    await queue.enqueue(sampleBatch(1));
    await queue.enqueue(sampleBatch(2));
    await queue.flush();
    assert.deepEqual(sent.map((b) => b.batch_id), ["id-1"], "stops at the first failure");
    assert.equal((await queue.status()).length, 2);
    assert.deepEqual(scheduled, [1000]);

    await queue.flush(); // too early: nothing is sent, the rest of the wait is scheduled
    assert.equal(sent.length, 1);
    clock.advance(400);
    await queue.flush();
    assert.equal(sent.length, 1);
    assert.equal(scheduled.at(-1), 600);

    clock.advance(600);
    await queue.flush();
    assert.deepEqual(sent.map((b) => b.batch_id), ["id-1", "id-1", "id-2"], "same batch, same idempotency key");
    const status = await queue.status();
    assert.equal(status.length, 0);
    assert.equal(status.attempts, 0);
    assert.equal(status.next_attempt_at, null);
  });

  test("backoff schedule on network errors and 5xx: 1, 2, 4, 8 s ... capped at 5 min", async () => {
    const failures = [net, http500, net, http500, net, http500, net, http500, net, http500, net];
    const { queue, clock, scheduled } = setup({ answers: [...failures] });
    await queue.enqueue(sampleBatch(1));
    for (let i = 0; i < failures.length; i += 1) {
      await queue.flush();
      clock.advance(scheduled.at(-1));
    }
    assert.deepEqual(scheduled, [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000]);
    const status = await queue.status();
    assert.equal(status.attempts, failures.length);
    assert.equal(status.length, 1, "nothing is lost to retries");
    assert.equal(status.last_error.status, 0);
    assert.equal(status.last_error.type, "network");
  });

  test("400 and 413 drop the batch, count it, keep the reason, and go on with the next", async () => {
    const { queue, sent } = setup({ answers: [http400, http413, ok] });
    for (let i = 1; i <= 3; i += 1) await queue.enqueue(sampleBatch(i));
    await queue.flush();
    assert.deepEqual(sent.map((b) => b.batch_id), ["id-1", "id-2", "id-3"]);
    const status = await queue.status();
    assert.equal(status.length, 0);
    assert.equal(status.dropped_rejected, 2);
    assert.equal(status.sent, 1);
    assert.deepEqual({ ...status.last_error, at: undefined }, {
      at: undefined, status: 413, type: "too_large", message: "too big", batch_id: "id-2",
    });
  });

  test("401 keeps the queue and stops sending until resume()", async () => {
    const { queue, sent, scheduled } = setup({ answers: [http401, ok, ok] });
    await queue.enqueue(sampleBatch(1));
    await queue.enqueue(sampleBatch(2));
    await queue.flush();
    let status = await queue.status();
    assert.equal(status.blocked, "not_paired");
    assert.equal(status.length, 2);
    assert.equal(status.dropped_rejected, 0);
    assert.deepEqual(scheduled, [], "no retry timer: waiting for a token");
    await queue.flush();
    assert.equal(sent.length, 1, "stopped");

    await queue.resume(); // a token was saved
    status = await queue.status();
    assert.equal(status.blocked, null);
    assert.equal(status.length, 0);
    assert.deepEqual(sent.map((b) => b.batch_id), ["id-1", "id-1", "id-2"]);
  });

  test("resume() forgets the backoff: the companion is back, send now", async () => {
    const { queue, sent } = setup({ answers: [net, net, net, ok] });
    await queue.enqueue(sampleBatch(1));
    await queue.flush();
    assert.ok((await queue.status()).next_attempt_at > 0);
    await queue.resume();
    assert.equal(sent.length, 2);
    await queue.resume();
    await queue.resume();
    assert.equal((await queue.status()).length, 0);
  });

  test("a sender that throws counts as a network failure; the batch is kept", async () => {
    const { queue } = setup({ answers: () => { throw new Error("fetch exploded"); } });
    await queue.enqueue(sampleBatch(1));
    await queue.flush();
    const status = await queue.status();
    assert.equal(status.length, 1);
    assert.equal(status.attempts, 1);
    assert.match(status.last_error.message, /fetch exploded/);
  });

  test("bounded by count: the oldest are dropped and counted", async () => {
    const { queue } = setup({ limits: { maxItems: 3, maxBytes: 1e9, maxItemBytes: 1e6 } });
    for (let i = 1; i <= 5; i += 1) await queue.enqueue(sampleBatch(i));
    const status = await queue.status();
    assert.equal(status.length, 3);
    assert.equal(status.dropped_full, 2);
    assert.deepEqual((await queue.batches()).map((b) => b.batch_id), ["id-3", "id-4", "id-5"]);
  });

  test("bounded by bytes: the oldest go first; a single batch over the item limit is refused", async () => {
    const size = JSON.stringify({ batch: { ...sampleBatch(1), batch_id: "id-1" }, queued_at: 0 }).length;
    const { queue, storage } = setup({ limits: { maxItems: 1000, maxBytes: size * 2 + 100, maxItemBytes: size + 500 } });
    for (let i = 1; i <= 4; i += 1) await queue.enqueue(sampleBatch(i));
    const status = await queue.status();
    assert.equal(status.length, 2);
    assert.equal(status.dropped_full, 2);
    assert.ok(status.bytes <= size * 2 + 100);
    assert.deepEqual(storage.keys().filter((k) => k.startsWith(QUEUE_ITEM_PREFIX)).length, 2, "dropped items are removed from storage");

    const huge = sampleBatch(9);
    huge.tweets[0].text = "x".repeat(1000);
    const refused = await queue.enqueue(huge);
    assert.equal(refused.ok, false);
    assert.match(refused.error, /too large/);
    assert.equal((await queue.status()).length, 2);
  });

  test("a failed write (storage full) refuses the batch and leaves the queue as it was", async () => {
    const { queue, storage } = setup();
    await queue.enqueue(sampleBatch(1));
    storage.failSet = 1;
    const refused = await queue.enqueue(sampleBatch(2));
    assert.equal(refused.ok, false);
    assert.match(refused.error, /quota/);
    assert.deepEqual((await queue.batches()).map((b) => b.batch_id), ["id-1"]);
    assert.equal((await queue.enqueue(sampleBatch(3))).ok, true);
    assert.deepEqual((await queue.batches()).map((b) => b.batch_id), ["id-1", "id-3"]);
  });

  test("persists across a restart: a new queue over the same storage has the batches, order and counters", async () => {
    const storage = new FakeStorage();
    const before = setup({ storage, answers: [http400, net] });
    for (let i = 1; i <= 4; i += 1) await before.queue.enqueue(sampleBatch(i));
    await before.queue.flush(); // id-1 dropped (400), id-2 failed (network)
    assert.equal((await before.queue.status()).length, 3);

    const after = setup({ storage }); // the browser restarted
    const status = await after.queue.status();
    assert.equal(status.length, 3);
    assert.equal(status.dropped_rejected, 1);
    assert.equal(status.attempts, 1);
    assert.deepEqual((await after.queue.batches()).map((b) => b.batch_id), ["id-2", "id-3", "id-4"]);
    await after.queue.resume(); // on browser start
    assert.deepEqual(after.sent.map((b) => b.batch_id), ["id-2", "id-3", "id-4"]);
    assert.equal((await after.queue.status()).sent, 3);
    // New batches after the restart never reuse a storage key.
    await after.queue.enqueue(sampleBatch(5));
    const index = (await storage.get(KEYS.queueIndex))[KEYS.queueIndex];
    assert.ok(index.items[0][0] > 4, JSON.stringify(index));
  });

  test("an index entry whose item is gone (removal interrupted by a crash) is skipped", async () => {
    const { queue, storage, sent } = setup();
    for (let i = 1; i <= 3; i += 1) await queue.enqueue(sampleBatch(i));
    const firstKey = storage.keys().find((k) => k.startsWith(QUEUE_ITEM_PREFIX));
    await storage.remove(firstKey);
    const restarted = setup({ storage });
    await restarted.queue.flush();
    assert.deepEqual(restarted.sent.map((b) => b.batch_id), ["id-2", "id-3"]);
    assert.equal((await restarted.queue.status()).length, 0);
    assert.equal(sent.length, 0);
  });

  test("the status the options page reads is in storage, and small", async () => {
    const { queue, storage } = setup({ answers: [net] });
    for (let i = 1; i <= 3; i += 1) await queue.enqueue(sampleBatch(i));
    await queue.flush();
    const status = (await storage.get(KEYS.queueStatus))[KEYS.queueStatus];
    assert.equal(status.length, 3);
    assert.ok(status.bytes > 0);
    assert.equal(status.attempts, 1);
    assert.ok(JSON.stringify(status).length < 1000);
  });

  test("flush calls during a flush join it; enqueues during a flush are sent by it", async () => {
    const storage = new FakeStorage();
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    const sent = [];
    const queue = createQueue({
      storage,
      send: async (batch) => {
        sent.push(batch.batch_id);
        if (sent.length === 1) await gate;
        return ok;
      },
      newId: (() => { let n = 0; return () => `q-${++n}`; })(),
      log: quiet,
    });
    await queue.enqueue(sampleBatch(1));
    const first = queue.flush();
    const second = queue.flush();
    await queue.enqueue(sampleBatch(2));
    release();
    await Promise.all([first, second]);
    await queue.flush();
    assert.deepEqual(sent, ["q-1", "q-2"], "each sent once, in order");
  });

  test("a resume() while a send is under way is not undone by that send's 401", async () => {
    const storage = new FakeStorage();
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    let calls = 0;
    const queue = createQueue({
      storage,
      send: async () => {
        calls += 1;
        if (calls === 1) {
          await gate;
          return http401; // sent with the old token
        }
        return ok;
      },
      log: quiet,
    });
    await queue.enqueue(sampleBatch(1));
    const flushing = queue.flush();
    await new Promise((resolve) => setImmediate(resolve));
    const resumed = queue.resume(); // the new token was saved meanwhile
    release();
    await Promise.all([flushing, resumed]);
    const status = await queue.status();
    assert.equal(status.blocked, null);
    assert.equal(status.length, 0);
    assert.equal(calls, 2);
  });

  test("onAnswer sees every answer, in order", async () => {
    const { queue, seen } = setup({ answers: [http400, ok, net] });
    for (let i = 1; i <= 3; i += 1) await queue.enqueue(sampleBatch(i));
    await queue.flush();
    assert.deepEqual(seen, ["drop", "ok", "retry"]);
  });
});
