// The messages between the extension's parts, and their validation.
//
//   content script -> background
//     {type: "content/hello"}                          -> {ok, paused, me}
//     {type: "scrape/me", handle}                      -> {ok}
//     {type: "scrape/batch", batch, stats?}            -> {ok, batch_id} | {ok: false, error}
//       batch: a scrape batch (shared_schema/scrape-batch.schema.json) without batch_id: the
//       queue names each batch it takes (background/queue.js), nobody else.
//       stats: {errors, skipped} counted since the last batch.
//     {type: "badges/get", handles}                    -> {ok, badges: {handle: badge}}
//     {type: "scrape/reading", page_type, recognised, skipped, errors, skipped_by}   -> {ok}
//       how the reader did on one page since its last report: counts only, never content.
//       skipped_by: {reason: count}, reasons as the scrapers name them ("tweet:no-status-link").
//   options page, overlay panel -> background
//     {type: "check-now"}                              -> {ok, result}
//     {type: "pair/start"}                             -> {ok, pairing}
//     {type: "pair/cancel"}                            -> {ok}
//     {type: "queue/flush"}                            -> {ok, status}
//     {type: "person/get", handle}                     -> {ok, person | null, connection, pending}
//     {type: "person/edit", handle, change, display_name?}   change: shared_schema person-patch
//     {type: "person/log", handle, event, display_name?}     event: shared_schema event
//     {type: "person/suggestion", handle, suggestion, action}  accept or dismiss a conversation starter
//                                                      -> {ok, saved | queued, person?, pending}
//     {type: "overlay/close"}                          -> {ok}  (closes the panel in its tab)
//   background -> content script, over a runtime port named PORT.CONTENT (PUSH types)
//     {type: "badges/changed", badges: [badge]}, {type: "badges/reset"},
//     {type: "overlay/toggle"}, {type: "overlay/close"}
//   background -> overlay panel, over a port named PORT.PANEL
//     {type: "person/changed", key, handle, user_id} | {type: "person/changed", all: true},
//     {type: "connection", connection, pending}
//
// Pure module: the background passes in the schema validators (generated at build time, no
// eval) and the extension's own id and origin.

import { HANDLE } from "../common/settings.js";

export const MSG = Object.freeze({
  HELLO: "content/hello",
  ME: "scrape/me",
  BATCH: "scrape/batch",
  READING: "scrape/reading",
  CHECK: "check-now",
  PAIR_START: "pair/start",
  PAIR_CANCEL: "pair/cancel",
  FLUSH: "queue/flush",
  BADGES: "badges/get",
  PERSON_GET: "person/get",
  PERSON_EDIT: "person/edit",
  PERSON_LOG: "person/log",
  PERSON_SUGGESTION: "person/suggestion",
  OVERLAY_CLOSE: "overlay/close",
});

/** Runtime port names: content scripts and overlay panels keep one open to hear live changes. */
export const PORT = Object.freeze({ CONTENT: "rapport-content", PANEL: "rapport-panel" });

/** What the background pushes over the ports. */
export const PUSH = Object.freeze({
  BADGES: "badges/changed",
  RESET: "badges/reset",
  TOGGLE: "overlay/toggle",
  CLOSE: "overlay/close",
  PERSON: "person/changed",
  CONNECTION: "connection",
});

export const SENDER = Object.freeze({ CONTENT: "content", PAGE: "page" });

/** Which message types each kind of sender may send. */
export const ALLOWED = Object.freeze({
  [SENDER.CONTENT]: Object.freeze([MSG.HELLO, MSG.ME, MSG.BATCH, MSG.READING, MSG.BADGES]),
  [SENDER.PAGE]: Object.freeze([
    MSG.CHECK, MSG.PAIR_START, MSG.PAIR_CANCEL, MSG.FLUSH, MSG.PERSON_GET, MSG.PERSON_EDIT, MSG.PERSON_LOG,
    MSG.PERSON_SUGGESTION, MSG.OVERLAY_CLOSE,
  ]),
});

/** The pages the content script runs on (manifest.json content_scripts matches). */
export const X_MATCHES = Object.freeze(["https://x.com/*", "https://twitter.com/*", "https://mobile.x.com/*"]);
export const X_ORIGINS = Object.freeze(X_MATCHES.map((match) => match.slice(0, -2)));

