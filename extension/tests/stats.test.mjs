// background/stats.js: the counts of messages taken and refused survive a worker restart and lose
// nothing when many tabs send at once.

import assert from "node:assert/strict";
import { test } from "node:test";

import { createMessageStats } from "../src/background/stats.js";
import { KEYS } from "../src/common/settings.js";
import { FakeStorage } from "./lib/fakes.mjs";

test("counts from many tabs at once are all kept, and a new worker goes on from them", async () => {
  const storage = new FakeStorage();
  const warned = [];
  const stats = createMessageStats({ storage, now: () => Date.parse("2026-03-02T10:00:00Z"), warn: (text) => warned.push(text) });
  await Promise.all([
    ...Array.from({ length: 20 }, () => stats.accepted({ errors: 1, skipped: 2 })),
    stats.rejected("content", "empty batch"),
  ]);
  assert.deepEqual((await storage.get(KEYS.messages))[KEYS.messages], {
    accepted: 20, rejected: 1, content_errors: 20, content_skipped: 40,
    last_rejected: { at: "2026-03-02T10:00:00.000Z", from: "content", reason: "empty batch" },
  });
  assert.deepEqual(warned, ["Rapport: rejected a message from a content: empty batch"]);

  const restarted = createMessageStats({ storage, warn: () => {} });
  await restarted.accepted({ errors: 0, skipped: 0 });
  assert.equal((await storage.get(KEYS.messages))[KEYS.messages].accepted, 21);
});

test("a storage that refuses the write is reported, and the next count still goes through", async () => {
  const storage = new FakeStorage();
  const errors = [];
  const stats = createMessageStats({ storage, onError: (error) => errors.push(error.message) });
  storage.failSet = 1;
  await stats.accepted({ errors: 0, skipped: 0 });
  await stats.accepted({ errors: 0, skipped: 0 });
  assert.deepEqual(errors, ["QUOTA_BYTES quota exceeded"]);
  assert.equal((await storage.get(KEYS.messages))[KEYS.messages].accepted, 2, "the count in memory is kept");
});
