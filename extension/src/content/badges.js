// The content script's badges: what it knows of each handle, and the lookups it still needs.
//
// Handles the page shows are asked for together, at most one message to the background per
// `delayMs` (the background batches tabs together again before it asks the companion). Answers
// are kept for `ttlMs`; the background pushes changes (from the companion's live events) as they
// happen, so the time limit only matters when the live connection is down.

export const BADGE_DEFAULTS = Object.freeze({
  delayMs: 250, // gather the handles of a scroll burst into one message (a few per second at most)
  ttlMs: 60000, // ask again after this long when nothing was pushed
  maxPerMessage: 500, // shared_schema/badges-request.schema.json maxItems
  retryMs: 5000, // after a failed lookup
});

/** Whether a badge is worth a chip: someone you have talked to, tagged or made notes about. */
export function shouldShow(badge) {
  return Boolean(badge?.known && (badge.stage > 0 || badge.notes || badge.tags?.length));
}

/**
 * @param {object} env
 * @param {(handles: string[]) => Promise<{ok: boolean, badges?: Record<string, object>}>} env.request
 * @param {(fn: Function, ms: number) => any} env.setTimeout
 * @param {() => number} [env.now]
 * @param {object} [env.options] BADGE_DEFAULTS overrides
 */
export function createBadgeStore({ request, setTimeout, now = Date.now, options = {} }) {
  const opts = { ...BADGE_DEFAULTS, ...options };
  const known = new Map(); // handle (lower case) -> {badge, at}
  const wanted = new Set(); // lower-case handles to ask for
  const spelled = new Map(); // lower case -> the spelling the page used
  const listeners = new Set();
  const stats = { messages: 0, handles_asked: 0 };
  let timer = null;
  let inFlight = 0;
  let retryAt = 0;

  const notify = (handles) => {
    if (handles.length) for (const listener of listeners) listener(handles);
  };

  function schedule() {
    if (timer !== null || wanted.size === 0) return;
    const wait = Math.max(opts.delayMs, retryAt - now());
    timer = setTimeout(() => {
      timer = null;
      send();
    }, wait);
  }

  function send() {
    const handles = Array.from(wanted).slice(0, opts.maxPerMessage);
    for (const lc of handles) wanted.delete(lc);
    inFlight += 1;
    stats.messages += 1;
    stats.handles_asked += handles.length;
    request(handles.map((lc) => spelled.get(lc) ?? lc)).then((answer) => {
      if (!answer?.ok || typeof answer.badges !== "object" || answer.badges === null) throw new Error(answer?.error ?? "no badges");
      retryAt = 0;
      const changed = [];
      for (const [handle, badge] of Object.entries(answer.badges)) {
        const lc = handle.toLowerCase();
        known.set(lc, { badge, at: now() });
        changed.push(lc);
      }
      notify(changed);
    }).catch(() => {
      // The background or the companion is away: ask again later, not at every scroll.
      retryAt = now() + opts.retryMs;
      for (const lc of handles) wanted.add(lc);
    }).finally(() => {
      inFlight -= 1;
      schedule();
    });
    if (wanted.size) schedule();
  }

  return {
    stats,
    /** The badge for `handle`, or undefined when not (or no longer) known; asks for it then. */
    get(handle) {
      const lc = handle.toLowerCase();
      const entry = known.get(lc);
      if (entry && now() - entry.at < opts.ttlMs) return entry.badge;
      if (!wanted.has(lc)) {
        spelled.set(lc, handle);
        wanted.add(lc);
        schedule();
      }
      return entry?.badge;
    },
    /** Badges pushed by the background (a live change): kept and announced. */
    apply(badges) {
      const changed = [];
      for (const badge of badges) {
        if (typeof badge?.handle !== "string") continue;
        const lc = badge.handle.toLowerCase();
        known.set(lc, { badge, at: now() });
        changed.push(lc);
      }
      notify(changed);
    },
    /** Forget everything (the live connection came back: changes may have been missed). */
    reset() {
      const handles = Array.from(known.keys());
      known.clear();
      notify(handles);
    },
    /** listener(lowerCaseHandles) after badges arrive or change; returns an unsubscribe function. */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get pending() {
      return wanted.size + inFlight;
    },
  };
}
