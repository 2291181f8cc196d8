// Who replies to whom, from what X draws (SELECTORS.md "Lessons from pages the tests had never seen").
//
// X joins the posts of a thread with a thin vertical line in the avatar column: an empty bar below
// the parent's avatar, and an empty bar in the row above the child's avatar. Two neighbouring cells
// are parent and reply only when both bars are there. Adjacency alone means nothing: pages without
// `role="separator"` cells are common, and on them every cell is next to another.
//
// On a status page, a reply with no bar above it, below the focused post and before the next
// section (a cell with a heading, "Discover more"), replies to the focused post, unless it shows a
// "Replying to" line that does not name the focused post's author (X shows none on the replies to the
// post above them): then it answers someone else's post, one not shown.
//
// Everything here is read from the DOM's structure (testids, element shapes), never from classes,
// styles or words, so it works on saved pages under jsdom, on the live page, and in any language.
// When nothing says what a post replies to, it gets no parent: a missing edge costs less than a
// wrong one. A parent newer than its reply is not its parent.

import { TWEET_NAME } from "./util.js";

const TWEET = 'article[data-testid="tweet"]';
const CELL = '[data-testid="cellInnerDiv"]';
const AVATAR = '[data-testid="Tweet-User-Avatar"]';
const HEADING = 'h1, h2, h3, h4, h5, h6, [role="heading"]';

const isNested = (article) => Boolean(article.parentElement?.closest("article"));

/** The article of a cell that is not a quote inside another, or null. */
export function topArticle(cell) {
  for (const article of cell.querySelectorAll(TWEET)) if (!isNested(article)) return article;
  return null;
}

/** An element that draws nothing but a box: no children, no text, no testid (a connector bar). */
const isBar = (el) => el.childElementCount === 0 && !(el.textContent || "").trim() && !el.hasAttribute("data-testid") && el.localName === "div";

/** The nearest element holding both `a` and `b`. */
function commonAncestor(a, b) {
  for (let el = a; el; el = el.parentElement) if (el.contains(b)) return el;
  return null;
}

/** The child of `ancestor` that holds `el`. */
function childHolding(ancestor, el) {
  let node = el;
  while (node && node.parentElement !== ancestor) node = node.parentElement;
  return node;
}

/** Whether `el` belongs to `article` itself, not to a quote in it (a nested article, or a link card with its own name). */
function ownElement(el, article) {
  for (let node = el.parentElement; node && node !== article; node = node.parentElement) {
    if (node.localName === "article") return false;
    if (node.getAttribute("role") === "link" && node.querySelector(TWEET_NAME)) return false;
  }
  return true;
}

/**
 * The connector bars an article draws.
 * - below: the avatar column (the part of the avatar-and-name row that holds the avatar) has a bar
 *   after the avatar;
 * - above: a row before that row starts with a narrow column that holds only a bar (the same row
 *   holds the repost/pinned line and its icon, which is not a bar).
 * @returns {{above: boolean, below: boolean} | null} null when the article is not drawn as this
 *   reads it (no avatar or no name block of its own): its bars are unknown, not absent.
 */
export function connectorsOf(article) {
  const avatar = Array.from(article.querySelectorAll(AVATAR)).find((el) => ownElement(el, article));
  const name = Array.from(article.querySelectorAll(TWEET_NAME)).find((el) => ownElement(el, article));
  if (!avatar || !name) return null;
  const row = commonAncestor(avatar, name);
  if (!row || !article.contains(row)) return null;
  const column = childHolding(row, avatar);
  let below = false;
  for (const el of column.querySelectorAll("div")) {
    // 4 = DOCUMENT_POSITION_FOLLOWING: the bar comes after the avatar, not inside it.
    if (!avatar.contains(el) && avatar.compareDocumentPosition(el) & 4 && isBar(el)) {
      below = true;
      break;
    }
  }
  let above = false;
  for (let node = row; node && node !== article && !above; node = node.parentElement) {
    for (let sibling = node.previousElementSibling; sibling && !above; sibling = sibling.previousElementSibling) {
      above = [sibling, ...sibling.querySelectorAll("div")].some((el) => {
        const first = el.firstElementChild;
        return el.childElementCount >= 2 && first && first.childElementCount === 1 && isBar(first.firstElementChild) &&
          !(first.textContent || "").trim() && !first.querySelector("svg, img");
      });
    }
  }
  return { above, below };
}

const translateY = (cell) => {
  const m = /translateY\(\s*(-?[\d.]+)px\s*\)/.exec(cell.getAttribute("style") || "");
  return m ? Number(m[1]) : null;
};

/** Cells of one virtualised list in the order they are shown (by translateY when all have one). */
export function orderedCells(list) {
  const cells = Array.from(list.children).filter((el) => el.matches(CELL));
  const ys = cells.map(translateY);
  if (ys.every((y) => y !== null && Number.isFinite(y))) {
    return cells.map((cell, i) => [cell, ys[i], i]).sort((a, b) => a[1] - b[1] || a[2] - b[2]).map(([cell]) => cell);
  }
  return cells;
}

const epoch = (iso) => {
  const value = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(value) ? value : null;
};

/**
 * Map each top-level article of the virtualised `list` to the status id it replies to.
 * @param {Element} list the parent of the cells
 * @param {{isFocused: (article: Element) => boolean, statusPage: boolean,
 *          read: (article: Element) => ({id: string|null, time: string|null, author: string|null}),
 *          replyingTo?: (article: Element) => string[]}} how
 * @returns {Map<Element, string>}
 */
export function threadParents(list, { isFocused, statusPage, read, replyingTo = () => [] }) {
  // Whether a post below the focused one, joined to nothing, answers it.
  const answersFocused = (article, focused) => {
    const names = replyingTo(article).map((h) => h.toLowerCase());
    return !names.length || (focused.author !== null && names.includes(focused.author.toLowerCase()));
  };
  const parents = new Map();
  let above = null; // the post in the cell directly above: {id, at, below}
  let focused = null;
  let repliesOpen = false; // below the focused post, before the next section
  for (const cell of orderedCells(list)) {
    const article = topArticle(cell);
    if (!article) {
      // An empty cell (a spacer, a separator) is transparent; "Show more replies", a deleted post or
      // a section heading stands between posts, so the post below is not joined to the one above.
      if ((cell.textContent || "").trim() || cell.querySelector("img, svg")) above = null;
      if (cell.querySelector(HEADING)) repliesOpen = false;
      continue;
    }
    const { id, time, author = null } = read(article);
    const lines = connectorsOf(article);
    const post = { id, at: epoch(time), below: lines?.below ?? false, author };
    let parent = null;
    // Unknown bars say nothing: such a post below the focused one may start a thread of its own.
    if (!lines) parent = null;
    else if (lines.above) parent = above?.below ? above : null;
    else if (repliesOpen && answersFocused(article, focused)) parent = focused;
    if (parent?.id && parent.id !== id && !(parent.at !== null && post.at !== null && parent.at > post.at)) parents.set(article, parent.id);
    if (statusPage && id && isFocused(article)) {
      focused = post;
      repliesOpen = true;
    }
    above = post;
  }
  return parents;
}
