// background/policy.js: the one retry policy. Every caller reads an answer the same way (kindOf),
// keeps what waits on the same kinds, and waits the same backoff.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createEdits } from "../src/background/edits.js";
import { BACKOFF, KIND, backoffDelay, createRetry, keeps, kindOf } from "../src/background/policy.js";
import { FakeStorage } from "./lib/fakes.mjs";

describe("what an answer means", () => {
  test("one table for every call: ok, unauthorized, retry, hold, drop", () => {
    const table = {
      [KIND.OK]: [200, 201, 204],
      [KIND.UNAUTHORIZED]: [401],
      [KIND.RETRY]: [0, 408, 425, 429, 500, 502, 503, 507],
      [KIND.HOLD]: [301, 302, 307, 403, 404, 405],
      [KIND.DROP]: [400, 409, 413, 422],
    };
    for (const [kind, statuses] of Object.entries(table)) {
      for (const status of statuses) assert.equal(kindOf({ status }), kind, String(status));
    }
    assert.equal(kindOf({ status: 200, redirected: true }), KIND.HOLD);
    assert.deepEqual([KIND.OK, KIND.UNAUTHORIZED, KIND.RETRY, KIND.HOLD, KIND.DROP].map(keeps), [false, true, true, true, false]);
  });

  test("the overlay's edits keep what the queue keeps: a 403 (wrong address setting) or a 425 waits, a 400 is dropped", async () => {
    const answers = [
      { ok: false, status: 403, kind: kindOf({ status: 403 }), type: "forbidden", message: "Host" },
      { ok: false, status: 425, kind: kindOf({ status: 425 }), type: "too_early", message: "later" },
      { ok: false, status: 400, kind: kindOf({ status: 400 }), type: "invalid", message: "bad date" },
    ];
    const client = { editPerson: async () => answers.shift(), logEvent: async () => answers.shift() };
    let n = 0;
    const edits = createEdits({ storage: new FakeStorage(), key: "pending_edits", client, newId: () => `e${++n}` });
    const forbidden = await edits.add({ kind: "edit", handle: "ann_a", change: { notes: { books: "Dune" } } });
    assert.deepEqual([forbidden.queued, forbidden.pending], [true, 1]);
    const early = await edits.flush();
    assert.equal(early.pending, 1);
    const dropped = await edits.flush();
    assert.deepEqual([dropped.pending, dropped.outcomes.get("e1").dropped], [0, true]);
  });
});

describe("how long to wait", () => {
  test("one backoff: doubling from the base to the cap, spread by the jitter", () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(n, () => 0.5)), [1000, 2000, 4000, 8000]);
    assert.equal(backoffDelay(40, () => 0.5), BACKOFF.maxMs);
    // The live connection's waits (no jitter) and a pairing poll after a failed one.
    const live = { baseMs: 1000, maxMs: 30000, jitter: 0 };
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, Math.random, live)), [1000, 2000, 4000, 8000, 16000, 30000]);
    assert.equal(backoffDelay(2, Math.random, { baseMs: 1500, maxMs: 10000, jitter: 0 }), 3000);
  });
});

test("a retry loop waits the backoff between attempts, joins calls while it waits, and stops once done", async () => {
  const waits = [];
  const timers = [];
  let left = 2;
  let done = 0;
  const retry = createRetry({
    attempt: async () => (left -= 1) <= 0,
    backoff: { baseMs: 100, maxMs: 1000, jitter: 0 },
    onDone: () => { done += 1; },
    setTimeout: (fn, ms) => { waits.push(ms); timers.push(fn); return timers.length; },
  });
  retry.soon();
  retry.soon(); // joins the wait
  assert.deepEqual(waits, [100]);
  await timers.shift()(); // fails: waits longer
  assert.deepEqual(waits, [100, 200]);
  await timers.shift()(); // succeeds
  assert.deepEqual([done, retry.waiting, waits.length], [1, false, 2]);
});
