// Badges ("chips") beside the names on x.com: the stage (number, colour, name), outcome tags, and
// on hover or focus a tooltip with the notes and when you last talked. A click opens the card.
//
// - Each chip lives in a closed shadow root (shadow.js), so the scrapers never read it as part of
//   a name and X's styles and scripts cannot reach it.
// - Text is only ever set with textContent: names, tags and notes come from pages anyone writes.
// - X recycles timeline cells (same elements, new person): every unit touched by a mutation,
//   including an href that changed in place, is synced again, so a chip follows the name it sits
//   beside, and a unit never has more than one chip per slot.
// - Like the page reader, it subscribes to the page's one scanner (scanner.js): its observer
//   collects the added nodes and the links whose href changed, and the work is done in the
//   scanner's idle slices of a few milliseconds.

import { BADGE_HOST_ATTRIBUTE, NAME_UNIT, nameSlots, parsePage } from "../scrape/index.js";
import { lastTalked } from "../common/time.js";
import { shouldShow } from "./badges.js";
import { shadowHost } from "./shadow.js";
import { unitsTouchedBy } from "./tracker.js";

const HOST = `[${BADGE_HOST_ATTRIBUTE}]`;

export const CHIP_DEFAULTS = Object.freeze({
  sliceBudgetMs: 6,
  themeCheckMs: 1500, // how often the chips look whether X's theme changed
});

const CHIP_CSS = `
:host { all: initial; display: inline-flex; align-items: center; vertical-align: middle; margin: 0 4px;
  font: 600 11px/16px system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #0f1419; }
:host([data-theme="dark"]), :host([data-theme="dim"]) { color: #e7e9ea; }
:host([data-state="hidden"]) { display: none; }
button { all: unset; box-sizing: border-box; display: inline-flex; align-items: center; gap: 4px; max-width: 260px;
  height: 18px; padding: 0 7px 0 2px; border-radius: 9px; border: 1px solid var(--stage); cursor: pointer;
  color: inherit; background: color-mix(in srgb, var(--stage) 14%, transparent); white-space: nowrap; }
button:hover { background: color-mix(in srgb, var(--stage) 26%, transparent); }
button:focus-visible { outline: 2px solid var(--stage); outline-offset: 2px; }
.dot { display: inline-grid; place-items: center; width: 14px; height: 14px; border-radius: 50%; color: #fff;
  background: var(--stage); font-size: 10px; line-height: 1; flex: none; }
.name { overflow: hidden; text-overflow: ellipsis; }
.tag { font-weight: 500; opacity: 0.8; overflow: hidden; text-overflow: ellipsis; }
.tag::before { content: "·"; margin-right: 4px; }
.due { font-weight: 700; font-size: 9px; line-height: 12px; padding: 0 4px; border-radius: 6px; color: #fff;
  background: #d9480f; text-transform: uppercase; letter-spacing: 0.02em; flex: none; }
.due[hidden] { display: none; }
`;

const TOOLTIP_CSS = `
:host { all: initial; }
.tip { position: fixed; z-index: 2147483646; max-width: 320px; padding: 8px 10px; border-radius: 8px;
  font: 400 13px/18px system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  box-shadow: 0 4px 18px rgba(0, 0, 0, 0.25); pointer-events: none; white-space: normal; }
.tip[hidden] { display: none; }
.tip.light { background: #fff; color: #0f1419; border: 1px solid #cfd9de; }
.tip.dark { background: #16181c; color: #e7e9ea; border: 1px solid #2f3336; }
.tip.dim { background: #1e2732; color: #f7f9f9; border: 1px solid #38444d; }
.title { font-weight: 700; display: flex; align-items: center; gap: 6px; }
.swatch { width: 10px; height: 10px; border-radius: 50%; background: var(--stage); flex: none; }
.line { margin-top: 4px; }
.muted { opacity: 0.7; }
.tip :where(*) { unicode-bidi: isolate; }
`;

/** X's three themes, told by the page's background: "light", "dim" (dark blue) or "dark" (Lights out). */
export function pageTheme(win) {
  const doc = win.document;
  for (const el of [doc.body, doc.documentElement]) {
    if (!el) continue;
    const m = /rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)(?:[,\s/]+([\d.]+))?/.exec(win.getComputedStyle(el).backgroundColor || "");
    if (!m || m[4] === "0") continue; // transparent: look further out
    const [r, g, b] = [m[1], m[2], m[3]].map(Number);
    if (0.2126 * r + 0.7152 * g + 0.0722 * b >= 128) return "light";
    return r + g + b > 48 ? "dim" : "dark";
  }
  return "light";
}

