// The background worker: the only code of the extension that talks to the companion.
//
// - Checks the companion on start, every minute and whenever the settings change, and shows the
//   result on the toolbar icon and in storage.local (where the options page reads it).
// - Takes messages from the content scripts (validated: known type, valid scrape batch) and puts
//   batches in the offline queue, which sends them to POST /api/v1/ingest.
// - Pairs with the companion on the options page's request.
// - Answers the badges the content scripts ask for (badges.js: cached, batched across tabs) and
//   the overlay panel's reads and edits (edits.js: kept until the companion confirms them).
// - While an x.com tab or a panel is open, listens to the companion's live events (live.js) and
//   pushes the changes to them over their ports.
// Listeners are registered synchronously at the top level, so every event wakes the worker.

import {
  validateBadgesResponse, validateEvent, validateLiveEvent, validatePairStarted, validatePairStatus, validatePerson,
  validateKeepInTouch, validatePersonPatch, validateScrapeBatch,
} from "../generated/schema-validators.js";
import { STATE } from "../common/status.js";
import { HOST_PERMISSION, KEYS, settingsFrom } from "../common/settings.js";
import { loadVocabulary } from "../common/stages.js";
import { MSG, PUSH, SENDER, firstError, parseMessage, senderKind } from "../messages/index.js";
import { createBadgeCache } from "./badges.js";
import { createClient } from "./client.js";
import { checkConnection } from "./connection.js";
import { createEdits } from "./edits.js";
import { createHub } from "./hub.js";
import { createLive } from "./live.js";
import { clientName, createPairing } from "./pairing.js";
import { createQueue } from "./queue.js";
import { createMonitor } from "./monitor.js";
import { createRetry } from "./policy.js";
import { createReadingLog } from "./reading.js";
import { createToolbar } from "./toolbar.js";
import { NOTIFICATION_ID, createAnnouncer } from "./reminders.js";

const api = globalThis.browser ?? globalThis.chrome;
const storage = api.storage.local;

const ALARM = { health: "rapport-health", queue: "rapport-queue", pair: "rapport-pair", due: "rapport-due" };
const DUE_EVERY_MINUTES = 24 * 60;
const CHECK_EVERY_MINUTES = 1;
const MIN_ALARM_MS = 30000; // Chrome does not fire alarms sooner than 30 s
const PAIR_ALARM_MINUTES = 0.5;

const logError = (what) => (error) => console.error(`Rapport: ${what}`, error);

/** Run an API call that may return a promise (Chrome) or nothing (some Firefox calls); log failures. */
function quietly(what, call) {
  try {
    const result = call();
    if (result && typeof result.then === "function") result.then(undefined, logError(what));
  } catch (error) {
    logError(what)(error);
  }
}

// ---------------------------------------------------------------- companion client

const readSettings = async () => settingsFrom(await storage.get([KEYS.url, KEYS.token]));
const client = createClient({
  fetch: (...args) => globalThis.fetch(...args),
  settings: readSettings,
  validators: { pairStarted: validatePairStarted, pairStatus: validatePairStatus },
});

// ---------------------------------------------------------------- connection state and icon

async function hasHostAccess() {
  try {
    return await api.permissions.contains({ origins: [HOST_PERMISSION] });
  } catch {
    return true; // cannot tell: let the request itself show what happens
  }
}

const toolbar = createToolbar({
  action: api.action, counts: () => client.keepInTouch(0), validate: validateKeepInTouch,
  timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id) },
});

const monitor = createMonitor({
  probe: async () => {
    const settings = await readSettings();
    return checkConnection({ url: settings.url, token: settings.token, hasAccess: await hasHostAccess(), client });
  },
  report: async (result, before) => {
    await toolbar.report(result);
    await storage.set({ [KEYS.connection]: result });
    // The companion came back: send what waited, without waiting for the backoff.
    if (result.state === STATE.CONNECTED && before !== STATE.CONNECTED) {
      queue.resume().catch(logError("cannot resume the queue"));
      edits.flush().catch(logError("cannot send the waiting edits"));
      live.restart();
    }
    if (result.state !== before) pushPanels({ type: PUSH.CONNECTION, connection: publicConnection(result) });
  },
  onError: logError("connection check failed"),
});
const runCheck = monitor.run;
const runCheckLogged = monitor.runLogged;

