// Helpers shared by the scrapers. Pure: they read only the nodes they are given (no window, no
// document global, no network), so they run in a content script, under jsdom and in a CLI alike.
// The page is attacker-controlled: everything here reads text, never markup, and never throws on
// odd input (callers still wrap each element, in case). What x.com is (hosts, reserved paths, the
// handle pattern) comes from common/x.js, generated from shared_schema/x.json.

import { HANDLE, HANDLE_CHARS, RESERVED_PATHS, X_HOSTS } from "../common/x.js";

export { HANDLE, HANDLE_CHARS, RESERVED_PATHS } from "../common/x.js";

const DIGITS = /^[0-9]{1,25}$/;
// The shared schema's timestamp pattern (common.schema.json#/$defs/timestamp).
const TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

/** Limits of the shared schema (common.schema.json short_text / long_text, array sizes). */
export const LIMITS = Object.freeze({ shortText: 500, longText: 5000, handles: 50 });

export const isHandle = (value) => typeof value === "string" && HANDLE.test(value) && !RESERVED_PATHS.has(value.toLowerCase());
export const isId = (value) => typeof value === "string" && DIGITS.test(value);
export const isTimestamp = (value) => typeof value === "string" && TIMESTAMP.test(value);

/** Elements under `root` (and root itself) matching `selector`, in document order. */
export function queryAll(root, selector) {
  if (!root || typeof root.querySelectorAll !== "function") return [];
  const found = Array.from(root.querySelectorAll(selector));
  if (root.nodeType === 1 && root.matches(selector)) found.unshift(root);
  return found;
}

