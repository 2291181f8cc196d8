// The one retry policy of the extension: what an answer from the companion means for whatever sent
// it (`kindOf`), and how long to wait before trying again (`backoffDelay`). The offline queue, the
// overlay's edits, the live connection and the pairing poll all use these two.

export const KIND = Object.freeze({
  OK: "ok", // done
  DROP: "drop", // the companion refuses this for good (400, 413, ...): drop it and say why
  UNAUTHORIZED: "unauthorized", // 401 or no token: keep it, stop sending until paired
  RETRY: "retry", // no answer, a timeout, 5xx, 408, 425, 429: keep it, back off
  HOLD: "hold", // not this item's fault (403, 404, 405, a redirect): keep it, back off
});

// 4xx answers that say nothing about the item itself: a wrong Host or Origin (403), an older
// companion or another server (404, 405). A caller for whom a 404 means something (a person the
// companion has never seen) looks at the answer's type first.
const HOLD_STATUSES = new Set([403, 404, 405]);
const RETRY_STATUSES = new Set([408, 425, 429]);

/** The kind of an answer: `status` 0 means no answer at all. */
export function kindOf({ status, redirected = false }) {
  if (redirected || (status >= 300 && status < 400)) return KIND.HOLD;
  if (status === 0) return KIND.RETRY;
  if (status >= 200 && status < 300) return KIND.OK;
  if (status === 401) return KIND.UNAUTHORIZED;
  if (HOLD_STATUSES.has(status)) return KIND.HOLD;
  if (RETRY_STATUSES.has(status) || status >= 500) return KIND.RETRY;
  if (status >= 400 && status < 500) return KIND.DROP;
  return KIND.HOLD;
}

/** Whether what waits for an answer of this kind stays for a later try. */
export const keeps = (kind) => kind === KIND.RETRY || kind === KIND.UNAUTHORIZED || kind === KIND.HOLD;

export const BACKOFF = Object.freeze({ baseMs: 1000, maxMs: 5 * 60 * 1000, jitter: 0.2 });

/**
 * How long to wait before attempt number `attempt + 1`, after `attempt` failures in a row:
 * base, 2 × base, 4 × base, ... up to max, each spread by ±jitter (never under base nor over max),
 * so several browsers do not knock on a restarting companion at the same instant.
 */
export function backoffDelay(attempt, random = Math.random, { baseMs, maxMs, jitter } = BACKOFF) {
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 40));
  const spread = ceiling * (1 - jitter + 2 * jitter * random());
  return Math.round(Math.min(maxMs, Math.max(baseMs, spread)));
}

/**
 * Try something again with the backoff until it succeeds: `attempt` answers true when nothing is
 * left to do. `soon()` starts the loop (once: calls while it waits join it).
 * @param {{attempt: () => Promise<boolean>, backoff?: object, onDone?: () => void,
 *   setTimeout?: Function, random?: () => number}} options
 */
export function createRetry({ attempt, backoff = BACKOFF, onDone = () => {}, setTimeout = globalThis.setTimeout, random = Math.random }) {
  let timer = null;
  let failures = 0;
  function soon() {
    if (timer !== null) return;
    failures += 1;
    timer = setTimeout(async () => {
      timer = null;
      const done = await attempt().catch(() => false);
      if (done) {
        failures = 0;
        onDone();
      } else {
        soon();
      }
    }, backoffDelay(failures, random, backoff));
  }
  return { soon, get waiting() { return timer !== null; } };
}
