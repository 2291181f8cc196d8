// The background worker: the only code of the extension that talks to the companion. This file
// only wires: it reads the browser's API, builds each part with what it needs, and registers the
// listeners, synchronously at the top level, so every event wakes the worker. The parts:
// - monitor.js checks the companion (on start, every minute, when the settings change) and shows
//   the result on the toolbar icon (toolbar.js) and in storage.local, where the options page reads it;
// - router.js takes the messages of the content scripts and our pages (checked by messages/index.js)
//   and answers each with its one handler; stats.js counts them;
// - queue.js sends scrape batches to POST /api/v1/ingest, kept until the companion takes them;
// - cards.js answers the badges (badges.js: cached, batched across tabs) and the overlay's person,
//   and tells the tabs and panels (hub.js, their ports) what changed, from live events (live.js);
// - saving.js keeps the overlay's edits (edits.js) until the companion confirms them;
// - pairing.js pairs on the options page's request; reminders.js announces who became overdue;
// - alarms.js wakes the worker for the minute's check, the queue, the pairing poll and the day's announcement.

import {
  validateBadgesResponse, validateEvent, validateLiveEvent, validatePairStarted, validatePairStatus, validatePerson,
  validateKeepInTouch, validatePersonPatch, validateScrapeBatch,
} from "../generated/schema-validators.js";
import { KEYS, settingsFrom } from "../common/settings.js";
import { loadVocabulary } from "../common/stages.js";
import { PUSH } from "../messages/index.js";
import { ALARM, createAlarms } from "./alarms.js";
import { createBadgeCache } from "./badges.js";
import { badgeLookup, createCards, publicConnection } from "./cards.js";
import { createClient } from "./client.js";
import { createEdits } from "./edits.js";
import { createHub } from "./hub.js";
import { createLive, liveTarget } from "./live.js";
import { logError, quietly } from "./log.js";
import { connectionProbe, connectionReport, createMonitor } from "./monitor.js";
import { browserName, createPairing } from "./pairing.js";
import { createQueue } from "./queue.js";
import { createReadingLog } from "./reading.js";
import { NOTIFICATION_ID, createAnnouncer } from "./reminders.js";
import { createRouter, createRoutes } from "./router.js";
import { createSaving } from "./saving.js";
import { createMessageStats } from "./stats.js";
import { createToolbar } from "./toolbar.js";

const api = globalThis.browser ?? globalThis.chrome;
const storage = api.storage.local;
const self = { id: api.runtime.id, pageBase: api.runtime.getURL("") };
// Called as methods of this object: wrapped, so the browser's own functions keep the global as `this`.
const timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id),
  setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (id) => clearInterval(id),
};

const readSettings = async () => settingsFrom(await storage.get([KEYS.url, KEYS.token]));
const client = createClient({
  fetch: (...args) => globalThis.fetch(...args),
  settings: readSettings,
  validators: { pairStarted: validatePairStarted, pairStatus: validatePairStatus },
});
const alarms = createAlarms({ alarms: api.alarms, timers, onError: logError("cannot set an alarm") });
const toolbar = createToolbar({ action: api.action, counts: () => client.keepInTouch(0), validate: validateKeepInTouch, timers });
const monitor = createMonitor({
  probe: connectionProbe({ settings: readSettings, permissions: api.permissions, client }),
  report: connectionReport({
    toolbar,
    storage,
    onBack: () => { // the companion came back: send what waited, without waiting for the backoff
      resumeQueue();
      flushEdits();
      live.restart();
    },
    onChange: (result) => hub.pushPanels({ type: PUSH.CONNECTION, connection: publicConnection(result) }),
  }),
  onError: logError("connection check failed"),
});
const queue = createQueue({
  storage, send: (batch) => client.ingest(batch), onAnswer: (answer) => monitor.noteAnswer(answer),
  schedule: (delayMs) => alarms.queueIn(delayMs, flushQueue),
});
// Once paired, the token is in storage: storage.onChanged re-checks the connection and resumes the queue.
const pairing = createPairing({ storage, client, schedule: (delayMs) => alarms.pairIn(delayMs, pollPairing) });
const badges = createBadgeCache({ fetchBadges: badgeLookup(client, validateBadgesResponse), setTimeout: timers.setTimeout });
// Live events are listened to only while someone can hear them (an x.com tab or a panel).
const hub = createHub(self, (listening) => (listening ? live.start() : live.stop()));
const edits = createEdits({
  storage, key: KEYS.edits, client, newId: () => crypto.randomUUID(),
  onSaved: (item) => cards.onSaved(item),
  onChange: (pending) => hub.pushPanels({ type: PUSH.CONNECTION, pending }),
});
const cards = createCards({
  client, validatePerson, badges, edits, storage, hub, toolbar, monitor,
  liveConnected: () => live.state === "connected", onError: logError("cannot refresh a badge"),
});
const live = createLive({
  WebSocket: globalThis.WebSocket, validate: validateLiveEvent, timers,
  target: async () => liveTarget(await storage.get([KEYS.url, KEYS.token, KEYS.connection])),
  onEvent: (event) => cards.onLiveEvent(event),
  onReady: () => cards.onLiveReady(),
  onState: (state, detail) => {
    storage.set({ [KEYS.live]: { state, detail: detail ?? null, at: new Date().toISOString() } }).catch(logError("cannot keep the live state"));
    // A companion restarted elsewhere listens on a new live port: a check learns it (not when we
    // closed it because nobody listens).
    if (state === "closed" && hub.listening()) monitor.runLogged();
  },
});
const stats = createMessageStats({ storage, onError: logError("cannot count messages") });
const router = createRouter({
  self, stats, validators: { validateBatch: validateScrapeBatch, validatePatch: validatePersonPatch, validateEvent },
  routes: createRoutes({
    storage, badges, queue, stats, cards, hub, monitor, pairing,
    loadVocabulary: () => loadVocabulary(api.runtime),
    readingLog: createReadingLog({ storage, onError: logError("cannot keep the reader's counts") }),
    saving: createSaving({ edits, monitor }),
    browserName: () => browserName(api.runtime),
  }),
});
// Once a day, when the user turned it on (and granted the permission): who became overdue since.
const announcer = createAnnouncer({
  storage, client, validate: validateKeepInTouch, iconUrl: api.runtime.getURL("icons/rapport-48.png"),
  // The API exists only once the optional permission is granted: read it at each run.
  get notifications() { return api.notifications; },
  allowed: () => api.permissions.contains({ permissions: ["notifications"] }),
});

