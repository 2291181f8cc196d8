// The connection monitor: checks the companion (on start, every minute, when settings change, and
// when an answer says something new about the connection), and reports only the newest check, so a
// check that ran with settings changed since never overwrites a newer one. connectionProbe is the
// check with the current settings; connectionReport shows its result on the toolbar icon and in
// storage.local, and tells the other parts when the companion came back.

import { HOST_PERMISSION, KEYS } from "../common/settings.js";
import { STATE } from "../common/status.js";
import { checkConnection } from "./connection.js";
import { KIND } from "./policy.js";

/**
 * One check with the current settings (the monitor's probe).
 * @param {{settings: () => Promise<{url: string, token: string | null}>, permissions: {contains: Function},
 *   client: ReturnType<import("./client.js").createClient>}} env
 */
export function connectionProbe({ settings, permissions, client }) {
  async function hasHostAccess() {
    try {
      return await permissions.contains({ origins: [HOST_PERMISSION] });
    } catch {
      return true; // cannot tell: let the request itself show what happens
    }
  }
  return async () => {
    const { url, token } = await settings();
    return checkConnection({ url, token, hasAccess: await hasHostAccess(), client });
  };
}

/**
 * What a check's result does (the monitor's report): the toolbar icon, storage.local (the options
 * page reads it there), `onBack` when the companion came back, `onChange` when the state changed.
 * @param {{toolbar: {report: Function}, storage: {set: Function}, onBack: () => void, onChange: (result: object) => void}} env
 */
export function connectionReport({ toolbar, storage, onBack, onChange }) {
  return async (result, before) => {
    await toolbar.report(result);
    await storage.set({ [KEYS.connection]: result });
    if (result.state === STATE.CONNECTED && before !== STATE.CONNECTED) onBack();
    if (result.state !== before) onChange(result);
  };
}

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
