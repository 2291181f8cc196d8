// The background worker: the only code of the extension that talks to the companion.
// Here: check the companion on start, every minute and whenever the settings change, and show
// the result on the toolbar icon and in storage.local (where the options page reads it).

import { badgeFor, checkConnection } from "./connection.js";
import { HOST_PERMISSION, KEYS, settingsFrom } from "./settings.js";

const api = globalThis.browser ?? globalThis.chrome;

const ALARM = "rapport-health";
const CHECK_EVERY_MINUTES = 1;

let latestCheck = 0;
let inFlight = null;

async function hasHostAccess() {
  try {
    return await api.permissions.contains({ origins: [HOST_PERMISSION] });
  } catch {
    return true; // cannot tell: let the request itself show what happens
  }
}

async function showOnIcon(result) {
  const { text, colour, title } = badgeFor(result);
  await Promise.all([
    api.action.setBadgeText({ text }),
    api.action.setBadgeBackgroundColor({ color: colour }),
    api.action.setBadgeTextColor?.({ color: "#FFFFFF" }),
    api.action.setTitle({ title }),
  ]);
}

async function check(id) {
  const settings = settingsFrom(await api.storage.local.get([KEYS.url, KEYS.token]));
  const result = await checkConnection({
    url: settings.url,
    token: settings.token,
    hasAccess: await hasHostAccess(),
    fetch: (...args) => globalThis.fetch(...args),
  });
  if (id === latestCheck) {
    // Only the newest check reports: an older one may have used settings changed since.
    await showOnIcon(result);
    await api.storage.local.set({ [KEYS.connection]: result });
  }
  return result;
}

/**
 * Check the companion. Calls while a check runs share it, unless `force` (the settings changed,
 * so the running check may use stale ones).
 */
function runCheck({ force = false } = {}) {
  if (inFlight && !force) return inFlight;
  const id = ++latestCheck;
  const promise = check(id).finally(() => {
    if (inFlight === promise) inFlight = null;
  });
  inFlight = promise;
  return promise;
}

function runCheckLogged(options) {
  runCheck(options).catch((error) => console.error("Rapport: connection check failed", error));
}

async function ensureAlarm() {
  const alarm = await api.alarms.get(ALARM);
  if (!alarm || alarm.periodInMinutes !== CHECK_EVERY_MINUTES) {
    await api.alarms.create(ALARM, { delayInMinutes: CHECK_EVERY_MINUTES, periodInMinutes: CHECK_EVERY_MINUTES });
  }
}

const fromExtensionPage = (sender) =>
  sender?.id === api.runtime.id && typeof sender.url === "string" && sender.url.startsWith(api.runtime.getURL(""));

// Listeners are registered synchronously at the top level, so events wake the worker.
api.runtime.onStartup.addListener(() => runCheckLogged());
api.runtime.onInstalled.addListener(() => runCheckLogged());

api.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARM) runCheckLogged();
});

api.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && (KEYS.url in changes || KEYS.token in changes)) runCheckLogged({ force: true });
});

api.permissions.onAdded?.addListener(() => runCheckLogged({ force: true }));
api.permissions.onRemoved?.addListener(() => runCheckLogged({ force: true }));

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!fromExtensionPage(sender) || typeof message !== "object" || message === null) return false;
  if (message.type === "check-now") {
    runCheck().then(
      (result) => sendResponse({ ok: true, result }),
      (error) => sendResponse({ ok: false, error: String(error?.message ?? error) }),
    );
    return true; // answer asynchronously
  }
  return false;
});

// Every start of the worker (browser start, install, wake-up by an event): make sure the
// minute alarm exists and check once. Checks started by the waking event share this one.
ensureAlarm().catch((error) => console.error("Rapport: cannot create the check alarm", error));
runCheckLogged();
