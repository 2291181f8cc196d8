// Options page: the connection state, pairing, the collection switch and the queue, how the page
// reader is doing, the companion address (and a token typed by hand), and the stage legend.
// Every piece of text goes in with textContent: nothing here ever parses HTML.

import { STATE, STATE_INFO } from "../common/status.js";
import { DEFAULT_COMPANION_URL, HOST_PERMISSION, KEYS, normalizeCompanionUrl, normalizeToken } from "../common/settings.js";
import { loadStages } from "../common/stages.js";
import { MSG } from "../messages/index.js";
import { pairingView, queueView, readingView } from "./view.js";

const api = globalThis.browser ?? globalThis.chrome;

const $ = (id) => document.getElementById(id);

function el(tag, { className, text } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  node.append(...children);
  return node;
}

function dot(colour, className = "dot") {
  const node = el("span", { className });
  node.style.backgroundColor = colour;
  node.setAttribute("aria-hidden", "true");
  return node;
}

function renderStatus(result) {
  const state = result && STATE_INFO[result.state] ? result.state : STATE.CHECKING;
  const info = STATE_INFO[state];
  const children = [dot(info.colour), el("strong", { text: info.label })];
  if (result?.detail) children.push(el("p", { className: "detail", text: result.detail }));
  if (result?.checked_at) {
    const when = new Date(result.checked_at);
    const parts = [`${result.url}`];
    if (result.server_version) parts.push(`companion ${result.server_version}`);
    if (!Number.isNaN(when.getTime())) parts.push(`checked ${when.toLocaleTimeString()}`);
    children.push(el("p", { className: "meta", text: parts.join(" · ") }));
  }
  $("status").replaceChildren(...children);
  void refreshAccessButton(state);
}

// The live events (badges and cards update by themselves); connected only while an x.com tab is open.
function renderLive(live) {
  const text = {
    connected: "Live updates: connected.",
    connecting: "Live updates: connecting…",
    closed: "Live updates: not connected (they start when an x.com tab is open)",
  }[live?.state];
  $("live").textContent = text ? `${text}${live.state === "closed" && live.detail ? ` Last: ${live.detail}.` : ""}` : "";
}

let pairingRecord = null;

function renderPairing(record = pairingRecord) {
  pairingRecord = record ?? null;
  const view = pairingView(pairingRecord, Date.now());
  const children = [];
  if (view.pending) {
    children.push(el("p", { text: "Your pairing code:" }));
    children.push(el("strong", { className: "code", text: view.code }));
    for (const line of view.lines) children.push(el("p", { text: line }));
  } else if (view.outcome) {
    children.push(el("p", { className: `outcome ${view.outcome.good ? "good" : "bad"}`, text: view.outcome.text }));
    // The form's "pair this browser" hint is answered now.
    if (view.outcome.good) showMessage("");
  }
  $("pairing").replaceChildren(...children);
  $("pair-cancel").hidden = !view.pending;
  $("pair-start").textContent = view.pending ? "Ask for a new code" : "Pair with the companion";
}

let queueStatus = null;
let messageStats = null;

function renderQueue() {
  const view = queueView(queueStatus, messageStats, Date.now());
  $("queue").replaceChildren(...view.facts.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })]));
  $("queue-error").textContent = view.error;
}

let readingLog = null;

function renderReading() {
  const rows = readingView(readingLog, Date.now());
  $("reading").querySelector("tbody").replaceChildren(...rows.map((row) => {
    const first = el("th", { text: row.kind });
    first.scope = "row";
    if (row.warning) first.append(el("p", { className: "message error", text: row.warning }));
    if (row.reasons) first.append(el("p", { className: "meta", text: `Skipped: ${row.reasons}` }));
    return el("tr", {}, [first, el("td", { text: row.recognised }), el("td", { text: row.skipped }), el("td", { text: row.lastRead })]);
  }));
  $("reading").hidden = rows.length === 0;
  $("reading-empty").hidden = rows.length > 0;
}

function showMessage(text, { error = false } = {}) {
  const message = $("form-message");
  message.textContent = text;
  message.classList.toggle("error", error);
}

