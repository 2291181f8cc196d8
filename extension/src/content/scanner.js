// The content script's one watch on the page: one MutationObserver on the document, one idle
// scheduler and one overflow rule, to which the page reader (agent.js) and the name badges
// (chips.js) subscribe, each with a slice callback of its own.
//
// - The observer's callback only collects, per subscriber: the nodes added (never our own badges,
//   which carry BADGE_HOST_ATTRIBUTE), and the elements whose watched attributes changed for a
//   subscriber that asked for them (chips: an href X changed in place). An open shadow root a
//   subscriber watches (XChat's) is observed by the same observer, for that subscriber alone.
// - The overflow rule: past maxPendingNodes collected for one subscriber, a full rescan is cheaper
//   than the list; the list is dropped and that subscriber reads the whole page in its next slice.
// - The work is done in idle callbacks (requestIdleCallback, with a timeout so a page that is never
//   idle, fast scrolling, still gets a slice; a timer where there is none). Each subscriber with
//   work gets a slice of its own budget, but never more than the idle time left (at least 2 ms);
//   a callback that timed out gets the whole budget, or reading falls behind. The scanner measures
//   each slice and its own callback (make bench reads them).
// - A subscriber that is not active (a hidden tab, collection paused) collects and reads nothing.
// - Nothing is thrown into the page: a slice's error goes to its subscriber's onError.

import { BADGE_HOST_ATTRIBUTE } from "../scrape/index.js";
import { Durations } from "./tracker.js";

export const SCANNER_DEFAULTS = Object.freeze({
  idleTimeoutMs: 150, // a page that is never idle still gets a slice this often
  fallbackMs: 30, // without requestIdleCallback: a slice after this long
  maxPendingNodes: 5000, // per subscriber; past this, a full rescan is cheaper than the list
  minSliceMs: 2, // however little idle time is left, a slice may take this long
});

/**
 * @param {object} env
 * @param {Window} env.win the page's window (document, MutationObserver, idle callbacks, timers)
 * @param {() => number} [env.clock] monotonic ms for slice budgets (performance.now)
 * @param {object} [env.options] SCANNER_DEFAULTS overrides
 */
