// The overlay panel: the card of one person, in an iframe beside x.com (see content/overlay.js).
// The person and the page's theme come in the address fragment (#handle=…&theme=dark). Reads and
// edits go through the background worker, which keeps edits until the companion confirms them;
// live changes arrive over a runtime port and reload the card (never a field being typed in).

import { HANDLE, KEYS, normalizeCompanionUrl } from "../common/settings.js";
import { isToggleKey } from "../common/shortcut.js";
import { loadVocabulary } from "../common/stages.js";
import { STATE_INFO } from "../common/status.js";
import { today } from "../common/time.js";
import { MSG, PORT, PUSH } from "../messages/index.js";
import {
  giveAndTakeLines, historyItems, interactionItem, keepStatus, labelItems, ladderItems, monthBars, placeLines, profileMeta,
  stageWhy, starterItem,
} from "./view.js";

const api = globalThis.browser ?? globalThis.chrome;
const $ = (id) => document.getElementById(id);
const SAVE_AFTER_MS = 600;

let vocabulary = null;
let handle = null;
let shownName = null; // the name the page shows for them, for someone the companion has never seen
let person = null; // the companion's card, or null when it has never seen them (or cannot be asked)
let reachable = true; // whether the last read reached the companion
let loadSeq = 0;
const dirty = new Map(); // note field -> timer of a save not yet sent

const send = (message) => Promise.resolve(api.runtime.sendMessage(message));

// ------------------------------------------------------------------ status line

function setStatus(text, tone = "") {
  const status = $("status");
  status.textContent = text;
  status.className = tone;
}

function offlineAdvice(connection) {
  const info = STATE_INFO[connection?.state];
  const detail = connection?.detail ? ` ${connection.detail}` : "";
  return `${info?.label ?? "The companion cannot be reached"}.${detail}`;
}

function pendingText(count) {
  const which = count === 1 ? "1 change is saved in the browser: it goes" : `${count} changes are saved in the browser: they go`;
  return `${which} to the companion when it is back (start it with \`rapport serve\`).`;
}

// ------------------------------------------------------------------ rendering

function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const theme = params.get("theme");
  document.documentElement.dataset.theme = theme === "dark" || theme === "dim" ? theme : "light";
  shownName = (params.get("name") ?? "").trim().slice(0, 500) || null;
  const wanted = params.get("handle");
  return wanted && HANDLE.test(wanted) ? wanted : null;
}

function renderHeader() {
  const name = person?.profile.display_name || shownName || (handle ? `@${handle}` : "Rapport");
  $("name").textContent = name;
  const link = $("handle");
  link.hidden = !handle;
  if (handle) {
    link.textContent = `@${person?.handle ?? handle}`;
    link.href = `https://x.com/${encodeURIComponent(person?.handle ?? handle)}`;
  }
}

function renderProfile() {
  const unknown = $("unknown");
  unknown.hidden = person !== null;
  unknown.textContent = person ? ""
    : reachable ? `Rapport has not seen @${handle} yet. Add a note or an outcome to start their card.`
      : `What Rapport knows about @${handle} shows once the companion is back. Notes and logged calls or meetings you add now are kept.`;
  $("bio").textContent = person?.profile.bio ?? "";
  const placed = renderPlace();
  $("meta").textContent = person ? profileMeta(person.profile, !placed) : "";
  $("profile").hidden = person !== null && !$("bio").textContent && !$("meta").textContent && $("place").hidden;
}

let companionOrigin = null; // where the dashboard is (the companion the user chose)

/** The place line and its Meet-ups link; true when it says where they live or are. */
function renderPlace() {
  const { text, others } = placeLines(person?.place, person?.whereabouts);
  $("place-text").textContent = text;
  const link = $("also-here");
  link.hidden = !others || !companionOrigin;
  if (others && companionOrigin) {
    link.textContent = others.text;
    link.href = companionOrigin + others.path;
  }
  $("place").hidden = !text && link.hidden;
  return Boolean(text);
}

function renderStage() {
  const stage = person?.stage ?? { current: 0, manual: null, evidence: [] };
  $("ladder").replaceChildren(...ladderItems(document, vocabulary.stages, stage.current));
  $("stage-why").textContent = stageWhy(stage);
  const current = stage.evidence.find((group) => group.stage === stage.current) ?? stage.evidence[0];
  $("evidence").replaceChildren(...(current?.items ?? []).slice(0, 5).map((item) => interactionItem(document, item, vocabulary.kinds)));
  $("stage-clear").hidden = !stage.manual;
  const select = $("stage-select");
  if (select.options.length === 0) {
    for (const s of vocabulary.stages) select.append(new Option(`${s.id} · ${s.name}`, String(s.id)));
  }
  if (document.activeElement !== select) select.value = String(stage.current);
}

