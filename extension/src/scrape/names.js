// Where the names of people are shown, so a badge can sit beside each one. Pure: reads the nodes
// it is given and answers with places (an element and where beside it), never changes the page.
//
// A "name unit" is an element that shows one or more people by name: a tweet's author block
// (User-Name, also in quoted tweets), the profile header (UserName), a user cell (lists, Who to
// follow, hover cards), a DM list item, a notification. For each it answers slots:
//   {handle, anchor, where, displayName}: put the badge `where` ("after" or "append") `anchor`;
//   displayName is the name the page shows there (null when it shows none).
// The badge goes right after the display name, where a reader's eye already is.

import { DM_UNIT } from "./dms.js";
import { NOTIFICATION_UNIT } from "./notifications.js";
import { PROFILE_HEADER_UNIT, USER_CELL_UNIT } from "./users.js";
import { TWEET_NAME, atHandleIn, handleFromHref, handleOfNameBlock, nameIn, oneLine, shortText, textOf } from "./util.js";

const AVATAR = '[data-testid^="UserAvatar-Container"], [data-testid="Tweet-User-Avatar"]';

/** Every element that shows people by name; a scan of the page looks for these. */
export const NAME_UNIT = [TWEET_NAME, PROFILE_HEADER_UNIT, USER_CELL_UNIT, DM_UNIT, NOTIFICATION_UNIT].join(", ");

/** Elements this module must never look inside of for names (the badges themselves). */
export const BADGE_HOST_ATTRIBUTE = "data-rapport-chip";

/** The text links to a profile in `scope` (not the avatar, not "@handle" lines), in document order. */
function nameLinks(scope, baseUrl) {
  const out = [];
  for (const link of scope.querySelectorAll("a[href]")) {
    const handle = handleFromHref(link.getAttribute("href"), baseUrl);
    if (!handle || link.closest(AVATAR) || link.closest(`[${BADGE_HOST_ATTRIBUTE}]`)) continue;
    const text = oneLine(link.textContent); // without images' alt texts: an avatar's "user avatar" is no name
    // A name may be only an emoji (an <img alt>); an avatar link holds a photo, not a name.
    const hasEmoji = link.querySelector('img[alt][src*="/emoji/"]') !== null;
    if ((!text && !hasEmoji) || text.startsWith("@")) continue;
    out.push({ handle, link });
  }
  return out;
}

/** The element whose own text is exactly "@handle" (a name block's handle line). */
function handleLine(scope, handle) {
  const want = `@${handle}`.toLowerCase();
  for (const el of scope.querySelectorAll("span, div")) {
    if (el.children.length === 0 && oneLine(el.textContent).toLowerCase() === want) return el;
  }
  return null;
}

function tweetAuthorSlots(unit, baseUrl) {
  const link = unit.querySelector("a[href]");
  const handle = (link && handleFromHref(link.getAttribute("href"), baseUrl)) || handleOfNameBlock(unit);
  if (!handle) return [];
  // User-Name is a row: [display name block][@handle · time]. Between the two, inline.
  const nameBlock = unit.firstElementChild;
  const displayName = nameIn(unit);
  return nameBlock ? [{ handle, anchor: nameBlock, where: "after", displayName }] : [{ handle, anchor: unit, where: "append", displayName }];
}

function profileHeaderSlots(unit, ctx) {
  // A hover card's header names its own person; the page's header may only name the page's owner.
  const handle = handleOfNameBlock(unit) || (unit.closest('[data-testid="HoverCard"]') ? null : ctx.profileHandle ?? null);
  if (!handle) return [];
  const nameBlock = unit.firstElementChild?.firstElementChild ?? unit.firstElementChild ?? unit;
  return [{ handle, anchor: nameBlock, where: "append", displayName: nameIn(unit) }];
}

function linkedSlots(unit, baseUrl, { first = false } = {}) {
  const seen = new Set();
  const slots = [];
  for (const { handle, link } of nameLinks(unit, baseUrl)) {
    if (seen.has(handle.toLowerCase())) continue;
    seen.add(handle.toLowerCase());
    slots.push({ handle, anchor: link, where: "after", displayName: shortText(textOf(link)) });
    if (first) break;
  }
  return slots;
}

/** The first element holding text of its own (a list item's name line), not a time. */
function firstTextLeaf(scope) {
  for (const el of scope.querySelectorAll("span, div")) {
    if (el.children.length === 0 && !el.closest("time") && oneLine(el.textContent)) return el;
  }
  return null;
}

function dmSlots(unit, ctx) {
  const linked = linkedSlots(unit, ctx.baseUrl, { first: true });
  if (linked.length) return linked;
  // The 2026 chat list: the name line reads "Name @handle · time" (profile links only on avatars,
  // if at all): the badge goes after the @handle, else after the name.
  const handle = atHandleIn(unit) ?? handleFromHref(unit.querySelector("a[href]")?.getAttribute("href"), ctx.baseUrl);
  if (!handle) return [];
  const line = atHandleIn(unit) ? handleLine(unit, handle) : null;
  if (line) return [{ handle, anchor: line, where: "after", displayName: nameIn(line.parentElement) }];
  const name = firstTextLeaf(unit);
  return [name ? { handle, anchor: name, where: "after", displayName: shortText(name.textContent) }
    : { handle, anchor: unit, where: "append", displayName: null }];
}

/**
 * The badge slots of one name unit.
 * @param {Element} unit an element matching NAME_UNIT
 * @param {{baseUrl: string, profileHandle?: string|null}} ctx
 * @returns {{handle: string, anchor: Element, where: "after" | "append", displayName: string | null}[]}
 */
export function nameSlots(unit, ctx) {
  if (unit.closest(`[${BADGE_HOST_ATTRIBUTE}]`)) return [];
  if (unit.matches(TWEET_NAME)) return tweetAuthorSlots(unit, ctx.baseUrl);
  if (unit.matches(PROFILE_HEADER_UNIT)) return profileHeaderSlots(unit, ctx);
  if (unit.matches(USER_CELL_UNIT)) {
    // A cell built like a tweet's author block is handled as one, through its User-Name.
    if (unit.querySelector(TWEET_NAME)) return [];
    return linkedSlots(unit, ctx.baseUrl, { first: true });
  }
  if (unit.matches(NOTIFICATION_UNIT)) return linkedSlots(unit, ctx.baseUrl);
  if (unit.matches(DM_UNIT)) return dmSlots(unit, ctx);
  return [];
}
