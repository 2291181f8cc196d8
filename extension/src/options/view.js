// What the options page says about pairing, the queue and the page reader, as plain data (no DOM),
// so it is tested under node; options.js turns it into elements with textContent.

import { timeAgo } from "../common/time.js";
import { PAGE_TYPES } from "../messages/index.js";

/** The command that approves a pairing code from a terminal. */
export const approveCommand = (code) => `rapport pair approve ${code}`;

function minutesLeft(expiresAt, now) {
  const ms = Date.parse(expiresAt) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.max(0, Math.ceil(ms / 60000));
}

/**
 * @param {object | null} record the public pairing record (background/pairing.js)
 * @param {number} now epoch ms
 * @returns {{pending: boolean, code: string | null, lines: string[], outcome: {text: string, good: boolean} | null}}
 */
export function pairingView(record, now = Date.now()) {
  if (!record) return { pending: false, code: null, lines: [], outcome: null };
  if (record.state === "pending") {
    const lines = [
      `Approve it in the Rapport dashboard, or run: ${approveCommand(record.code)}`,
    ];
    const left = minutesLeft(record.expires_at, now);
    if (left !== null) lines.push(left <= 1 ? "The code expires within a minute." : `The code expires in ${left} minutes.`);
    if (record.error) lines.push(`Waiting for the companion: ${record.error}`);
    return { pending: true, code: record.code, lines, outcome: null };
  }
  const good = record.state === "paired";
  const titles = { paired: "Paired", rejected: "Rejected", expired: "Expired", failed: "Not paired" };
  return {
    pending: false,
    code: null,
    lines: [],
    outcome: { text: `${titles[record.state] ?? record.state}: ${record.detail ?? ""}`.trim(), good },
  };
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function size(bytes) {
  if (!Number.isFinite(bytes) || bytes <= 0) return "";
  if (bytes < 1024) return ` (${bytes} B)`;
  if (bytes < 1024 * 1024) return ` (${Math.round(bytes / 1024)} KB)`;
  return ` (${(bytes / 1024 / 1024).toFixed(1)} MB)`;
}

/**
 * The queue's facts for a definition list, and the last error as one line.
 * @param {object | null} status background/queue.js status
 * @param {object | null} messages the background's message counters
 * @param {number} now epoch ms
 */
export function queueView(status, messages, now = Date.now()) {
  const s = status ?? {};
  const facts = [
    ["Waiting to be sent", `${plural(s.length ?? 0, "batch", "batches")}${size(s.bytes)}`],
    ["Sent", plural(s.sent ?? 0, "batch", "batches")],
    ["Dropped", `${s.dropped_full ?? 0} because the queue was full, ${s.dropped_rejected ?? 0} refused by the companion`],
  ];
  if (s.blocked === "not_paired") facts.push(["Sending", "stopped: this browser is not paired"]);
  else if (Number.isFinite(s.next_attempt_at) && s.next_attempt_at > now) {
    facts.push(["Next try", `in ${Math.max(1, Math.round((s.next_attempt_at - now) / 1000))} s (after ${plural(s.attempts ?? 0, "failure", "failures")})`]);
  }
  if (messages) {
    facts.push(["Messages from x.com tabs", `${messages.accepted ?? 0} accepted, ${messages.rejected ?? 0} rejected`]);
    if (messages.content_errors) facts.push(["Reading errors on the page", String(messages.content_errors)]);
  }
  let error = "";
  const last = s.last_error;
  if (last && typeof last === "object") {
    const when = new Date(last.at);
    const at = Number.isNaN(when.getTime()) ? "" : ` (${when.toLocaleString()})`;
    error = `Last error${at}: ${last.message || last.type}${last.status ? ` [HTTP ${last.status} ${last.type}]` : ""}`;
  }
  const rejected = messages?.last_rejected;
  const rejectedLine = rejected?.reason ? `Last rejected message: ${rejected.reason}` : "";
  return { facts, error: [error, rejectedLine].filter(Boolean).join(" · ") };
}

const PAGE_LABELS = Object.freeze({
  home: "Home timeline", profile: "Profiles", status: "Posts and conversations", messages: "Direct messages (chat)",
  notifications: "Notifications", search: "Search", other: "Other pages",
});

/**
 * The page reader's log as table rows: per kind of page, what it recognised and skipped, when it
 * last read one, and a warning when its latest reading recognised nothing (X may have changed).
 * @param {object | null} log background/reading.js
 * @param {number} now epoch ms
 * @returns {{kind: string, recognised: string, skipped: string, lastRead: string, warning: string, reasons: string}[]}
 */
export function readingView(log, now = Date.now()) {
  return PAGE_TYPES.filter((type) => log?.[type]).map((type) => ({ type, ...log[type] })).map((row) => {
    const stale = row.last_read_at && row.last.recognised === 0 && row.last_read_at !== row.last_recognised_at;
    const since = row.last_recognised_at ? `since ${timeAgo(row.last_recognised_at, now)}` : "ever";
    const reasons = Object.entries(row.skipped_by ?? {}).slice(0, 3).map(([reason, n]) => `${reason} ×${n}`).join(", ");
    return {
      kind: PAGE_LABELS[row.type] ?? row.type,
      recognised: String(row.recognised),
      skipped: String(row.skipped),
      lastRead: row.last_read_at ? timeAgo(row.last_read_at, now) : "never",
      warning: stale ? `The last page of this kind showed nothing Rapport recognises (nothing ${since}). If that lasts, X may have changed its pages.` : "",
      reasons,
    };
  });
}
