// The content script on x.com, twitter.com and mobile.x.com: wires the agent (agent.js) to the
// page and to the background worker. Bundled by build.mjs into one classic script (an IIFE):
// content scripts cannot be ES modules in MV3. It never fetches: the background is the client.

import { KEYS } from "../common/settings.js";
import { createAgent } from "./agent.js";

(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  if (!api?.runtime?.id || globalThis.top !== globalThis.self) return; // top frame of a live extension only
  // A second injection (extension reloaded, or injected twice) must not run twice. The marker holds
  // the agent: it lives in the content script's isolated world, out of the page's reach, where a
  // debugger (or `make bench`) can read its counters.
  const marker = "__rapportContentScript";
  if (globalThis[marker]) return;
  globalThis[marker] = true;

  const send = (message) => {
    try {
      return Promise.resolve(api.runtime.sendMessage(message));
    } catch (error) {
      return Promise.reject(error); // "Extension context invalidated" after an update
    }
  };

  const agent = createAgent({
    win: window,
    send,
    onPausedChange: (listener) => {
      api.storage.onChanged.addListener((changes, area) => {
        if (area === "local" && KEYS.paused in changes) listener(changes[KEYS.paused].newValue === true);
      });
    },
  });
  globalThis[marker] = agent;
  agent.start().catch(() => {});
})();
