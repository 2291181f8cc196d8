// The DM inbox → scrape-batch dm_conversations (SELECTORS.md "DMs and notifications").
//
// Two UIs: the 2026 "Chat" list, items `[data-testid^="dm-conversation-item-"]`, and the older
// `[data-testid="conversation"]` cells of `div[aria-label="Timeline: Messages"]`. No real capture
// of either exists: this reads what others' code relies on (an item's testid ends in the
// conversation id, "<user id>:<user id>" for two people or "g…" for a group; its
// aria-description reads "Name, @handle, last message, time"), and the tests run on synthetic pages.
//
// Who: profile links inside the conversation, else "@handle" in its aria-description, else an
// "@handle" line, else avatar testids. A user id is given only when it can be told apart from my
// own: for a two-person conversation id "A:B" (or "A-B") when the caller knows my user id.

import { Skips, atHandleIn, handleFromHref, isId, queryAll, timeIn, uniqueHandles } from "./util.js";

const NEW_ITEM = '[data-testid^="dm-conversation-item-"]';
const OLD_ITEM = '[data-testid="conversation"]';
/** The unit a reader of new elements hands to scrapeDms (either UI). */
export const DM_UNIT = `${NEW_ITEM}, ${OLD_ITEM}`;
const AVATAR_PREFIX = "UserAvatar-Container-";

function handlesIn(item, ctx) {
  const fromLinks = uniqueHandles(Array.from(item.querySelectorAll("a[href]"), (a) => handleFromHref(a.getAttribute("href"), ctx.baseUrl)));
  if (fromLinks.length) return fromLinks;
  const description = item.getAttribute("aria-description") || "";
  const fromDescription = uniqueHandles(Array.from(description.matchAll(/(?:^|[\s,])@([A-Za-z0-9_]{1,20})\b/g), (m) => m[1]));
  if (fromDescription.length) return fromDescription;
  const line = atHandleIn(item);
  if (line) return [line];
  return uniqueHandles(Array.from(item.querySelectorAll(`[data-testid^="${AVATAR_PREFIX}"]`), (el) => el.getAttribute("data-testid").slice(AVATAR_PREFIX.length)));
}

/** The two user ids of a one-to-one conversation id, from a testid suffix or a /messages/<id> link. */
function pairIn(item, ctx) {
  const testid = item.getAttribute("data-testid") || "";
  const candidates = [];
  if (testid.startsWith("dm-conversation-item-")) candidates.push(testid.slice("dm-conversation-item-".length));
  for (const link of item.querySelectorAll('a[href*="/messages/"], a[href*="/i/chat/"]')) {
    try {
      const segments = new URL(link.getAttribute("href"), ctx.baseUrl).pathname.split("/").filter(Boolean);
      candidates.push(segments[segments.length - 1]);
    } catch {
      // not a URL: ignore
    }
  }
  for (const id of candidates) {
    const m = /^([0-9]{1,25})[:-]([0-9]{1,25})$/.exec(id);
    if (m) return [m[1], m[2]];
  }
  return null;
}

function readConversation(item, ctx, skips) {
  const me = (ctx.me || "").toLowerCase();
  const handles = handlesIn(item, ctx).filter((h) => h.toLowerCase() !== me);
  const pair = pairIn(item, ctx);
  let otherId = null;
  if (pair && isId(ctx.myUserId) && pair.includes(ctx.myUserId) && pair[0] !== pair[1]) {
    otherId = pair[0] === ctx.myUserId ? pair[1] : pair[0];
  }
  let parties;
  if (otherId && handles.length <= 1) parties = [handles.length ? { handle: handles[0], user_id: otherId } : { user_id: otherId }];
  else parties = handles.slice(0, 50);
  if (!parties.length) {
    skips.add("dm:no-party");
    return null;
  }
  return { with: parties, last_message_at: timeIn(item) };
}

/**
 * DM conversations listed under `root` (inbox page, chat drawer).
 * @param {Document|Element} root
 * @param {{baseUrl: string, me?: string|null, myUserId?: string|null}} ctx
 * @returns {{dm_conversations: object[], skipped: Record<string, number>}}
 */
export function scrapeDms(root, ctx) {
  const skips = new Skips();
  const out = [];
  const seen = new Set();
  const items = queryAll(root, `${NEW_ITEM}, ${OLD_ITEM}`).filter((item) => !item.parentElement?.closest(`${NEW_ITEM}, ${OLD_ITEM}`));
  for (const item of items) {
    try {
      const conversation = readConversation(item, ctx, skips);
      if (!conversation) continue;
      const key = JSON.stringify(conversation.with);
      if (seen.has(key)) continue; // the same conversation listed twice (inbox and drawer)
      seen.add(key);
      out.push(conversation);
    } catch {
      skips.add("dm:error");
    }
  }
  return { dm_conversations: out, skipped: skips.counts };
}
