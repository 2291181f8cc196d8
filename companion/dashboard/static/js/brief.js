// The brief: print it, or copy it as Markdown (the page carries the text the companion wrote).
import { toast } from "./api.js";

export function setupBrief() {
  document.addEventListener("click", async (event) => {
    if (event.target.id === "brief-print") window.print();
    if (event.target.id !== "brief-copy") return;
    const text = document.getElementById("brief-markdown").textContent;
    try {
      await navigator.clipboard.writeText(text);
      document.querySelector(".brief .saved").textContent = "Copied";
    } catch (err) {
      toast(`The browser did not let Rapport copy: ${err.message}`);
    }
  });
}