/** "Overdue by 12 days" for a badge whose keep-in-touch reminder is overdue, else null. */
export function overdueText(badge) {
  const days = badge.overdue_days;
  return Number.isInteger(days) && days > 0 ? `Overdue by ${days} day${days === 1 ? "" : "s"}` : null;
}

/** What a chip says, as plain strings (the DOM part only places them). */
export function chipText(badge, tagLabels = {}) {
  const tags = (badge.tags ?? []).map((id) => tagLabels[id] ?? id);
  const due = overdueText(badge);
  return {
    number: String(badge.stage),
    name: badge.stage_name,
    tag: tags.length > 2 ? `${tags.slice(0, 2).join(", ")} +${tags.length - 2}` : tags.join(", "),
    due: due ? "due" : null,
    label: [`Rapport: stage ${badge.stage}, ${badge.stage_name}`, ...tags, ...labelNames(badge), ...(due ? [due] : [])].join(", ")
      + ". Open the card.",
  };
}

/** The person's own labels ("SXSW 2026", "investor"), by name. */
const labelNames = (badge) => (Array.isArray(badge.labels) ? badge.labels.map((label) => label.name) : []);

/** The tooltip's lines for a badge. */
export function tooltipLines(badge, { tagLabels = {}, now = Date.now() } = {}) {
  const tags = (badge.tags ?? []).map((id) => tagLabels[id] ?? id);
  return {
    title: `${badge.stage} · ${badge.stage_name}`,
    due: overdueText(badge),
    tags: tags.join(" · ") || null,
    labels: labelNames(badge).join(" · ") || null,
    notes: badge.notes || null,
    last: lastTalked(badge.last_interaction_at, now) ?? "no conversation seen yet",
  };
}

/**
 * @param {object} env
 * @param {Window} env.win
 * @param {ReturnType<import("./scanner.js").createScanner>} env.scanner the page's one scanner
 * @param {ReturnType<import("./badges.js").createBadgeStore>} env.store
 * @param {(handle: string, displayName: string | null, returnFocus: () => boolean) => void} env.onOpen a chip was
 *   clicked or pressed (with the name the page shows, and how to give the focus back to that chip when the card
 *   closes: false when the chip is gone or now names someone else)
 * @param {() => Record<string, string>} [env.tagLabels] outcome tag id -> label (shared stages.json)
 * @param {() => number} [env.clock] monotonic ms (how old the theme read is)
 * @param {object} [env.options]
 */
