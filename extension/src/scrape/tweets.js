// Tweets: every `article[data-testid="tweet"]` → a scrape-batch tweet record (SELECTORS.md "Tweets").
//
// A quoted tweet (a nested article, or a `role="link"` card holding its own User-Name, under a
// "Quote" heading) is not part of the outer tweet: its links, names and times are kept apart, its
// status id becomes the outer tweet's quoted_status_id and its author the quoted_author, and it is
// emitted as a record of its own when its author and status id can be read (a card of a post with no
// photo links no status of it: only its author is known).
//
// Who replies to whom: threads.js, from the connector lines X draws; "Replying to" lines name the
// parents that are not on the screen (read from their structure: profile links that read "@handle"
// between the name and the text, in any language).

import {
  HANDLE_CHARS, Skips, TWEET_NAME, handleFromHref, handleOfNameBlock, isHandle, longText, nameIn, oneLine, queryAll, shortText, statusFromHref,
  textOf, timeIn, uniqueHandles, writtenText, xPath,
} from "./util.js";
import { threadParents } from "./threads.js";

/** The unit a reader of new elements hands to scrapeTweets. */
export const TWEET_UNIT = 'article[data-testid="tweet"]';
const TWEET = TWEET_UNIT;
const CELL = '[data-testid="cellInnerDiv"]';
// Icons drawn before a socialContext line (path data as in the captures): they tell the kind in any language.
const ICONS = {
  pinned: "M7 4.5C7 3.12 8.12 2 9.5 2h5C15.88 2 17",
  community: "M7.471 21H.472l.029-1.027",
  repost: ["M4.75 3.79l4.603 4.3", "M4.5 3.88l4.432 4.14", "M23.615 15.477c-.47"], // the last: 2019-2022 pages
};

/** Whether an article sits inside another article (then it is a quote, read with its outer tweet). */
const isNested = (article) => Boolean(article.parentElement?.closest("article"));

/**
 * Parts of an article that belong to a quoted tweet: nested articles, and role=link cards that
 * carry their own User-Name. Only the outermost of each.
 */
function quoteBoxes(article) {
  const candidates = [];
  for (const el of article.querySelectorAll('article, [role="link"]')) {
    if (el.localName === "article" || el.querySelector(TWEET_NAME)) candidates.push(el);
  }
  return candidates.filter((el) => !candidates.some((other) => other !== el && other.contains(el)));
}

/** A view of one article without its quote boxes. */
function partsOf(article) {
  const boxes = quoteBoxes(article);
  const own = (selector) => Array.from(article.querySelectorAll(selector)).filter((el) => !boxes.some((box) => box.contains(el)));
  return { boxes, own };
}

/** The status link of a tweet: a status href whose link holds a <time datetime>. */
function statusLinkIn(links, baseUrl) {
  for (const link of links) {
    if (!link.querySelector("time")) continue;
    const status = statusFromHref(link.getAttribute("href"), baseUrl);
    if (status) return { status, link };
  }
  return null;
}

const WORD_HANDLE = new RegExp(`(?:^|\\s)@(${HANDLE_CHARS})\\b`, "g");
// 4 = Node.DOCUMENT_POSITION_FOLLOWING
const before = (a, b) => Boolean(a.compareDocumentPosition(b) & 4);
// Where a tweet's body ends when it has no text: its media, card or action bar.
const BODY_END = '[data-testid="tweetPhoto"], [data-testid="videoPlayer"], [data-testid="card.wrapper"], [role="group"]';

/**
 * The "Replying to @a @b" line, in any language: what X puts between the name line and the text
 * (or the media when there is no text). In a tweet, profile links that read exactly "@handle";
 * in a quote card, where the line is plain text, "@handle" words.
 */
function replyingTo(container, own, baseUrl, { quote = false } = {}) {
  const name = own(TWEET_NAME)[0];
  if (!name) return [];
  const end = own('[data-testid="tweetText"]')[0] ?? own(BODY_END)[0] ?? null;
  const between = (el) => before(name, el) && !name.contains(el) && (!end || before(el, end)) && !el.closest('[data-testid="socialContext"]');
  const handles = [];
  if (quote) {
    for (const el of own("span, div")) {
      if (el.childElementCount || !between(el)) continue;
      for (const m of textOf(el).matchAll(WORD_HANDLE)) handles.push(m[1]);
    }
  } else {
    for (const link of own("a[href]")) {
      if (!between(link) || link.querySelector('[data-testid="socialContext"]')) continue;
      const handle = handleFromHref(link.getAttribute("href"), baseUrl);
      if (handle && oneLine(textOf(link)).toLowerCase() === `@${handle.toLowerCase()}`) handles.push(handle);
    }
  }
  return uniqueHandles(handles.filter(isHandle));
}

