// People: tick people (or everyone on the page, or everyone the filter matches), then one action on all of
// them through POST /api/v1/people/bulk. The selection is kept here, by key, so it survives the list being
// swapped in place by a live refresh or a new filter.
import { api, attempt, toast } from "./api.js";
import { scheduleRefresh } from "./refresh.js";
import { addShortcut, selectedRow } from "./keys.js";

const picked = new Set(); // keys ticked one by one (or a page at a time)
let everyone = null; // {filter, total} when "all N matching" is selected: the filter, as the page had it

const region = () => document.querySelector('[data-region="people"]');
const boxes = () => Array.from(document.querySelectorAll("input.pick"));
const plural = (n) => `${n.toLocaleString()} ${n === 1 ? "person" : "people"}`;

function pageFilter() {
  const r = region();
  return { filter: JSON.parse(r?.dataset.filter || "{}"), total: Number(r?.dataset.total || 0) };
}

function selection() {
  return everyone ? { filter: everyone.filter } : { keys: [...picked] };
}

const selectedCount = () => (everyone ? everyone.total : picked.size);

function render() {
  const bar = document.getElementById("bulk-bar");
  const count = selectedCount();
  bar.hidden = count === 0;
  document.getElementById("bulk-count").textContent = everyone
    ? `All ${plural(count)} matching selected` : `${count.toLocaleString()} selected`;
  const list = boxes();
  for (const box of list) box.checked = everyone !== null || picked.has(box.value);
  const page = document.getElementById("pick-page");
  if (page) {
    const ticked = list.filter((b) => b.checked).length;
    page.checked = list.length > 0 && ticked === list.length;
    page.indeterminate = ticked > 0 && ticked < list.length;
  }
  // Everyone on this page is ticked and the filter matches more: offer the rest.
  const all = document.getElementById("bulk-all");
  const { total } = pageFilter();
  all.hidden = everyone !== null || !page?.checked || total <= list.length;
  all.textContent = `Select all ${plural(total)} matching`;
  const exportQuery = everyone ? new URLSearchParams(Object.entries(everyone.filter)
    .map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]))
    : new URLSearchParams({ keys: [...picked].join(",") });
  document.getElementById("bulk-csv").href = `/api/v1/people.csv?${exportQuery}`;
  document.getElementById("bulk-vcf").href = `/api/v1/people.vcf?${exportQuery}`;
}

function clear() {
  picked.clear();
  everyone = null;
  render();
}

function tick(box, on) {
  if (everyone) { // unticking one of "everyone" leaves the ones on this page, as a list
    everyone = null;
    boxes().forEach((b) => picked.add(b.value));
  }
  if (on) picked.add(box.value);
  else picked.delete(box.value);
}

async function run(action, value, confirmCount) {
  const body = { ...selection(), action, ...(value !== undefined ? { value } : {}),
    ...(confirmCount ? { confirm_count: confirmCount } : {}) };
  const done = await attempt(() => api("POST", "/people/bulk", body));
  if (!done) return;
  const verb = { add_tag: "Tag added to", remove_tag: "Tag removed from", add_label: "Label added to",
    remove_label: "Label removed from", set_cadence: "Cadence set for", delete: "Deleted" }[action];
  const unchanged = done.selected - done.changed;
  toast(`${verb} ${plural(done.changed)}${unchanged ? ` (${unchanged.toLocaleString()} had it already)` : ""}`, "ok");
  if (action === "delete") clear();
  scheduleRefresh(0);
}

export function setupBulk() {
  const bar = document.getElementById("bulk-bar");
  if (!bar) return;
  document.addEventListener("change", (event) => {
    const box = event.target;
    if (box.matches?.("input.pick")) { tick(box, box.checked); render(); }
    if (box.id === "pick-page") {
      if (!box.checked) everyone = null;
      boxes().forEach((b) => tick(b, box.checked));
      render();
    }
  });
  document.getElementById("bulk-all").addEventListener("click", () => { everyone = pageFilter(); render(); });
  document.getElementById("bulk-clear").addEventListener("click", clear);
  bar.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-bulk]");
    if (!button) return;
    const action = button.dataset.bulk;
    const cadence = document.getElementById("bulk-cadence").value;
    const label = document.getElementById("bulk-label").value.trim();
    if (action.endsWith("_label") && !label) { toast("Type a label first"); return; }
    run(action, action === "set_cadence" ? (cadence === "default" ? null : Number(cadence))
      : action.endsWith("_label") ? label : document.getElementById("bulk-tag").value);
  });

  const dialog = document.getElementById("bulk-delete-dialog");
  let confirming = 0;
  document.getElementById("bulk-delete").addEventListener("click", () => {
    confirming = selectedCount();
    document.getElementById("bulk-delete-count").textContent = plural(confirming);
    document.getElementById("bulk-delete-confirm").textContent = `Delete ${plural(confirming)}`;
    dialog.showModal();
  });
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "delete") run("delete", undefined, confirming);
    dialog.returnValue = "";
  });

  addShortcut("x", "Tick or untick the selected row (People)", () => {
    const box = selectedRow()?.querySelector("input.pick");
    if (!box) return false;
    tick(box, !box.checked);
    render();
    return true;
  });
  document.addEventListener("rapport:refreshed", () => {
    // A new filter selects other people: "all matching" meant the old one.
    const now = pageFilter();
    if (everyone && JSON.stringify(now.filter) !== JSON.stringify(everyone.filter)) everyone = null;
    else if (everyone) everyone.total = now.total; // someone new matches, or left: the count says so
    render();
  });
  render();
}
