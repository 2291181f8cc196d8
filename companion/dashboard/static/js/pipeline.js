// Pipeline: drag a card to another column, or use the keyboard (Enter on a card, or its "Move…"
// button); either way a dialog asks for the reason, and the stage is set by hand through the API.
import { api, attempt, isolate, personPath } from "./api.js";
import { scheduleRefresh } from "./refresh.js";

export function setupPipeline() {
  const dialog = document.getElementById("move-dialog");
  const form = document.getElementById("move-form");
  const stageSelect = document.getElementById("move-stage");
  const reason = document.getElementById("move-reason");
  let moving = null; // the card being moved
  let dragged = null;

  function openMove(card, stage) {
    moving = card;
    document.getElementById("move-who").textContent = card.dataset.name;
    const current = Number(card.dataset.stage);
    stageSelect.value = String(stage ?? Math.min(current + 1, stageSelect.options.length - 1));
    reason.value = "";
    dialog.showModal();
    reason.focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!moving || !reason.value.trim()) { reason.focus(); return; }
    const key = moving.dataset.key;
    const wanted = { stage: Number(stageSelect.value), reason: reason.value.trim() };
    const name = moving.dataset.name;
    const done = await attempt(() => api("PATCH", personPath(key), { stage: wanted }),
      `${isolate(name)} moved to ${stageSelect.selectedOptions[0].textContent}`);
    if (done) {
      dialog.close();
      moving.focus();
      scheduleRefresh(0);
    }
  });
  document.getElementById("move-cancel").addEventListener("click", () => { dialog.close(); moving?.focus(); });

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".move");
    if (button) openMove(button.closest(".card"));
  });
  document.addEventListener("keydown", (event) => {
    const card = event.target;
    if (!card.classList?.contains("card")) return;
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); openMove(card); return; }
    // Arrow keys move focus between cards of a column (up/down) and across columns (left/right).
    const moves = { ArrowUp: "previousElementSibling", ArrowDown: "nextElementSibling" };
    if (moves[event.key]) { event.preventDefault(); card[moves[event.key]]?.focus(); return; }
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      const column = card.closest(".column");
      const next = event.key === "ArrowLeft" ? column.previousElementSibling : column.nextElementSibling;
      next?.querySelector(".card")?.focus();
    }
  });

  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest?.(".card");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.key);
  });
  document.addEventListener("dragend", () => {
    dragged?.classList.remove("dragging");
    document.querySelectorAll(".column.drop").forEach((c) => c.classList.remove("drop"));
  });
  document.addEventListener("dragover", (event) => {
    const column = event.target.closest?.(".column");
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    column.classList.add("drop");
  });
  document.addEventListener("dragleave", (event) => {
    const column = event.target.closest?.(".column");
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("drop");
  });
  document.addEventListener("drop", (event) => {
    const column = event.target.closest?.(".column");
    if (!column || !dragged) return;
    event.preventDefault();
    column.classList.remove("drop");
    const card = dragged;
    dragged = null;
    card.classList.remove("dragging");
    if (column.dataset.stage !== card.dataset.stage) openMove(card, column.dataset.stage);
  });
}
