// Options page: companion address and token, the connection state, and the stage legend.
// Every piece of text goes in with textContent: nothing here ever parses HTML.

import { STATE, STATE_INFO } from "./connection.js";
import { DEFAULT_COMPANION_URL, HOST_PERMISSION, KEYS, normalizeCompanionUrl, normalizeToken } from "./settings.js";
import { loadStages } from "./stages.js";

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
  const stored = await api.storage.local.get([KEYS.url, KEYS.token]);
  const url = $("companion-url");
  url.placeholder = DEFAULT_COMPANION_URL;
  url.value = typeof stored[KEYS.url] === "string" ? stored[KEYS.url] : "";
  $("companion-token").value = typeof stored[KEYS.token] === "string" ? stored[KEYS.token] : "";
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
  showMessage(token.token === null ? "Saved. Without a token the companion will not answer Rapport." : "Saved.");
  await checkNow();
}

async function checkNow() {
  const button = $("check-now");
  button.disabled = true;
  renderStatus({ state: STATE.CHECKING });
  try {
    const answer = await api.runtime.sendMessage({ type: "check-now" });
    if (answer?.ok) renderStatus(answer.result);
    else showMessage(`The check failed: ${answer?.error ?? "no answer from the background worker"}`, { error: true });
  } catch (error) {
    showMessage(`The check failed: ${error?.message ?? error}`, { error: true });
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
  $("grant-access").addEventListener("click", () => {
    grantAccess().catch((error) => showMessage(`Could not ask for access: ${error?.message ?? error}`, { error: true }));
  });
  $("show-token").addEventListener("change", (event) => {
    $("companion-token").type = event.target.checked ? "text" : "password";
  });
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && KEYS.connection in changes) renderStatus(changes[KEYS.connection].newValue);
  });

  const stored = await api.storage.local.get(KEYS.connection);
  renderStatus(stored[KEYS.connection]);
  await Promise.all([loadForm(), renderStages()]);
}

main().catch((error) => showMessage(`Rapport's options failed to load: ${error?.message ?? error}`, { error: true }));
