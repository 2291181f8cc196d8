// The offline queue: every scrape batch goes through it on its way to the companion.
//
// - Persisted in storage.local, one key per batch (QUEUE_ITEM_PREFIX + sequence number) plus a
//   small index (order and sizes) and a status (counters, last error) written in the same call,
//   so a browser restart or a suspended service worker loses nothing.
// - FIFO; the head stays until the companion acknowledges it (2xx). The batch_id, set when the
//   batch is queued, names it in logs and in the companion's answer; a batch sent twice (no answer
//   the first time) is still stored once, because the companion's ingest is idempotent by content.
// - Bounded (items and bytes): when full, the oldest batches are dropped and counted.
// - A batch the companion refuses for good (400, 413, ...) is dropped, counted and logged.
// - 401 (or no token): the queue is kept and sending stops until resume() (settings changed).
// - Network errors, timeouts and 5xx: exponential backoff with jitter, 1 s up to 5 min.
//
// Pure logic: storage, the sender, the clock, randomness and the timer are passed in, so the
// unit tests drive it under node with fakes.

import { BACKOFF, KIND, backoffDelay } from "./policy.js";
import { KEYS, QUEUE_ITEM_PREFIX } from "../common/settings.js";

export const QUEUE_LIMITS = Object.freeze({
  maxItems: 1000,
  maxBytes: 8 * 1024 * 1024, // storage.local holds 10 MB without "unlimitedStorage"
  maxItemBytes: 1024 * 1024,
});

const itemKey = (seq) => `${QUEUE_ITEM_PREFIX}${seq}`;

const utf8Length = (text) => new TextEncoder().encode(text).length;

function emptyIndex() {
  return { version: 1, next_seq: 1, items: [] }; // items: [seq, bytes, batch_id][]
}

function emptyStatus() {
  return {
    length: 0,
    bytes: 0,
    sent: 0,
    dropped_full: 0, // dropped because the queue was full (oldest first)
    dropped_rejected: 0, // dropped because the companion refused them (4xx)
    attempts: 0, // failures in a row
    next_attempt_at: null, // epoch ms; no sending before
    blocked: null, // "not_paired": waiting for a token
    last_error: null, // {at, status, type, message, batch_id?}
    last_sent_at: null,
  };
}

function readIndex(value) {
  if (typeof value !== "object" || value === null || value.version !== 1 || !Array.isArray(value.items)) return emptyIndex();
  const items = value.items.filter((it) => Array.isArray(it) && Number.isInteger(it[0]) && Number.isFinite(it[1]));
  const maxSeq = items.reduce((max, it) => Math.max(max, it[0]), 0);
  return { version: 1, next_seq: Math.max(Number.isInteger(value.next_seq) ? value.next_seq : 1, maxSeq + 1), items };
}

function readStatus(value) {
  const status = emptyStatus();
  if (typeof value !== "object" || value === null) return status;
  for (const key of ["sent", "dropped_full", "dropped_rejected", "attempts"]) {
    if (Number.isInteger(value[key]) && value[key] >= 0) status[key] = value[key];
  }
  for (const key of ["next_attempt_at", "last_sent_at"]) if (Number.isFinite(value[key])) status[key] = value[key];
  if (value.blocked === "not_paired") status.blocked = value.blocked;
  if (typeof value.last_error === "object" && value.last_error !== null) status.last_error = value.last_error;
  return status;
}

/**
 * @param {object} options
 * @param {{get: Function, set: Function, remove: Function}} options.storage storage.local or a fake
 * @param {(batch: object) => Promise<{kind: string, status?: number, type?: string, message?: string}>} options.send
 * @param {() => number} [options.now] epoch ms
 * @param {() => number} [options.random] in [0, 1)
 * @param {() => string} [options.newId] the batch_id of a new batch
 * @param {(delayMs: number) => void} [options.schedule] call flush() again in delayMs
 * @param {(answer: object) => void} [options.onAnswer] every answer of the companion (or failure), as it comes
 * @param {{warn: Function}} [options.log]
 */
