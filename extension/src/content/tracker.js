// Bookkeeping of the content script, as pure functions over DOM nodes: which elements are new or
// recycled since they were last read, and which records were already sent for this page.
// No globals, no timers: runs under jsdom in the unit tests.

/**
 * The elements matching `selector` that `nodes` (added nodes from a MutationObserver) touch: the
 * nodes themselves, the matching elements under them, and the matching element around them (a
 * node added inside an existing tweet means that tweet changed: X recycles its list cells).
 * @param {Iterable<Node>} nodes
 * @param {string} selector
 * @returns {Element[]} unique, in first-seen order; only elements still in the document
 */
export function unitsTouchedBy(nodes, selector) {
  const found = new Set();
  for (const node of nodes) {
    const element = node?.nodeType === 1 ? node : node?.parentElement;
    if (!element || !element.isConnected) continue;
    const around = element.closest(selector);
    if (around) found.add(around);
    if (element === node) for (const inner of element.querySelectorAll(selector)) found.add(inner);
  }
  return Array.from(found);
}

/**
 * What an element shows, cheaply: its status link (for a tweet), else its first link, plus the
 * length of its text, so a recycled cell that now shows another tweet, or a tweet that finished
 * loading, reads as changed. The element's identity is the WeakMap key; this is its content.
 */
export function signatureOf(element) {
  const timed = element.querySelector('a[href*="/status/"] time');
  const link = timed ? timed.closest("a") : element.querySelector("a[href]");
  const href = link?.getAttribute("href") ?? "";
  const testid = element.getAttribute("data-testid") ?? "";
  return `${testid}|${href}|${element.textContent?.length ?? 0}`;
}

/**
 * Of `elements`, those never read or whose signature changed since (new or recycled); records the
 * new signatures in `seen`.
 * @param {Iterable<Element>} elements
 * @param {WeakMap<Element, string>} seen
 * @param {(element: Element) => string} [signature]
 * @returns {Element[]}
 */
export function takeChanged(elements, seen, signature = signatureOf) {
  const changed = [];
  for (const element of elements) {
    const now = signature(element);
    if (seen.get(element) === now) continue;
    seen.set(element, now);
    changed.push(element);
  }
  return changed;
}

// How records of each kind are told apart within one page.
export const RECORD_KEYS = Object.freeze({
  tweets: (tweet) => tweet.status_id,
  people: (person) => String(person.handle).toLowerCase(),
  dm_conversations: (conversation) => JSON.stringify(conversation.with),
  notifications: (notification) => JSON.stringify(notification),
});

/**
 * Remembers what was sent for one page: a record goes out again only if it changed (a tweet that
 * finished loading, a profile whose counts appeared). Bounded: past `limit` records it forgets
 * everything and starts over (resending is harmless: the companion de-duplicates).
 */
export class SentMemo {
  constructor(limit = 20000) {
    this.limit = limit;
    this.sent = new Map();
  }

  /** True if `record` of `kind` is new or changed (and remembers it as sent). */
  fresh(kind, record) {
    const keyOf = RECORD_KEYS[kind];
    if (!keyOf) return true;
    const key = `${kind}:${keyOf(record)}`;
    const value = JSON.stringify(record);
    if (this.sent.get(key) === value) return false;
    if (this.sent.size >= this.limit) this.sent.clear();
    this.sent.set(key, value);
    return true;
  }

  /** Forget a record (it could not be sent after all). */
  forget(kind, record) {
    const keyOf = RECORD_KEYS[kind];
    if (keyOf) this.sent.delete(`${kind}:${keyOf(record)}`);
  }

  get size() {
    return this.sent.size;
  }
}

/**
 * The last `size` durations of something (reading slices, observer callbacks), for percentiles:
 * the longest one alone says little about a page that runs for hours.
 */
export class Durations {
  constructor(size = 2000) {
    this.size = size;
    this.values = [];
    this.next = 0;
  }

  add(ms) {
    if (this.values.length < this.size) this.values.push(ms);
    else this.values[this.next] = ms;
    this.next = (this.next + 1) % this.size;
  }

  /** The p-th percentile (0–100, nearest rank) of what was kept, or 0 when nothing was. */
  percentile(p) {
    if (!this.values.length) return 0;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  }

  /** {count, p50, p99, max} in ms, rounded to 0.01 ms. */
  summary() {
    const round = (ms) => Math.round(ms * 100) / 100;
    return { count: this.values.length, p50: round(this.percentile(50)), p99: round(this.percentile(99)), max: round(this.percentile(100)) };
  }
}
