// Live refresh: re-fetch this page and swap its [data-region] parts in place, so nothing reloads and
// focus stays. A region the user is editing is left alone and refreshed once they leave it.
let timer = null;
let running = false;
let again = false;

export function scheduleRefresh(delay = 120) {
  if (running) { again = true; return; }
  if (timer === null) timer = setTimeout(run, delay);
}

function editing(region) {
  const active = document.activeElement;
  // (A focused checkbox is no edit: People's ticks are kept by bulk.js across the swap.)
  return region.dataset.dirty === "1"
    || (active && region.contains(active) && active.matches("input:not([type=checkbox]), textarea, select"));
}

async function run() {
  timer = null;
  running = true;
  try {
    const res = await fetch(location.href, { credentials: "same-origin" });
    if (res.status !== 200) { location.reload(); return; }
    const fresh = new DOMParser().parseFromString(await res.text(), "text/html");
    const focusedKey = document.activeElement?.closest?.("[data-key]")?.dataset.key;
    for (const region of document.querySelectorAll("[data-region]")) {
      if (editing(region)) { region.dataset.stale = "1"; continue; }
      const next = fresh.querySelector(`[data-region="${CSS.escape(region.dataset.region)}"]`);
      if (!next) continue;
      keepStatus(region, next);
      region.replaceWith(document.adoptNode(next));
    }
    if (focusedKey && document.activeElement === document.body) {
      // Keyboard users keep their place: the same card, or the same row's link.
      const same = document.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`);
      (same?.matches(".card") ? same : same?.querySelector("a"))?.focus();
    }
    document.dispatchEvent(new CustomEvent("rapport:refreshed"));
  } catch {
    // The companion stopped: the live indicator says so, and the next event retries.
  } finally {
    running = false;
    if (again) { again = false; scheduleRefresh(); }
  }
}

// What the user did to a region survives the swap: "Saved" messages, and which details are open.
function keepStatus(old, next) {
  const fresh = next.querySelectorAll(".saved");
  old.querySelectorAll(".saved").forEach((status, i) => { if (fresh[i]) fresh[i].textContent = status.textContent; });
  const details = next.querySelectorAll("details");
  old.querySelectorAll("details").forEach((box, i) => { if (details[i]) details[i].open = box.open; });
}

document.addEventListener("focusout", (event) => {
  const region = event.target.closest?.("[data-region]");
  if (region?.dataset.stale === "1" && region.dataset.dirty !== "1") {
    delete region.dataset.stale;
    scheduleRefresh(300);
  }
});