export const MAX_BATCH_BYTES = 1024 * 1024;
export const MAX_BADGE_HANDLES = 500; // shared_schema/badges-request.schema.json
const MAX_NAME = 500;
/** A conversation starter's id (shared_schema/person.schema.json $defs/suggestion), and what can be done with one. */
const SUGGESTION_ID = /^[0-9a-f]{12}$/;
export const SUGGESTION_ACTIONS = Object.freeze(["accept", "dismiss"]);
const MAX_STAT = 1e9;
/** Page kinds (shared_schema/stages.json page_types; a test checks they match). */
export const PAGE_TYPES = Object.freeze(["home", "profile", "status", "messages", "notifications", "search", "other"]);
const SKIP_REASON = /^[a-z][a-z_]{0,20}:[a-z][a-z-]{0,30}$/;
const MAX_SKIP_REASONS = 50;

const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Is `url` a page of X the content script runs on? */
export const isXUrl = (url) => typeof url === "string" && X_ORIGINS.includes(originOf(url));

/**
 * Who sent a runtime message: our content script in an X tab, one of our own pages, or nobody we
 * listen to (null).
 * @param {object} sender runtime.MessageSender
 * @param {{id: string, pageBase: string}} self the extension's id and runtime.getURL("")
 */
export function senderKind(sender, { id, pageBase }) {
  if (!isObject(sender) || sender.id !== id || typeof sender.url !== "string") return null;
  // Extension URLs are compared as prefixes: URL.origin of moz-extension:// may be "null".
  if (typeof pageBase === "string" && pageBase.endsWith("/") && sender.url.startsWith(pageBase)) return SENDER.PAGE;
  return isObject(sender.tab) && isXUrl(sender.url) ? SENDER.CONTENT : null;
}

const reject = (error) => ({ ok: false, error });

function parseStats(stats) {
  if (stats === undefined) return { ok: true, stats: { errors: 0, skipped: 0 } };
  if (!isObject(stats)) return reject("stats must be an object");
  const out = { errors: 0, skipped: 0 };
  for (const [key, value] of Object.entries(stats)) {
    if (!(key in out)) return reject(`unknown stats field "${key.slice(0, 40)}"`);
    if (!Number.isInteger(value) || value < 0 || value > MAX_STAT) return reject(`stats.${key} must be a count`);
    out[key] = value;
  }
  return { ok: true, stats: out };
}

/** A short text for the first error of an Ajv-style validate function. */
export function firstError(validate) {
  const error = validate.errors?.[0];
  if (!error) return "does not match the schema";
  return `${error.instancePath || "/"} ${error.message ?? error.keyword}`.slice(0, 200);
}

/**
 * Check a message against the protocol above.
 * @param {unknown} message
 * @param {string} kind SENDER.CONTENT or SENDER.PAGE (from senderKind)
 * @param {{validateBatch: Function & {errors?: object[]}, validatePatch?: Function, validateEvent?: Function}} tools
 *   validators generated from shared_schema (scrape-batch, person-patch, event)
 * @returns {{ok: true, message: object} | {ok: false, error: string}}
 *   A valid batch message comes back with its batch copied.
 */
