// People → Import CSV: a dry run of the chosen file shows each column's field (a select to change it), the rows
// as they would be applied and every bad row; "Import N people" then applies it all (or, if a row is bad, nothing).
import { isolate, sendBytes } from "./api.js";

const IGNORE = "ignore";
const ACTIONS = { create: "New", update: "Update", unchanged: "Unchanged" };

const $ = (id) => document.getElementById(id);
const number = (n) => n.toLocaleString();
const people = (n) => `${number(n)} ${n === 1 ? "person" : "people"}`;

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  if (className) td.className = className;
  return td;
}

function row(...cells) {
  const tr = document.createElement("tr");
  tr.append(...cells);
  return tr;
}

export function setupImportCsv() {
  const form = $("csv-form");
  if (!form) return;
  const maxBytes = Number(form.dataset.maxBytes);
  let bytes = null;
  let mapping = new Map(); // column number -> field id (or "ignore"), as the user chose
  const tagLabels = JSON.parse(form.dataset.tagLabels);

  const problem = (message, errors = []) => {
    $("csv-problem").textContent = message;
    $("csv-problem").hidden = !message;
    if (errors.length > 1) showErrors(errors, errors.length);
  };

  const query = (dryRun) => {
    const params = new URLSearchParams({ dry_run: dryRun ? "1" : "0" });
    for (const [column, field] of mapping) params.append("map", `${column}=${field}`);
    return `/people.csv?${params}`;
  };

  function showColumns(result) {
    const body = $("csv-columns").tBodies[0];
    body.replaceChildren(...result.columns.map((c) => {
      const select = document.createElement("select");
      select.dataset.column = c.column;
      select.setAttribute("aria-label", `Import column ${c.column} (${c.header || "no header"}) as`);
      select.append(new Option("Not imported", IGNORE));
      for (const f of result.fields) select.append(new Option(f.label, f.id));
      select.value = c.field ?? IGNORE;
      const pick = document.createElement("td");
      pick.append(select);
      return row(cell(c.column, "num"), cell(c.header), pick, cell(c.field ? (c.how === "mapped" ? "as you chose" : "") : c.note, "note"));
    }));
  }

  function showErrors(errors, total) {
    $("csv-errors-box").hidden = errors.length === 0;
    $("csv-errors-count").textContent = total > errors.length ? `(the first ${number(errors.length)} of ${number(total)})` : `(${number(total)})`;
    $("csv-errors").tBodies[0].replaceChildren(...errors.map((e) => row(
      cell(e.row ?? "", "num"), cell(e.column ?? ""), cell(e.message, "message"))));
  }

  function showPreview(result) {
    $("csv-preview-box").hidden = result.preview.length === 0;
    const good = result.counts.created + result.counts.updated + result.counts.unchanged;
    $("csv-preview-count").textContent = good > result.preview.length
      ? `(the first ${number(result.preview.length)} of ${number(good)} rows)` : "";
    $("csv-preview").tBodies[0].replaceChildren(...result.preview.map((p) => {
      const notes = Object.entries(p.notes).map(([field, text]) => `${field}: ${text}`).join("\n");
      const tags = [...(p.tags ?? []).map((t) => tagLabels[t] ?? t), ...(p.labels ?? [])].join(", ");
      return row(cell(p.row, "num"), cell(ACTIONS[p.action], `action-${p.action}`),
        cell(p.handle ? `@${p.handle}` : p.user_id), cell(p.name), cell(tags), cell(notes, "notes-cell"),
        cell(p.changes.join(", "), "changes"));
    }));
  }

  function show(result) {
    $("csv-result").hidden = false;
    showColumns(result);
    showErrors(result.errors, result.errors_total);
    showPreview(result);
    const { created, updated, unchanged } = result.counts;
    const changing = created + updated;
    $("csv-summary").textContent = `${number(result.rows)} rows: ${number(created)} new, ${number(updated)} to update, `
      + `${number(unchanged)} unchanged${result.errors_total ? `, ${number(result.errors_total)} to fix: nothing can be imported until they are fixed` : ""}.`;
    const button = $("csv-import");
    button.disabled = !result.ok || changing === 0;
    button.textContent = changing ? `Import ${people(changing)}` : "Nothing to import";
  }

  async function dryRun() {
    problem("");
    $("csv-done").hidden = true;
    try {
      show(await sendBytes(query(true), bytes, "text/csv"));
    } catch (err) {
      $("csv-result").hidden = true;
      problem(err.message, err.errors);
    }
  }

  $("csv-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    mapping = new Map();
    bytes = null;
    $("csv-result").hidden = true;
    if (!file) return;
    if (file.size > maxBytes) {
      problem(`${isolate(file.name)} is ${(file.size / 1048576).toFixed(1)} MiB; Rapport imports CSV files of up to `
        + `${form.dataset.maxMib} MiB at a time: split it into smaller files.`);
      return;
    }
    bytes = await file.arrayBuffer();
    await dryRun();
  });

  $("csv-columns").addEventListener("change", (event) => {
    const select = event.target.closest("select[data-column]");
    if (!select || !bytes) return;
    mapping.set(select.dataset.column, select.value);
    dryRun();
  });

  $("csv-import").addEventListener("click", async () => {
    const button = $("csv-import");
    button.disabled = true;
    problem("");
    try {
      const result = await sendBytes(query(false), bytes, "text/csv");
      const { created, updated, unchanged } = result.counts;
      $("csv-result").hidden = true;
      const done = $("csv-done");
      done.replaceChildren();
      const line = document.createElement("p");
      line.className = "csv-summary";
      line.textContent = `Imported: ${people(created)} added, ${number(updated)} updated, ${number(unchanged)} unchanged.`;
      const back = Object.assign(document.createElement("a"), { href: "/", textContent: "See everyone on the People page" });
      done.append(line, back);
      done.hidden = false;
      $("csv-file").value = "";
      bytes = null;
    } catch (err) {
      problem(err.message, err.errors);
      button.disabled = false;
    }
  });
}
