// Settings kept in storage.local, and the checks applied to what the user types.
// Pure module: no browser APIs, so it runs under node in the unit tests.

export const DEFAULT_COMPANION_URL = "http://127.0.0.1:47600";

// The one host the extension may reach (must equal manifest.json host_permissions; a test checks it).
export const COMPANION_HOST = "127.0.0.1";
export const HOST_PERMISSION = `http://${COMPANION_HOST}/*`;

// Every key the extension keeps in storage.local.
export const KEYS = Object.freeze({
  url: "companion_url", // the companion origin the user chose (string)
  token: "companion_token", // this extension's API token (string), from pairing or typed in
  connection: "connection_state", // last connection check (see background/connection.js)
  paused: "collection_paused", // true: content scripts collect nothing
  me: "me_handle", // the last own handle the page showed (string)
  pairing: "pairing", // the pairing request in progress, or its outcome (see background/pairing.js)
  queueIndex: "queue_index", // the offline queue's order and sizes (see background/queue.js)
  queueStatus: "queue_status", // the queue's counters and last error, for the options page
  messages: "message_stats", // messages from content scripts: accepted, rejected, last rejection
  edits: "pending_edits", // overlay edits the companion has not confirmed yet (see background/edits.js)
  live: "live_state", // the live-event connection: {state, detail, at} (see background/live.js)
  reading: "reader_stats", // how the page reader did, per kind of page: counts only (see background/reading.js)
  notify: "notify_overdue", // true: a daily notification of people who became overdue (off by default)
  announced: "overdue_announced", // keys of the overdue people already announced (see background/reminders.js)
});

/** Offline-queue entries are kept one per key: QUEUE_ITEM_PREFIX + sequence number. */
export const QUEUE_ITEM_PREFIX = "queue_item:";

/** A handle as X writes it (shared_schema/x.json, the schemas' common handle pattern). */
export { HANDLE } from "./x.js";

const MAX_TOKEN_LENGTH = 512;

/**
 * The companion address typed by the user, as an origin such as "http://127.0.0.1:47600".
 * Empty means the default. Only plain http on 127.0.0.1 is allowed: that is the only host the
 * extension has permission for, and the companion never listens anywhere else.
 * @returns {{ok: true, url: string} | {ok: false, error: string}}
 */
export function normalizeCompanionUrl(input) {
  if (input === undefined || input === null) return { ok: true, url: DEFAULT_COMPANION_URL };
  if (typeof input !== "string") return { ok: false, error: "The address must be text." };
  let text = input.trim();
  if (text === "") return { ok: true, url: DEFAULT_COMPANION_URL };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  let url;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `"${input.trim()}" is not an address, e.g. ${DEFAULT_COMPANION_URL}.` };
  }
  if (url.protocol !== "http:") return { ok: false, error: "The companion speaks plain http on this computer: use http://." };
  if (url.hostname !== COMPANION_HOST) {
    return { ok: false, error: `The companion runs on this computer: use ${COMPANION_HOST}, e.g. ${DEFAULT_COMPANION_URL}.` };
  }
  if (url.username || url.password) return { ok: false, error: "The address must not contain a user name or password." };
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    return { ok: false, error: `Give only the address and port, e.g. ${DEFAULT_COMPANION_URL}.` };
  }
  if (url.port === "0") return { ok: false, error: "Port 0 is not a port the companion can listen on." };
  return { ok: true, url: url.origin };
}

/**
 * The API token typed by the user. Empty means "no token" (the extension is then not paired).
 * @returns {{ok: true, token: string | null} | {ok: false, error: string}}
 */
export function normalizeToken(input) {
  if (input === undefined || input === null) return { ok: true, token: null };
  if (typeof input !== "string") return { ok: false, error: "The token must be text." };
  const token = input.trim();
  if (token === "") return { ok: true, token: null };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, error: `A token is at most ${MAX_TOKEN_LENGTH} characters.` };
  // Sent in an HTTP header: printable ASCII without spaces only.
  if (!/^[\x21-\x7e]+$/.test(token)) return { ok: false, error: "A token has no spaces and only plain ASCII characters." };
  return { ok: true, token };
}

/** Settings as stored, made safe to use: a bad stored address falls back to the default. */
export function settingsFrom(stored) {
  const url = normalizeCompanionUrl(stored?.[KEYS.url]);
  const token = normalizeToken(stored?.[KEYS.token]);
  return {
    url: url.ok ? url.url : DEFAULT_COMPANION_URL,
    token: token.ok ? token.token : null,
  };
}
