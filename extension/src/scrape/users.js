// People: the profile header, user cells (Who to follow, follower lists, the author card of a
// status page) and hover cards → scrape-batch person records (SELECTORS.md "People").
//
// Follow state comes from the follow button: testid `<numeric user id>-follow` (I don't follow
// them) or `<id>-unfollow` (I do); its aria-label "Follow back @h" says they follow me. "Follows
// you" (`userFollowIndicator`) says so too. Where a follow button is shown and neither says they
// follow me, they don't (follows_me false); where no button is shown, follows_me is null.

import {
  HANDLE_CHARS, Skips, atHandleIn, handleFromHref, handleOfNameBlock, isHandle, longText, nameIn, queryAll, shortText, textOf, writtenText, xPath,
} from "./util.js";
import { parseCount } from "./counts.js";

const FOLLOW_BUTTON = /^([0-9]{1,25})-(follow|unfollow)$/;
const NAMED_HANDLE = new RegExp(`@(${HANDLE_CHARS})`);
/** Units a reader of new elements hands to scrapePeople: user cells, and the profile header's name. */
export const USER_CELL_UNIT = '[data-testid="UserCell"]';
export const PROFILE_HEADER_UNIT = '[data-testid="UserName"]';
const PEOPLE_CONTAINERS = `article, ${USER_CELL_UNIT}`;
const AVATAR = '[data-testid^="UserAvatar-Container"], [data-testid="Tweet-User-Avatar"]';

/** The first follow/unfollow button in `scope` for `handle` (its aria-label, when it names one, must name them). */
function followButton(scope, handle, { outside = null } = {}) {
  for (const button of scope.querySelectorAll('[data-testid$="-follow"], [data-testid$="-unfollow"]')) {
    if (outside && outside(button)) continue;
    const m = FOLLOW_BUTTON.exec(button.getAttribute("data-testid") || "");
    if (!m) continue;
    const label = button.getAttribute("aria-label") || "";
    const named = NAMED_HANDLE.exec(label);
    if (named && named[1].toLowerCase() !== handle.toLowerCase()) continue;
    return { userId: m[1], iFollow: m[2] === "unfollow", followBack: /^\s*Follow back\b/i.test(label) };
  }
  return null;
}

/** follows_me from the indicator and the button, as the module comment explains. */
function followsMe(indicator, button) {
  if (indicator || button?.followBack) return true;
  return button ? false : null;
}

/** The number of a count link: the innermost element with a digit ("6.9万" of "6.9万 粉丝"), else the link's text. */
function countText(link) {
  const number = Array.from(link.querySelectorAll("*")).find((el) => !el.childElementCount && /\p{N}/u.test(el.textContent || ""));
  return textOf(number ?? link);
}

/** Follower and following counts from `/<handle>/followers|verified_followers|following` links. */
function counts(scope, handle, ctx, skips, outside) {
  const out = {};
  for (const link of scope.querySelectorAll("a[href]")) {
    if (outside && outside(link)) continue;
    const segments = xPath(link.getAttribute("href"), ctx.baseUrl);
    if (!segments || segments.length !== 2 || segments[0].toLowerCase() !== handle.toLowerCase()) continue;
    const key = { followers: "followers", verified_followers: "followers", following: "following" }[segments[1]];
    if (!key || key in out) continue;
    const value = parseCount(countText(link), ctx.lang);
    if (value === null) skips.add("person:bad-count");
    out[key] = value;
  }
  return out;
}