export function createChips({ win, scanner, store, onOpen, tagLabels = () => ({}), clock = () => win.performance.now(), options = {} }) {
  const opts = { ...CHIP_DEFAULTS, ...options };
  const doc = win.document;
  const shadows = new WeakMap(); // host -> {root, handle, shown}
  const byHandle = new Map(); // lower-case handle -> Set of hosts
  const stats = { synced: 0, chips_created: 0, chips_removed: 0, renders: 0, errors: 0 }; // the slices: the scanner's (see get stats)
  let scan = null; // the scanner's subscription, from start()
  let tooltip = null;
  let stopped = false;
  let theme = { value: "light", at: -Infinity };
  let themeTimer = null;
  let themeShown = null; // the theme the chips were last set to by the timer
  let lastUrl = null; // the address of the last slice: another one reads every name again

  // X's theme, read at most once a second (a style read per chip would cost layout work).
  function currentTheme() {
    const now = clock();
    if (now - theme.at > 1000) theme = { value: pageTheme(win), at: now };
    return theme.value;
  }

  // ------------------------------------------------------------ hosts

  function track(host, handle) {
    const state = shadows.get(host);
    if (state.handle) byHandle.get(state.handle.toLowerCase())?.delete(host);
    state.handle = handle;
    host.setAttribute("data-handle", handle);
    const lc = handle.toLowerCase();
    if (!byHandle.has(lc)) byHandle.set(lc, new Set());
    byHandle.get(lc).add(host);
  }

  function makeHost() {
    const { host, root } = shadowHost(doc, "span", BADGE_HOST_ATTRIBUTE, "", CHIP_CSS);
    host.setAttribute("data-state", "hidden");
    const button = doc.createElement("button");
    button.type = "button";
    const dot = doc.createElement("span");
    dot.className = "dot";
    const name = doc.createElement("span");
    name.className = "name";
    const tag = doc.createElement("span");
    tag.className = "tag";
    const due = doc.createElement("span");
    due.className = "due";
    due.hidden = true;
    button.append(dot, name, tag, due);
    root.append(button);
    shadows.set(host, { root, button, dot, name, tag, due, handle: null, shown: null });
    // X opens the tweet (or the conversation) on a click anywhere in it: this click is ours.
    for (const type of ["click", "mousedown", "mouseup", "pointerdown", "pointerup"]) {
      host.addEventListener(type, (event) => {
        event.stopPropagation();
        if (type === "click") {
          event.preventDefault();
          const state = shadows.get(host);
          if (state?.handle) onOpen(state.handle, state.displayName, focusBack(host, state.handle));
        }
      });
    }
    host.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") event.stopPropagation(); // not X's shortcuts
    });
    button.addEventListener("mouseenter", () => showTooltip(host));
    button.addEventListener("focus", () => showTooltip(host));
    button.addEventListener("mouseleave", hideTooltip);
    button.addEventListener("blur", hideTooltip);
    stats.chips_created += 1;
    return host;
  }

  function focusBack(host, handle) {
    return () => {
      const state = shadows.get(host);
      if (!host.isConnected || state?.handle !== handle) return false;
      state.button.focus();
      return true;
    };
  }

  function removeHost(host) {
    const state = shadows.get(host);
    if (state?.handle) byHandle.get(state.handle.toLowerCase())?.delete(host);
    host.remove();
    stats.chips_removed += 1;
  }

  const isHost = (el) => Boolean(el && el.hasAttribute?.(BADGE_HOST_ATTRIBUTE) && shadows.has(el));

  /** Put the unit's chips where its names are now: reuse, move, add, remove. */
  function syncUnit(unit, ctx) {
    stats.synced += 1;
    const slots = nameSlots(unit, ctx);
    const used = new Set();
    for (const slot of slots) {
      const beside = slot.where === "after" ? slot.anchor.nextElementSibling : slot.anchor.lastElementChild;
      let host = isHost(beside) && !used.has(beside) ? beside : null;
      if (!host) {
        host = makeHost();
        if (slot.where === "after") slot.anchor.after(host);
        else slot.anchor.append(host);
      }
      used.add(host);
      shadows.get(host).displayName = slot.displayName ?? null;
      if (shadows.get(host).handle !== slot.handle) {
        track(host, slot.handle);
        render(host);
      }
    }
    // Chips left from what the unit showed before (a recycled cell), or copied by X's re-render.
    for (const host of unit.querySelectorAll(HOST)) {
      if (used.has(host)) continue;
      if (host.parentElement?.closest(NAME_UNIT) !== unit && shadows.has(host)) continue; // another unit's
      removeHost(host);
    }
  }

  function render(host) {
    const state = shadows.get(host);
    if (!state?.handle) return;
    const badge = store.get(state.handle);
    const show = shouldShow(badge);
    stats.renders += 1;
    if (!show) {
      host.setAttribute("data-state", "hidden");
      host.removeAttribute("data-stage");
      host.removeAttribute("data-due");
      state.shown = null;
      return;
    }
    const text = chipText(badge, tagLabels());
    state.button.style.setProperty("--stage", badge.colour);
    state.dot.textContent = text.number;
    state.name.textContent = text.name;
    state.tag.textContent = text.tag;
    state.tag.hidden = !text.tag;
    state.due.textContent = text.due ?? "";
    state.due.hidden = !text.due;
    if (text.due) host.setAttribute("data-due", String(badge.overdue_days));
    else host.removeAttribute("data-due");
    // What the tooltip shows, for screen readers too (ids cannot cross the shadow boundary).
    const lines = tooltipLines(badge, { tagLabels: tagLabels() });
    state.button.setAttribute("aria-label", [text.label, lines.notes, lines.last].filter(Boolean).join(" "));
    host.setAttribute("data-state", "shown");
    host.setAttribute("data-stage", text.number);
    host.setAttribute("data-theme", currentTheme());
    state.shown = badge;
  }

  function renderHandles(handles) {
    for (const lc of handles) {
      const hosts = byHandle.get(lc);
      if (!hosts) continue;
      for (const host of hosts) {
        if (host.isConnected) render(host);
        else hosts.delete(host);
      }
      if (hosts.size === 0) byHandle.delete(lc);
    }
  }

  // ------------------------------------------------------------ tooltip

  function showTooltip(host) {
    const badge = shadows.get(host)?.shown;
    if (!badge || stopped) return;
    if (!tooltip) {
      const { host: tipHost, root } = shadowHost(doc, "span", BADGE_HOST_ATTRIBUTE, "tooltip", TOOLTIP_CSS);
      const box = doc.createElement("div");
      box.className = "tip";
      box.setAttribute("role", "tooltip");
      box.hidden = true;
      root.append(box);
      doc.body.append(tipHost);
      tooltip = { host: tipHost, box, for: null };
    }
    const lines = tooltipLines(badge, { tagLabels: tagLabels() });
    const { box } = tooltip;
    box.replaceChildren();
    box.className = `tip ${pageTheme(win)}`;
    box.style.setProperty("--stage", badge.colour);
    const title = doc.createElement("div");
    title.className = "title";
    const swatch = doc.createElement("span");
    swatch.className = "swatch";
    const titleText = doc.createElement("span");
    titleText.textContent = lines.title;
    title.append(swatch, titleText);
    box.append(title);
    for (const [key, className] of [["due", "line"], ["tags", "line"], ["labels", "line"], ["notes", "line"], ["last", "line muted"]]) {
      if (!lines[key]) continue;
      const line = doc.createElement("div");
      line.className = className;
      line.textContent = lines[key];
      box.append(line);
    }
    box.hidden = false;
    tooltip.for = host;
    placeTooltip();
  }

  function hideTooltip() {
    if (tooltip) {
      tooltip.box.hidden = true;
      tooltip.for = null;
    }
  }

  // The page scrolls under a shown tooltip: it follows its chip (leaving the chip hides it).
  function placeTooltip() {
    if (!tooltip?.for || tooltip.box.hidden) return;
    const rect = tooltip.for.getBoundingClientRect();
    const width = Math.min(320, tooltip.box.offsetWidth || 320);
    tooltip.box.style.left = `${Math.max(8, Math.min(rect.left, win.innerWidth - width - 8))}px`;
    tooltip.box.style.top = `${rect.bottom + 6}px`;
  }

  // ------------------------------------------------------------ scanning

  function runSlice({ budget, elapsed }) {
    const url = win.location.href;
    const ctx = { baseUrl: url, profileHandle: parsePage(url).profileHandle ?? null };
    // A new address may keep elements and rewrite their text (a profile header, which has no link, names
    // the page's owner): every name is looked at again.
    const moved = lastUrl !== null && url !== lastUrl;
    lastUrl = url;
    const rescan = scan.takeRescan();
    const touched = rescan ? [] : scan.take();
    const units = rescan || moved ? Array.from(doc.querySelectorAll(NAME_UNIT)) : unitsTouchedBy(touched, NAME_UNIT);
    let i = 0;
    for (; i < units.length; i += 1) {
      if (i > 0 && elapsed() > budget) break;
      try {
        if (units[i].isConnected) syncUnit(units[i], ctx);
      } catch {
        stats.errors += 1; // counted, never logged into the page's console
      }
    }
    if (i < units.length) scan.putBack(units.slice(i));
  }

  const unsubscribe = store.subscribe(renderHandles);

  return {
    /** What was placed and removed, and the slices the scanner ran for it (make bench, a debugger). */
    get stats() {
      return { ...stats, slices: scan?.stats.slices ?? 0, longest_slice_ms: scan?.stats.longest_slice_ms ?? 0 };
    },
    /** Slice durations {count, p50, p99, max} (make bench). */
    timings: () => scan?.timings() ?? null,
    start() {
      // X recycles a cell by changing its links' href in place: those changes are news here.
      scan = scanner.subscribe({
        slice: runSlice, budgetMs: opts.sliceBudgetMs, attributes: ["href"], active: () => !stopped,
        onError: () => { stats.errors += 1; },
      });
      win.addEventListener("scroll", placeTooltip, { passive: true, capture: true });
      // X switches its theme without touching the chips: they follow it.
      themeTimer = win.setInterval(() => {
        const value = currentTheme();
        if (value === themeShown) return;
        themeShown = value;
        for (const host of doc.querySelectorAll(HOST)) {
          if (host.getAttribute("data-theme") && host.getAttribute("data-theme") !== value) host.setAttribute("data-theme", value);
        }
      }, opts.themeCheckMs);
      scan.wake();
    },
    stop() {
      stopped = true;
      scan?.close();
      if (themeTimer !== null) win.clearInterval(themeTimer);
      unsubscribe();
      win.removeEventListener("scroll", placeTooltip, { capture: true });
      tooltip?.host.remove();
      for (const host of doc.querySelectorAll(HOST)) host.remove();
    },
    /** Look at the whole page again (the badges were reset). */
    rescan() {
      scan?.rescan();
    },
    get busy() {
      return scan === null || scan.busy || store.pending > 0;
    },
  };
}
