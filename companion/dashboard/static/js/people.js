// People: filters apply as you choose them; the list is swapped in place and the URL kept in step.
import { scheduleRefresh } from "./refresh.js";

const SEARCH_PAUSE_MS = 250;

export function setupPeople() {
  const form = document.getElementById("people-filters");
  if (!form) return;
  let pause = null;

  const apply = () => {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) params.set(name, value);
    if (params.get("sort") === "last_interaction") params.delete("sort");
    if (params.get("order") === "desc") params.delete("order");
    const query = params.toString();
    history.replaceState(null, "", query ? `/?${query}` : "/");
    scheduleRefresh(0);
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  form.addEventListener("change", (event) => { if (event.target.matches("select")) apply(); });
  form.addEventListener("input", (event) => {
    if (!event.target.matches("input")) return;
    clearTimeout(pause);
    pause = setTimeout(apply, SEARCH_PAUSE_MS);
  });
}
