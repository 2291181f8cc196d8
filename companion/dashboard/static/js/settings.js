// Settings: approve or reject pairing codes, revoke tokens, rename or delete labels, back up, import.
import { api, attempt, isolate } from "./api.js";
import { setupArchiveImport } from "./archive.js";
import { scheduleRefresh } from "./refresh.js";

export function setupSettings() {
  setupArchiveImport();
  document.addEventListener("click", async (event) => {
    const target = event.target;
    let done = null;
    if (target.matches(".pair-approve, .pair-reject")) {
      const approve = target.matches(".pair-approve");
      const code = target.dataset.code;
      done = await attempt(() => api("POST", `/pairing/${encodeURIComponent(code)}/${approve ? "approve" : "reject"}`),
        approve ? `${code} approved: the extension is paired` : `${code} rejected`);
    } else if (target.matches(".revoke")) {
      if (!confirm(`Revoke ${isolate(target.dataset.name)}? It stops working at once.`)) return;
      done = await attempt(() => api("POST", `/clients/${encodeURIComponent(target.dataset.client)}/revoke`),
        `${isolate(target.dataset.name)} revoked`);
    } else if (target.id === "pair-reject-all") {
      done = await attempt(() => api("POST", "/pairing/reject-all"), "Every waiting request was rejected");
    } else if (target.matches(".label-delete")) {
      const people = Number(target.dataset.people);
      const who = people ? ` It comes off ${people.toLocaleString()} ${people === 1 ? "person" : "people"}.` : "";
      if (!confirm(`Delete the label ${isolate(target.dataset.name)}?${who}`)) return;
      done = await attempt(() => api("DELETE", `/labels/${target.dataset.labelId}`), "Label deleted");
    } else if (target.id === "backup-now") {
      done = await attempt(() => api("POST", "/backups"), "Backup made");
    }
    if (done) scheduleRefresh(0);
  });

  document.addEventListener("change", async (event) => {
    if (event.target.id !== "keep-posts") return;
    const keep = event.target.checked;
    if (!keep && !confirm("Stop keeping posts, and delete every post kept so far?")) {
      event.target.checked = true;
      return;
    }
    const done = await attempt(() => api("PUT", "/settings/posts", { keep_posts: keep }),
      keep ? "Posts are kept again" : "Kept posts deleted");
    if (done) scheduleRefresh(0);
  });

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest(".label-form");
    if (!form) return;
    event.preventDefault();
    const body = { name: form.elements.name.value.trim(), colour: form.elements.colour.value };
    if (await attempt(() => api("PATCH", `/labels/${form.dataset.labelId}`, body), "Label saved")) scheduleRefresh(0);
  });

  document.getElementById("import-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const file = form.elements.file.files[0];
    const mode = new FormData(form).get("mode");
    if (!file) return;
    if (mode === "replace" && !confirm("Replace everything with this file? A backup is made first.")) return;
    const result = await attempt(async () => api("POST", `/import?mode=${mode}`, await file.text()));
    if (result) {
      form.querySelector(".saved").textContent = `Imported: ${result.people_created} people added, `
        + `${result.people_merged} merged, ${result.interactions_added} interactions.`;
      scheduleRefresh(0);
    }
  });
}