/** `new URL(href, base)` or null; only http(s). */
export function parseUrl(href, base) {
  if (typeof href !== "string" || href.length > 4096) return null;
  try {
    const url = new URL(href, base);
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

/** Path segments of an href when it points into x.com (or the page's own host), else null. */
export function xPath(href, base) {
  const url = parseUrl(href, base);
  if (!url) return null;
  const host = url.hostname.toLowerCase();
  let baseHost = null;
  try {
    baseHost = new URL(base).hostname.toLowerCase();
  } catch {
    baseHost = null;
  }
  if (!X_HOSTS.has(host) && host !== baseHost) return null;
  let segments;
  try {
    segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
  return segments;
}

/** The handle an href points to when it is a profile link (`/<handle>`), else null. */
export function handleFromHref(href, base) {
  const segments = xPath(href, base);
  if (!segments || segments.length !== 1) return null;
  return isHandle(segments[0]) ? segments[0] : null;
}

/**
 * A status link: `/<handle>/status/<id>[/...]`, `/i/status/<id>`, `/i/web/status/<id>`.
 * @returns {{handle: string|null, statusId: string, rest: string[]} | null}
 */
export function statusFromHref(href, base) {
  const segments = xPath(href, base);
  if (!segments) return null;
  let handle = null;
  let at;
  if (segments[0] === "i" && segments[1] === "status") at = 1;
  else if (segments[0] === "i" && segments[1] === "web" && segments[2] === "status") at = 2;
  else if (segments[1] === "status" && isHandle(segments[0])) {
    handle = segments[0];
    at = 1;
  } else return null;
  const statusId = segments[at + 1];
  if (!isId(statusId)) return null;
  return { handle, statusId, rest: segments.slice(at + 2) };
}

/** A tweet's name block: "User-Name" since 2023, "User-Names" on pages saved before (one prefix test: a
 * selector list costs jsdom's engine a third more time over a whole page). */
export const TWEET_NAME = '[data-testid^="User-Name"]';

const SKIP_TAGS = new Set(["script", "style", "noscript", "template", "svg", "button", "input", "textarea", "select"]);

/** Whether an element is an avatar (its image alt, e.g. "Square profile picture", is not text). */
const isAvatar = (el) => {
  const testid = el.getAttribute("data-testid") || "";
  return testid === "Tweet-User-Avatar" || testid.startsWith("UserAvatar-Container");
};

/**
 * The text a person sees in `el`: text nodes plus the alt text of emoji images, nothing parsed as
 * markup. Whitespace-only text nodes holding a line break outside a <span> are formatting of a
 * saved or re-indented page, not content, and are dropped. Avatars, buttons and icons are skipped.
 * `stop(piece, node)` may end the walk early (returns true to stop before that piece).
 */
export function textOf(el, { stop = null, skip = null } = {}) {
  if (!el) return "";
  const parts = [];
  let stopped = false;
  const walk = (node, depth) => {
    if (stopped || depth > 200) return;
    if (node.nodeType === 3) {
      const data = node.data;
      if (!data) return;
      if (/^\s*$/.test(data) && data.includes("\n") && node.parentNode?.localName !== "span") return;
      if (stop && stop(data, node)) {
        stopped = true;
        return;
      }
      parts.push(data);
      return;
    }
    if (node.nodeType !== 1) return;
    const name = node.localName;
    if (depth > 0 && (SKIP_TAGS.has(name) || isAvatar(node) || (skip && skip(node)))) return;
    if (name === "img") {
      const alt = node.getAttribute("alt") || "";
      if (alt && !(stop && stop(alt, node))) parts.push(alt);
      else if (alt) stopped = true;
      return;
    }
    if (name === "br") {
      parts.push("\n");
      return;
    }
    for (const child of node.childNodes) walk(child, depth + 1);
  };
  walk(el, 0);
  return parts.join("");
}

/**
 * Text as written: a shortened link shows "wired.com/story/he…" but holds its whole address in
 * spans hidden from sight ("https://", the tail); the address is kept whole and the "…" that
 * marks the shortening is dropped.
 */
export const writtenText = (el) =>
  textOf(el, { skip: (node) => node.getAttribute("aria-hidden") === "true" && oneLine(node.textContent) === "…" });

/** Text as one line: whitespace runs become one space, trimmed. */
export const oneLine = (text) => (typeof text === "string" ? text.replace(/\s+/g, " ").trim() : "");

/** Multi-line text: trimmed, CRLF made LF, trailing spaces on lines kept as the page had them. */
const block = (text) => (typeof text === "string" ? text.replace(/\r\n?/g, "\n").trim() : "");

/** At most `max` characters (code points, as JSON Schema counts them). */
function clip(text, max) {
  if (typeof text !== "string") return text;
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : points.slice(0, max).join("");
}

/** A non-empty clipped string, or null. */
export function shortText(text) {
  const value = oneLine(text);
  return value ? clip(value, LIMITS.shortText) : null;
}

export function longText(text) {
  const value = block(text);
  return value ? clip(value, LIMITS.longText) : null;
}

// A name block's "@handle" line (with the "· time" after it, when they share a text node).
export const AT_HANDLE_LINE = new RegExp(`^\\s*@(${HANDLE_CHARS})(?:\\s+·.*)?\\s*$`, "s");
// Where what follows a name starts, on a line of its own: its "@handle", or the "·" before the time.
const AFTER_NAME = /^\s*(@[A-Za-z0-9_]|·)/;

/**
 * X draws a name block's handle line and its dot in a block of their own (a div, a link), apart from
 * the name's. Text that shares an inline element (a span) with the name's first piece is the rest of
 * the name, however it reads: X puts each run of a name in a span between its emoji images
 * ("toly 🇺🇸 @ Solana", "Kim 🌙 @kimworks"). Returns `(piece, node, wanted) => whether it starts a
 * line`, to be called on every piece in order; only for a `wanted` one is that worked out (walking up).
 */
function lineStarts() {
  let first = null;
  return (piece, node, wanted) => {
    if (first === null) {
      if (piece.trim()) first = node;
      return true;
    }
    if (!wanted) return false;
    let shared = node.parentNode;
    while (shared && !shared.contains(first)) shared = shared.parentNode;
    return shared?.localName !== "span";
  };
}

/** The "@handle" lines under `el`, in order, with whether each is the first text there; `max` at most. */
function handleLinesIn(el, max = Infinity) {
  const found = [];
  const startsLine = lineStarts();
  let texts = 0;
  textOf(el, {
    stop: (piece, node) => {
      const m = AT_HANDLE_LINE.exec(piece);
      if (startsLine(piece, node, Boolean(m)) && m && isHandle(m[1])) found.push({ handle: m[1], first: texts === 0 });
      if (piece.trim()) texts += 1;
      return found.length >= max;
    },
  });
  return found;
}

/** The first "@handle" line under `el`: a line of its own (see lineStarts). */
export function atHandleIn(el) {
  return el ? handleLinesIn(el, 1)[0]?.handle ?? null : null;
}

/**
 * The handle of a name block (User-Name, UserName, the account switcher): its "@handle" line. X draws
 * the name first: when the block's very first text is such a line and another follows, that first
 * one is a name written like a handle ("@anna").
 */
export function handleOfNameBlock(el) {
  if (!el) return null;
  const lines = handleLinesIn(el, 2);
  return (lines.length === 2 && lines[0].first ? lines[1] : lines[0])?.handle ?? null;
}

/**
 * A display name from a name block (User-Name, UserName, a user cell): the text before the
 * "@handle" line, the "·" separator or the time; a name written like a handle when a handle line
 * follows it.
 */
export function nameIn(el) {
  if (!el) return null;
  const startsLine = lineStarts();
  let named = false;
  const text = textOf(el, {
    stop: (piece, node) => {
      const after = AFTER_NAME.test(piece);
      if (startsLine(piece, node, after) && after) {
        // Only the block's first text can be a name written like a handle; whether it is, only a second
        // handle line says (looked for then, not for every name).
        if (named || !AT_HANDLE_LINE.test(piece) || handleLinesIn(el, 2).length < 2) return true;
      }
      if (piece.trim()) named = true;
      return false;
    },
    skip: (node) => node.localName === "time",
  });
  return shortText(text);
}

/** `<time datetime>` under `el`, when it is a timestamp the schema accepts. */
export function timeIn(el) {
  const time = el?.querySelector("time[datetime]");
  const value = time?.getAttribute("datetime")?.trim();
  return isTimestamp(value) ? value : null;
}

/** Append without duplicates (case-insensitive, first spelling kept), at most `max`. */
export function uniqueHandles(handles, max = LIMITS.handles) {
  const seen = new Set();
  const out = [];
  for (const handle of handles) {
    if (!isHandle(handle) || seen.has(handle.toLowerCase())) continue;
    seen.add(handle.toLowerCase());
    out.push(handle);
    if (out.length >= max) break;
  }
  return out;
}

/** Counts of what could not be read, by reason ("tweet:no-status-link": 2). */
export class Skips {
  constructor() {
    this.counts = {};
  }

  add(reason, n = 1) {
    this.counts[reason] = (this.counts[reason] || 0) + n;
  }

  merge(counts) {
    for (const [reason, n] of Object.entries(counts || {})) this.add(reason, n);
  }
}