const STARTERS_SHOWN = 5;

function renderStarters() {
  const offered = person?.suggestions ?? [];
  $("starters").hidden = person === null;
  if (person === null) return;
  const label = (field) => vocabulary.noteFields.find((f) => f.id === field)?.label.toLowerCase() ?? field;
  $("starter-list").replaceChildren(...offered.slice(0, STARTERS_SHOWN).map((s) => starterItem(document, s, label(s.note_field))));
  if (!offered.length) {
    $("starter-list").append(Object.assign(document.createElement("li"), {
      className: "muted", textContent: "Nothing to suggest yet: books, wine, music, films, sports, travel and news from their posts show here." }));
  }
  const brief = $("brief-link");
  brief.hidden = !companionOrigin;
  if (companionOrigin) brief.href = `${companionOrigin}/people/${encodeURIComponent(person.key)}/brief`;
}

function renderGiveAndTake() {
  const gt = person?.give_and_take ?? null;
  $("give").hidden = gt === null;
  if (gt === null) return;
  const lines = giveAndTakeLines(gt);
  $("give-lately").textContent = lines.lately;
  $("give-starts").textContent = lines.starts;
  $("give-months").replaceChildren(...monthBars(document, gt.months));
}

function renderKeepInTouch() {
  const keep = person?.keep_in_touch ?? null;
  $("keep").hidden = keep === null; // someone Rapport has not seen yet
  if (keep === null) return;
  $("keep-status").textContent = keepStatus(keep);
  $("keep-status").classList.toggle("overdue", keep.status?.bucket === "overdue");
  $("snooze").hidden = Boolean(keep.snooze_until);
  $("snooze-end").hidden = !keep.snooze_until;
  const select = $("cadence-select");
  const choices = [["default", "The default"], ...vocabulary.keepInTouch.cadences.map((c) => [String(c.days), c.label]), ["0", "Off"]];
  const own = keep.cadence_days;
  if (own !== null && own > 0 && !choices.some(([value]) => value === String(own))) choices.splice(-1, 0, [String(own), `Every ${own} days`]);
  if (select.options.length !== choices.length || [...select.options].some((o, n) => o.value !== choices[n][0])) {
    select.replaceChildren(...choices.map(([value, label]) => new Option(label, value)));
  }
  if (document.activeElement !== select) select.value = own === null ? "default" : String(own);
}

function renderNotes() {
  const box = $("notes");
  if (box.childElementCount === 0) {
    for (const field of vocabulary.noteFields) {
      const label = document.createElement("label");
      label.textContent = field.label;
      const area = document.createElement("textarea");
      area.id = `note-${field.id}`;
      area.dataset.field = field.id;
      area.rows = 1;
      area.maxLength = 5000;
      area.addEventListener("input", () => noteChanged(field.id));
      area.addEventListener("blur", () => saveNoteNow(field.id));
      label.append(area);
      box.append(label);
    }
  }
  for (const field of vocabulary.noteFields) {
    const area = $(`note-${field.id}`);
    // Never replace what the user is typing (a live update of another field may arrive meanwhile).
    if (document.activeElement === area || dirty.has(field.id)) continue;
    area.value = person?.notes[field.id] ?? "";
  }
}

function renderLabels() {
  const items = labelItems(document, person?.labels, vocabulary.labelColours);
  $("labels").replaceChildren(...items);
  $("labels-line").hidden = items.length === 0;
}

function renderTags() {
  const box = $("tags");
  if (box.childElementCount === 0) {
    for (const tag of vocabulary.tags) {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.tag = tag.id;
      button.textContent = tag.label;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => toggleTag(tag.id));
      box.append(button);
    }
  }
  const on = new Set(person?.tags ?? []);
  // Tags are saved as a whole set: without the card, a click offline could drop the ones not shown.
  const unknownSet = person === null && !reachable;
  for (const button of box.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(on.has(button.dataset.tag)));
    button.disabled = unknownSet;
    button.title = unknownSet ? "Outcomes can be changed once the companion is back" : "";
  }
}

