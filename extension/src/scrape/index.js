// Scraping as pure functions: a document (or any element of it) → one scrape batch
// (shared_schema/scrape-batch.schema.json). No network, no globals: the same code runs in a
// content script, under jsdom in the unit tests and in tools/scrape.mjs on saved pages.
//
// Unknown or broken markup is skipped and counted by reason, never thrown: each part and each
// element is read on its own, so one odd tweet cannot stop the rest. Thrown errors are only for
// a caller's mistakes (no URL, a malformed own handle or time).

import { findMe } from "./me.js";
import { scrapeDms } from "./dms.js";
import { scrapeNotifications } from "./notifications.js";
import { pageRecord, parsePage } from "./page.js";
import { mergePeople, scrapePeople } from "./users.js";
import { scrapeTweets } from "./tweets.js";
import { langOf } from "./counts.js";
import { Skips, isHandle, isId, isTimestamp } from "./util.js";

export { findMe } from "./me.js";
export { CHAT_HOST, DM_UNIT, scrapeDms } from "./dms.js";
export { BADGE_HOST_ATTRIBUTE, NAME_UNIT, nameSlots } from "./names.js";
export { NOTIFICATION_UNIT, scrapeNotifications } from "./notifications.js";
export { isModalRoute, isPageChange, pageKey, pageRecord, parsePage } from "./page.js";
export { PROFILE_HEADER_UNIT, USER_CELL_UNIT, mergePeople, scrapePeople } from "./users.js";
export { TWEET_UNIT, scrapeTweets } from "./tweets.js";
export { langOf, parseCount } from "./counts.js";

/** Array limits of the shared schema. */
export const MAX_ITEMS = Object.freeze({ people: 1000, tweets: 1000, dm_conversations: 500, notifications: 500 });

const URL_PATTERN = /^https?:\/\//;

/** An own handle as given by a caller ("@h" or "h"), or null; a malformed one is a caller error. */
function ownHandle(value) {
  if (value === undefined || value === null || value === "") return null;
  const handle = typeof value === "string" ? value.trim().replace(/^@/, "") : value;
  if (!isHandle(handle)) throw new TypeError(`me must be a handle like "jack", not ${JSON.stringify(value)}`);
  return handle;
}

function observedTime(value) {
  if (value === undefined || value === null) return new Date().toISOString();
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (isTimestamp(value)) return value;
  throw new TypeError(`observedAt must be an ISO 8601 time such as "2026-03-02T10:15:00Z", not ${JSON.stringify(value)}`);
}

/**
 * The context the per-part scrapers take, for a page at `url`.
 * @returns {{baseUrl: string, me: string|null, pageType: string, statusId: string|null, profileHandle: string|null, myUserId: string|null, lang: string}}
 */
export function contextFor(root, { url, me = null, myUserId = null } = {}) {
  if (typeof url !== "string" || !URL_PATTERN.test(url) || url.length > 2048) {
    throw new TypeError(`url must be the page's http(s) address (at most 2048 characters), not ${JSON.stringify(url)}`);
  }
  const page = parsePage(url);
  let detected = null;
  try {
    detected = findMe(root, url);
  } catch {
    detected = null;
  }
  return {
    baseUrl: url,
    me: detected ?? ownHandle(me),
    pageType: page.type,
    statusId: page.statusId,
    profileHandle: page.profileHandle,
    myUserId: isId(myUserId) ? myUserId : null,
    lang: langOf(root), // counts are read in the page's language
  };
}

/**
 * Scrape one page.
 * @param {Document|Element} doc the page (or the part of it to read)
 * @param {{url: string, me?: string|null, observedAt?: string|Date, myUserId?: string|null}} options
 *   url: the page's address (page type, profile, base for relative links);
 *   me: my handle when the page does not show it (the page's own wins);
 *   observedAt: when the page was seen (default now);
 *   myUserId: my numeric id, to tell the other person's id in a DM conversation id.
 * @returns {{batch: object, skipped: Record<string, number>}}
 */
export function scrapeDocument(doc, options = {}) {
  const observedAt = observedTime(options.observedAt);
  const ctx = contextFor(doc, options);
  const skips = new Skips();
  const part = (name, fn, key) => {
    try {
      const result = fn(doc, ctx);
      skips.merge(result.skipped);
      return result[key];
    } catch {
      skips.add(`${name}:error`);
      return [];
    }
  };
  const lists = {
    people: mergePeople(part("people", scrapePeople, "people")),
    tweets: part("tweets", scrapeTweets, "tweets"),
    dm_conversations: part("dms", scrapeDms, "dm_conversations"),
    notifications: part("notifications", scrapeNotifications, "notifications"),
  };
  for (const [key, max] of Object.entries(MAX_ITEMS)) {
    if (lists[key].length > max) {
      skips.add(`${key}:over-limit`, lists[key].length - max);
      lists[key] = lists[key].slice(0, max);
    }
  }
  const page = pageRecord(ctx.baseUrl, observedAt, ctx.me);
  // No batch_id: the background's queue names each batch it takes.
  return { batch: { page, ...lists }, skipped: skips.counts };
}