// ---------------------------------------------------------------- offline queue

let queueTimer = null;

function scheduleQueue(delayMs) {
  clearTimeout(queueTimer);
  queueTimer = setTimeout(() => queue.flush().catch(logError("queue flush failed")), delayMs);
  // The worker may be suspended before the timer fires: an alarm wakes it (not before 30 s).
  quietly("cannot set the queue alarm", () => api.alarms.create(ALARM.queue, { when: Date.now() + Math.max(delayMs, MIN_ALARM_MS) }));
}

const queue = createQueue({
  storage,
  send: (batch) => client.ingest(batch),
  schedule: scheduleQueue,
  onAnswer: (answer) => monitor.noteAnswer(answer),
});

const flushLogged = () => queue.flush().catch(logError("queue flush failed"));
const resumeLogged = () => queue.resume().catch(logError("cannot resume the queue"));

// ---------------------------------------------------------------- pairing

let pairTimer = null;

function schedulePairing(delayMs) {
  clearTimeout(pairTimer);
  if (delayMs === null) {
    quietly("cannot clear the pairing alarm", () => api.alarms.clear(ALARM.pair));
    return;
  }
  pairTimer = setTimeout(() => pairing.poll().catch(logError("pairing poll failed")), delayMs);
  // When the options page is closed the worker may sleep: the alarm keeps polling.
  api.alarms.get(ALARM.pair).then((alarm) => {
    if (!alarm) return api.alarms.create(ALARM.pair, { delayInMinutes: PAIR_ALARM_MINUTES, periodInMinutes: PAIR_ALARM_MINUTES });
    return undefined;
  }).catch(logError("cannot set the pairing alarm"));
}

// Once paired, the token is in storage: storage.onChanged re-checks the connection and resumes the queue.
const pairing = createPairing({ storage, client, schedule: schedulePairing });

async function thisClientName() {
  let os = "";
  try {
    os = (await api.runtime.getPlatformInfo()).os;
  } catch {
    // unknown platform: the browser's name alone
  }
  const firefox = typeof api.runtime.getBrowserInfo === "function";
  return clientName({ browser: firefox ? "firefox" : "chrome", os });
}

// ---------------------------------------------------------------- badges, the overlay's person, live events

let vocabularyPromise = null;
const vocabulary = () => (vocabularyPromise ??= loadVocabulary(api.runtime).catch((error) => {
  vocabularyPromise = null;
  throw error;
}));

const badgeCache = createBadgeCache({
  fetchBadges: async (handles) => {
    const answer = await client.badges(handles);
    if (!answer.ok) return { ok: false, error: answer.message ?? `HTTP ${answer.status}` };
    if (!validateBadgesResponse(answer.body)) return { ok: false, error: `the companion's badges: ${firstError(validateBadgesResponse)}` };
    return { ok: true, badges: answer.body.badges };
  },
  setTimeout: (fn, ms) => setTimeout(fn, ms),
});

/** What a badge looks like once the companion forgets someone: nothing to show. */
const unknownBadge = (handle) => ({ known: false, handle, user_id: null, stage: 0, tags: [], notes: null, last_interaction_at: null });

// Listening to live events only while someone can hear them (an x.com tab or a panel).
const hub = createHub({ id: api.runtime.id, pageBase: api.runtime.getURL("") }, (listening) => {
  if (listening) live.start();
  else live.stop();
});
const { pushContent, pushPanels, pushTab } = hub;

function publicConnection(result) {
  return result ? { state: result.state, detail: result.detail } : { state: STATE.CHECKING, detail: "" };
}

/** Fetch fresh badges for `handles` and push them to the tabs (after an edit, without waiting for live events). */
async function refreshBadges(handles) {
  for (const handle of handles) badgeCache.forget(handle);
  const badges = Object.values(await badgeCache.get(handles));
  if (badges.length) pushContent({ type: PUSH.BADGES, badges });
}

