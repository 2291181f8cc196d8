// The page reader: the content script's reading logic, with the page, its scanner (scanner.js),
// the clock, the timers and the messaging passed in, so the unit tests run it under jsdom.
// index.js wires it to the real page.
//
// - Follows X's single-page navigation: the address and the title are checked after DOM changes,
//   on popstate and every couple of seconds; a new page (not a modal route such as a photo or the
//   composer, see scrape/page.js isPageChange) starts a new page context and a full rescan.
// - It subscribes to the page's one scanner (scanner.js), which collects the added nodes (and the
//   links whose href X rewrote in place) and runs its idle slices of a few milliseconds at most; in
//   them only the elements that are new or recycled (their signature changed) are scraped. The
//   scanner's overflow rule turns too many added nodes into a full rescan.
// - What was read is collected and sent as one batch message at most every `minIntervalMs`;
//   records already sent for this page are not sent again unless they changed.
// - Nothing is read while the tab is hidden or collection is paused. Nothing is ever thrown into
//   the page: errors are caught and counted. No network: only messages to the background.

import {
  CHAT_HOST, DM_UNIT, MAX_ITEMS, NOTIFICATION_UNIT, PROFILE_HEADER_UNIT, TWEET_UNIT, USER_CELL_UNIT, contextFor, isModalRoute,
  isPageChange, pageRecord, parsePage, scrapeDms, scrapeNotifications, scrapePeople, scrapeTweets,
} from "../scrape/index.js";
import { MSG } from "../messages/index.js";
import { SentMemo, takeChanged, unitsTouchedBy } from "./tracker.js";

/** What the content script reads, element by element: each part's unit selector and scraper. */
export const PARTS = Object.freeze([
  { name: "tweets", kind: "tweets", selector: TWEET_UNIT, scrape: scrapeTweets },
  { name: "user-cells", kind: "people", selector: USER_CELL_UNIT, scrape: scrapePeople },
  // The profile header's parts (bio, counts, follow button) lie beside UserName, not inside it:
  // it is read again (at most every refreshMs) whenever the page changes, not by signature.
  { name: "profile-header", kind: "people", selector: PROFILE_HEADER_UNIT, scrape: scrapePeople, refresh: true },
  { name: "dms", kind: "dm_conversations", selector: DM_UNIT, scrape: scrapeDms },
  { name: "notifications", kind: "notifications", selector: NOTIFICATION_UNIT, scrape: scrapeNotifications },
]);

const KINDS = ["people", "tweets", "dm_conversations", "notifications"];

export const DEFAULTS = Object.freeze({
  minIntervalMs: 1500, // at most one batch message per tab this often
  firstDelayMs: 300, // let a burst of changes settle before the first message
  sliceBudgetMs: 8, // work per idle slice (half a frame)
  maxHoldMs: 3000, // a message waits for reading still under way, but not longer than this
  maxRecordsPerKind: 200, // per message; the rest goes in the next one
  maxBatchChars: 256 * 1024, // per message (the background refuses more than 1 MiB)
  navPollMs: 2000, // address check when nothing changes in the DOM
  refreshMs: 2000, // parts read again on any change (the profile header): at most this often
  readingMs: 5000, // how the reader is doing on this page (counts only) goes to the background this often
});

/**
 * @param {object} env
 * @param {Window} env.win the page's window (location, document, timers)
 * @param {ReturnType<import("./scanner.js").createScanner>} env.scanner the page's one scanner
 * @param {(message: object) => Promise<any>} env.send runtime.sendMessage
 * @param {(listener: (paused: boolean) => void) => void} [env.onPausedChange] storage.onChanged wiring
 * @param {() => number} [env.now] epoch ms
 * @param {object} [env.options] DEFAULTS overrides
 * @param {object[]} [env.parts] PARTS
 */
