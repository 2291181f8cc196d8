// Keyboard shortcuts on every page. One table (SHORTCUTS) is what the handler runs and what the "?" dialog
// lists. Rows marked data-row (People, Pipeline cards, Keep in touch, Meet-ups) are walked with j/k; the pages
// for "g" + a letter come from the nav's data-go (base.html), so a new page needs no change here.
const GO_PAUSE_MS = 1500; // how long "g" waits for its letter
const TYPING = "textarea, select, [contenteditable]:not([contenteditable=false]), "
  + "input:not([type=checkbox], [type=radio], [type=button], [type=submit], [type=reset])";

let selectedKey = null; // the selected row's data-key: it survives an in-place refresh
let goPending = null; // the timer while "g" waits for its letter
const extra = []; // shortcuts a page adds (People: "x")

const rows = () => Array.from(document.querySelectorAll("main [data-row]")).filter((row) => row.offsetParent !== null);
const rowLink = (row) => row?.querySelector('a[href^="/people/"]');
export const selectedRow = () => (selectedKey === null ? null
  : document.querySelector(`main [data-row][data-key="${CSS.escape(selectedKey)}"]`));

function select(row) {
  document.querySelectorAll("main [data-row].selected").forEach((old) => old.classList.remove("selected"));
  selectedKey = row?.dataset.key ?? null;
  if (!row) return;
  row.classList.add("selected");
  (rowLink(row) ?? row).focus(); // a visible focus ring, and Enter follows the link
  row.scrollIntoView({ block: "nearest" });
}

function move(step) {
  const list = rows();
  if (!list.length) return;
  const at = list.indexOf(selectedRow());
  select(list[at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(Math.max(at + step, 0), list.length - 1)]);
}

function focusSearch() {
  const box = document.querySelector('main [role="search"] input:not([type=hidden]), main input[type="search"]');
  if (!box) return false;
  box.focus();
  box.select?.();
  return true;
}

function openSelected() {
  const link = rowLink(selectedRow());
  if (!link) return false;
  location.assign(link.href);
  return true;
}

const pages = () => Array.from(document.querySelectorAll("header nav a[data-go]"));

function shortcuts() {
  return [
    { keys: ["/"], what: "Search or filter this page", run: focusSearch },
    { keys: ["j"], what: "Next row", run: () => move(1) },
    { keys: ["k"], what: "Previous row", run: () => move(-1) },
    { keys: ["Enter"], what: "Open the selected row’s person", run: openSelected },
    ...extra,
    ...pages().map((a) => ({ keys: ["g", a.dataset.go], what: `Go to ${a.textContent.trim()}`,
      run: () => location.assign(a.href) })),
    { keys: ["?"], what: "Show these shortcuts", run: showHelp },
    { keys: ["Esc"], what: "Close a dialog", run: null },
  ];
}

/** A page's own shortcut (People: "x" ticks the selected row): in the handler and in the "?" list. */
export function addShortcut(key, what, run) {
  extra.push({ keys: [key], what, run });
}

function showHelp() {
  const dialog = document.getElementById("shortcuts");
  const list = document.getElementById("shortcuts-list");
  if (!dialog || dialog.open) return false;
  list.replaceChildren();
  for (const shortcut of shortcuts()) {
    const term = document.createElement("dt");
    shortcut.keys.forEach((key, i) => {
      if (i) term.append(" then ");
      term.append(Object.assign(document.createElement("kbd"), { textContent: key }));
    });
    list.append(term, Object.assign(document.createElement("dd"), { textContent: shortcut.what }));
  }
  dialog.showModal();
  return true;
}

function onKey(event) {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  if (event.target.closest?.(TYPING) || document.querySelector("dialog[open]")) return;
  const table = shortcuts();
  if (goPending !== null) {
    clearTimeout(goPending);
    goPending = null;
    const page = table.find((s) => s.keys.length === 2 && s.keys[1] === event.key);
    if (page) { event.preventDefault(); page.run(); }
    return;
  }
  if (event.key === "g") {
    event.preventDefault();
    goPending = setTimeout(() => { goPending = null; }, GO_PAUSE_MS);
    return;
  }
  // Enter on a link or a button does what that control does; ours is for a row selected with j/k.
  if (event.key === "Enter" && event.target.closest("a, button, [tabindex]:not(main)")) return;
  const shortcut = table.find((s) => s.keys.length === 1 && s.keys[0] === event.key && s.run);
  if (shortcut && shortcut.run() !== false) event.preventDefault();
}

export function setupKeys() {
  document.addEventListener("keydown", onKey);
  document.getElementById("shortcuts-open")?.addEventListener("click", showHelp);
  // The list was swapped in place: the same person stays selected (their row is a new element).
  document.addEventListener("rapport:refreshed", () => {
    const row = selectedRow();
    if (!row) return;
    row.classList.add("selected");
    if (document.activeElement === document.body) (rowLink(row) ?? row).focus();
  });
}
