// Notification cells → scrape-batch notifications (SELECTORS.md "DMs and notifications").
//
// On /notifications, mentions and replies render as normal tweet articles: tweets.js reads those.
// The other cells carry `[data-testid="notification"]` ("Alice and 2 others liked your post",
// "Bob followed you", "Carol reposted your post"). No real capture exists: the type is read from
// the cell's icon (path data as X draws it and others' code matches it), which no translation
// changes, else from the headline's English verb; actors are the avatars and the profiles the
// headline links; the status id is that of a linked post (mine, when several are linked); the time
// is a <time datetime> if the cell shows one.

import { Skips, handleFromHref, oneLine, queryAll, statusFromHref, textOf, timeIn, uniqueHandles } from "./util.js";

/** The unit a reader of new elements hands to scrapeNotifications. */
export const NOTIFICATION_UNIT = '[data-testid="notification"]';
const CELL = NOTIFICATION_UNIT;

/** Verbs of a headline, by type (English UI). */
const VERBS = [
  ["follow", /\bfollowed you\b/i],
  ["repost", /\b(reposted|retweeted)\b/i],
  ["like", /\bliked\b/i],
  ["quote", /\bquoted\b/i],
  ["reply", /\breplied\b/i],
  ["mention", /\bmentioned you\b/i],
];

/** Start of the icon path data, by type. */
const ICONS = [
  ["like", "M20.884 13.19"], // filled heart
  ["repost", "M4.75 3.79"], // repost arrows (notification icon)
  ["repost", "M4.5 3.88"], // repost arrows (tweet action icon)
  ["repost", "M23.615 15.477c-.47"], // repost arrows, 2019-2022
  ["follow", "M17.863 13.44"], // person
];

/** Parts of a cell that are the post it is about, not the headline. */
const isPostPart = (el) => el.closest('[data-testid="tweetText"], article[data-testid="tweet"]');

function typeFromText(text) {
  let best = null;
  for (const [type, re] of VERBS) {
    const m = re.exec(text);
    if (m && (best === null || m.index < best[1])) best = [type, m.index];
  }
  return best ? best[0] : null;
}

const inAvatar = (el) => el.closest('[data-testid^="UserAvatar-Container"]');

/**
 * The headline line: the nearest block (div) around the first profile link that shows a name which
 * holds more than that name ("Alice and 2 others liked your post", "New post from Grace"). Not further
 * up, where the preview of the post is: its words are not the headline's.
 */
function headline(cell, ctx) {
  for (const link of cell.querySelectorAll("a[href]")) {
    const name = oneLine(textOf(link));
    if (isPostPart(link) || inAvatar(link) || !handleFromHref(link.getAttribute("href"), ctx.baseUrl) || !name) continue;
    for (let el = link.parentElement?.closest("div"); el && el !== cell && cell.contains(el); el = el.parentElement?.closest("div")) {
      if (oneLine(textOf(el)).length > name.length) return el;
    }
    return null;
  }
  return null;
}

/** The type a headline's English verb says, for cells whose icon is new. */
const headlineType = (line) => (line ? typeFromText(oneLine(textOf(line, { skip: (node) => node.getAttribute("data-testid") === "tweetText" }))) : null);

function typeFromIcon(cell) {
  for (const path of cell.querySelectorAll("svg path[d]")) {
    if (isPostPart(path)) continue;
    const d = path.getAttribute("d").trim();
    for (const [type, prefix] of ICONS) if (d.startsWith(prefix)) return type;
    return null; // only the cell's first icon says what it is
  }
  return null;
}

function readNotification(cell, ctx, skips) {
  const line = headline(cell, ctx);
  // The icon says it in every language; the English verb is a hint for cells whose icon is new.
  const type = typeFromIcon(cell) ?? headlineType(line);
  if (!type) {
    skips.add("notification:unknown-type");
    return null;
  }
  const me = (ctx.me || "").toLowerCase();
  // Who did it: the avatars in the cell's row of them, and the people its headline names; a profile the
  // preview of the post links is only mentioned there.
  const actors = uniqueHandles(
    Array.from(cell.querySelectorAll("a[href]"))
      .filter((a) => !isPostPart(a) && (inAvatar(a) || (line && line.contains(a))))
      .map((a) => handleFromHref(a.getAttribute("href"), ctx.baseUrl))
      .filter((h) => h && h.toLowerCase() !== me),
  );
  if (!actors.length) {
    skips.add("notification:no-actors");
    return null;
  }
  let statusId = null;
  for (const link of cell.querySelectorAll('a[href*="/status/"]')) {
    const status = statusFromHref(link.getAttribute("href"), ctx.baseUrl);
    if (!status) continue;
    if (statusId === null) statusId = status.statusId;
    if (me && status.handle?.toLowerCase() === me) {
      statusId = status.statusId;
      break;
    }
  }
  return { type, actors, status_id: type === "follow" ? null : statusId, at: timeIn(cell) };
}

/**
 * Notification cells under `root`.
 * @param {Document|Element} root
 * @param {{baseUrl: string, me?: string|null}} ctx
 * @returns {{notifications: object[], skipped: Record<string, number>}}
 */
export function scrapeNotifications(root, ctx) {
  const skips = new Skips();
  const out = [];
  const seen = new Set();
  for (const cell of queryAll(root, CELL)) {
    if (cell.parentElement?.closest(CELL)) continue;
    try {
      const note = readNotification(cell, ctx, skips);
      if (!note) continue;
      const key = JSON.stringify(note);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(note);
      }
    } catch {
      skips.add("notification:error");
    }
  }
  return { notifications: out, skipped: skips.counts };
}
