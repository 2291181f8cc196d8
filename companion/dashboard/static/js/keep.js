// Keep in touch, wherever it shows: "I reached out" and snoozes (the Keep in touch page and the person
// page), a person's cadence (person page), and the default cadences (Settings).
import { api, attempt, localDate, personPath } from "./api.js";
import { scheduleRefresh } from "./refresh.js";

async function reachedOut(key) {
  return attempt(() => api("POST", `${personPath(key)}/events`, { kind: "reached_out", at: localDate() }),
    "Noted: the clock starts again today");
}

async function snooze(key, until) {
  return attempt(() => api("PATCH", personPath(key), { snooze_until: until }),
    until ? `Snoozed until ${until}` : "Snooze ended");
}

export function setupReminderActions() {
  document.addEventListener("click", async (event) => {
    const target = event.target.closest("button.reached-out, button.snooze");
    if (!target) return;
    target.disabled = true;
    const done = target.matches(".reached-out") ? await reachedOut(target.dataset.key)
      : await snooze(target.dataset.key, target.dataset.days ? localDate(Number(target.dataset.days)) : null);
    target.disabled = false;
    if (done) scheduleRefresh(0);
  });
  document.addEventListener("change", async (event) => {
    const input = event.target.closest("input.snooze-until");
    if (input?.value && await snooze(input.dataset.key, input.value)) scheduleRefresh(0);
  });
}

export function setupCadence() {
  document.addEventListener("change", async (event) => {
    const form = event.target.closest("#cadence-form");
    if (!form) return;
    const choice = form.elements.cadence.value;
    const region = form.closest("[data-region]");
    form.querySelector(".custom-days").hidden = choice !== "custom";
    const days = choice === "default" ? null : choice === "custom" ? Number(form.elements.days.value) : Number(choice);
    if (choice === "custom" && !(days >= 1)) {
      region.dataset.dirty = "1"; // waits for a number of days: a live update must not undo the choice
      return;
    }
    const key = document.body.dataset.personKey;
    const saved = await attempt(() => api("PATCH", personPath(key), { cadence_days: days }));
    form.querySelector(".saved").textContent = saved ? "Saved" : "Not saved";
    delete region.dataset.dirty;
    if (saved) scheduleRefresh(0);
  });
}

export function setupDefaults() {
  document.getElementById("defaults-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const body = { by_stage: {}, by_tag: {} };
    for (const input of form.querySelectorAll("input[type=number]")) {
      if (!input.value) continue;
      const [group, name] = input.name.split(/-(.*)/s);
      body[group === "stage" ? "by_stage" : "by_tag"][name] = Number(input.value);
    }
    const saved = await attempt(() => api("PUT", "/settings/keep-in-touch", body), "Default cadences saved");
    form.querySelector(".saved").textContent = saved ? "Saved" : "Not saved";
  });
}
