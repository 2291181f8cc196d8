// Duplicates: merge two records of one person (either way round), say they are different people, undo a merge;
// and, on a person's page, "Merge with…" someone you name.
import { api, attempt, isolate, personPath } from "./api.js";
import { scheduleRefresh } from "./refresh.js";

async function merge(keep, gone, keepName, goneName) {
  if (!confirm(`Merge ${isolate(goneName)} into ${isolate(keepName)}? Notes are joined; tags, labels and every interaction follow. You can undo it on the Duplicates page.`)) return null;
  return attempt(() => api("POST", "/merges", { keep, gone }), `Merged into ${isolate(keepName)}`);
}

export function setupDuplicates() {
  document.addEventListener("click", async (event) => {
    const target = event.target;
    let done = null;
    if (target.matches(".merge")) {
      const { keep, gone, keepName, goneName } = target.dataset;
      done = await merge(keep, gone, keepName, goneName);
    } else if (target.matches(".not-same")) {
      done = await attempt(() => api("POST", "/duplicates/dismiss", { people: [target.dataset.a, target.dataset.b] }),
        "Not suggested again");
    } else if (target.matches(".undo-merge")) {
      target.disabled = true;
      done = await attempt(() => api("POST", `/merges/${target.dataset.mergeId}/undo`), "Merge undone: both are back");
      if (!done) target.disabled = false;
    }
    if (done) scheduleRefresh(0);
  });
}

/** The person page's "Merge with…": the one you name is merged into this person. */
export function setupMergeWith() {
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.id !== "merge-form") return;
    event.preventDefault();
    const other = form.elements.other.value.trim().replace(/^@/, "");
    if (!other) return;
    const found = await attempt(() => api("GET", personPath(other)));
    if (!found) return;
    const keep = document.body.dataset.personKey;
    const name = (p) => p.profile?.display_name || (p.handle ? `@${p.handle}` : p.user_id);
    if (await merge(keep, found.key, form.dataset.name, name(found))) {
      form.reset();
      scheduleRefresh(0);
    }
  });
}
