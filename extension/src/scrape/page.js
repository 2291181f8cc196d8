// What kind of x.com page a URL is, whose profile, which status; and which routes are modals
// over the page beneath (a photo, the composer), not a new page.

import { isHandle, isId, parseUrl } from "./util.js";
import { PROFILE_TABS, X_HOSTS } from "../common/x.js";

/** Lists of a status's reposts/quotes/likes: not the conversation itself. */
const STATUS_LISTS = new Set(["quotes", "retweets", "reposts", "likes"]);

/** Status sub-routes that open a modal over the status page. */
const STATUS_MODALS = new Set(["photo", "video", "analytics", "history"]);

function segmentsOf(url) {
  const parsed = parseUrl(url);
  if (!parsed || !X_HOSTS.has(parsed.hostname.toLowerCase())) return null;
  try {
    return parsed.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}

/** The status in a path: [handle|null, id, index of the segment after the id] or null. */
function statusIn(segments) {
  if (segments[0] === "i" && segments[1] === "status" && isId(segments[2])) return [null, segments[2], 3];
  if (segments[0] === "i" && segments[1] === "web" && segments[2] === "status" && isId(segments[3])) return [null, segments[3], 4];
  if (isHandle(segments[0]) && segments[1] === "status" && isId(segments[2])) return [segments[0], segments[2], 3];
  return null;
}

/**
 * @param {string} url the page address
 * @returns {{type: "home"|"profile"|"status"|"messages"|"notifications"|"search"|"other",
 *            profileHandle: string|null, statusId: string|null}}
 */
export function parsePage(url) {
  const out = { type: "other", profileHandle: null, statusId: null };
  const segments = segmentsOf(url);
  if (!segments) return out;
  const [first = "", second] = segments;
  const lower = first.toLowerCase();
  if (segments.length === 0 || lower === "home") return { ...out, type: "home" };
  if (lower === "notifications") return { ...out, type: "notifications" };
  if (lower === "messages" || (lower === "i" && (second === "chat" || second === "messages"))) return { ...out, type: "messages" };
  if (lower === "search" || lower === "hashtag") return { ...out, type: "search" };
  const status = statusIn(segments);
  if (status) {
    const after = segments[status[2]];
    if (after && STATUS_LISTS.has(after)) return out;
    return { ...out, type: "status", statusId: status[1] };
  }
  if (isHandle(first)) {
    if (segments.length === 1) return { ...out, type: "profile", profileHandle: first };
    if (segments.length === 2 && (PROFILE_TABS.has(second) || second === "photo" || second === "header_photo")) {
      return { ...out, type: "profile", profileHandle: first };
    }
  }
  return out;
}


/**
 * Whether a URL is a modal route over another page: the composer (`/compose/post`), a photo or
 * video of a status (`/h/status/1/photo/2`), a profile's avatar or header photo, the display and
 * keyboard-shortcut dialogs. Navigating to one is not a page change.
 */
export function isModalRoute(url) {
  const segments = segmentsOf(url);
  if (!segments || segments.length === 0) return false;
  const [first, second] = segments;
  if (first === "compose") return true;
  if (first === "i" && (second === "display" || second === "keyboard_shortcuts")) return true;
  const status = statusIn(segments);
  if (status) {
    const after = segments[status[2]];
    return (after === "photo" || after === "video") && segments.length <= status[2] + 2;
  }
  return isHandle(first) && segments.length === 2 && (second === "photo" || second === "header_photo");
}

/**
 * The page a URL shows, as a key to compare routes: modal and sub-routes map to the page beneath
 * (`/h/status/1/photo/2` → `status:1`, `/h/photo` → `profile:h`). Null for a modal whose page
 * beneath cannot be told from the URL (`/compose/post`): the caller keeps the page it had.
 */
export function pageKey(url) {
  const segments = segmentsOf(url);
  if (!segments) return null;
  if (segments[0] === "compose" || (segments[0] === "i" && (segments[1] === "display" || segments[1] === "keyboard_shortcuts"))) return null;
  const status = statusIn(segments);
  if (status && !STATUS_LISTS.has(segments[status[2]]) && (segments[status[2]] === undefined || STATUS_MODALS.has(segments[status[2]]))) {
    return `status:${status[1]}`;
  }
  const page = parsePage(url);
  if (page.type === "home") return "home";
  if (page.type === "profile") {
    const tab = segments[1] && PROFILE_TABS.has(segments[1]) ? `/${segments[1]}` : "";
    return `profile:${page.profileHandle.toLowerCase()}${tab}`;
  }
  return `${page.type}:/${segments.join("/").toLowerCase()}`;
}

/** Whether navigating from one URL to another shows a different page (modals are not). */
export function isPageChange(fromUrl, toUrl) {
  const to = pageKey(toUrl);
  if (to === null) return false;
  return pageKey(fromUrl) !== to;
}

/**
 * The `page` of a scrape batch (shared_schema/scrape-batch.schema.json), made here only: the
 * address, its kind, when it was seen and by whom, and whose profile it is.
 */
export function pageRecord(url, observedAt, me) {
  const info = parsePage(url);
  const record = { url, type: info.type, observed_at: observedAt, me: me ?? null };
  if (info.type === "profile" && info.profileHandle) record.profile_handle = info.profileHandle;
  return record;
}