function onLiveEvent(event) {
  if (event.type.startsWith("person.")) toolbar.changed();
  if (event.type === "person.created" || event.type === "person.updated") {
    badgeCache.put(event.badge);
    pushContent({ type: PUSH.BADGES, badges: [event.badge] });
  } else if (event.type === "person.deleted" && event.handle) {
    badgeCache.forget(event.handle);
    pushContent({ type: PUSH.BADGES, badges: [unknownBadge(event.handle)] });
  }
  if (event.key) pushPanels({ type: PUSH.PERSON, key: event.key, handle: event.handle ?? null, user_id: event.user_id ?? null });
}

const live = createLive({
  WebSocket: globalThis.WebSocket,
  validate: validateLiveEvent,
  target: async () => {
    const stored = await storage.get([KEYS.url, KEYS.token, KEYS.connection]);
    const settings = settingsFrom(stored);
    const port = stored[KEYS.connection]?.live_port;
    if (!settings.token || !Number.isInteger(port) || stored[KEYS.connection]?.url !== settings.url) return null;
    return { url: `ws://${new URL(settings.url).hostname}:${port}/`, token: settings.token };
  },
  onEvent: onLiveEvent,
  onState: (state, detail) => {
    storage.set({ [KEYS.live]: { state, detail: detail ?? null, at: new Date().toISOString() } }).catch(logError("cannot keep the live state"));
    // A companion restarted elsewhere listens on a new live port: a check learns it (not when we
    // closed it because nobody listens).
    if (state === "closed" && hub.listening()) runCheckLogged();
  },
  onReady: () => {
    // Reconnected: whatever changed while nobody listened is unknown, so start afresh.
    badgeCache.clear();
    pushContent({ type: PUSH.RESET });
    pushPanels({ type: PUSH.PERSON, all: true });
  },
  timers: { setTimeout, clearTimeout, setInterval, clearInterval },
});

api.runtime.onConnect.addListener((port) => hub.connect(port));

const edits = createEdits({
  storage,
  key: KEYS.edits,
  client,
  newId: () => crypto.randomUUID(),
  // With the live connection up, the companion's own event brings the new badge: ask only without it.
  onSaved: (item) => {
    if (live.state !== "connected") refreshBadges([item.handle]).catch(logError("cannot refresh a badge"));
  },
  onChange: (pending) => pushPanels({ type: PUSH.CONNECTION, pending }),
});

/** The overlay's person: their card, or null when the companion has never seen them, and what waits. */
async function personCard(handle) {
  const [answer, pending, connection] = await Promise.all([
    client.person(handle), edits.pendingFor(handle), storage.get(KEYS.connection),
  ]);
  const base = { ok: true, pending, connection: publicConnection(connection[KEYS.connection]) };
  if (answer.ok) {
    if (!validatePerson(answer.body)) return { ...base, person: null, unavailable: `The companion's answer: ${firstError(validatePerson)}` };
    return { ...base, person: answer.body };
  }
  if (answer.status === 404) return { ...base, person: null };
  if (answer.status === 0 || answer.status === 401) runCheckLogged({ force: true });
  return { ...base, person: null, unavailable: answer.message ?? `HTTP ${answer.status}` };
}

// Edits that wait are tried again with a growing delay (and at every minute's check, and when the
// companion is seen again), so they arrive soon after the companion is back.
const editRetry = createRetry({
  attempt: async () => (await edits.flush()).pending === 0,
  backoff: Object.freeze({ baseMs: 2000, maxMs: 30000, jitter: 0.2 }),
  onDone: () => runCheckLogged({ force: true }),
});

async function saveEdit(message) {
  const item = message.type === MSG.PERSON_EDIT ? { kind: "edit", handle: message.handle, change: message.change }
    : message.type === MSG.PERSON_SUGGESTION
      ? { kind: "starter", handle: message.handle, suggestion: message.suggestion, action: message.action }
      : { kind: "log", handle: message.handle, event: message.event };
  if (message.display_name) item.display_name = message.display_name;
  const result = await edits.add(item);
  if (result.queued) {
    runCheckLogged({ force: true });
    editRetry.soon();
  } else if (monitor.state !== STATE.CONNECTED) {
    runCheckLogged({ force: true }); // it answered: the icon and the live connection catch up
  }
  return {
    ok: !result.dropped, saved: Boolean(result.saved), queued: Boolean(result.queued), pending: result.pending,
    ...(result.dropped ? { error: result.message } : {}),
  };
}