export function parseMessage(message, kind, { validateBatch, validatePatch, validateEvent }) {
  if (!isObject(message) || typeof message.type !== "string") return reject("not a message");
  const type = message.type;
  if (!ALLOWED[kind]?.includes(type)) return reject(`unknown message type "${type.slice(0, 40)}"`);
  const fields = Object.keys(message);
  const allowed = {
    [MSG.ME]: ["type", "handle"],
    [MSG.BATCH]: ["type", "batch", "stats"],
    [MSG.READING]: ["type", "page_type", "recognised", "skipped", "errors", "skipped_by"],
    [MSG.BADGES]: ["type", "handles"],
    [MSG.PERSON_GET]: ["type", "handle"],
    [MSG.PERSON_EDIT]: ["type", "handle", "change", "display_name"],
    [MSG.PERSON_LOG]: ["type", "handle", "event", "display_name"],
    [MSG.PERSON_SUGGESTION]: ["type", "handle", "suggestion", "action"],
  }[type] ?? ["type"];
  const extra = fields.find((field) => !allowed.includes(field));
  if (extra) return reject(`unexpected field "${extra.slice(0, 40)}" in ${type}`);

  if (type === MSG.ME) {
    if (typeof message.handle !== "string" || !HANDLE.test(message.handle)) return reject("scrape/me needs a handle");
    return { ok: true, message: { type, handle: message.handle } };
  }
  if (type === MSG.BADGES) {
    const { handles } = message;
    if (!Array.isArray(handles) || handles.length > MAX_BADGE_HANDLES || !handles.every((h) => typeof h === "string" && HANDLE.test(h))) {
      return reject(`badges/get needs a list of at most ${MAX_BADGE_HANDLES} handles`);
    }
    return { ok: true, message: { type, handles: [...handles] } };
  }
  if (type === MSG.PERSON_GET || type === MSG.PERSON_EDIT || type === MSG.PERSON_LOG || type === MSG.PERSON_SUGGESTION) {
    return parsePersonMessage(message, { validatePatch, validateEvent });
  }
  if (type === MSG.READING) return parseReading(message);
  if (type !== MSG.BATCH) return { ok: true, message: { type } };

  const stats = parseStats(message.stats);
  if (!stats.ok) return stats;
  if (!isObject(message.batch)) return reject("scrape/batch needs a batch object");
  let size;
  try {
    size = JSON.stringify(message.batch).length;
  } catch {
    return reject("the batch cannot be serialized");
  }
  if (size > MAX_BATCH_BYTES) return reject(`the batch is too large (${size} characters)`);
  if ("batch_id" in message.batch) return reject("invalid batch: batch_id is set by the queue, not the sender");
  const batch = { ...message.batch };
  if (!validateBatch(batch)) return reject(`invalid batch: ${firstError(validateBatch)}`);
  if (!isXUrl(batch.page.url)) return reject("invalid batch: the page is not on X");
  const records = ["tweets", "people", "dm_conversations", "notifications"].reduce((n, key) => n + (batch[key]?.length ?? 0), 0);
  if (records === 0) return reject("empty batch");
  return { ok: true, message: { type, batch, stats: stats.stats } };
}

const isCount = (value) => Number.isInteger(value) && value >= 0 && value <= MAX_STAT;

/** scrape/reading: a page kind, three counts and skip counts by reason (reason names, never page text). */
function parseReading(message) {
  const { type, page_type: pageType, recognised, skipped, errors, skipped_by: by } = message;
  if (!PAGE_TYPES.includes(pageType)) return reject("scrape/reading needs a page_type");
  if (![recognised, skipped, errors].every(isCount)) return reject("scrape/reading needs counts");
  if (!isObject(by) || Object.keys(by).length > MAX_SKIP_REASONS) return reject("scrape/reading: skipped_by must be an object of counts");
  for (const [reason, n] of Object.entries(by)) {
    if (!SKIP_REASON.test(reason) || !isCount(n)) return reject("scrape/reading: skipped_by must be an object of counts");
  }
  return { ok: true, message: { type, page_type: pageType, recognised, skipped, errors, skipped_by: { ...by } } };
}

/** person/get, person/edit, person/log: a handle, and a change or an event the companion will accept. */
function parsePersonMessage(message, { validatePatch, validateEvent }) {
  const { type, handle } = message;
  if (typeof handle !== "string" || !HANDLE.test(handle)) return reject(`${type} needs a handle`);
  const out = { type, handle };
  if (message.display_name !== undefined) {
    if (message.display_name !== null && (typeof message.display_name !== "string" || message.display_name.length > MAX_NAME)) {
      return reject(`${type}: display_name must be a short text`);
    }
    out.display_name = message.display_name;
  }
  if (type === MSG.PERSON_EDIT) {
    if (!validatePatch) return reject("person/edit cannot be checked");
    if (!validatePatch(message.change)) return reject(`invalid change: ${firstError(validatePatch)}`);
    out.change = structuredClone(message.change);
  } else if (type === MSG.PERSON_LOG) {
    if (!validateEvent) return reject("person/log cannot be checked");
    if (!validateEvent(message.event)) return reject(`invalid event: ${firstError(validateEvent)}`);
    out.event = structuredClone(message.event);
  } else if (type === MSG.PERSON_SUGGESTION) {
    if (typeof message.suggestion !== "string" || !SUGGESTION_ID.test(message.suggestion)) return reject("person/suggestion needs a suggestion id");
    if (!SUGGESTION_ACTIONS.includes(message.action)) return reject("person/suggestion: action is accept or dismiss");
    out.suggestion = message.suggestion;
    out.action = message.action;
  }
  return { ok: true, message: out };
}
