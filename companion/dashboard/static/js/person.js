// Person: notes, outcome tags, labels and stage edited in place; log a call or a meeting; delete.
import { api, attempt, isolate, localDate, personPath, toast } from "./api.js";
import { scheduleRefresh } from "./refresh.js";

const key = () => document.body.dataset.personKey;

function fillDates() {
  const at = document.querySelector("#log-form input[name=at]");
  if (at && !at.value) at.value = localDate();
}

// The form may have been swapped by a live update meanwhile: always look it up afresh.
function saved(formId, text) {
  const note = document.querySelector(`#${formId} .saved`);
  if (note) note.textContent = text;
}

let edits = 0; // notes typed so far: a save only marks the notes clean if nothing was typed after it began

/** The person's labels by name, as the page shows them now, changed by `change`; saved, then shown afresh. */
async function saveLabels(change, done) {
  const names = [...document.querySelectorAll("#person-labels li[data-label]")].map((item) => item.dataset.label);
  if (await attempt(() => api("PATCH", personPath(key()), { labels: change(names) }), done)) scheduleRefresh(0);
}

async function saveNotes(form) {
  const notes = {};
  let nextStep = null;
  for (const field of form.querySelectorAll("textarea")) {
    const value = field.value.trim() ? field.value : null;
    if (field.name === "next_step") nextStep = value; else notes[field.name] = value;
  }
  const version = edits;
  saved("notes-form", "Saving…");
  const done = await attempt(() => api("PATCH", personPath(key()), { notes, next_step: nextStep }));
  const region = document.getElementById("notes-form")?.closest("[data-region]");
  if (done && version === edits && region) delete region.dataset.dirty;
  saved("notes-form", done ? "Saved" : "Not saved");
}

export function setupPerson() {
  fillDates();
  document.addEventListener("rapport:refreshed", fillDates);

  document.addEventListener("input", (event) => {
    const form = event.target.closest("#notes-form");
    if (form) {
      edits += 1;
      form.closest("[data-region]").dataset.dirty = "1";
      saved("notes-form", "");
    }
  });
  // A note is saved when you leave its field (or press the button).
  document.addEventListener("change", (event) => {
    const notes = event.target.closest("#notes-form");
    if (notes && event.target.matches("textarea")) saveNotes(notes);
    const tags = event.target.closest("#tags-form");
    if (tags) {
      const chosen = [...tags.querySelectorAll("input:checked")].map((box) => box.value);
      attempt(() => api("PATCH", personPath(key()), { tags: chosen })).then((ok) => {
        saved("tags-form", ok ? "Saved" : "Not saved");
        scheduleRefresh(0);
      });
    }
  });

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.id === "notes-form") {
      event.preventDefault();
      await saveNotes(form);
      scheduleRefresh(0);
    } else if (form.id === "stage-form") {
      event.preventDefault();
      const data = new FormData(form);
      const stage = { stage: Number(data.get("stage")), reason: String(data.get("reason")).trim() };
      if (await attempt(() => api("PATCH", personPath(key()), { stage }), "Stage set")) {
        form.elements.reason.value = "";
        scheduleRefresh(0);
      }
    } else if (form.id === "place-form") {
      event.preventDefault();
      let geonameid = Number(new FormData(form).get("geonameid")) || null;
      if (!geonameid) {  // typed, not picked: the gazetteer's best city of that name
        const found = await attempt(() => api("GET", "/places?limit=1&q=" + encodeURIComponent(form.elements.place.value)));
        geonameid = found?.places?.[0]?.geonameid ?? null;
        if (found && !geonameid) { toast("No city of that name: pick one of the suggestions"); return; }
      }
      if (geonameid && await attempt(() => api("PATCH", personPath(key()), { place: { geonameid } }), "Place set")) {
        form.reset();
        scheduleRefresh(0);
      }
    } else if (form.id === "label-add-form") {
      event.preventDefault();
      const name = form.elements.label.value.trim().replace(/\s+/g, " ");
      if (!name) return;
      await saveLabels((names) => names.some((n) => n.toLowerCase() === name.toLowerCase()) ? names : [...names, name], "Label added");
      form.reset();
    } else if (form.id === "log-form") {
      event.preventDefault();
      const data = new FormData(form);
      const body = { kind: data.get("kind"), at: data.get("at") };
      for (const name of ["place", "note"]) if (String(data.get(name)).trim()) body[name] = data.get(name);
      if (await attempt(() => api("POST", personPath(key()) + "/events", body), "Logged")) {
        form.reset();
        fillDates();
        scheduleRefresh(0);
      }
    }
  });

  document.addEventListener("click", async (event) => {
    const target = event.target;
    if (target.id === "stage-clear") {
      if (await attempt(() => api("PATCH", personPath(key()), { stage: null }), "Back to the evidence")) {
        scheduleRefresh(0);
      }
    } else if (target.matches(".starter-accept, .starter-dismiss")) {
      const accept = target.matches(".starter-accept");
      const path = `${personPath(key())}/suggestions/${encodeURIComponent(target.dataset.id)}/${accept ? "accept" : "dismiss"}`;
      target.disabled = true;
      if (await attempt(() => api("POST", path), accept ? "Added to the notes" : "Dismissed")) scheduleRefresh(0);
      else target.disabled = false;
    } else if (target.matches(".place-none, .place-reset")) {
      const place = target.matches(".place-none") ? { none: true } : null;
      if (await attempt(() => api("PATCH", personPath(key()), { place }), "Saved")) scheduleRefresh(0);
    } else if (target.matches(".label-remove")) {
      const gone = target.dataset.label;
      await saveLabels((names) => names.filter((n) => n !== gone), "Label removed");
    } else if (target.matches(".delete-event")) {
      if (!confirm("Remove this logged event?")) return;
      const path = `${personPath(key())}/events/${encodeURIComponent(target.dataset.id)}`;
      if (await attempt(() => api("DELETE", path), "Removed")) scheduleRefresh(0);
    } else if (target.id === "delete-person") {
      if (!confirm(`Delete ${isolate(target.dataset.name)} and everything Rapport knows about them? This cannot be undone.`)) return;
      if (await attempt(() => api("DELETE", personPath(key())))) {
        toast("Deleted", "ok");
        location.assign("/");
      }
    }
  });
}
