// The connection monitor: checks the companion (on start, every minute, when settings change, and
// when an answer says something new about the connection), and reports only the newest check, so a
// check that ran with settings changed since never overwrites a newer one.

import { STATE } from "../common/status.js";
import { KIND } from "./policy.js";

/**
 * @param {object} env
 * @param {() => Promise<object>} env.probe run one check (connection.js checkConnection with the current settings)
 * @param {(result: object, before: string | null) => Promise<void>} env.report show a check's result (icon,
 *   storage, what to do when the companion came back); called for the newest check only
 * @param {(error: unknown) => void} [env.onError]
 */
export function createMonitor({ probe, report, onError = () => {} }) {
  let latest = 0;
  let inFlight = null;
  let shown = null;
  let lastAnswer = null;

  async function check(id) {
    const result = await probe();
    if (id === latest) {
      const before = shown;
      shown = result.state;
      await report(result, before);
    }
    return result;
  }

  /** Check now. Calls while a check runs share it, unless `force` (the settings changed meanwhile). */
  function run({ force = false } = {}) {
    if (inFlight && !force) return inFlight;
    const id = ++latest;
    const promise = check(id).finally(() => {
      if (inFlight === promise) inFlight = null;
    });
    inFlight = promise;
    return promise;
  }

  const runLogged = (options) => {
    run(options).catch(onError);
  };

  return {
    run,
    runLogged,
    /** An answer (from /ingest) that says something new about the connection re-checks it at once. */
    noteAnswer(answer) {
      const kind = answer.kind === KIND.OK || answer.kind === KIND.UNAUTHORIZED ? answer.kind
        : answer.status === 0 ? "offline" : "error";
      if (kind !== lastAnswer) {
        lastAnswer = kind;
        if (kind !== "ok" || shown !== STATE.CONNECTED) runLogged({ force: true });
      }
    },
    /** The state the icon shows (null before the first check). */
    get state() {
      return shown;
    },
  };
}