function renderTimeline() {
  const items = person?.interactions ?? [];
  const list = $("timeline");
  const shown = items.slice(0, 50);
  list.replaceChildren(...shown.map((item) => interactionItem(document, item, vocabulary.kinds)));
  if (!items.length) list.append(Object.assign(document.createElement("li"), { className: "muted", textContent: "Nothing yet." }));
  const older = (person?.interactions_total ?? items.length) - shown.length;
  if (older > 0) {
    const text = `and ${older} older ${older === 1 ? "one" : "ones"} on the person's page in the dashboard`;
    list.append(Object.assign(document.createElement("li"), { className: "muted", textContent: text }));
  }
  const history = person ? historyItems(document, person) : [];
  $("history").replaceChildren(...history);
  if (!history.length) $("history").append(Object.assign(document.createElement("li"), { className: "muted", textContent: "No changes seen." }));
}

function render() {
  renderHeader();
  $("empty").hidden = handle !== null;
  $("card").hidden = handle === null;
  if (handle === null) return;
  renderProfile();
  renderStage();
  renderStarters();
  renderGiveAndTake();
  renderKeepInTouch();
  renderNotes();
  renderTags();
  renderLabels();
  renderTimeline();
}

async function load() {
  const seq = ++loadSeq;
  if (companionOrigin === null) {
    const stored = await api.storage.local.get(KEYS.url);
    const chosen = normalizeCompanionUrl(stored[KEYS.url]);
    companionOrigin = chosen.ok ? chosen.url : null;
  }
  handle = readFragment();
  if (handle === null) {
    person = null;
    setStatus("");
    render();
    return;
  }
  let answer;
  try {
    answer = await send({ type: MSG.PERSON_GET, handle });
  } catch (error) {
    answer = { ok: false, error: String(error?.message ?? error) };
  }
  if (seq !== loadSeq) return; // another person was asked for meanwhile
  if (!answer?.ok) {
    setStatus(`Rapport's background is not answering: ${answer?.error ?? "reload the page"}.`, "bad");
    return;
  }
  reachable = !answer.unavailable;
  if (answer.unavailable) {
    // Keep what is shown (a card from before), and say why it may be out of date.
    setStatus(`${offlineAdvice(answer.connection)}${answer.pending.length ? ` ${pendingText(answer.pending.length)}` : ""}`, "bad");
    if (person && person.handle?.toLowerCase() !== handle.toLowerCase()) person = null;
    render();
    return;
  }
  person = answer.person;
  setStatus(answer.pending.length ? pendingText(answer.pending.length) : "", answer.pending.length ? "bad" : "");
  render();
}

// ------------------------------------------------------------------ edits

async function save(message, what) {
  setStatus(`Saving ${what}…`);
  let answer;
  try {
    // Someone new is created by their first edit: with the name the page showed.
    answer = await send({ ...message, handle, ...(person === null && shownName ? { display_name: shownName } : {}) });
  } catch (error) {
    answer = { ok: false, error: String(error?.message ?? error) };
  }
  if (answer?.saved) {
    setStatus(`Saved ${what}.`, "good");
    await load();
    if ($("status").textContent === "") setStatus(`Saved ${what}.`, "good");
  } else if (answer?.queued) {
    setStatus(`The companion is not reachable. ${pendingText(answer.pending)}`, "bad");
  } else {
    setStatus(`Not saved: ${answer?.error ?? "unknown error"}`, "bad");
  }
  return answer;
}

function noteChanged(field) {
  clearTimeout(dirty.get(field));
  dirty.set(field, setTimeout(() => saveNoteNow(field), SAVE_AFTER_MS));
}

function saveNoteNow(field) {
  if (!dirty.has(field)) return;
  clearTimeout(dirty.get(field));
  dirty.delete(field);
  const value = $(`note-${field}`).value.trim();
  const label = vocabulary.noteFields.find((f) => f.id === field)?.label.toLowerCase() ?? field;
  save({ type: MSG.PERSON_EDIT, change: { notes: { [field]: value || null } } }, label);
}

function toggleTag(tag) {
  const tags = new Set(person?.tags ?? []);
  if (tags.has(tag)) tags.delete(tag);
  else tags.add(tag);
  const ordered = vocabulary.tags.map((t) => t.id).filter((id) => tags.has(id));
  // Show it at once; the companion's answer (or a reload) confirms it.
  for (const button of $("tags").querySelectorAll("button")) button.setAttribute("aria-pressed", String(tags.has(button.dataset.tag)));
  if (person) person = { ...person, tags: ordered };
  save({ type: MSG.PERSON_EDIT, change: { tags: ordered } }, "the outcome");
}