/** Handles linked from a tweet's text (`/<handle>` links; hashtags, cashtags and t.co are not). */
function mentionsIn(textEl, baseUrl) {
  if (!textEl) return [];
  return uniqueHandles(Array.from(textEl.querySelectorAll("a[href]"), (a) => handleFromHref(a.getAttribute("href"), baseUrl)));
}

/** Tweet text: tweetText (emoji as their alt), or an X Article's title. */
function textIn(textEl, titleEl) {
  if (textEl) {
    return longText(writtenText(textEl));
  }
  return titleEl ? longText(textOf(titleEl)) : null;
}

/** The icon drawn before a socialContext line: its path data, or "" (first own icon above the line). */
function contextIcon(el, article) {
  for (const path of article.querySelectorAll("svg path[d]")) {
    // 4 = Node.DOCUMENT_POSITION_FOLLOWING: the line comes after this icon.
    if (path.compareDocumentPosition(el) & 4) return path.getAttribute("d").trim();
    break;
  }
  return "";
}

/** The socialContext line: repost (by whom), pinned, community, or other; by its text, link and icon. */
function socialContextOf(el, article, ctx) {
  if (!el) return null;
  const text = shortText(textOf(el));
  const outer = el.closest("a[href]");
  const link = outer && article.contains(outer) ? outer : el.querySelector("a[href]");
  const href = link?.getAttribute("href") ?? null;
  const segments = href ? xPath(href, ctx.baseUrl) : null;
  const icon = contextIcon(el, article);
  if ((segments && segments[0] === "i" && segments[1] === "communities") || icon.startsWith(ICONS.community)) {
    return { type: "community", text, handle: null };
  }
  if (/\b(reposted|retweeted)\b/i.test(text || "") || ICONS.repost.some((prefix) => icon.startsWith(prefix))) {
    const self = /^You\s+(reposted|retweeted)\b/i.test(text || "");
    const handle = (href && handleFromHref(href, ctx.baseUrl)) || (self ? ctx.me ?? null : null);
    return { type: "repost", text, handle: isHandle(handle) ? handle : null };
  }
  if (/^pinned\b/i.test(text || "") || icon.startsWith(ICONS.pinned)) return { type: "pinned", text, handle: null };
  return { type: "other", text, handle: null };
}

/** Read the quoted tweet in a quote box: {author, record} (record null when its status is not linked), or null. */
function readQuote(box, ctx, skips) {
  const userName = box.querySelector(TWEET_NAME);
  if (!userName) {
    skips.add(/unavailable/i.test(box.textContent || "") ? "quote:unavailable" : "quote:no-author");
    return null;
  }
  const firstLink = userName.querySelector("a[href]");
  const author = (firstLink && handleFromHref(firstLink.getAttribute("href"), ctx.baseUrl)) || handleOfNameBlock(userName);
  if (!author) {
    skips.add("quote:no-author");
    return null;
  }
  const links = Array.from(box.querySelectorAll('a[href*="/status/"]'));
  const timed = statusLinkIn(links, ctx.baseUrl);
  let status = timed?.status ?? null;
  if (!status) {
    for (const link of links) {
      const candidate = statusFromHref(link.getAttribute("href"), ctx.baseUrl);
      if (candidate && (candidate.handle === null || candidate.handle.toLowerCase() === author.toLowerCase())) {
        status = candidate;
        break;
      }
    }
  }
  if (!status) {
    skips.add("quote:no-status-link");
    return { author, record: null };
  }
  const textEl = box.querySelector('[data-testid="tweetText"]');
  return { author, record: {
    status_id: status.statusId,
    author,
    author_display_name: nameIn(userName),
    text: textIn(textEl, null),
    created_at: timeIn(box),
    reply_to: replyingTo(box, (selector) => Array.from(box.querySelectorAll(selector)), ctx.baseUrl, { quote: true }),
    in_reply_to_status_id: null,
    mentions: mentionsIn(textEl, ctx.baseUrl),
    social_context: null,
    quoted_status_id: null,
    quoted_author: null,
    focused: false,
  } };
}

const isFocusedArticle = (article, ctx) =>
  article.getAttribute("tabindex") === "-1" && !isNested(article) && (ctx.pageType === undefined || ctx.pageType === null || ctx.pageType === "status");

/** The status id and time of a top-level article, for the thread structure (nulls if unreadable). */
function idAndTime(article, ctx) {
  try {
    const { own } = partsOf(article);
    const found = statusLinkIn(own('a[href*="/status/"]'), ctx.baseUrl);
    return { id: found?.status.statusId ?? null, time: found ? timeIn(found.link) : null, author: found?.status.handle ?? null };
  } catch {
    return { id: null, time: null, author: null };
  }
}