function markInvalid(input, invalid) {
  if (invalid) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

async function refreshAccessButton(state) {
  let granted = true;
  try {
    granted = await api.permissions.contains({ origins: [HOST_PERMISSION] });
  } catch {
    granted = state !== STATE.NO_ACCESS;
  }
  $("grant-access").hidden = granted;
}

async function loadForm() {
  const stored = await api.storage.local.get([KEYS.url, KEYS.token, KEYS.paused, KEYS.notify]);
  const url = $("companion-url");
  url.placeholder = DEFAULT_COMPANION_URL;
  url.value = typeof stored[KEYS.url] === "string" ? stored[KEYS.url] : "";
  $("companion-token").value = typeof stored[KEYS.token] === "string" ? stored[KEYS.token] : "";
  $("paused").checked = stored[KEYS.paused] === true;
  $("notify").checked = stored[KEYS.notify] === true;
}

async function save(event) {
  event.preventDefault();
  const urlInput = $("companion-url");
  const tokenInput = $("companion-token");
  const url = normalizeCompanionUrl(urlInput.value);
  const token = normalizeToken(tokenInput.value);
  markInvalid(urlInput, !url.ok);
  markInvalid(tokenInput, !token.ok);
  if (!url.ok || !token.ok) {
    if (!token.ok) $("advanced").open = true;
    showMessage([url.error, token.error].filter(Boolean).join(" "), { error: true });
    (url.ok ? tokenInput : urlInput).focus();
    return;
  }
  try {
    await api.storage.local.set({ [KEYS.url]: url.url });
    if (token.token === null) await api.storage.local.remove(KEYS.token);
    else await api.storage.local.set({ [KEYS.token]: token.token });
  } catch (error) {
    showMessage(`Could not save: ${error?.message ?? error}`, { error: true });
    return;
  }
  urlInput.value = url.url;
  tokenInput.value = token.token ?? "";
  showMessage(token.token === null ? "Saved. Without a token the companion will not answer Rapport: pair this browser." : "Saved.");
  await checkNow();
}

async function ask(message) {
  const answer = await api.runtime.sendMessage(message);
  if (!answer?.ok) throw new Error(answer?.error ?? "no answer from the background worker");
  return answer;
}

async function checkNow() {
  const button = $("check-now");
  button.disabled = true;
  renderStatus({ state: STATE.CHECKING });
  try {
    renderStatus((await ask({ type: MSG.CHECK })).result);
  } catch (error) {
    showMessage(`The check failed: ${error?.message ?? error}`, { error: true });
  } finally {
    button.disabled = false;
  }
}

async function startPairing() {
  const button = $("pair-start");
  button.disabled = true;
  try {
    renderPairing((await ask({ type: MSG.PAIR_START })).pairing);
  } catch (error) {
    renderPairing({ state: "failed", detail: `Could not ask to pair: ${error?.message ?? error}` });
  } finally {
    button.disabled = false;
  }
}

async function cancelPairing() {
  try {
    await ask({ type: MSG.PAIR_CANCEL });
    renderPairing(null);
  } catch (error) {
    renderPairing({ state: "failed", detail: `Could not cancel: ${error?.message ?? error}` });
  }
}

async function flushNow() {
  const button = $("flush-now");
  button.disabled = true;
  try {
    queueStatus = (await ask({ type: MSG.FLUSH })).status;
    renderQueue();
  } catch (error) {
    $("queue-error").textContent = `Could not send: ${error?.message ?? error}`;
  } finally {
    button.disabled = false;
  }
}

async function grantAccess() {
  // Must run straight from the click: the browser asks the user.
  const granted = await api.permissions.request({ origins: [HOST_PERMISSION] });
  if (granted) await checkNow();
  else showMessage("Without access to 127.0.0.1 Rapport cannot reach the companion.", { error: true });
}

async function renderStages() {
  const list = $("stages");
  try {
    const stages = await loadStages(api.runtime);
    list.replaceChildren(...stages.map((stage) => el("li", {}, [
      dot(stage.colour, "swatch"),
      el("strong", { text: stage.name }),
      el("span", { className: "description", text: stage.description }),
    ])));
  } catch (error) {
    list.replaceChildren(el("li", { text: `Cannot show the stages: ${error.message}` }));
  }
}

async function main() {
  $("settings").addEventListener("submit", (event) => void save(event));
  $("check-now").addEventListener("click", () => void checkNow());
  $("pair-start").addEventListener("click", () => void startPairing());
  $("pair-cancel").addEventListener("click", () => void cancelPairing());
  $("flush-now").addEventListener("click", () => void flushNow());
  $("grant-access").addEventListener("click", () => {
    grantAccess().catch((error) => showMessage(`Could not ask for access: ${error?.message ?? error}`, { error: true }));
  });
  $("show-token").addEventListener("change", (event) => {
    $("companion-token").type = event.target.checked ? "text" : "password";
  });
  $("notify").addEventListener("change", async (event) => {
    const on = event.target.checked;
    $("notify-error").textContent = "";
    try {
      // Asked for only now, from the click: the permission is optional.
      if (on && !(await api.permissions.request({ permissions: ["notifications"] }))) {
        event.target.checked = false;
        $("notify-error").textContent = "Not turned on: the browser did not allow notifications.";
        return;
      }
      await api.storage.local.set({ [KEYS.notify]: on });
    } catch (error) {
      event.target.checked = !on;
      $("notify-error").textContent = `Could not change it: ${error?.message ?? error}`;
    }
  });
  $("paused").addEventListener("change", (event) => {
    api.storage.local.set({ [KEYS.paused]: event.target.checked }).catch((error) => {
      $("queue-error").textContent = `Could not save: ${error?.message ?? error}`;
    });
  });
  api.storage.onChanged.addListener((changes, area) => {
    if (area !== "local") return;
    if (KEYS.connection in changes) renderStatus(changes[KEYS.connection].newValue);
    if (KEYS.live in changes) renderLive(changes[KEYS.live].newValue);
    if (KEYS.pairing in changes) {
      const { request_id: _secret, ...record } = changes[KEYS.pairing].newValue ?? {};
      renderPairing(changes[KEYS.pairing].newValue ? record : null);
    }
    if (KEYS.queueStatus in changes) {
      queueStatus = changes[KEYS.queueStatus].newValue ?? null;
      renderQueue();
    }
    if (KEYS.messages in changes) {
      messageStats = changes[KEYS.messages].newValue ?? null;
      renderQueue();
    }
    if (KEYS.reading in changes) {
      readingLog = changes[KEYS.reading].newValue ?? null;
      renderReading();
    }
    if (KEYS.token in changes) $("companion-token").value = changes[KEYS.token].newValue ?? "";
    if (KEYS.paused in changes) $("paused").checked = changes[KEYS.paused].newValue === true;
    if (KEYS.notify in changes) $("notify").checked = changes[KEYS.notify].newValue === true;
  });

  const stored = await api.storage.local.get([KEYS.connection, KEYS.pairing, KEYS.queueStatus, KEYS.messages, KEYS.live, KEYS.reading]);
  renderStatus(stored[KEYS.connection]);
  renderLive(stored[KEYS.live]);
  const { request_id: _secret, ...record } = stored[KEYS.pairing] ?? {};
  renderPairing(stored[KEYS.pairing] ? record : null);
  queueStatus = stored[KEYS.queueStatus] ?? null;
  messageStats = stored[KEYS.messages] ?? null;
  renderQueue();
  readingLog = stored[KEYS.reading] ?? null;
  renderReading();
  // Countdowns (code expiry, next try) move on their own.
  setInterval(() => {
    renderPairing();
    renderQueue();
    renderReading();
  }, 15000);
  await Promise.all([loadForm(), renderStages()]);
}

main()
  .catch((error) => showMessage(`Rapport's options failed to load: ${error?.message ?? error}`, { error: true }))
  .finally(() => {
    $("options").inert = false;
    document.documentElement.dataset.ready = "true"; // what the browser tests wait for
  });
