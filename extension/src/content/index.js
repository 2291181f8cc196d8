// The content script on x.com, twitter.com and mobile.x.com: wires the page to the background
// worker. Bundled by build.mjs into one classic script (an IIFE): content scripts cannot be ES
// modules in MV3. It never fetches: the background is the client.
//
// - scanner.js watches the page once (one MutationObserver, one idle scheduler) for the two below;
// - agent.js reads the page and sends scrape batches (unless collection is paused);
// - chips.js puts badges beside names, with badges.js asking the background for them;
// - overlay.js opens the card of the person in view in a side panel;
// - a port to the background brings live changes (badges, "toggle the overlay").

import { KEYS } from "../common/settings.js";
import { createAgent } from "./agent.js";
import { createBadgeStore } from "./badges.js";
import { createChips } from "./chips.js";
import { createOverlay } from "./overlay.js";
import { createScanner } from "./scanner.js";
import { MSG, PORT, PUSH } from "../messages/index.js";

(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  if (!api?.runtime?.id || globalThis.top !== globalThis.self) return; // top frame of a live extension only
  // A second injection (extension reloaded, or injected twice) must not run twice. The marker holds
  // the parts: it lives in the content script's isolated world, out of the page's reach, where a
  // debugger (or `make bench`) can read their counters.
  const marker = "__rapportContentScript";
  if (globalThis[marker]) return;
  globalThis[marker] = true;

  const alive = () => Boolean(api.runtime?.id); // false once the extension is reloaded or removed
  const send = (message) => {
    try {
      return Promise.resolve(api.runtime.sendMessage(message));
    } catch (error) {
      return Promise.reject(error); // "Extension context invalidated" after an update
    }
  };

  const scanner = createScanner({ win: window });
  const agent = createAgent({
    win: window,
    scanner,
    send,
    onPausedChange: (listener) => {
      api.storage.onChanged.addListener((changes, area) => {
        if (area === "local" && KEYS.paused in changes) listener(changes[KEYS.paused].newValue === true);
      });
    },
  });

  let tagLabels = {};
  const store = createBadgeStore({
    request: (handles) => send({ type: MSG.BADGES, handles }),
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  });
  const overlay = createOverlay({ win: window, panelUrl: api.runtime.getURL("overlay/panel.html") });
  const chips = createChips({ win: window, scanner, store, onOpen: (handle, name, returnFocus) => overlay.open(handle, name, returnFocus), tagLabels: () => tagLabels });

  // Live changes and commands from the background. When the worker restarts the port breaks:
  // connect again and forget the badges, which may have changed meanwhile.
  function connect(isReconnect) {
    if (!alive()) return;
    let port;
    try {
      port = api.runtime.connect({ name: PORT.CONTENT });
    } catch {
      return;
    }
    port.onMessage.addListener((message) => {
      if (message?.type === PUSH.BADGES) store.apply(Array.isArray(message.badges) ? message.badges : []);
      else if (message?.type === PUSH.RESET) store.reset();
      else if (message?.type === PUSH.TOGGLE) overlay.toggle();
      else if (message?.type === PUSH.CLOSE) overlay.close();
    });
    port.onDisconnect.addListener(() => {
      if (alive()) window.setTimeout(() => connect(true), 1000);
      else {
        chips.stop();
        overlay.stop();
      }
    });
    if (isReconnect) store.reset();
  }

  globalThis[marker] = { agent, chips, overlay, store, scanner };
  agent.start().then((hello) => {
    tagLabels = hello?.tag_labels ?? {};
  }).catch(() => {});
  overlay.start();
  chips.start();
  connect(false);
})();
