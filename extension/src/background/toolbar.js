// The toolbar icon: the connection state, and while connected the number of people overdue for a
// keep-in-touch reminder (counted again after each connection check, and once after a burst of changes).

import { STATE, badgeFor } from "../common/status.js";

const RECOUNT_AFTER_MS = 1500; // changes come in bursts (an import, a page of replies): count once after

/**
 * @param {object} env
 * @param {{setBadgeText: Function, setBadgeBackgroundColor: Function, setBadgeTextColor?: Function, setTitle: Function}} env.action
 * @param {() => Promise<{ok: boolean, body?: object}>} env.counts GET /keep-in-touch?limit=0
 * @param {(body: object) => boolean} env.validate the keep-in-touch answer's validator
 * @param {{setTimeout: Function, clearTimeout: Function}} env.timers
 */
export function createToolbar({ action, counts, validate, timers }) {
  let overdue = 0;
  let shown = null;
  let timer = null;

  async function count() {
    const answer = await counts();
    return answer.ok && validate(answer.body) ? answer.body.counts.overdue : overdue; // else keep the last count
  }

  async function show(result) {
    shown = result;
    const { text, colour, title } = badgeFor(result, result?.state === STATE.CONNECTED ? overdue : 0);
    await Promise.all([
      action.setBadgeText({ text }),
      action.setBadgeBackgroundColor({ color: colour }),
      action.setBadgeTextColor?.({ color: "#FFFFFF" }),
      action.setTitle({ title }),
    ]);
  }

  return {
    /** A connection check's result: counted again when connected, then shown. */
    async report(result) {
      if (result.state === STATE.CONNECTED) overdue = await count();
      await show(result);
    },
    /** Someone changed: count again soon (once for a burst). */
    changed() {
      timers.clearTimeout(timer);
      timer = timers.setTimeout(async () => {
        if (shown?.state !== STATE.CONNECTED) return;
        overdue = await count();
        await show(shown);
      }, RECOUNT_AFTER_MS);
    },
    get overdue() {
      return overdue;
    },
  };
}
