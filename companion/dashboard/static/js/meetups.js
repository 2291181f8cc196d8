// Meet-ups: place suggestions from the gazetteer, the offline map of where your people are, trips
// (whom to meet, what happened) and conferences.
import { api, attempt, isolate, toast } from "./api.js";
import { scheduleRefresh } from "./refresh.js";

let suggestTimer = null;
let map = null;

/** Fill the shared datalist with the gazetteer's cities for what is typed; a chosen one pins its geonames id. */
export function setupPlaceFields() {
  const list = document.getElementById("place-suggestions");
  if (!list) return;
  document.addEventListener("input", (event) => {
    const field = event.target.closest(".place-input");
    if (!field) return;
    pin(field);
    clearTimeout(suggestTimer);
    const q = field.value.trim();
    if (q.length < 2) return;
    suggestTimer = setTimeout(async () => {
      const found = await api("GET", "/places?q=" + encodeURIComponent(q)).catch(() => null);
      if (!found) return;
      list.replaceChildren(...found.places.map((p) => {
        const option = document.createElement("option");
        option.value = p.label;
        option.dataset.geonameid = p.geonameid;
        option.textContent = `${p.population.toLocaleString()} people`;
        return option;
      }));
      pin(field);
    }, 150);
  });
}

/** The hidden geonameid beside a place field: set when the text is exactly one of the suggestions. */
function pin(field) {
  const hidden = field.closest("form")?.querySelector("input[name=geonameid]");
  if (!hidden) return;
  const option = [...document.querySelectorAll("#place-suggestions option")].find((o) => o.value === field.value);
  hidden.value = option ? option.dataset.geonameid : "";
}

function drawMap() {
  const canvas = document.getElementById("people-map");
  if (!canvas || !window.Chart || !window.ChartGeo) return;
  const { bubbles, stages } = JSON.parse(document.getElementById("map-data").textContent);
  fetch(document.body.dataset.world, { credentials: "same-origin" })
    .then((res) => res.json())
    .then((world) => {
      const countries = window.ChartGeo.topojson.feature(world, world.objects.countries).features;
      const css = getComputedStyle(document.body);
      const colour = (stage) => stages.find((s) => s.id === stage)?.colour ?? "#888";
      map?.destroy();
      map = new window.Chart(canvas, {
        type: "bubbleMap",
        data: {
          labels: bubbles.map((b) => b.label),
          datasets: [{
            label: "People you know",
            outline: countries,
            showOutline: true,
            outlineBackgroundColor: css.getPropertyValue("--chip").trim() || "#eef1f5",
            outlineBorderColor: css.getPropertyValue("--muted").trim() || "#888",
            outlineBorderWidth: 0.4,
            // Called once for the outline too, with no data index.
            backgroundColor: (ctx) => (ctx.dataIndex == null ? undefined : colour(bubbles[ctx.dataIndex].top_stage) + "cc"),
            borderColor: "#222",
            borderWidth: 1,
            data: bubbles.map((b) => ({ longitude: b.lon, latitude: b.lat, value: b.people, bubble: b })),
          }],
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false },
            tooltip: { callbacks: { label: (item) => `${item.raw.bubble.label}: ${item.raw.value} ${item.raw.value === 1 ? "person" : "people"}` } } },
          scales: {
            projection: { axis: "x", projection: "equalEarth" },
            // A city of one is a small dot; a bubble grows with its people, up to the biggest (at least 10).
            size: { axis: "x", range: [3, 24], mode: "area", min: 0, max: Math.max(10, ...bubbles.map((b) => b.people)), display: false },
          },
          onClick: (_event, elements, chart) => {
            if (!elements.length) return;
            const point = chart.data.datasets[elements[0].datasetIndex].data[elements[0].index];
            location.href = `/meetups?geonameid=${point.bubble.geonameid}#near`;
          },
        },
      });
      canvas.dataset.drawn = String(bubbles.length);
    })
    .catch((err) => toast(`The map could not be drawn: ${err.message}`));
}

function formBody(form, fields) {
  const data = new FormData(form);
  const body = {};
  for (const name of fields) {
    const value = (data.get(name) || "").trim();
    if (value) body[name] = value;
  }
  if (body.geonameid) { body.geonameid = Number(body.geonameid); delete body.place; }
  return body;
}

const words = (text) => (text || "").split(/[\s,]+/).filter(Boolean);

async function createPlan(form, kinds) {
  const body = formBody(form, ["place", "geonameid", "start", "end", "name", "note"]);
  if (kinds === "conferences") {
    const data = new FormData(form);
    body.hashtags = words(data.get("hashtags"));
    body.handles = words(data.get("handles"));
  }
  const made = await attempt(() => api("POST", `/${kinds}`, body));
  if (made) location.href = `/meetups/${kinds}/${made.id}`;
}

export function setupMeetups() {
  setupPlaceFields();
  if (window.Chart && window.ChartGeo) drawMap(); else window.addEventListener("load", drawMap);
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.id === "trip-form" || form.id === "conference-form") {
      event.preventDefault();
      createPlan(form, form.id === "trip-form" ? "trips" : "conferences");
    }
  });
}

/** A trip's or a conference's own page: marks, logging what happened, deleting. */
export function setupPlan() {
  const { planKind: kinds, planId: id } = document.body.dataset;
  // Saves go one after another, so the last change wins; "Saved" shows once the last one landed.
  let queue = Promise.resolve();
  let started = 0;
  const saveMark = (form) => {
    const status = form.querySelector(".saved");
    status.textContent = "Saving…";
    const mine = ++started;
    const body = { meet: form.querySelector("input[name=meet]").checked, note: form.querySelector("input[name=note]").value };
    const path = `/trips/${id}/people/${encodeURIComponent(form.dataset.key)}`;
    queue = queue.then(async () => {
      const done = await attempt(() => api("PUT", path, body));
      if (mine !== started) return;
      const shown = document.querySelector(`form.mark[data-key="${CSS.escape(form.dataset.key)}"] .saved`);
      if (shown) shown.textContent = done ? "Saved" : "Not saved";
      if (done) scheduleRefresh(0);
    });
  };
  document.addEventListener("change", (event) => {
    const form = event.target.closest("form.mark");
    if (form) saveMark(form);
  });
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form.mark");
    if (form) { event.preventDefault(); saveMark(form); }
  });
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.matches(".met")) {
      button.disabled = true;
      if (await attempt(() => api("POST", `/trips/${id}/met/${encodeURIComponent(button.dataset.key)}`), "Meeting logged")) {
        scheduleRefresh(0);
      } else button.disabled = false;
    } else if (button.matches(".reviewed")) {
      if (await attempt(() => api("POST", `/trips/${id}/reviewed`))) scheduleRefresh(0);
    } else if (button.matches(".delete-plan")) {
      const name = document.querySelector("h1")?.textContent.trim();
      if (!confirm(`Delete ${isolate(name)}? The people and the meetings you logged stay.`)) return;
      if (await attempt(() => api("DELETE", `/${kinds}/${id}`))) location.href = `/meetups#${kinds}`;
    }
  });
}