// For a debugger (and `make bench`): what the badges and the live connection cost. The worker's
// global scope is the extension's own; no page can read it.
globalThis.rapportStats = () => ({ badges: { ...badgeCache.stats, cached: badgeCache.size }, live: { ...live.stats, state: live.state } });

// The toolbar button opens the overlay on an x.com tab (the options page stays a right-click away).
api.action.onClicked.addListener((tab) => {
  if (tab?.id !== undefined && hub.hasTab(tab.id)) pushTab(tab.id, { type: PUSH.TOGGLE });
  else quietly("cannot open the options page", () => api.runtime.openOptionsPage());
});

// ---------------------------------------------------------------- messages

let stats = null;
let statsChain = Promise.resolve();

/** Count accepted and rejected messages (and the content scripts' own counts) in storage.local. */
function countMessage(change) {
  statsChain = statsChain.then(async () => {
    if (!stats) {
      const stored = (await storage.get(KEYS.messages))[KEYS.messages];
      stats = { accepted: 0, rejected: 0, content_errors: 0, content_skipped: 0, last_rejected: null, ...(stored ?? {}) };
    }
    stats = change(stats);
    await storage.set({ [KEYS.messages]: stats });
  }).catch(logError("cannot count messages"));
}

function rejected(kind, reason) {
  console.warn(`Rapport: rejected a message from a ${kind}: ${reason}`);
  countMessage((s) => ({ ...s, rejected: s.rejected + 1, last_rejected: { at: new Date().toISOString(), from: kind, reason } }));
}

let knownMe = null;
const readingLog = createReadingLog({ storage, onError: logError("cannot keep the reader's counts") });

/** One table from message type to handler; messages/index.js says who may send which, and checks their fields. */
const ROUTES = Object.freeze({
  // content scripts
  [MSG.HELLO]: async () => {
    const stored = await storage.get([KEYS.paused, KEYS.me]);
    return {
      ok: true, paused: stored[KEYS.paused] === true, me: typeof stored[KEYS.me] === "string" ? stored[KEYS.me] : null,
      tag_labels: (await vocabulary()).tagLabels,
    };
  },
  [MSG.ME]: async (message) => {
    if (message.handle !== knownMe) {
      knownMe = message.handle;
      await storage.set({ [KEYS.me]: message.handle });
    }
    return { ok: true };
  },
  [MSG.BADGES]: async (message) => ({ ok: true, badges: await badgeCache.get(message.handles) }),
  [MSG.READING]: async (message) => {
    await readingLog.record(message);
    return { ok: true };
  },
  [MSG.BATCH]: async (message) => {
    if ((await storage.get(KEYS.paused))[KEYS.paused] === true) return { ok: false, error: "paused" };
    const queued = await queue.enqueue(message.batch);
    if (!queued.ok) {
      rejected(SENDER.CONTENT, queued.error);
      return { ok: false, error: queued.error };
    }
    countMessage((s) => ({
      ...s,
      accepted: s.accepted + 1,
      content_errors: s.content_errors + message.stats.errors,
      content_skipped: s.content_skipped + message.stats.skipped,
    }));
    flushLogged();
    return { ok: true, batch_id: queued.batch_id };
  },
  // our own pages (options, the overlay panel)
  [MSG.PERSON_GET]: (message) => personCard(message.handle),
  [MSG.PERSON_EDIT]: (message) => saveEdit(message),
  [MSG.PERSON_LOG]: (message) => saveEdit(message),
  [MSG.PERSON_SUGGESTION]: (message) => saveEdit(message),
  [MSG.OVERLAY_CLOSE]: async (message, sender) => {
    pushTab(sender.tab?.id, { type: PUSH.CLOSE });
    return { ok: true };
  },
  [MSG.CHECK]: async () => ({ ok: true, result: await runCheck() }),
  [MSG.PAIR_START]: async () => ({ ok: true, pairing: await pairing.start(await thisClientName()) }),
  [MSG.PAIR_CANCEL]: async () => {
    await pairing.cancel();
    return { ok: true };
  },
  [MSG.FLUSH]: async () => {
    await queue.resume();
    return { ok: true, status: await queue.status() };
  },
});

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const kind = senderKind(sender, { id: api.runtime.id, pageBase: api.runtime.getURL("") });
  if (kind === null) return false; // not ours to answer
  const parsed = parseMessage(message, kind, {
    validateBatch: validateScrapeBatch, validatePatch: validatePersonPatch, validateEvent,
  });
  if (!parsed.ok) {
    rejected(kind, parsed.error);
    sendResponse({ ok: false, error: parsed.error });
    return false;
  }
  const route = ROUTES[parsed.message.type];
  if (!route) {
    sendResponse({ ok: false, error: "unknown message" });
    return false;
  }
  route(parsed.message, sender).then(
    (answer) => sendResponse(answer),
    (error) => {
      console.error("Rapport: message failed", error);
      sendResponse({ ok: false, error: String(error?.message ?? error) });
    },
  );
  return true; // answer asynchronously
});

