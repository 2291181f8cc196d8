// background/alarms.js: the alarms the worker needs exist once with their periods; the queue's and
// the pairing's timers each have an alarm beside them that wakes a suspended worker.

import assert from "node:assert/strict";
import { test } from "node:test";

import { ALARM, CHECK_EVERY_MINUTES, DUE_EVERY_MINUTES, MIN_ALARM_MS, PAIR_ALARM_MINUTES, createAlarms } from "../src/background/alarms.js";

/** The browser's alarms API over a Map, and timers the test fires by hand. */
function setup() {
  const kept = new Map();
  const created = [];
  const alarms = {
    get: async (name) => kept.get(name),
    create: async (name, info) => {
      created.push(name);
      kept.set(name, { name, ...info });
    },
    clear: async (name) => kept.delete(name),
  };
  const waiting = new Map();
  let next = 1;
  const timers = {
    setTimeout: (fn, ms) => {
      waiting.set(next, { fn, ms });
      return next++;
    },
    clearTimeout: (id) => waiting.delete(id),
  };
  const now = () => 1_000_000;
  return { kept, created, waiting, api: createAlarms({ alarms, timers, now }) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test("the minute's check and the daily announcement are made once; a check alarm with another period is made again", async () => {
  const { kept, created, api } = setup();
  await api.ensure();
  assert.deepEqual(kept.get(ALARM.health), { name: ALARM.health, delayInMinutes: CHECK_EVERY_MINUTES, periodInMinutes: CHECK_EVERY_MINUTES });
  assert.deepEqual(kept.get(ALARM.due), { name: ALARM.due, delayInMinutes: CHECK_EVERY_MINUTES, periodInMinutes: DUE_EVERY_MINUTES });
  await api.ensure();
  assert.deepEqual(created, [ALARM.health, ALARM.due], "a worker that starts again pushes neither back");
  kept.set(ALARM.health, { name: ALARM.health, periodInMinutes: 5 }); // an older version's period
  await api.ensure();
  assert.equal(kept.get(ALARM.health).periodInMinutes, CHECK_EVERY_MINUTES);
  assert.deepEqual(created, [ALARM.health, ALARM.due, ALARM.health]);
});

test("the queue's next send: one timer (a newer one replaces it) and an alarm no sooner than 30 s", async () => {
  const { kept, waiting, api } = setup();
  let runs = 0;
  api.queueIn(2000, () => { runs += 1; });
  api.queueIn(5000, () => { runs += 10; });
  assert.equal(waiting.size, 1);
  const [timer] = waiting.values();
  assert.equal(timer.ms, 5000);
  timer.fn();
  assert.equal(runs, 10);
  await settle();
  assert.equal(kept.get(ALARM.queue).when, 1_000_000 + MIN_ALARM_MS);
  api.queueIn(120000, () => {});
  await settle();
  assert.equal(kept.get(ALARM.queue).when, 1_000_000 + 120000);
});

test("the pairing poll: a timer and a periodic alarm while pending; null stops both", async () => {
  const { kept, created, waiting, api } = setup();
  api.pairIn(1500, () => {});
  await settle();
  api.pairIn(3000, () => {});
  await settle();
  assert.equal(waiting.size, 1);
  assert.deepEqual(kept.get(ALARM.pair), { name: ALARM.pair, delayInMinutes: PAIR_ALARM_MINUTES, periodInMinutes: PAIR_ALARM_MINUTES });
  assert.deepEqual(created, [ALARM.pair], "the periodic alarm is not made again at each poll");
  api.pairIn(null);
  await settle();
  assert.equal(waiting.size, 0);
  assert.equal(kept.has(ALARM.pair), false);
});

test("onAlarm runs the handler of the alarm's name, and nothing for an alarm that is not ours", () => {
  const { api } = setup();
  const ran = [];
  const listener = api.listener({ [ALARM.health]: () => ran.push("health"), [ALARM.due]: () => ran.push("due") });
  listener({ name: ALARM.due });
  listener({ name: "someone-else" });
  listener({ name: "toString" });
  listener({ name: ALARM.health });
  assert.deepEqual(ran, ["due", "health"]);
});