function openLogForm(kind) {
  const form = $("log-form");
  form.dataset.kind = kind;
  $("log-form-title").textContent = kind === "call" ? "Log a call" : "Log a meeting";
  $("log-date").value = today();
  $("log-date").max = today();
  $("log-place").value = "";
  $("log-note").value = "";
  form.hidden = false;
  $("log-date").focus();
}

function snoozeUntil(days) {
  const at = new Date();
  at.setDate(at.getDate() + days);
  return today(at);
}

function wire() {
  $("reached-out").addEventListener("click", () => save({ type: MSG.PERSON_LOG, event: { kind: "reached_out", at: today() } },
    "that you reached out"));
  const week = vocabulary.keepInTouch.snoozes[0];
  if (week) $("snooze").textContent = `Snooze ${week.label.toLowerCase()}`;
  $("snooze").addEventListener("click", () => save({ type: MSG.PERSON_EDIT, change: { snooze_until: snoozeUntil(week?.days ?? 7) } },
    "the snooze"));
  $("snooze-end").addEventListener("click", () => save({ type: MSG.PERSON_EDIT, change: { snooze_until: null } }, "the snooze"));
  $("cadence-select").addEventListener("change", (event) => {
    const value = event.target.value;
    save({ type: MSG.PERSON_EDIT, change: { cadence_days: value === "default" ? null : Number(value) } }, "the cadence");
  });
  $("starter-list").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-suggestion]");
    if (!button) return;
    button.disabled = true;
    const accept = button.dataset.action === "accept";
    save({ type: MSG.PERSON_SUGGESTION, suggestion: button.dataset.suggestion, action: button.dataset.action },
      accept ? "the note" : "that you dismissed it");
  });
  $("close").addEventListener("click", () => send({ type: MSG.OVERLAY_CLOSE }).catch(() => {}));
  // Esc, or the shortcut that opened it, closes the card from inside it too.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" || isToggleKey(event)) {
      event.preventDefault();
      send({ type: MSG.OVERLAY_CLOSE }).catch(() => {});
    }
  });
  $("log-call").addEventListener("click", () => openLogForm("call"));
  $("log-meeting").addEventListener("click", () => openLogForm("meeting"));
  $("log-cancel").addEventListener("click", () => {
    $("log-form").hidden = true;
  });
  $("log-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const kind = $("log-form").dataset.kind;
    const logged = { kind, at: $("log-date").value };
    if ($("log-place").value.trim()) logged.place = $("log-place").value.trim();
    if ($("log-note").value.trim()) logged.note = $("log-note").value.trim();
    const answer = await save({ type: MSG.PERSON_LOG, event: logged }, kind === "call" ? "the call" : "the meeting");
    if (answer?.ok) $("log-form").hidden = true;
  });
  $("stage-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const stage = Number($("stage-select").value);
    const reason = $("stage-reason").value.trim();
    if (!reason) return;
    save({ type: MSG.PERSON_EDIT, change: { stage: { stage, reason } } }, "the stage").then((answer) => {
      if (answer?.ok) $("stage-reason").value = "";
    });
  });
  $("stage-clear").addEventListener("click", () => save({ type: MSG.PERSON_EDIT, change: { stage: null } }, "the stage"));
  window.addEventListener("hashchange", () => {
    for (const field of [...dirty.keys()]) saveNoteNow(field); // the person changes: keep what was typed for the last one
    load();
  });
}

// Live changes: reload the card when it is about this person (or when anything may have changed).
let reloadTimer = null;
function listen() {
  const port = api.runtime.connect({ name: PORT.PANEL });
  port.onMessage.addListener((message) => {
    const mine = message?.type === PUSH.PERSON && (message.all || [person?.key, person?.handle, handle]
      .some((k) => k && [message.key, message.handle].some((m) => m && m.toLowerCase() === k.toLowerCase())));
    if (mine || (message?.type === PUSH.CONNECTION && message.connection)) {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(load, 100);
    } else if (message?.type === PUSH.CONNECTION && Number.isInteger(message.pending)) {
      if (message.pending === 0 && $("status").classList.contains("bad")) load();
    }
  });
  port.onDisconnect.addListener(() => setTimeout(listen, 1000));
}

loadVocabulary(api.runtime).then((loaded) => {
  vocabulary = loaded;
  wire();
  listen();
  return load();
}).catch((error) => setStatus(`Rapport cannot start this card: ${error.message}`, "bad"));
