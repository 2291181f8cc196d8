// Dates as people say them: "3 weeks ago", "2 Nov". Pure, so the badges' tooltips and the overlay
// say the same thing and the unit tests can pin "now".

const UNITS = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago", "2 years ago"; null for no date. */
export function timeAgo(iso, now = Date.now()) {
  const at = Date.parse(iso ?? "");
  if (Number.isNaN(at)) return null;
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  for (const [unit, size] of UNITS) {
    const n = Math.floor(seconds / size);
    if (n >= 1) {
      if (unit === "day" && n === 1) return "yesterday";
      return `${n} ${unit}${n === 1 ? "" : "s"} ago`;
    }
  }
  return "just now";
}

/** "last talked 3 weeks ago", or null when there is no conversation yet. */
export function lastTalked(iso, now = Date.now()) {
  const ago = timeAgo(iso, now);
  return ago ? `last talked ${ago}` : null;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2 Nov" this year, "2 Nov 2024" before (UTC: the companion stores UTC times). */
export function shortDate(iso, now = Date.now()) {
  const at = new Date(Date.parse(iso ?? ""));
  if (Number.isNaN(at.getTime())) return "";
  const sameYear = at.getUTCFullYear() === new Date(now).getUTCFullYear();
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]}${sameYear ? "" : ` ${at.getUTCFullYear()}`}`;
}

/** Today as YYYY-MM-DD in the user's own time zone (a date input's value). */
export function today(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
