// The background's badge cache: one lookup for every tab, batched.
//
// Content scripts ask for the handles their page shows; asks that arrive within `delayMs` of each
// other (several tabs, a scroll burst) become one POST /api/v1/badges of up to 500 handles, and
// at most one request is in flight: a long timeline costs a few requests a second, never one per
// tweet. Answers are kept for `ttlMs`; live events from the companion replace entries as they
// change (put), and a reconnect clears everything (clear), since changes may have been missed.

export const CACHE_DEFAULTS = Object.freeze({
  delayMs: 100,
  ttlMs: 5 * 60 * 1000,
  maxPerRequest: 500,
  maxEntries: 20000,
});

/**
 * @param {object} env
 * @param {(handles: string[]) => Promise<{ok: boolean, badges?: Record<string, object>, error?: string}>} env.fetchBadges
 * @param {(fn: Function, ms: number) => any} env.setTimeout
 * @param {() => number} [env.now]
 * @param {object} [env.options]
 */
export function createBadgeCache({ fetchBadges, setTimeout, now = Date.now, options = {} }) {
  const opts = { ...CACHE_DEFAULTS, ...options };
  const entries = new Map(); // lower-case handle -> {badge, at}
  const waiting = new Map(); // lower-case handle -> {handle, resolvers: [{resolve, reject}]}
  const stats = { requests: 0, handles_requested: 0, hits: 0 };
  let timer = null;
  let inFlight = false;

  function fresh(lc) {
    const entry = entries.get(lc);
    return entry && now() - entry.at < opts.ttlMs ? entry.badge : undefined;
  }

  function remember(badge, lc = badge.handle.toLowerCase()) {
    if (entries.size >= opts.maxEntries && !entries.has(lc)) entries.delete(entries.keys().next().value);
    entries.set(lc, { badge, at: now() });
  }

  function schedule() {
    if (timer !== null || inFlight || waiting.size === 0) return;
    timer = setTimeout(() => {
      timer = null;
      run();
    }, opts.delayMs);
  }

  async function run() {
    const taken = Array.from(waiting.entries()).slice(0, opts.maxPerRequest);
    for (const [lc] of taken) waiting.delete(lc);
    inFlight = true;
    stats.requests += 1;
    stats.handles_requested += taken.length;
    try {
      const answer = await fetchBadges(taken.map(([, w]) => w.handle));
      if (!answer.ok) throw new Error(answer.error ?? "badge lookup failed");
      const byLc = new Map(Object.entries(answer.badges).map(([handle, badge]) => [handle.toLowerCase(), badge]));
      for (const [lc, wait] of taken) {
        const badge = byLc.get(lc);
        if (badge) remember(badge, lc);
        for (const { resolve } of wait.resolvers) resolve(badge);
      }
    } catch (error) {
      for (const [, wait] of taken) for (const { reject } of wait.resolvers) reject(error);
    } finally {
      inFlight = false;
      schedule();
    }
  }

  return {
    stats,
    /** Badges of `handles`, keyed by the spelling asked for: from the cache, the rest in one request. */
    async get(handles) {
      const out = {};
      const misses = [];
      for (const handle of handles) {
        const hit = fresh(handle.toLowerCase());
        if (hit) {
          stats.hits += 1;
          out[handle] = hit;
        } else {
          misses.push(handle);
        }
      }
      const answers = await Promise.all(misses.map((handle) => new Promise((resolve, reject) => {
        const lc = handle.toLowerCase();
        if (!waiting.has(lc)) waiting.set(lc, { handle, resolvers: [] });
        waiting.get(lc).resolvers.push({ resolve, reject });
        schedule();
      })));
      misses.forEach((handle, i) => {
        if (answers[i]) out[handle] = answers[i];
      });
      return out;
    },
    /** A badge pushed by the companion (person.created / person.updated). */
    put(badge) {
      remember(badge);
    },
    /** A person deleted: their handle is unknown again. */
    forget(handle) {
      entries.delete(handle.toLowerCase());
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