export function createScanner({ win, clock = () => win.performance?.now?.() ?? Date.now(), options = {} }) {
  const opts = { ...SCANNER_DEFAULTS, ...options };
  const doc = win.document;
  const subscriptions = new Set();
  const owners = new Map(); // an extra root (an open shadow root) -> the subscription that watches it
  const stats = { callbacks: 0, longest_callback_ms: 0, overflows: 0, errors: 0 };
  const callbackTimes = new Durations();
  let observer = null;
  let observedAttributes = [];
  let handle = null;

  const ownBadge = (node) => node.nodeType === 1 && node.hasAttribute(BADGE_HOST_ATTRIBUTE);

  function observeDocument() {
    const wanted = [...new Set([...subscriptions].flatMap((sub) => sub.attributes))].sort();
    if (observer && wanted.join() === observedAttributes.join()) return;
    observer ??= new win.MutationObserver(onMutations);
    observedAttributes = wanted;
    // Observing the same node again replaces the options: one observer, whatever each subscriber wants.
    observer.observe(doc.documentElement, wanted.length
      ? { childList: true, subtree: true, attributes: true, attributeFilter: wanted }
      : { childList: true, subtree: true });
  }

  function onMutations(records) {
    const started = clock();
    stats.callbacks += 1;
    try {
      const collecting = [...subscriptions].filter((sub) => sub.active());
      const changed = new Set(); // the subscribers a record was for (an attribute only for those who watch it)
      for (const record of records) {
        const owner = owners.size ? owners.get(record.target.getRootNode()) : undefined;
        for (const sub of collecting) {
          if (sub.full || (owner !== undefined && owner !== sub)) continue;
          if (record.type === "attributes") {
            if (!sub.attributes.includes(record.attributeName)) continue;
            sub.nodes.push(record.target);
          } else {
            const added = record.addedNodes;
            for (let i = 0; i < added.length; i += 1) if (!ownBadge(added[i])) sub.nodes.push(added[i]);
          }
          changed.add(sub);
        }
      }
      for (const sub of collecting) {
        if (sub.nodes.length > opts.maxPendingNodes) {
          sub.nodes = [];
          sub.full = true;
          stats.overflows += 1;
        }
        if ((sub.everyChange && changed.has(sub)) || sub.full || sub.nodes.length) sub.want();
      }
    } catch {
      stats.errors += 1; // counted, never logged into the page's console
    }
    const took = clock() - started;
    stats.longest_callback_ms = Math.max(stats.longest_callback_ms, took);
    callbackTimes.add(took);
  }

  function request() {
    if (handle !== null) return;
    handle = typeof win.requestIdleCallback === "function"
      ? { idle: win.requestIdleCallback(runIdle, { timeout: opts.idleTimeoutMs }) }
      : { timer: win.setTimeout(runIdle, opts.fallbackMs) };
  }

  function cancelIdle() {
    if (handle?.idle !== undefined) win.cancelIdleCallback?.(handle.idle);
    if (handle?.timer !== undefined) win.clearTimeout(handle.timer);
    handle = null;
  }

  function runIdle(deadline) {
    handle = null;
    for (const sub of [...subscriptions]) {
      if (!sub.due || !sub.active()) continue;
      sub.due = false;
      sub.running = true;
      sub.again = false;
      const started = clock();
      const idleLeft = deadline?.timeRemaining && !deadline.didTimeout ? Math.max(opts.minSliceMs, deadline.timeRemaining()) : Infinity;
      let more = false;
      let failed = false;
      try {
        more = sub.slice({ budget: Math.min(sub.budgetMs, idleLeft), elapsed: () => clock() - started }) === true;
      } catch (error) {
        failed = true; // not tried again at once: the next change or wake() does
        sub.onError(error);
      }
      sub.running = false;
      sub.measure(clock() - started);
      if (!failed && subscriptions.has(sub) && (more || sub.again || sub.full || sub.nodes.length)) sub.due = true;
    }
    if ([...subscriptions].some((sub) => sub.due && sub.active())) request();
  }

  return {
    stats,
    /** The observer's callback durations {count, p50, p99, max} (make bench). */
    timings: () => callbackTimes.summary(),
    /**
     * @param {object} spec
     * @param {(work: {budget: number, elapsed: () => number}) => boolean | void} spec.slice read what waits
     *   (take, takeRescan); true when work of its own is left for another slice
     * @param {number} spec.budgetMs a slice's size at most
     * @param {string[]} [spec.attributes] attribute changes delivered as their element
     * @param {() => boolean} [spec.active] collect and read only while this holds
     * @param {boolean} [spec.everyChange] a slice after every change, even one that collected nothing
     * @param {(error: unknown) => void} [spec.onError] a slice threw
     */
    subscribe({ slice, budgetMs, attributes = [], active = () => true, everyChange = false, onError = () => {} }) {
      const sliceTimes = new Durations();
      const sub = {
        slice, budgetMs, attributes, active, everyChange, onError,
        nodes: [], full: true, due: false, running: false, again: false,
        stats: { slices: 0, longest_slice_ms: 0 },
        want() {
          if (!sub.active() || !subscriptions.has(sub)) return;
          if (sub.running) sub.again = true;
          else {
            sub.due = true;
            request();
          }
        },
        measure(ms) {
          sub.stats.slices += 1;
          sub.stats.longest_slice_ms = Math.max(sub.stats.longest_slice_ms, ms);
          sliceTimes.add(ms);
        },
      };
      subscriptions.add(sub);
      observeDocument();
      return {
        /** A slice soon (the subscriber has work of its own: the address changed, a refresh is due). */
        wake: () => sub.want(),
        /** Read the whole page in the next slice (what was collected is dropped). */
        rescan() {
          sub.nodes = [];
          sub.full = true;
          sub.want();
        },
        /** Nothing to do for now (hidden, paused): what was collected is dropped; rescan() follows. */
        cancel() {
          sub.nodes = [];
          sub.due = false;
          if (![...subscriptions].some((other) => other.due)) cancelIdle();
        },
        /** Observe an open shadow root too, for this subscriber alone. */
        watch(root) {
          owners.set(root, sub);
          observer.observe(root, { childList: true, subtree: true });
        },
        /** In a slice: whether the whole page is to be read (once: it is then no longer due). */
        takeRescan() {
          if (!sub.full) return false;
          sub.full = false;
          sub.nodes = [];
          return true;
        },
        /** In a slice: up to `max` collected nodes, oldest first. */
        take: (max = Infinity) => sub.nodes.splice(0, max),
        /** In a slice: nodes it could not get to, first in line for the next one. */
        putBack(nodes) {
          sub.nodes.unshift(...nodes);
        },
        get pending() {
          return sub.nodes.length;
        },
        /** Whether a slice or collected work waits. */
        get busy() {
          return subscriptions.has(sub) && (sub.due || sub.full || sub.nodes.length > 0);
        },
        stats: sub.stats,
        /** This subscriber's slice durations {count, p50, p99, max} (make bench). */
        timings: () => sliceTimes.summary(),
        /** Unsubscribe; the last one out disconnects the observer. */
        close() {
          subscriptions.delete(sub);
          for (const [root, owner] of owners) if (owner === sub) owners.delete(root);
          if (subscriptions.size === 0) {
            observer?.disconnect();
            observer = null;
            observedAttributes = [];
            cancelIdle();
          }
        },
      };
    },
  };
}
