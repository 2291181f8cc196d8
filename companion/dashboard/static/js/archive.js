// Settings → "Import your X archive": read the data files out of the zip (or the unpacked folder) in this
// browser, send them to the companion a piece at a time, then follow its import to the summary.
// Media in the archive is never read: only README.txt and .js files outside the media folders travel.
import { api, isolate, personPath, sendBytes } from "./api.js";
import { scheduleRefresh } from "./refresh.js";

const PIECE = 2 * 1024 * 1024; // well under the companion's request limit
const POLL_MS = 300;
const NOT_DATA = /(^|\/)(\w+_media|assets|__MACOSX)\//i;
const LISTED = 24; // people whose stage rose, shown by name (the highest stages first)
const PHASES = { opening: "Opening the archive", checking: "Checking every file", importing: "Importing", done: "Done" };

export const isDataFile = (path) => !NOT_DATA.test(path) && /(^|\/)([^/]+\.js|readme\.txt)$/i.test(path);

/** [{path, size, blob()}] of the data files in a zip, read with zip.js (only their entries are inflated). */
async function zipDataFiles(file) {
  const { zip } = globalThis;
  zip.configure({ useWebWorkers: false });
  const reader = new zip.ZipReader(new zip.BlobReader(file));
  let entries;
  try {
    entries = await reader.getEntries();
  } catch (err) {
    throw new Error(`${file.name} is not a complete zip file (${err.message}): download the archive again`);
  }
  // Zips made on Windows may name folders with backslashes ("data\\tweets.js"): read as "/".
  const files = entries.filter((e) => !e.directory).map((e) => ({ path: e.filename.replace(/\\/g, "/"), size: e.uncompressedSize,
    blob: () => e.getData(new zip.BlobWriter()) }));
  return { files: files.filter((f) => isDataFile(f.path)), close: () => reader.close() };
}

/** The same for an unpacked folder (paths relative to the folder chosen). */
function folderDataFiles(list) {
  const files = [...list].map((f) => ({ path: f.webkitRelativePath.split("/").slice(1).join("/"), size: f.size, blob: async () => f }))
    .filter((f) => isDataFile(f.path));
  return { files, close: async () => {} };
}

function show(progress, fraction, text) {
  progress.hidden = false;
  progress.querySelector("progress").value = fraction;
  progress.querySelector("[role=status]").textContent = text;
}

async function send(files, progress) {
  const { upload_id: upload } = await api("POST", "/archive/uploads", {});
  const total = files.reduce((sum, f) => sum + f.size, 0) || 1;
  let sent = 0;
  for (const file of files) {
    const blob = await file.blob();
    const query = (offset) => `/archive/uploads/${upload}/files?path=${encodeURIComponent(file.path)}&offset=${offset}`;
    if (blob.size === 0) await sendBytes(query(0), new Blob([]));
    for (let offset = 0; offset < blob.size; offset += PIECE) {
      await sendBytes(query(offset), blob.slice(offset, offset + PIECE));
      sent += Math.min(PIECE, blob.size - offset);
      show(progress, sent / total, `Sending ${file.path} to the companion… ${Math.round((100 * sent) / total)} %`);
    }
  }
  return upload;
}

