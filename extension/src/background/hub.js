// The ports the background keeps to the pages it pushes to: each x.com tab's content script (badges,
// "toggle the overlay") and each open overlay panel (a person changed, the connection). Only our own
// content scripts and pages may connect; anything else is disconnected at once.

import { PORT, SENDER, senderKind } from "../messages/index.js";

/**
 * @param {{id: string, pageBase: string}} self the extension's id and runtime.getURL("")
 * @param {(listening: boolean) => void} [onListening] someone is connected (or nobody is any more)
 */
export function createHub(self, onListening = () => {}) {
  const contentPorts = new Map(); // port -> tab id
  const panelPorts = new Set();

  function post(port, message) {
    try {
      port.postMessage(message);
    } catch {
      // the tab went away between the event and the message
    }
  }

  const listening = () => contentPorts.size + panelPorts.size > 0;

  return {
    /** runtime.onConnect: keep a port of ours, refuse any other. */
    connect(port) {
      const kind = senderKind(port.sender, self);
      if (kind === SENDER.CONTENT && port.name === PORT.CONTENT) contentPorts.set(port, port.sender.tab?.id ?? null);
      else if (kind === SENDER.PAGE && port.name === PORT.PANEL) panelPorts.add(port);
      else {
        port.disconnect();
        return;
      }
      port.onDisconnect.addListener(() => {
        contentPorts.delete(port);
        panelPorts.delete(port);
        onListening(listening());
      });
      onListening(listening());
    },
    pushContent: (message) => contentPorts.forEach((_, port) => post(port, message)),
    pushPanels: (message) => panelPorts.forEach((port) => post(port, message)),
    pushTab(tabId, message) {
      for (const [port, id] of contentPorts) if (id === tabId) post(port, message);
    },
    /** Whether an x.com tab with our content script is this tab. */
    hasTab: (tabId) => [...contentPorts.values()].includes(tabId),
    listening,
  };
}
