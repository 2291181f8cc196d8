// background/monitor.js: checks are shared while one runs, only the newest reports, and an answer
// that says something new about the connection checks again.

import assert from "node:assert/strict";
import { test } from "node:test";

import { createMonitor } from "../src/background/monitor.js";
import { STATE } from "../src/common/status.js";

function setup() {
  const pending = [];
  const reports = [];
  const monitor = createMonitor({
    probe: () => new Promise((resolve) => pending.push(resolve)),
    report: async (result, before) => { reports.push([result.state, before]); },
  });
  return { monitor, pending, reports };
}

test("calls during a check share it; a forced check wins over an older one that ends later", async () => {
  const { monitor, pending, reports } = setup();
  const first = monitor.run();
  assert.equal(monitor.run(), first);
  const forced = monitor.run({ force: true });
  pending[1]({ state: STATE.CONNECTED });
  await forced;
  pending[0]({ state: STATE.OFFLINE }); // the older check, with settings changed since
  await first;
  assert.deepEqual(reports, [[STATE.CONNECTED, null]]);
  assert.equal(monitor.state, STATE.CONNECTED);
});

test("an answer of a new kind checks again; the same kind again does not", async () => {
  const { monitor, pending } = setup();
  monitor.noteAnswer({ kind: "retry", status: 0 });
  assert.equal(pending.length, 1);
  monitor.noteAnswer({ kind: "retry", status: 0 });
  assert.equal(pending.length, 1);
  monitor.noteAnswer({ kind: "unauthorized", status: 401 });
  assert.equal(pending.length, 2);
  pending.forEach((resolve) => resolve({ state: STATE.NOT_PAIRED }));
});