const flushQueue = () => queue.flush().catch(logError("queue flush failed"));
const resumeQueue = () => queue.resume().catch(logError("cannot resume the queue"));
const flushEdits = () => edits.flush().catch(logError("cannot send the waiting edits"));
const pollPairing = () => pairing.poll().catch(logError("pairing poll failed"));
const announce = () => announcer.run().catch(logError("cannot announce who became overdue"));
const recheck = () => monitor.runLogged({ force: true });

// For a debugger (and `make bench`): what the badges and the live connection cost. The worker's
// global scope is the extension's own; no page can read it.
globalThis.rapportStats = () => ({ badges: { ...badges.stats, cached: badges.size }, live: { ...live.stats, state: live.state } });

// ---------------------------------------------------------------- listeners

api.runtime.onMessage.addListener((message, sender, sendResponse) => router.listener(message, sender, sendResponse));
api.runtime.onConnect.addListener((port) => hub.connect(port));
// The toolbar button opens the overlay on an x.com tab (the options page stays a right-click away).
api.action.onClicked.addListener((tab) => {
  if (tab?.id !== undefined && hub.hasTab(tab.id)) hub.pushTab(tab.id, { type: PUSH.TOGGLE });
  else quietly("cannot open the options page", () => api.runtime.openOptionsPage());
});
api.notifications?.onClicked?.addListener((id) => {
  if (id !== NOTIFICATION_ID) return;
  readSettings().then((settings) => api.tabs.create({ url: `${settings.url}/keep-in-touch` }))
    .catch(logError("cannot open the Keep in touch page"));
});
api.runtime.onStartup.addListener(() => {
  monitor.runLogged();
  resumeQueue();
});
api.runtime.onInstalled.addListener((details) => {
  monitor.runLogged();
  // First install: show the options page, where pairing starts.
  // A tab of its own: runtime.openOptionsPage() opens nothing in some Firefox setups.
  if (details?.reason === "install") {
    quietly("cannot open the options page", () => api.tabs.create({ url: api.runtime.getURL("options/options.html") }));
  }
});
api.alarms.onAlarm.addListener(alarms.listener({
  [ALARM.health]: () => {
    monitor.runLogged();
    flushQueue();
    flushEdits();
  },
  [ALARM.queue]: flushQueue,
  [ALARM.pair]: pollPairing,
  [ALARM.due]: announce,
}));
api.storage.onChanged.addListener((changes, area) => {
  if (area !== "local") return;
  if (KEYS.url in changes || KEYS.token in changes) {
    recheck();
    resumeQueue();
  } else if (KEYS.paused in changes) {
    resumeQueue();
  }
  if (changes[KEYS.notify]?.newValue === true) announce(); // turned on: the first one at once
});
api.permissions.onAdded?.addListener(recheck);
api.permissions.onRemoved?.addListener(recheck);

// Every start of the worker (browser start, install, wake-up by an event): make sure the alarms
// exist, check once, send what is queued, and go on polling a pairing left pending.
alarms.ensure().catch(logError("cannot create the check alarm"));
monitor.runLogged();
flushQueue();
pairing.current().then((record) => (record?.state === "pending" ? pairing.poll() : undefined)).catch(logError("pairing poll failed"));