export function createAgent({ win, scanner, send, onPausedChange = () => {}, now = Date.now, options = {}, parts = PARTS }) {
  const opts = { ...DEFAULTS, ...options };
  const doc = win.document;
  const allSelector = parts.map((p) => p.selector).join(", ");

  const stats = { errors: 0, skipped: 0, scraped: 0, sent: 0, send_failures: 0 }; // the slices: the scanner's (see get stats)
  let stopped = false;
  let paused = false;
  let me = null;
  let page = null; // {url, observedAt}
  let lastUrl = null; // the address at the last check (a modal's, while one is open)
  let seen = new WeakMap();
  let memo = new SentMemo();
  let scan = null; // the scanner's subscription, from start()
  let queue = []; // elements waiting to be read in the next slices
  let threads = new Map(); // the reply threads of the lists read (scrapeTweets' threadCache), until the page changes
  let refreshDue = false;
  const lastRefresh = new Map(); // part name -> time
  let refreshTimer = null;
  let sendTimer = null;
  let navTimer = null;
  let lastSentAt = -Infinity;
  let collected = emptyCollection();
  let unsent = { errors: 0, skipped: 0 };
  let reading = null; // what was recognised and skipped on this page since the last report
  let readingTimer = null;
  const watchedRoots = new WeakSet(); // open shadow roots observed too (XChat lives in one)

  function emptyCollection() {
    return { since: null, lists: Object.fromEntries(KINDS.map((k) => [k, []])) };
  }

  // Counted (the options page shows it), never logged: nothing of ours shows in the page's console.
  function count() {
    stats.errors += 1;
    unsent.errors += 1;
    if (reading) reading.errors += 1;
  }

  const hidden = () => doc.hidden === true || doc.visibilityState === "hidden";
  const active = () => !stopped && !paused && !hidden();

  // ------------------------------------------------------------ page context and navigation

  function newPage(url) {
    reportReading();
    reading = { page_type: safeType(url), recognised: 0, skipped: 0, errors: 0, skipped_by: {}, reported: false };
    page = { url, observedAt: new Date(now()).toISOString() };
    seen = new WeakMap();
    memo = new SentMemo();
    queue = [];
    scan?.rescan();
    lastRefresh.clear();
  }

  /** Compare the address with the page context; on a page change, send what was read and start over. */
  function checkNavigation() {
    const url = win.location.href;
    lastUrl = url;
    if (page === null) {
      newPage(url);
      return;
    }
    if (url === page.url) return;
    let changed;
    try {
      // A modal (a photo opened from the timeline, the composer) lies over the page it was opened
      // from, whatever its address says; closing it comes back to that page's address.
      changed = !isModalRoute(url) && isPageChange(page.url, url);
    } catch (error) {
      count(error);
      changed = true;
    }
    if (!changed) return; // a modal over the same page (photo, composer) or the same page
    flushNow();
    newPage(url);
  }

  // ------------------------------------------------------------ collecting

  function addRecords(kind, records) {
    const list = collected.lists[kind];
    for (const record of records) {
      if (!memo.fresh(kind, record)) continue;
      list.push(record);
      if (collected.since === null) collected.since = now();
    }
  }

  function scrapeUnit(part, element, ctx) {
    const result = part.scrape(element, ctx);
    stats.scraped += 1;
    const skipped = Object.values(result.skipped ?? {}).reduce((a, b) => a + b, 0);
    stats.skipped += skipped;
    unsent.skipped += skipped;
    const records = result[part.kind] ?? [];
    if (reading) {
      reading.recognised += records.length;
      reading.skipped += skipped;
      for (const [reason, n] of Object.entries(result.skipped ?? {})) reading.skipped_by[reason] = (reading.skipped_by[reason] ?? 0) + n;
    }
    addRecords(part.kind, records);
  }

  // ------------------------------------------------------------ how the reader is doing (counts only)

  function safeType(url) {
    try {
      return parsePage(url).type;
    } catch {
      return "other";
    }
  }

  /**
   * Tell the background what this page's reading recognised and skipped since the last report: a
   * page of a kind where nothing is recognised any more is how a change of X's markup shows. Every
   * page is reported once even when nothing was read on it; after that, only when something was.
   */
  function reportReading() {
    if (readingTimer !== null) {
      win.clearTimeout(readingTimer);
      readingTimer = null;
    }
    if (!reading || paused || (reading.reported && reading.recognised + reading.skipped + reading.errors === 0)) return;
    const { page_type, recognised, skipped, errors, skipped_by } = reading;
    reading = { ...reading, recognised: 0, skipped: 0, errors: 0, skipped_by: {}, reported: true };
    send({ type: MSG.READING, page_type, recognised, skipped, errors, skipped_by }).catch(() => {});
  }

  function scheduleReading() {
    if (readingTimer !== null || stopped || !reading) return;
    readingTimer = win.setTimeout(safe(() => {
      readingTimer = null;
      reportReading();
    }), opts.readingMs);
  }

  function partOf(element) {
    return parts.find((p) => element.matches(p.selector)) ?? null;
  }

  function contextNow() {
    let ctx;
    try {
      ctx = contextFor(doc, { url: page.url, me });
    } catch {
      ctx = contextFor(doc, { url: page.url, me: null }); // a stored handle the scraper does not take
    }
    if (ctx.me && ctx.me !== me) {
      me = ctx.me;
      send({ type: MSG.ME, handle: me }).catch(() => {});
    }
    return ctx;
  }

  /** Open shadow roots Rapport reads in (XChat's); a new one is observed and read in full. */
  function shadowRoots() {
    const roots = [];
    for (const host of doc.querySelectorAll(CHAT_HOST)) {
      const root = host.shadowRoot;
      if (!root) continue;
      roots.push(root);
      if (!watchedRoots.has(root)) {
        watchedRoots.add(root);
        scan.watch(root);
        scan.rescan();
      }
    }
    return roots;
  }

  function runSlice({ budget, elapsed }) {
    try {
      checkNavigation();
      const roots = shadowRoots();
      // 1. Turn the collected nodes into elements to read (new or changed ones only).
      if (scan.takeRescan()) {
        queue = takeChanged([doc, ...roots].flatMap((root) => Array.from(root.querySelectorAll(allSelector))), seen);
        refreshDue = true;
        threads = new Map();
      } else if (scan.pending) {
        threads = new Map(); // the page changed: who replies to whom is worked out again, once
        // In chunks, so a flood of added nodes is spread over several slices too.
        do {
          queue.push(...takeChanged(unitsTouchedBy(scan.take(200), allSelector), seen));
        } while (scan.pending && elapsed() < budget / 2);
        refreshDue = true;
      }
      // 2. Read them, within the budget.
      if (queue.length || refreshDue) {
        // The tweets' reply threads are worked out once for as long as the page does not change: a long list
        // read over many slices is not threaded again in each.
        const ctx = { ...contextNow(), threadCache: threads };
        if (refreshDue) {
          refreshDue = false;
          for (const part of parts) {
            if (!part.refresh) continue;
            const elements = doc.querySelectorAll(part.selector);
            if (elements.length === 0) continue;
            const wait = (lastRefresh.get(part.name) ?? -Infinity) + opts.refreshMs - now();
            if (wait > 0) {
              refreshRetry(wait); // read it again once the interval has passed
              continue;
            }
            lastRefresh.set(part.name, now());
            for (const element of elements) {
              try {
                scrapeUnit(part, element, ctx);
              } catch (error) {
                count(error);
              }
            }
          }
        }
        // At least one element per slice, so a slice that started late still moves on.
        let read = 0;
        while (queue.length && (read === 0 || elapsed() < budget)) {
          const element = queue.shift();
          if (!element.isConnected) continue;
          const part = partOf(element);
          if (!part) continue;
          read += 1;
          try {
            scrapeUnit(part, element, ctx);
          } catch (error) {
            count(error);
          }
        }
      }
    } catch (error) {
      count(error);
    }
    scheduleSend();
    scheduleReading();
    return queue.length > 0;
  }

  function refreshRetry(wait) {
    if (refreshTimer !== null) return;
    refreshTimer = win.setTimeout(safe(() => {
      refreshTimer = null;
      refreshDue = true;
      scan.wake();
    }), wait);
  }

  // ------------------------------------------------------------ sending

  function hasRecords() {
    return KINDS.some((k) => collected.lists[k].length > 0);
  }

  /** Take at most one batch's worth of the collected records (the rest waits for the next send). */
  function takeBatch() {
    const lists = {};
    let rest = false;
    let size = 0;
    for (const kind of KINDS) {
      const all = collected.lists[kind];
      const max = Math.min(MAX_ITEMS[kind] ?? 500, opts.maxRecordsPerKind);
      let n = 0;
      while (n < all.length && n < max) {
        const length = JSON.stringify(all[n]).length;
        if (size + length > opts.maxBatchChars && (n > 0 || size > 0)) break;
        size += length;
        n += 1;
      }
      const taken = all.splice(0, n);
      if (all.length) rest = true;
      if (taken.length) lists[kind] = taken;
    }
    const observedAt = new Date(collected.since ?? now()).toISOString();
    if (!rest) collected.since = null;
    return { page: pageRecord(page.url, observedAt, me), ...lists };
  }

  function flushNow() {
    if (sendTimer !== null) {
      win.clearTimeout(sendTimer);
      sendTimer = null;
    }
    if (!hasRecords() || paused || stopped) return;
    const batch = takeBatch();
    const message = { type: MSG.BATCH, batch, stats: unsent };
    unsent = { errors: 0, skipped: 0 };
    lastSentAt = now();
    const sentMemo = memo;
    stats.sent += 1;
    send(message).then((answer) => {
      if (answer && answer.ok === false) {
        stats.send_failures += 1;
        // Refused (paused meanwhile, or invalid): let these records go out again if seen again.
        for (const kind of KINDS) for (const record of batch[kind] ?? []) sentMemo.forget(kind, record);
      }
    }, (error) => {
      stats.send_failures += 1;
      if (/context invalidated/i.test(String(error?.message ?? error))) stop(); // the extension was reloaded
    });
    if (hasRecords()) scheduleSend();
  }

  function scheduleSend() {
    if (sendTimer !== null || !hasRecords() || stopped) return;
    const wait = Math.max(opts.firstDelayMs, lastSentAt + opts.minIntervalMs - now());
    sendTimer = win.setTimeout(safe(() => {
      sendTimer = null;
      // Elements are still being read (a long page, a slow machine): let them join this message.
      const reading = active() && (queue.length > 0 || scan.busy);
      if (reading && collected.since !== null && now() - collected.since < opts.maxHoldMs) {
        sendTimer = win.setTimeout(safe(() => {
          sendTimer = null;
          flushNow();
        }), Math.min(100, opts.minIntervalMs));
        return;
      }
      flushNow();
    }), wait);
  }

  // ------------------------------------------------------------ events

  function safe(fn) {
    return (...args) => {
      try {
        return fn(...args);
      } catch (error) {
        count(error);
        return undefined;
      }
    };
  }

  const onVisibility = safe(() => {
    if (hidden()) {
      flushNow(); // the tab may be closed next: send what was read
      reportReading();
      scan.cancel();
    } else if (active()) {
      scan.rescan(); // what changed while hidden was not collected
    }
  });

  const onNavigationHint = safe(() => scan.wake());

  function setPaused(value) {
    paused = value === true;
    if (paused) {
      scan.cancel();
      collected = emptyCollection();
      queue = [];
    } else if (active()) {
      seen = new WeakMap();
      scan.rescan();
    }
  }

  function stop() {
    if (!stopped) safe(reportReading)();
    stopped = true;
    scan?.close();
    if (sendTimer !== null) win.clearTimeout(sendTimer);
    if (refreshTimer !== null) win.clearTimeout(refreshTimer);
    if (readingTimer !== null) win.clearTimeout(readingTimer);
    if (navTimer !== null) win.clearInterval(navTimer);
    win.removeEventListener("popstate", onNavigationHint);
    win.removeEventListener("pagehide", onVisibility);
    doc.removeEventListener("visibilitychange", onVisibility);
  }

  return {
    /** What was read, sent and failed, and the slices the scanner ran for it (make bench, a debugger). */
    get stats() {
      return { ...stats, slices: scan?.stats.slices ?? 0, longest_slice_ms: scan?.stats.longest_slice_ms ?? 0 };
    },
    /** Slice and (the scanner's) observer callback durations: {slices: {count, p50, p99, max}, callbacks: {…}} (make bench). */
    timings: () => ({ slices: scan?.timings() ?? null, callbacks: scanner.timings() }),
    /** Ask the background for the pause switch and the last known handle, then start watching; answers the hello. */
    async start() {
      let hello = null;
      try {
        hello = await send({ type: MSG.HELLO });
        paused = hello?.paused === true;
        if (typeof hello?.me === "string") me = hello.me;
      } catch (error) {
        count(error);
      }
      if (stopped) return hello;
      onPausedChange((value) => safe(setPaused)(value));
      // A slice after every change, even one that added nothing to read: the address is checked then.
      // An href X rewrites in place (a cell recycled for another post or person) makes its unit read again.
      scan = scanner.subscribe({
        slice: runSlice, budgetMs: opts.sliceBudgetMs, attributes: ["href"], active, everyChange: true, onError: count,
      });
      doc.addEventListener("visibilitychange", onVisibility);
      win.addEventListener("pagehide", onVisibility);
      win.addEventListener("popstate", onNavigationHint);
      navTimer = win.setInterval(safe(() => {
        if (win.location.href !== lastUrl) scan.wake();
      }), opts.navPollMs);
      checkNavigation();
      scan.wake();
      return hello;
    },
    stop,
    /** Send what was collected now (tests; pagehide). */
    flushNow: safe(flushNow),
    /** Send how the reading went on this page now (tests). */
    reportReading: safe(reportReading),
    /** Whether work is waiting: elements to read, a slice or a send scheduled (tests). */
    get busy() {
      return sendTimer !== null || (active() && (scan === null || scan.busy || refreshTimer !== null || queue.length > 0));
    },
    /** The current page context (tests). */
    get page() {
      return page;
    },
    get me() {
      return me;
    },
  };
}
