// Counts of the messages the background took and refused, and of the errors and skipped elements
// the content scripts report with their batches: kept in storage.local (KEYS.messages), where the
// options page shows them. Writes are serialised, so messages from many tabs lose no count.

import { KEYS } from "../common/settings.js";

/**
 * @param {object} env
 * @param {{get: Function, set: Function}} env.storage storage.local
 * @param {() => number} [env.now] epoch ms
 * @param {(text: string) => void} [env.warn] where a refused message is logged (the worker's console)
 * @param {(error: unknown) => void} [env.onError] the counts could not be kept
 */
export function createMessageStats({ storage, now = Date.now, warn = (text) => console.warn(text), onError = () => {} }) {
  let stats = null;
  let chain = Promise.resolve();

  function count(change) {
    chain = chain.then(async () => {
      if (!stats) {
        const stored = (await storage.get(KEYS.messages))[KEYS.messages];
        stats = { accepted: 0, rejected: 0, content_errors: 0, content_skipped: 0, last_rejected: null, ...(stored ?? {}) };
      }
      stats = change(stats);
      await storage.set({ [KEYS.messages]: stats });
    }).catch(onError);
    return chain;
  }

  return {
    /** A batch was queued, with the content script's own counts since its last batch. */
    accepted({ errors, skipped }) {
      return count((s) => ({ ...s, accepted: s.accepted + 1, content_errors: s.content_errors + errors, content_skipped: s.content_skipped + skipped }));
    },
    /** A message was refused: counted, and the newest reason kept. */
    rejected(kind, reason) {
      warn(`Rapport: rejected a message from a ${kind}: ${reason}`);
      return count((s) => ({ ...s, rejected: s.rejected + 1, last_rejected: { at: new Date(now()).toISOString(), from: kind, reason } }));
    },
  };
}
