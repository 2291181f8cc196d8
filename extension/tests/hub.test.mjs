// background/hub.js: the ports to our content scripts and panels; nobody else may connect.

import assert from "node:assert/strict";
import { test } from "node:test";

import { createHub } from "../src/background/hub.js";
import { PORT } from "../src/messages/index.js";

const SELF = { id: "abcdefghijklmnopabcdefghijklmnop", pageBase: "chrome-extension://abcdefghijklmnopabcdefghijklmnop/" };

function fakePort(name, sender) {
  const port = { name, sender, sent: [], disconnected: false, listeners: [] };
  port.postMessage = (message) => port.sent.push(message);
  port.disconnect = () => { port.disconnected = true; };
  port.onDisconnect = { addListener: (fn) => port.listeners.push(fn) };
  port.close = () => port.listeners.forEach((fn) => fn());
  return port;
}

test("our content scripts and panels are kept and pushed to; another sender is disconnected; listening follows them", () => {
  const listening = [];
  const hub = createHub(SELF, (on) => listening.push(on));
  const tab = fakePort(PORT.CONTENT, { id: SELF.id, url: "https://x.com/home", tab: { id: 7 } });
  const panel = fakePort(PORT.PANEL, { id: SELF.id, url: `${SELF.pageBase}overlay/panel.html` });
  const stranger = fakePort(PORT.CONTENT, { id: "someone-else", url: "https://x.com/home", tab: { id: 8 } });
  hub.connect(tab);
  hub.connect(panel);
  hub.connect(stranger);
  assert.equal(stranger.disconnected, true);
  hub.pushContent({ type: "a" });
  hub.pushPanels({ type: "b" });
  hub.pushTab(7, { type: "c" });
  hub.pushTab(9, { type: "d" });
  assert.deepEqual(tab.sent.map((m) => m.type), ["a", "c"]);
  assert.deepEqual(panel.sent.map((m) => m.type), ["b"]);
  assert.equal(hub.hasTab(7), true);
  tab.close();
  panel.close();
  assert.deepEqual(listening, [true, true, true, false]);
  assert.equal(hub.listening(), false);
});
