// The DM inbox → scrape-batch dm_conversations (SELECTORS.md "DMs and notifications").
//
// Two UIs: the encrypted chat ("XChat", /i/chat, 2025–2026), inbox items
// `[data-testid^="dm-conversation-item-"]` and an open conversation's `dm-message-list`; and the
// older `[data-testid="conversation"]` cells of /messages with `DmActivityContainer`. No real
// capture of either exists: this reads what maintained tools' code relies on (an item's testid ends
// in the conversation id, "<user id>:<user id>" for two people or "g…" for a group; its
// aria-description reads "Name, @handle, last message, time"; XChat may live in the open shadow
// root of `xchatEmbedRoute`), and the tests run on synthetic pages.
//
// Who: profile links inside the conversation, else "@handle" in its aria-description, else an
// "@handle" line, else avatar testids. A user id is given only when it can be told apart from my
// own: for a two-person conversation id "A:B" (or "A-B") when the caller knows my user id.
//
// Who wrote (`writers`), where the page shows it: in an open conversation, each message's side
// (mine are laid out at the end of the row: justify-content flex-end); in an inbox row of a
// one-to-one chat, the last message's writer (X puts a separate "You:" prefix, in the UI's
// language, before a preview of mine). Message requests are not conversations I took part in:
// they are skipped and counted.

import { AT_HANDLE_LINE, Skips, atHandleIn, handleFromHref, isHandle, isId, oneLine, queryAll, timeIn, uniqueHandles } from "./util.js";

const NEW_ITEM = '[data-testid^="dm-conversation-item-"]';
const OLD_ITEM = '[data-testid="conversation"]';
const REQUEST_ITEM = '[data-testid^="dm-message-request-item-"]';
const OPEN = '[data-testid="dm-message-list"], [data-testid="DmActivityContainer"]';
const MESSAGE = '[data-testid^="message-"]:not([data-testid^="message-text-"]), [data-testid="messageEntry"]';
/** The unit a reader of new elements hands to scrapeDms (inbox items of either UI, requests, an open conversation). */
export const DM_UNIT = `${NEW_ITEM}, ${OLD_ITEM}, ${REQUEST_ITEM}, ${OPEN}`;
/** Where XChat mounts itself in an open shadow root (what is inside is read like the page). */
export const CHAT_HOST = '[data-testid="xchatEmbedRoute"]';
const AVATAR_PREFIX = "UserAvatar-Container-";

/**
 * The "@handle" of an aria-description "Name, @handle, last message, time": the part right after the
 * name. A group's reads "Name, last message, time": an "@x" in its message is someone it mentions.
 */
function describedHandle(item) {
  const m = AT_HANDLE_LINE.exec((item.getAttribute("aria-description") || "").split(", ")[1] ?? "");
  return m && isHandle(m[1]) ? m[1] : null;
}

function handlesIn(item, ctx) {
  const fromLinks = uniqueHandles(Array.from(item.querySelectorAll("a[href]"), (a) => handleFromHref(a.getAttribute("href"), ctx.baseUrl)));
  if (fromLinks.length) return fromLinks;
  const described = describedHandle(item);
  if (described) return [described];
  const line = atHandleIn(item);
  if (line) return [line];
  return uniqueHandles(Array.from(item.querySelectorAll(`[data-testid^="${AVATAR_PREFIX}"]`), (el) => el.getAttribute("data-testid").slice(AVATAR_PREFIX.length)));
}

/** Conversation ids an inbox item shows: its testid suffix, the last segment of its /messages/ or /i/chat/ links. */
function conversationIdsIn(item, ctx) {
  const testid = item.getAttribute("data-testid") || "";
  const ids = [];
  if (testid.startsWith("dm-conversation-item-")) ids.push(testid.slice("dm-conversation-item-".length));
  for (const link of item.querySelectorAll('a[href*="/messages/"], a[href*="/i/chat/"]')) ids.push(lastSegment(link.getAttribute("href"), ctx.baseUrl));
  return ids;
}

/** The two user ids of a one-to-one conversation id "A:B" or "A-B", or null. */
function pairOf(ids) {
  for (const id of ids) {
    const m = /^([0-9]{1,25})[:-]([0-9]{1,25})$/.exec(id);
    if (m) return [m[1], m[2]];
  }
  return null;
}

function lastSegment(href, base) {
  try {
    return new URL(href, base).pathname.split("/").filter(Boolean).pop() ?? "";
  } catch {
    return "";
  }
}

/** The message requests view (/i/chat/requests…, /messages/requests): nothing there is a conversation of mine. */
function isRequestsView(ctx) {
  try {
    return /^\/(i\/chat|messages)\/requests(\/|$)/.test(new URL(ctx.baseUrl).pathname);
  } catch {
    return false;
  }
}

/** A one-to-one conversation's writer of the last message, from an inbox row; null when it does not say. */
function lastWriterIn(item) {
  // The preview of my last message starts with a prefix of its own ("You:", "Tú:", "あなた:"): a short
  // leaf ending in a colon, followed by the text in a leaf beside it.
  for (const el of item.querySelectorAll("div, span")) {
    const first = el.firstElementChild;
    const next = first?.nextElementSibling;
    if (!first || !next || first.childElementCount || !next.textContent?.trim()) continue;
    if (/^[^\s:：]{1,20}\s?[:：]$/u.test(oneLine(first.textContent))) return "me";
  }
  // English hint: the prefix and the text in one piece ("You: see you").
  if (Array.from(item.querySelectorAll("span")).some((el) => !el.childElementCount && /^You:/.test(oneLine(el.textContent)))) return "me";
  const parts = (item.getAttribute("aria-description") || "").split(", ");
  return parts.length >= 4 ? "them" : null; // "Name, @handle, preview, time": a preview without my prefix
}

