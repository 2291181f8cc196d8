// The sidebar overlay on x.com: a toggle button at the right edge, a keyboard shortcut
// (Alt+Shift+R), and a panel beside the page for the person in view.
//
// The panel is the extension's own page (overlay/panel.html) in an iframe: X's styles cannot
// reach into it and X's scripts cannot read it (another origin). The frame, the button and their
// styles sit in a closed shadow root, fixed over the right edge, so X's layout does not move.
// This module only says which person to show (in the frame's address fragment) and the page's
// theme; the panel asks the background for everything else. The host's data-open attribute names
// the person shown while the panel is open (the frame itself is out of the page's reach).

import { SHORTCUT_LABEL, isToggleKey } from "../common/shortcut.js";
import { parsePage } from "../scrape/index.js";
import { TWEET_NAME, handleFromHref, nameIn } from "../scrape/util.js";
import { pageTheme } from "./chips.js";
import { shadowHost } from "./shadow.js";

export const OVERLAY_ATTRIBUTE = "data-rapport-overlay";
export const PANEL_WIDTH = 400;

const CSS = `
:host { all: initial; }
.toggle { all: unset; position: fixed; z-index: 2147483646; top: 50%; right: 0; transform: translateY(-50%);
  width: 26px; height: 64px; border-radius: 10px 0 0 10px; cursor: pointer; display: grid; place-items: center;
  background: #1d9bf0; color: #fff; font: 700 13px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  box-shadow: -2px 2px 10px rgba(0, 0, 0, 0.25); writing-mode: vertical-rl; letter-spacing: 0.08em; }
.toggle:focus-visible { outline: 3px solid #8ecdf8; outline-offset: 2px; }
.toggle[aria-expanded="true"] { right: ${PANEL_WIDTH}px; }
.panel { position: fixed; z-index: 2147483645; top: 0; right: 0; bottom: 0; width: min(${PANEL_WIDTH}px, 100vw);
  border: 0; border-left: 1px solid var(--edge); box-shadow: -8px 0 24px rgba(0, 0, 0, 0.18); background: var(--bg); }
.panel[hidden] { display: none; }
.panel.light { --bg: #fff; --edge: #cfd9de; }
.panel.dark { --bg: #000; --edge: #2f3336; }
.panel.dim { --bg: #15202b; --edge: #38444d; }
iframe { border: 0; width: 100%; height: 100%; display: block; color-scheme: normal; }
`;

/**
 * The person in view: the author of the post the keyboard is on (X's j/k), else the profile you are
 * on, else a status page's author. With the name the page shows for them, when it shows one.
 * @returns {{handle: string, name: string | null} | null}
 */
export function personInView(win) {
  const url = win.location.href;
  const page = parsePage(url);
  const doc = win.document;
  const named = (handle, block) => ({ handle, name: block ? nameIn(block) : null });
  const authorOf = (tweet) => {
    const block = tweet?.querySelector(TWEET_NAME) ?? null;
    const link = block?.querySelector("a[href]");
    const handle = link ? handleFromHref(link.getAttribute("href"), url) : null;
    return handle ? named(handle, block) : null;
  };
  const focused = authorOf(doc.activeElement?.closest?.('article[data-testid="tweet"]'));
  if (focused) return focused;
  if (page.type === "profile" && page.profileHandle) {
    const header = Array.from(doc.querySelectorAll('[data-testid="UserName"]')).find((el) => !el.closest('[data-testid="HoverCard"]'));
    return named(page.profileHandle, header);
  }
  if (page.type === "status") {
    // The status page's own post has tabindex -1; the address names its author.
    const own = authorOf(doc.querySelector('article[data-testid="tweet"][tabindex="-1"]'));
    const fromUrl = handleFromHref(`/${new URL(url).pathname.split("/")[1] ?? ""}`, url);
    if (fromUrl) return own?.handle.toLowerCase() === fromUrl.toLowerCase() ? own : named(fromUrl, null);
    return own;
  }
  return null;
}


/**
 * @param {object} env
 * @param {Window} env.win
 * @param {string} env.panelUrl runtime.getURL("overlay/panel.html")
 */