// ---------------------------------------------------------------- the daily notification (optional)

// Once a day, when the user turned it on (and granted the permission): who became overdue since.
const announcer = createAnnouncer({
  storage, client, validate: validateKeepInTouch, iconUrl: api.runtime.getURL("icons/rapport-48.png"),
  // The API exists only once the optional permission is granted: read it at each run.
  get notifications() { return api.notifications; },
  allowed: () => api.permissions.contains({ permissions: ["notifications"] }),
});
const announceLogged = () => announcer.run().catch(logError("cannot announce who became overdue"));

api.notifications?.onClicked?.addListener((id) => {
  if (id !== NOTIFICATION_ID) return;
  readSettings().then((settings) => api.tabs.create({ url: `${settings.url}/keep-in-touch` }))
    .catch(logError("cannot open the Keep in touch page"));
});

// ---------------------------------------------------------------- events

api.runtime.onStartup.addListener(() => {
  runCheckLogged();
  resumeLogged();
});
api.runtime.onInstalled.addListener((details) => {
  runCheckLogged();
  // First install: show the options page, where pairing starts.
  // A tab of its own: runtime.openOptionsPage() opens nothing in some Firefox setups.
  if (details?.reason === "install") {
    quietly("cannot open the options page", () => api.tabs.create({ url: api.runtime.getURL("options/options.html") }));
  }
});

api.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARM.health) {
    runCheckLogged();
    flushLogged();
    edits.flush().catch(logError("cannot send the waiting edits"));
  } else if (alarm.name === ALARM.queue) {
    flushLogged();
  } else if (alarm.name === ALARM.pair) {
    pairing.poll().catch(logError("pairing poll failed"));
  } else if (alarm.name === ALARM.due) {
    announceLogged();
  }
});

api.storage.onChanged.addListener((changes, area) => {
  if (area !== "local") return;
  if (KEYS.url in changes || KEYS.token in changes) {
    runCheckLogged({ force: true });
    resumeLogged();
  } else if (KEYS.paused in changes) {
    resumeLogged();
  }
  if (changes[KEYS.notify]?.newValue === true) announceLogged(); // turned on: the first one at once
});

api.permissions.onAdded?.addListener(() => runCheckLogged({ force: true }));
api.permissions.onRemoved?.addListener(() => runCheckLogged({ force: true }));

async function ensureAlarm() {
  const alarm = await api.alarms.get(ALARM.health);
  if (!alarm || alarm.periodInMinutes !== CHECK_EVERY_MINUTES) {
    await api.alarms.create(ALARM.health, { delayInMinutes: CHECK_EVERY_MINUTES, periodInMinutes: CHECK_EVERY_MINUTES });
  }
  if (!(await api.alarms.get(ALARM.due))) {
    await api.alarms.create(ALARM.due, { delayInMinutes: CHECK_EVERY_MINUTES, periodInMinutes: DUE_EVERY_MINUTES });
  }
}

// Every start of the worker (browser start, install, wake-up by an event): make sure the minute
// alarm exists, check once, send what is queued, and go on polling a pairing left pending.
ensureAlarm().catch(logError("cannot create the check alarm"));
runCheckLogged();
flushLogged();
pairing.current().then((record) => {
  if (record?.state === "pending") return pairing.poll();
  return undefined;
}).catch(logError("pairing poll failed"));
