// Saving what the overlay panel changes (an edit, a logged call or meeting, a conversation starter
// taken or dismissed): the panel's message becomes an item that edits.js keeps until the companion
// confirms it. One that must wait is tried again with a growing delay (and at every minute's check,
// and when the companion is seen again), so it arrives soon after the companion is back.

import { STATE } from "../common/status.js";
import { MSG } from "../messages/index.js";
import { createRetry } from "./policy.js";

export const EDIT_BACKOFF = Object.freeze({ baseMs: 2000, maxMs: 30000, jitter: 0.2 });

/** The edits.js item for a checked person/edit, person/log or person/suggestion message. */
export function editItem(message) {
  const item = message.type === MSG.PERSON_EDIT ? { kind: "edit", handle: message.handle, change: message.change }
    : message.type === MSG.PERSON_SUGGESTION
      ? { kind: "starter", handle: message.handle, suggestion: message.suggestion, action: message.action }
      : { kind: "log", handle: message.handle, event: message.event };
  if (message.display_name) item.display_name = message.display_name;
  return item;
}

/**
 * @param {object} env
 * @param {ReturnType<import("./edits.js").createEdits>} env.edits
 * @param {{state: string | null, runLogged: Function}} env.monitor the connection monitor
 * @param {Function} [env.setTimeout]
 * @param {() => number} [env.random]
 */
export function createSaving({ edits, monitor, setTimeout = globalThis.setTimeout, random = Math.random }) {
  const recheck = () => monitor.runLogged({ force: true });
  const retry = createRetry({
    attempt: async () => (await edits.flush()).pending === 0,
    backoff: EDIT_BACKOFF,
    onDone: recheck,
    setTimeout,
    random,
  });

  return {
    /** Keep the change and send it: {ok, saved, queued, pending} (and the error of one refused for good). */
    async save(message) {
      const result = await edits.add(editItem(message));
      if (result.queued) {
        recheck();
        retry.soon();
      } else if (monitor.state !== STATE.CONNECTED) {
        recheck(); // it answered: the icon and the live connection catch up
      }
      return {
        ok: !result.dropped, saved: Boolean(result.saved), queued: Boolean(result.queued), pending: result.pending,
        ...(result.dropped ? { error: result.message } : {}),
      };
    },
    /** Whether a retry waits (tests, a debugger). */
    get retrying() {
      return retry.waiting;
    },
  };
}