export function createQueue({
  storage,
  send,
  now = Date.now,
  random = Math.random,
  newId = () => crypto.randomUUID(),
  schedule = () => {},
  onAnswer = () => {},
  log = console,
  limits = QUEUE_LIMITS,
  backoff = BACKOFF,
}) {
  let index = null;
  let status = null;
  let chain = Promise.resolve(); // every change of index/status runs here, one at a time
  let flushing = null;
  let flushAgain = false;
  let generation = 0; // resume() count: an answer to a send started before a resume is stale

  function serial(task) {
    const run = chain.then(task);
    chain = run.catch(() => {});
    return run;
  }

  async function load() {
    if (index) return;
    const stored = await storage.get([KEYS.queueIndex, KEYS.queueStatus]);
    index = readIndex(stored[KEYS.queueIndex]);
    status = summarize(index, readStatus(stored[KEYS.queueStatus]));
  }

  function summarize(idx, st) {
    return { ...st, length: idx.items.length, bytes: idx.items.reduce((sum, it) => sum + it[1], 0) };
  }

  /** Write a new index and status (plus `extra` keys) in one call; memory follows only on success. */
  async function commit(nextIndex, nextStatus, extra = {}) {
    const summary = summarize(nextIndex, nextStatus);
    await storage.set({ ...extra, [KEYS.queueIndex]: nextIndex, [KEYS.queueStatus]: summary });
    index = nextIndex;
    status = summary;
  }

  /** Remove the head entry `seq` (if it still is the head) with the status changes given. */
  async function removeHead(seq, change) {
    if (index.items[0]?.[0] !== seq) return false;
    // Item first, index second: a crash between leaves an index entry whose item is gone, which
    // the next flush skips. The other order would leave an orphan item nobody ever removes.
    await storage.remove(itemKey(seq));
    await commit({ ...index, items: index.items.slice(1) }, { ...status, ...change });
    return true;
  }

  function errorOf(answer, batchId) {
    return {
      at: new Date(now()).toISOString(),
      status: answer.status ?? 0,
      type: String(answer.type ?? answer.kind),
      message: String(answer.message ?? "").slice(0, 300),
      ...(batchId ? { batch_id: batchId } : {}),
    };
  }

  async function flushLoop() {
    for (;;) {
      await serial(load);
      if (status.blocked) return;
      const head = index.items[0];
      if (!head) {
        if (status.attempts || status.next_attempt_at) await serial(() => commit(index, { ...status, attempts: 0, next_attempt_at: null }));
        return;
      }
      if (status.next_attempt_at !== null && now() < status.next_attempt_at) {
        schedule(status.next_attempt_at - now());
        return;
      }
      const [seq, , batchId] = head;
      const stored = await storage.get(itemKey(seq));
      const item = stored[itemKey(seq)];
      if (!item || typeof item.batch !== "object" || item.batch === null) {
        // Its removal was interrupted (or storage lost it): nothing left to send.
        await serial(async () => {
          if (index.items[0]?.[0] === seq) await commit({ ...index, items: index.items.slice(1) }, status);
        });
        continue;
      }

      const sentIn = generation;
      let answer;
      try {
        answer = await send(item.batch);
      } catch (error) {
        answer = { kind: KIND.RETRY, status: 0, type: "send_failed", message: String(error?.message ?? error) };
      }
      try {
        onAnswer(answer);
      } catch {
        // the observer's problem, not the queue's
      }

      const stop = await serial(async () => {
        const stale = sentIn !== generation;
        switch (answer.kind) {
          case KIND.OK:
            await removeHead(seq, { sent: status.sent + 1, attempts: 0, next_attempt_at: null, last_sent_at: now() });
            return false;
          case KIND.DROP:
            log.warn?.(`Rapport: the companion refused batch ${batchId} (${answer.status} ${answer.type}): ${answer.message}; dropped`);
            await removeHead(seq, { dropped_rejected: status.dropped_rejected + 1, last_error: errorOf(answer, batchId) });
            return false;
          case KIND.UNAUTHORIZED:
            if (stale) return false; // the settings changed meanwhile: try again with the new ones
            await commit(index, { ...status, blocked: "not_paired", attempts: 0, next_attempt_at: null, last_error: errorOf(answer) });
            return true;
          default: {
            // RETRY, HOLD and anything unknown: keep the batch, wait longer each time.
            if (stale) return false;
            const attempts = status.attempts + 1;
            const delay = backoffDelay(attempts, random, backoff);
            await commit(index, { ...status, attempts, next_attempt_at: now() + delay, last_error: errorOf(answer) });
            schedule(delay);
            return true;
          }
        }
      });
      if (stop) return;
    }
  }

  return {
    /**
     * Queue a batch (a copy, named with a new batch_id: the one place a batch gets its name).
     * @returns {Promise<{ok: true, batch_id: string, length: number, dropped: number} | {ok: false, error: string}>}
     */
    enqueue(batch) {
      return serial(async () => {
        await load();
        const item = { batch: { ...batch, batch_id: newId() }, queued_at: now() };
        const bytes = utf8Length(JSON.stringify(item)) + itemKey(index.next_seq).length;
        if (bytes > limits.maxItemBytes) return { ok: false, error: `too large (${bytes} bytes)` };
        const items = [...index.items];
        let total = items.reduce((sum, it) => sum + it[1], 0);
        const dropped = [];
        while (items.length && (items.length + 1 > limits.maxItems || total + bytes > limits.maxBytes)) {
          const oldest = items.shift();
          total -= oldest[1];
          dropped.push(oldest);
        }
        const seq = index.next_seq;
        const nextIndex = { ...index, next_seq: seq + 1, items: [...items, [seq, bytes, item.batch.batch_id]] };
        const nextStatus = { ...status, dropped_full: status.dropped_full + dropped.length };
        if (dropped.length) await storage.remove(dropped.map((it) => itemKey(it[0])));
        try {
          await commit(nextIndex, nextStatus, { [itemKey(seq)]: item });
        } catch (error) {
          if (dropped.length) await commit({ ...index, items }, nextStatus).catch(() => {});
          return { ok: false, error: `cannot store it: ${error?.message ?? error}` };
        }
        if (dropped.length) log.warn?.(`Rapport: the offline queue is full; dropped the ${dropped.length} oldest batch(es)`);
        return { ok: true, batch_id: item.batch.batch_id, length: nextIndex.items.length, dropped: dropped.length };
      });
    },

    /**
     * Send from the head until the queue is empty, the companion fails (then schedule() is called
     * with the backoff), or it says the extension is not paired. Calls during a flush join it.
     */
    flush() {
      if (flushing) {
        flushAgain = true;
        return flushing;
      }
      flushing = (async () => {
        try {
          do {
            flushAgain = false;
            await flushLoop();
          } while (flushAgain);
        } finally {
          flushing = null;
        }
      })();
      return flushing;
    },

    /** Forget the backoff and a "not paired" stop (settings changed, browser started), then flush. */
    async resume() {
      await serial(async () => {
        await load();
        generation += 1;
        if (status.blocked || status.attempts || status.next_attempt_at !== null) {
          await commit(index, { ...status, blocked: null, attempts: 0, next_attempt_at: null });
        }
      });
      return this.flush();
    },

    /** Counters, length and last error (what the options page shows). */
    async status() {
      await serial(load);
      return { ...status };
    },

    /** The queued batches, oldest first (for tests and diagnostics). */
    async batches() {
      await serial(load);
      const keys = index.items.map((it) => itemKey(it[0]));
      const stored = keys.length ? await storage.get(keys) : {};
      return keys.map((key) => stored[key]?.batch).filter(Boolean);
    },
  };
}
