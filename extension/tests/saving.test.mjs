// background/saving.js: a panel's change becomes an edit kept until the companion confirms it;
// one that must wait is tried again with a growing delay, then the connection is checked.

import assert from "node:assert/strict";
import { test } from "node:test";

import { EDIT_BACKOFF, createSaving, editItem } from "../src/background/saving.js";
import { STATE } from "../src/common/status.js";
import { MSG } from "../src/messages/index.js";

test("each kind of panel message is the edit it stands for, with the name the page shows", () => {
  assert.deepEqual(editItem({ type: MSG.PERSON_EDIT, handle: "alice", change: { notes: { wine: "Barolo" } }, display_name: "Alice" }),
    { kind: "edit", handle: "alice", change: { notes: { wine: "Barolo" } }, display_name: "Alice" });
  assert.deepEqual(editItem({ type: MSG.PERSON_LOG, handle: "alice", event: { kind: "call" } }), { kind: "log", handle: "alice", event: { kind: "call" } });
  assert.deepEqual(editItem({ type: MSG.PERSON_SUGGESTION, handle: "alice", suggestion: "0123456789ab", action: "dismiss" }),
    { kind: "starter", handle: "alice", suggestion: "0123456789ab", action: "dismiss" });
});

function setup(answers) {
  const added = [];
  const checks = [];
  const delays = [];
  const timers = [];
  let flushes = 0;
  const edits = {
    add: async (item) => (added.push(item), answers.shift()),
    flush: async () => ({ pending: ++flushes < 3 ? 1 : 0 }),
  };
  const monitor = { state: STATE.CONNECTED, runLogged: (options) => checks.push(options) };
  const saving = createSaving({
    edits, monitor, random: () => 0.5,
    setTimeout: (fn, ms) => { delays.push(ms); timers.push(fn); },
  });
  return { saving, monitor, added, checks, delays, runTimer: () => timers.shift()(), flushes: () => flushes };
}

test("an edit that waits: said so, the connection checked, and tried again with a growing delay until nothing waits", async () => {
  const { saving, checks, delays, runTimer, flushes } = setup([{ queued: true, pending: 1 }]);
  assert.deepEqual(await saving.save({ type: MSG.PERSON_EDIT, handle: "alice", change: {} }), { ok: true, saved: false, queued: true, pending: 1 });
  assert.deepEqual(checks, [{ force: true }]);
  assert.equal(saving.retrying, true);
  await runTimer();
  await runTimer();
  await runTimer();
  assert.equal(flushes(), 3);
  assert.deepEqual(delays, [EDIT_BACKOFF.baseMs, 2 * EDIT_BACKOFF.baseMs, 4 * EDIT_BACKOFF.baseMs]);
  assert.equal(saving.retrying, false);
  assert.deepEqual(checks, [{ force: true }, { force: true }], "checked again once all went out");
});

test("saved while connected: no check; saved while the icon says otherwise: checked; refused for good: the error", async () => {
  const { saving, monitor, checks, delays } = setup([
    { saved: true, pending: 0 }, { saved: true, pending: 0 }, { dropped: true, message: "HTTP 400", pending: 0 },
  ]);
  assert.deepEqual(await saving.save({ type: MSG.PERSON_LOG, handle: "alice", event: {} }), { ok: true, saved: true, queued: false, pending: 0 });
  assert.deepEqual(checks, []);
  monitor.state = STATE.OFFLINE;
  await saving.save({ type: MSG.PERSON_LOG, handle: "alice", event: {} });
  assert.deepEqual(checks, [{ force: true }]);
  assert.deepEqual(await saving.save({ type: MSG.PERSON_EDIT, handle: "alice", change: {} }), { ok: false, saved: false, queued: false, pending: 0, error: "HTTP 400" });
  assert.deepEqual(delays, [], "nothing to try again");
});
