// background/monitor.js: checks are shared while one runs, only the newest reports, and an answer
// that says something new about the connection checks again; what a result does (connectionReport)
// and the check with the current settings (connectionProbe).

import assert from "node:assert/strict";
import { test } from "node:test";

import { connectionProbe, connectionReport, createMonitor } from "../src/background/monitor.js";
import { KEYS } from "../src/common/settings.js";
import { STATE } from "../src/common/status.js";
import { FakeStorage } from "./lib/fakes.mjs";

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

test("a check's result: the icon and storage always; the waiting parts when the companion came back; the panels when the state changed", async () => {
  const storage = new FakeStorage();
  const shown = [];
  const back = [];
  const changed = [];
  const report = connectionReport({
    toolbar: { report: async (result) => shown.push(result.state) }, storage,
    onBack: () => back.push(true), onChange: (result) => changed.push(result.state),
  });
  await report({ state: STATE.OFFLINE }, null);
  await report({ state: STATE.CONNECTED }, STATE.OFFLINE);
  await report({ state: STATE.CONNECTED, detail: "again" }, STATE.CONNECTED);
  assert.deepEqual(shown, [STATE.OFFLINE, STATE.CONNECTED, STATE.CONNECTED]);
  assert.deepEqual((await storage.get(KEYS.connection))[KEYS.connection], { state: STATE.CONNECTED, detail: "again" });
  assert.equal(back.length, 1);
  assert.deepEqual(changed, [STATE.OFFLINE, STATE.CONNECTED]);
});

test("the probe checks with the current settings, and says when the browser withholds access to the companion", async () => {
  let granted = false;
  const client = { health: async () => ({ failure: true, error: new TypeError("Failed to fetch") }) };
  const probe = connectionProbe({
    settings: async () => ({ url: "http://127.0.0.1:47600", token: "t".repeat(43) }),
    permissions: { contains: async ({ origins }) => (assert.deepEqual(origins, ["http://127.0.0.1/*"]), granted) },
    client,
  });
  assert.equal((await probe()).state, STATE.NO_ACCESS);
  granted = true;
  assert.equal((await probe()).state, STATE.OFFLINE);
});