export function createOverlay({ win, panelUrl }) {
  const doc = win.document;
  let host = null;
  let parts = null;
  let shown = null; // {handle, theme} in the frame now
  let followsPage = false; // opened for the person in view: follow the page as it changes
  let lastUrl = null;
  let watch = null;
  let returnFocus = null; // back to the chip the card was opened from, when it closes

  function build() {
    let root;
    ({ host, root } = shadowHost(doc, "div", OVERLAY_ATTRIBUTE, "", CSS));
    const toggle = doc.createElement("button");
    toggle.className = "toggle";
    toggle.type = "button";
    toggle.textContent = "Rapport";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-label", `Rapport card (${SHORTCUT_LABEL})`);
    toggle.title = `Rapport card (${SHORTCUT_LABEL})`;
    toggle.addEventListener("click", (event) => {
      event.stopPropagation();
      api.toggle();
    });
    const panel = doc.createElement("div");
    panel.className = "panel light";
    panel.hidden = true;
    root.append(toggle, panel);
    (doc.body ?? doc.documentElement).append(host);
    parts = { toggle, panel, frame: null };
  }

  function show(handle, theme, name = null) {
    const fragment = new URLSearchParams({ ...(handle ? { handle } : {}), ...(name ? { name } : {}), theme }).toString();
    if (!parts.frame) {
      parts.frame = doc.createElement("iframe");
      parts.frame.title = "Rapport";
      parts.frame.setAttribute("allow", "");
      parts.frame.src = `${panelUrl}#${fragment}`;
      // Focus given to a frame still loading stays with the frame element, not its page: give it again.
      parts.frame.addEventListener("load", () => {
        if (doc.activeElement === host && api.isOpen) focusFrame();
      });
      parts.panel.append(parts.frame);
    } else if (!shown || shown.handle !== handle || shown.theme !== theme || shown.name !== name) {
      parts.frame.src = `${panelUrl}#${fragment}`; // only the fragment changes: the panel does not reload
    }
    shown = { handle, theme, name };
    parts.panel.className = `panel ${theme}`;
    parts.panel.hidden = false;
    parts.toggle.setAttribute("aria-expanded", "true");
    host.setAttribute("data-open", handle ?? "");
  }

  // The card is another origin (an out-of-process frame in Chrome): focusing the frame element alone does not
  // reach its page, its window has to be focused too (one of the few calls allowed across origins).
  function focusFrame() {
    parts.frame.focus();
    parts.frame.contentWindow?.focus();
  }

  // While open for the page's person, a new profile or status page (X navigates in place) shows its person.
  function startWatching() {
    if (watch !== null) return;
    lastUrl = win.location.href;
    watch = win.setInterval(() => {
      if (win.location.href === lastUrl) return;
      lastUrl = win.location.href;
      const person = personInView(win);
      if (followsPage && person && person.handle !== shown?.handle) show(person.handle, pageTheme(win), person.name);
    }, 500);
  }

  const onKey = (event) => {
    if (!isToggleKey(event)) return;
    event.preventDefault();
    event.stopPropagation();
    api.toggle();
  };

  const api = {
    start() {
      build();
      win.addEventListener("keydown", onKey, { capture: true });
    },
    /**
     * Show the card of `handle` (a chip was clicked or pressed; `name`: the name the page shows beside it). The
     * keyboard goes into the card; `back` gives it to the chip again when the card closes.
     */
    open(handle, name = null, back = null) {
      followsPage = false;
      returnFocus = back;
      show(handle, pageTheme(win), name);
      focusFrame();
      startWatching();
    },
    /** Open for the person in view, or close. */
    toggle() {
      if (api.isOpen) {
        api.close();
        return;
      }
      const person = personInView(win) ?? (shown?.handle ? { handle: shown.handle, name: shown.name } : null);
      followsPage = true;
      returnFocus = null; // opened from the page (X's j/k keep working there): the focus stays where it is
      show(person?.handle ?? null, pageTheme(win), person?.name ?? null);
      startWatching();
    },
    close() {
      if (!parts || parts.panel.hidden) return;
      parts.panel.hidden = true;
      parts.toggle.setAttribute("aria-expanded", "false");
      host.removeAttribute("data-open");
      const back = returnFocus;
      returnFocus = null;
      if (!back?.()) parts.toggle.focus();
    },
    stop() {
      win.removeEventListener("keydown", onKey, { capture: true });
      if (watch !== null) win.clearInterval(watch);
      host?.remove();
    },
    get isOpen() {
      return Boolean(parts && !parts.panel.hidden);
    },
    get handle() {
      return shown?.handle ?? null;
    },
  };
  return api;
}
