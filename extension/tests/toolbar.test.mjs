// background/toolbar.js: the icon shows the connection, and while connected the people overdue.

import assert from "node:assert/strict";
import { test } from "node:test";

import { STATE } from "../src/common/status.js";
import { createToolbar } from "../src/background/toolbar.js";

function setup(answers) {
  const shown = [];
  const action = {
    setBadgeText: async ({ text }) => shown.push(text), setBadgeBackgroundColor: async () => {}, setTitle: async () => {},
  };
  const timers = { pending: [], setTimeout(fn) { this.pending.push(fn); return this.pending.length; }, clearTimeout() { this.pending = []; } };
  let asked = 0;
  const toolbar = createToolbar({
    action, timers, validate: (body) => Boolean(body?.counts),
    counts: async () => answers[Math.min(asked++, answers.length - 1)],
  });
  return { toolbar, shown, timers, asked: () => asked };
}

const connected = { state: STATE.CONNECTED, url: "http://127.0.0.1:1" };
const counts = (overdue) => ({ ok: true, body: { counts: { overdue } } });

test("connected: the count of people overdue, recounted once after a burst of changes; offline keeps its code", async () => {
  const { toolbar, shown, timers, asked } = setup([counts(2), counts(0)]);
  await toolbar.report(connected);
  assert.deepEqual(shown, ["2"]);
  toolbar.changed();
  toolbar.changed();
  toolbar.changed();
  assert.equal(timers.pending.length, 1, "a burst is counted once");
  await timers.pending[0]();
  assert.deepEqual(shown, ["2", "ON"]);
  assert.equal(asked(), 2);
  await toolbar.report({ state: STATE.OFFLINE, detail: "" });
  assert.equal(shown.at(-1), "OFF", "not connected: the state's own code, and no count asked");
  assert.equal(asked(), 2);
});

test("an answer that fails or does not validate keeps the last count", async () => {
  const { toolbar, shown } = setup([counts(3), { ok: false, status: 0 }, { ok: true, body: { nope: 1 } }]);
  await toolbar.report(connected);
  await toolbar.report(connected);
  await toolbar.report(connected);
  assert.deepEqual(shown, ["3", "3", "3"]);
});