async function follow(job, progress) {
  while (job.state === "running") {
    const p = job.progress;
    const where = p.file ? ` ${p.file}${p.file_items ? ` (${number(p.file_items)} items)` : ""}` : "";
    show(progress, p.fraction, `${PHASES[p.phase] ?? p.phase}${where}… ${Math.round(100 * p.fraction)} %`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    job = await api("GET", `/archive/jobs/${job.job_id}`);
  }
  if (job.state === "failed") throw new Error(job.error.message);
  show(progress, 1, job.summary.dry_run ? "Dry run finished: nothing was written." : "Imported.");
  return job.summary;
}

const number = (n) => n.toLocaleString();

function el(tag, text, attrs = {}) {
  const node = Object.assign(document.createElement(tag), attrs);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The summary, as the command line prints it, with links to the people whose stage rose. */
export function renderSummary(box, summary, stageNames) {
  const owner = summary.owner.handle ? `@${summary.owner.handle}` : summary.owner.user_id;
  const made = summary.generated_at ? `, made ${summary.generated_at.slice(0, 10)}` : "";
  const heading = el("h3", `${summary.dry_run ? "Would import" : "Imported"} the archive of ${isolate(owner)}${made}`);
  const facts = el("dl");
  const raisedTo = Object.entries(summary.raised_to).sort((a, b) => b[0] - a[0])
    .map(([stage, n]) => `${number(n)} to ${stageNames[stage]}`).join(", ");
  const known = summary.follows_known;
  const rows = [
    ["People added", number(summary.people_added)], ["People updated", number(summary.people_updated)],
    ["Stages raised", number(summary.stages_raised) + (raisedTo ? ` (${raisedTo})` : "")],
    ["Interactions added", number(summary.interactions_added)],
    ["Follows", `${known.follows_me ? `${number(summary.follows_me_set)} newly follow you` : "followers unknown"}, `
      + `${known.i_follow ? `you newly follow ${number(summary.i_follow_set)}` : "whom you follow unknown"}`],
  ];
  if (summary.missing_files.length) rows.push(["Not in this archive", summary.missing_files.join(", ")]);
  const skipped = summary.skipped;
  const notCounted = [[skipped.deleted_posts, "deleted posts"], [skipped.handle_changed_hands, "mentions of a handle that changed hands since"],
    [skipped.silent_groups, "group conversations you never wrote in"], [skipped.likes, "likes (the archive does not say whose)"]]
    .filter(([n]) => n > 0).map(([n, what]) => `${number(n)} ${what}`);
  if (notCounted.length) rows.push(["Not counted", notCounted.join("; ")]);
  for (const [term, value] of rows) facts.append(el("dt", term), el("dd", value));
  box.replaceChildren(heading, facts);
  if (summary.raised.length) {
    box.append(el("p", summary.dry_run ? "Whose stage would rise:" : "Whose stage rose:"));
    const list = el("ul");
    for (const person of summary.raised.slice(0, LISTED)) {
      const name = person.handle ? `@${person.handle}` : person.display_name || `user ${person.key}`;
      const item = el("li");
      const label = `${name}: ${stageNames[person.from]} → ${stageNames[person.to]}`;
      item.append(summary.dry_run ? el("span", label) : el("a", label, { href: personPath(person.key) }));
      list.append(item);
    }
    box.append(list);
    const more = summary.stages_raised - Math.min(LISTED, summary.raised.length);
    if (more > 0) {
      const rest = el("p", `and ${number(more)} more: `, { className: "muted" });
      if (!summary.dry_run) rest.append(el("a", "see everyone on People", { href: "/" }));
      box.append(rest);
    }
  }
  box.hidden = false;
}

export function setupArchiveImport() {
  const form = document.getElementById("archive-form");
  if (!form) return;
  const stageNames = form.dataset.stageNames.split("|"); // by stage number
  const progress = document.getElementById("archive-progress");
  const summaryBox = document.getElementById("archive-summary");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const zipFile = form.elements.zip.files[0];
    const folder = form.elements.folder.files;
    if (!zipFile && !folder.length) {
      show(progress, 0, "Choose the archive's .zip (or its folder) first.");
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    summaryBox.hidden = true;
    let source = null;
    try {
      show(progress, 0, "Reading the list of files in the archive…");
      source = zipFile ? await zipDataFiles(zipFile) : folderDataFiles(folder);
      if (!source.files.length) throw new Error("this is not an X archive: it holds no data files (data/….js)");
      const upload = await send(source.files, progress);
      const me = form.elements.me.value.trim();
      const job = await api("POST", `/archive/uploads/${upload}/import`, {
        dry_run: form.elements.dry_run.checked, me: me || null, label: zipFile ? zipFile.name : folder[0].webkitRelativePath.split("/")[0],
      });
      renderSummary(summaryBox, await follow(job, progress), stageNames);
      scheduleRefresh(0);
    } catch (err) {
      show(progress, 0, `The import stopped: ${err.message}`);
      progress.dataset.state = "failed";
    } finally {
      await source?.close();
      button.disabled = false;
    }
  });
}