/** The handles of an article's "Replying to" line (for threading: whom a post below the focused one answers). */
function replyingToOf(article, ctx) {
  try {
    return replyingTo(article, partsOf(article).own, ctx.baseUrl);
  } catch {
    return [];
  }
}

/** Collects tweets by status id; a second sighting fills what the first lacked. */
class TweetSet {
  constructor() {
    this.byId = new Map();
  }

  add(tweet) {
    const seen = this.byId.get(tweet.status_id);
    if (!seen) {
      this.byId.set(tweet.status_id, tweet);
      return;
    }
    for (const [key, value] of Object.entries(tweet)) {
      if (key === "focused") seen.focused = seen.focused || value;
      else if (Array.isArray(value)) seen[key] = uniqueHandles([...seen[key], ...value]);
      else if ((seen[key] === null || seen[key] === undefined) && value !== null && value !== undefined) seen[key] = value;
    }
  }

  values() {
    return Array.from(this.byId.values());
  }
}

function readTweet(article, ctx, skips, set, parentOf) {
  if (article.parentElement?.closest('[data-testid="placementTracking"]')) {
    skips.add("tweet:promoted");
    return;
  }
  const { boxes, own } = partsOf(article);
  const found = statusLinkIn(own('a[href*="/status/"]'), ctx.baseUrl);
  if (!found) {
    skips.add("tweet:no-status-link");
    return;
  }
  const { status, link } = found;
  const userName = own(TWEET_NAME)[0] ?? null;
  const firstLink = userName?.querySelector("a[href]");
  const author = (firstLink && handleFromHref(firstLink.getAttribute("href"), ctx.baseUrl)) || handleOfNameBlock(userName) || status.handle;
  if (!author) {
    skips.add("tweet:no-author");
    return;
  }
  const textEl = own('[data-testid="tweetText"]')[0] ?? null;
  // One quote per tweet: X shows no quote inside a quote.
  const quoted = boxes.length ? readQuote(boxes[0], ctx, skips) : null;
  const tweet = {
    status_id: status.statusId,
    author,
    author_display_name: nameIn(userName),
    text: textIn(textEl, own('[data-testid="twitter-article-title"]')[0] ?? null),
    created_at: timeIn(link),
    reply_to: replyingTo(article, own, ctx.baseUrl),
    in_reply_to_status_id: parentOf(article) ?? null,
    mentions: mentionsIn(textEl, ctx.baseUrl),
    social_context: socialContextOf(own('[data-testid="socialContext"]')[0] ?? null, article, ctx),
    quoted_status_id: quoted?.record?.status_id ?? null,
    quoted_author: quoted?.author ?? null,
    focused: isFocusedArticle(article, ctx) || (ctx.pageType === "status" && ctx.statusId === status.statusId),
  };
  if (tweet.in_reply_to_status_id === tweet.status_id) tweet.in_reply_to_status_id = null;
  set.add(tweet);
  if (quoted?.record) set.add(quoted.record);
}

/**
 * Tweets under `root` (a document, a timeline, one cell or one article).
 * @param {Document|Element} root
 * @param {{baseUrl: string, me?: string|null, pageType?: string, statusId?: string|null, threadCache?: Map}} ctx
 * @returns {{tweets: object[], skipped: Record<string, number>}}
 */
export function scrapeTweets(root, ctx) {
  const skips = new Skips();
  const set = new TweetSet();
  // list element → Map(article → parent id). A caller reading one tweet at a time may pass one cache
  // for as long as the DOM cannot change (one slice of work), so each list is threaded once.
  const threads = ctx.threadCache ?? new Map();
  const parentOf = (article) => {
    const cell = article.closest(CELL);
    const list = cell?.parentElement;
    if (!list) return null;
    if (!threads.has(list)) {
      let parents = new Map();
      try {
        parents = threadParents(list, {
          isFocused: (a) => isFocusedArticle(a, ctx),
          statusPage: ctx.pageType === undefined || ctx.pageType === null || ctx.pageType === "status",
          read: (a) => idAndTime(a, ctx),
          replyingTo: (a) => replyingToOf(a, ctx),
        });
      } catch {
        skips.add("thread:error");
      }
      threads.set(list, parents);
    }
    return threads.get(list).get(article) ?? null;
  };
  for (const article of queryAll(root, TWEET)) {
    if (isNested(article)) continue;
    try {
      readTweet(article, ctx, skips, set, parentOf);
    } catch {
      skips.add("tweet:error");
    }
  }
  return { tweets: set.values(), skipped: skips.counts };
}
