// The background's one door for runtime messages, and its one table from message type to handler.
//
// The router asks messages/index.js who sent a message (our content script in an x.com tab, one of
// our own pages, or nobody we answer) and whether that sender may send that type with those fields;
// anything else is refused and counted. It checks its table when it is made: every type someone may
// send (ALLOWED) has exactly one handler, and nothing else has one.

import { KEYS } from "../common/settings.js";
import { ALLOWED, MSG, PUSH, SENDER, parseMessage, senderKind } from "../messages/index.js";
import { logError } from "./log.js";

/**
 * The handlers, as [type, handler(message, sender) => Promise<answer>] pairs.
 * @param {object} deps
 * @param {{get: Function, set: Function}} deps.storage storage.local
 * @param {() => Promise<{tagLabels: object}>} deps.loadVocabulary the bundled stages.json (read once, again after a failure)
 * @param {{get: (handles: string[]) => Promise<object>}} deps.badges the badge cache
 * @param {{record: (report: object) => Promise<void>}} deps.readingLog
 * @param {ReturnType<import("./queue.js").createQueue>} deps.queue
 * @param {ReturnType<import("./stats.js").createMessageStats>} deps.stats
 * @param {{personCard: (handle: string) => Promise<object>}} deps.cards
 * @param {{save: (message: object) => Promise<object>}} deps.saving
 * @param {{pushTab: Function}} deps.hub
 * @param {{run: () => Promise<object>}} deps.monitor
 * @param {ReturnType<import("./pairing.js").createPairing>} deps.pairing
 * @param {() => Promise<string>} deps.browserName how this browser is named to the user who approves the pairing
 */
export function createRoutes({ storage, loadVocabulary, badges, readingLog, queue, stats, cards, saving, hub, monitor, pairing, browserName }) {
  let knownMe = null;
  let vocabulary = null;
  const tagLabels = async () => (await (vocabulary ??= loadVocabulary().catch((error) => {
    vocabulary = null;
    throw error;
  }))).tagLabels;
  const save = (message) => saving.save(message);

  return [
    // content scripts
    [MSG.HELLO, async () => {
      const stored = await storage.get([KEYS.paused, KEYS.me]);
      return {
        ok: true, paused: stored[KEYS.paused] === true, me: typeof stored[KEYS.me] === "string" ? stored[KEYS.me] : null,
        tag_labels: await tagLabels(),
      };
    }],
    [MSG.ME, async (message) => {
      if (message.handle !== knownMe) {
        knownMe = message.handle;
        await storage.set({ [KEYS.me]: message.handle });
      }
      return { ok: true };
    }],
    [MSG.BADGES, async (message) => ({ ok: true, badges: await badges.get(message.handles) })],
    [MSG.READING, async (message) => {
      await readingLog.record(message);
      return { ok: true };
    }],
    [MSG.BATCH, async (message) => {
      if ((await storage.get(KEYS.paused))[KEYS.paused] === true) return { ok: false, error: "paused" };
      const queued = await queue.enqueue(message.batch);
      if (!queued.ok) {
        stats.rejected(SENDER.CONTENT, queued.error);
        return { ok: false, error: queued.error };
      }
      stats.accepted(message.stats);
      queue.flush().catch(logError("queue flush failed"));
      return { ok: true, batch_id: queued.batch_id };
    }],
    // our own pages (options, the overlay panel)
    [MSG.PERSON_GET, (message) => cards.personCard(message.handle)],
    [MSG.PERSON_EDIT, save],
    [MSG.PERSON_LOG, save],
    [MSG.PERSON_SUGGESTION, save],
    [MSG.OVERLAY_CLOSE, async (_message, sender) => {
      hub.pushTab(sender.tab?.id, { type: PUSH.CLOSE });
      return { ok: true };
    }],
    [MSG.CHECK, async () => ({ ok: true, result: await monitor.run() })],
    [MSG.PAIR_START, async () => ({ ok: true, pairing: await pairing.start(await browserName()) })],
    [MSG.PAIR_CANCEL, async () => {
      await pairing.cancel();
      return { ok: true };
    }],
    [MSG.FLUSH, async () => {
      await queue.resume();
      return { ok: true, status: await queue.status() };
    }],
  ];
}

/** The table as a Map, refused unless every type someone may send has exactly one handler and nothing else has one. */
function routeTable(routes) {
  const table = new Map();
  for (const [type, handler] of routes) {
    if (table.has(type)) throw new Error(`two handlers for "${type}"`);
    if (typeof handler !== "function") throw new Error(`no handler function for "${type}"`);
    table.set(type, handler);
  }
  const allowed = new Set(Object.values(ALLOWED).flat());
  const missing = [...allowed].filter((type) => !table.has(type));
  const unsent = [...table.keys()].filter((type) => !allowed.has(type));
  if (missing.length) throw new Error(`no handler for ${missing.join(", ")}`);
  if (unsent.length) throw new Error(`handlers for types nobody may send: ${unsent.join(", ")}`);
  return table;
}

/**
 * @param {object} env
 * @param {{id: string, pageBase: string}} env.self the extension's id and runtime.getURL("")
 * @param {Array<[string, Function]>} env.routes createRoutes(...)
 * @param {{validateBatch: Function, validatePatch: Function, validateEvent: Function}} env.validators shared_schema's
 * @param {{rejected: (kind: string, reason: string) => void}} env.stats
 * @param {(error: unknown) => void} [env.onError] a handler failed
 */
export function createRouter({ self, routes, validators, stats, onError = (error) => console.error("Rapport: message failed", error) }) {
  const table = routeTable(routes);
  return {
    /** The message types routed, in table order. */
    types: [...table.keys()],
    /** runtime.onMessage: true when the answer comes asynchronously, false when it was given (or is not ours to give). */
    listener(message, sender, sendResponse) {
      const kind = senderKind(sender, self);
      if (kind === null) return false; // not ours to answer
      const parsed = parseMessage(message, kind, validators);
      if (!parsed.ok) {
        stats.rejected(kind, parsed.error);
        sendResponse({ ok: false, error: parsed.error });
        return false;
      }
      // parseMessage takes only ALLOWED types, and the table has a handler for each.
      table.get(parsed.message.type)(parsed.message, sender).then(
        (answer) => sendResponse(answer),
        (error) => {
          onError(error);
          sendResponse({ ok: false, error: String(error?.message ?? error) });
        },
      );
      return true;
    },
  };
}
