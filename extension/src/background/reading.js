// How the page reader is doing, per kind of page: what it recognised and what it skipped as
// unknown markup, and when. Counts only, never content. A kind of page whose reading suddenly
// recognises nothing is how a user (and we) learn that X changed its markup: the options page
// shows this log.

import { KEYS } from "../common/settings.js";

const MAX_REASONS = 30; // per page kind: the most frequent reasons are kept

/** An empty entry for one kind of page. */
const empty = () => ({
  recognised: 0, skipped: 0, errors: 0, skipped_by: {}, last_read_at: null, last_recognised_at: null,
  last: { recognised: 0, skipped: 0 },
});

/**
 * The log after one report (pure).
 * @param {object} log {[page_type]: entry}
 * @param {{page_type: string, recognised: number, skipped: number, errors: number, skipped_by: object}} report
 * @param {string} at ISO time of the report
 */
export function addReading(log, report, at) {
  const entry = { ...empty(), ...(log?.[report.page_type] ?? {}) };
  entry.recognised += report.recognised;
  entry.skipped += report.skipped;
  entry.errors += report.errors;
  const reasons = { ...entry.skipped_by };
  for (const [reason, n] of Object.entries(report.skipped_by)) reasons[reason] = (reasons[reason] ?? 0) + n;
  entry.skipped_by = Object.fromEntries(Object.entries(reasons).sort((a, b) => b[1] - a[1]).slice(0, MAX_REASONS));
  entry.last_read_at = at;
  if (report.recognised > 0) entry.last_recognised_at = at;
  entry.last = { recognised: report.recognised, skipped: report.skipped };
  return { ...(log ?? {}), [report.page_type]: entry };
}

/**
 * @param {{storage: {get: Function, set: Function}, now?: () => number, onError?: (error: unknown) => void}} deps
 */
export function createReadingLog({ storage, now = Date.now, onError = () => {} }) {
  let chain = Promise.resolve();
  return {
    /** Add one report; writes are serialised so concurrent tabs do not lose counts. */
    record(report) {
      chain = chain.then(async () => {
        const log = (await storage.get(KEYS.reading))[KEYS.reading] ?? {};
        await storage.set({ [KEYS.reading]: addReading(log, report, new Date(now()).toISOString()) });
      }).catch(onError);
      return chain;
    },
    async clear() {
      await storage.set({ [KEYS.reading]: {} });
    },
  };
}