/** The side a message is on: "me" (laid out at the end of its row), "them", or null. */
function sideOf(message) {
  const view = message.ownerDocument?.defaultView;
  for (const el of [message, ...message.querySelectorAll("div")].slice(0, 6)) {
    const classes = ` ${el.getAttribute("class") || ""} `;
    const style = el.getAttribute("style") || "";
    if (/ justify-end /.test(classes) || /justify-content:\s*flex-end/.test(style)) return "me";
    if (/ justify-start /.test(classes) || /justify-content:\s*flex-start/.test(style)) return "them";
  }
  const computed = view?.getComputedStyle ? view.getComputedStyle(message).justifyContent : "";
  if (computed === "flex-end" || computed === "end") return "me";
  if (computed === "flex-start" || computed === "start") return "them";
  if (message.getAttribute("data-testid") === "messageEntry") {
    return message.querySelector('[data-testid="DM_Conversation_Avatar"]') ? "them" : "me"; // older UI: mine have no avatar
  }
  return null;
}

/** An open conversation: the person in its header, who wrote among the messages shown. */
function readOpen(list, ctx, skips) {
  let scope = list;
  for (let i = 0; i < 6 && scope.parentElement && !scope.querySelector('[data-testid="dm-conversation-header"], [data-testid="DM_Conversation_Avatar"]'); i += 1) {
    scope = scope.parentElement;
  }
  if (scope.querySelector('[data-testid="dm-message-request-prompt"]')) {
    skips.add("dm:request");
    return null;
  }
  const header = scope.querySelector('[data-testid="dm-conversation-header"]') ?? scope;
  const messages = Array.from(list.querySelectorAll(MESSAGE));
  if (!messages.length && !header.querySelector("a[href]")) return null; // no conversation open
  const me = (ctx.me || "").toLowerCase();
  let handles = uniqueHandles(Array.from(header.querySelectorAll("a[href]"), (a) => handleFromHref(a.getAttribute("href"), ctx.baseUrl)));
  if (!handles.length) {
    const line = atHandleIn(header);
    if (line) handles = [line];
  }
  handles = handles.filter((h) => h.toLowerCase() !== me);
  if (!handles.length) {
    skips.add("dm:no-party");
    return null;
  }
  const sides = new Set();
  for (const message of messages) {
    const side = sideOf(message);
    if (side) sides.add(side);
  }
  const pair = pairOf([lastSegment(ctx.baseUrl, ctx.baseUrl)]); // the address of an open chat: /i/chat/A-B
  const conversation = { with: partiesOf(handles, pair, ctx), last_message_at: latestTime(list) };
  if (sides.size) conversation.writers = ["me", "them"].filter((side) => sides.has(side));
  return conversation;
}

/** The newest <time datetime> under `el`, or null (XChat shows only "12:04" labels). */
function latestTime(el) {
  let latest = null;
  for (const time of el.querySelectorAll("time[datetime]")) {
    const value = timeIn(time.parentElement ?? time);
    if (value && (latest === null || Date.parse(value) > Date.parse(latest))) latest = value;
  }
  return latest;
}

/** The parties: handles, with the other user id when the conversation id and my id tell it. */
function partiesOf(handles, pair, ctx) {
  let otherId = null;
  if (pair && isId(ctx.myUserId) && pair.includes(ctx.myUserId) && pair[0] !== pair[1]) {
    otherId = pair[0] === ctx.myUserId ? pair[1] : pair[0];
  }
  if (otherId && handles.length <= 1) return [handles.length ? { handle: handles[0], user_id: otherId } : { user_id: otherId }];
  return handles.slice(0, 50);
}

function readConversation(item, ctx, skips) {
  if (item.matches(REQUEST_ITEM) || isRequestsView(ctx)) {
    skips.add("dm:request");
    return null;
  }
  if (item.matches(OPEN)) return readOpen(item, ctx, skips);
  const me = (ctx.me || "").toLowerCase();
  const handles = handlesIn(item, ctx).filter((h) => h.toLowerCase() !== me);
  const pair = pairOf(conversationIdsIn(item, ctx));
  const parties = partiesOf(handles, pair, ctx);
  if (!parties.length) {
    skips.add("dm:no-party");
    return null;
  }
  const conversation = { with: parties, last_message_at: timeIn(item) };
  const testid = item.getAttribute("data-testid") || "";
  // One-to-one XChat rows only: in a group, a prefix names whoever wrote, in a language we cannot read.
  if (testid.startsWith("dm-conversation-item-") && !/-g\d/.test(testid) && parties.length === 1) {
    const writer = lastWriterIn(item);
    if (writer) conversation.writers = [writer];
  }
  return conversation;
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
  const roots = [root, ...queryAll(root, CHAT_HOST).map((host) => host.shadowRoot).filter(Boolean)];
  const items = roots.flatMap((r) => queryAll(r, DM_UNIT)).filter((item) => !item.parentElement?.closest(DM_UNIT));
  for (const item of items) {
    try {
      const conversation = readConversation(item, ctx, skips);
      if (!conversation) continue;
      const key = JSON.stringify([conversation.with, conversation.writers]);
      if (seen.has(key)) continue; // the same conversation listed twice (inbox and drawer)
      seen.add(key);
      out.push(conversation);
    } catch {
      skips.add("dm:error");
    }
  }
  return { dm_conversations: out, skipped: skips.counts };
}
