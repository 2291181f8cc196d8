// The background's alarms: the minute's connection check, the daily overdue announcement, and the
// wake-ups behind the offline queue's and the pairing poll's timers. A suspended service worker
// runs no timer: each timer has an alarm beside it that wakes the worker (Chrome fires none sooner
// than 30 s, so the timer comes first while the worker is awake).

import { quietly } from "./log.js";

export const ALARM = Object.freeze({ health: "rapport-health", queue: "rapport-queue", pair: "rapport-pair", due: "rapport-due" });
export const CHECK_EVERY_MINUTES = 1;
export const DUE_EVERY_MINUTES = 24 * 60;
export const MIN_ALARM_MS = 30000;
export const PAIR_ALARM_MINUTES = 0.5;

/**
 * @param {object} env
 * @param {{create: Function, get: Function, clear: Function}} env.alarms the browser's alarms API
 * @param {{setTimeout: Function, clearTimeout: Function}} env.timers
 * @param {() => number} [env.now] epoch ms
 * @param {(error: unknown) => void} [env.onError] an alarm could not be read or set
 */
export function createAlarms({ alarms, timers, now = Date.now, onError = () => {} }) {
  const waiting = new Map(); // alarm name -> the timer that runs first while the worker is awake

  function later(name, delayMs, run) {
    timers.clearTimeout(waiting.get(name));
    waiting.set(name, delayMs === null ? null : timers.setTimeout(run, delayMs));
  }

  return {
    /** At every start of the worker: the minute's check (with its period) and the daily announcement exist. */
    async ensure() {
      const health = await alarms.get(ALARM.health);
      if (!health || health.periodInMinutes !== CHECK_EVERY_MINUTES) {
        await alarms.create(ALARM.health, { delayInMinutes: CHECK_EVERY_MINUTES, periodInMinutes: CHECK_EVERY_MINUTES });
      }
      // Kept when it exists: a worker that starts often must not push the daily one back each time.
      if (!(await alarms.get(ALARM.due))) {
        await alarms.create(ALARM.due, { delayInMinutes: CHECK_EVERY_MINUTES, periodInMinutes: DUE_EVERY_MINUTES });
      }
    },
    /** The queue's next send: `run` in `delayMs`, and an alarm in case the worker is suspended first. */
    queueIn(delayMs, run) {
      later(ALARM.queue, delayMs, run);
      quietly("cannot set the queue alarm", () => alarms.create(ALARM.queue, { when: now() + Math.max(delayMs, MIN_ALARM_MS) }));
    },
    /** The pairing's next poll: `run` in `delayMs`, and a periodic alarm while the options page is closed; null stops both. */
    pairIn(delayMs, run) {
      later(ALARM.pair, delayMs, run);
      if (delayMs === null) {
        quietly("cannot clear the pairing alarm", () => alarms.clear(ALARM.pair));
        return;
      }
      Promise.resolve(alarms.get(ALARM.pair)).then((alarm) => {
        if (!alarm) return alarms.create(ALARM.pair, { delayInMinutes: PAIR_ALARM_MINUTES, periodInMinutes: PAIR_ALARM_MINUTES });
        return undefined;
      }).catch(onError);
    },
    /** An alarms.onAlarm listener that runs the handler named by the alarm (others are not ours). */
    listener(handlers) {
      return (alarm) => {
        if (Object.hasOwn(handlers, alarm?.name)) handlers[alarm.name]();
      };
    },
  };
}