/** The profile header around one `[data-testid="UserName"]`. */
function readHeader(userName, ctx, skips) {
  const scope = userName.closest('[data-testid="HoverCard"]') || userName.closest('[data-testid="primaryColumn"]') || userName.ownerDocument;
  const handle = handleOfNameBlock(userName) || (userName.closest('[data-testid="HoverCard"]') ? null : ctx.profileHandle) || null;
  if (!isHandle(handle)) {
    skips.add("person:no-handle");
    return null;
  }
  const outside = (el) => {
    const container = el.closest(PEOPLE_CONTAINERS);
    return Boolean(container) && scope.contains(container);
  };
  const first = (testid) => Array.from(scope.querySelectorAll(`[data-testid="${testid}"]`)).find((el) => !outside(el)) ?? null;
  const button = followButton(scope, handle, { outside });
  const indicator = userName.querySelector('[data-testid="userFollowIndicator"]') || first("userFollowIndicator");
  const website = first("UserUrl");
  const found = counts(scope, handle, ctx, skips, outside);
  return {
    handle,
    user_id: button?.userId ?? null,
    display_name: nameIn(userName),
    bio: longText(writtenText(first("UserDescription"))),
    location: shortText(textOf(first("UserLocation"))),
    website: shortText(textOf(website)) ?? shortText(website?.getAttribute("href") || ""),
    joined: shortText(textOf(first("UserJoinDate"))),
    followers: found.followers ?? null,
    following: found.following ?? null,
    follows_me: followsMe(indicator, button),
    i_follow: button ? button.iFollow : null,
  };
}

/** One `[data-testid="UserCell"]` (lists, Who to follow, author card, hover card). */
function readCell(cell, ctx, skips) {
  let handle = null;
  let name = null;
  for (const link of cell.querySelectorAll("a[href]")) {
    const candidate = handleFromHref(link.getAttribute("href"), ctx.baseUrl);
    if (!candidate) continue;
    handle ??= candidate;
    if (candidate.toLowerCase() !== handle.toLowerCase() || link.closest(AVATAR)) continue;
    const text = shortText(textOf(link));
    if (text && !text.startsWith("@")) {
      name = text;
      break;
    }
  }
  handle ??= atHandleIn(cell);
  if (!isHandle(handle)) {
    skips.add("person:no-handle");
    return null;
  }
  name ??= nameIn(cell);
  const button = followButton(cell, handle);
  const person = {
    handle,
    user_id: button?.userId ?? null,
    display_name: name,
    follows_me: followsMe(cell.querySelector('[data-testid="userFollowIndicator"]'), button),
    i_follow: button ? button.iFollow : null,
  };
  const card = cell.closest('[data-testid="HoverCard"]');
  if (card) {
    const found = counts(card, handle, ctx, skips, null);
    if ("followers" in found) person.followers = found.followers;
    if ("following" in found) person.following = found.following;
  }
  return person;
}

/** Merge person records by handle (case-insensitive): later sightings fill what earlier ones lacked. */
export function mergePeople(people) {
  const byHandle = new Map();
  for (const person of people) {
    const key = person.handle.toLowerCase();
    const seen = byHandle.get(key);
    if (!seen) {
      byHandle.set(key, { ...person });
      continue;
    }
    for (const [field, value] of Object.entries(person)) {
      if (value === null || value === undefined) continue;
      if (seen[field] === null || seen[field] === undefined) seen[field] = value;
      else if (field === "follows_me" && value === true) seen[field] = true; // "Follows you" anywhere wins
    }
  }
  return Array.from(byHandle.values());
}

/**
 * People shown under `root`.
 * @param {Document|Element} root
 * @param {{baseUrl: string, profileHandle?: string|null}} ctx
 * @returns {{people: object[], skipped: Record<string, number>}}
 */
export function scrapePeople(root, ctx) {
  const skips = new Skips();
  const people = [];
  for (const userName of queryAll(root, PROFILE_HEADER_UNIT)) {
    if (userName.closest(PEOPLE_CONTAINERS)) continue;
    try {
      const person = readHeader(userName, ctx, skips);
      if (person) people.push(person);
    } catch {
      skips.add("person:error");
    }
  }
  for (const cell of queryAll(root, USER_CELL_UNIT)) {
    try {
      const person = readCell(cell, ctx, skips);
      if (person) people.push(person);
    } catch {
      skips.add("person:error");
    }
  }
  return { people: mergePeople(people), skipped: skips.counts };
}
