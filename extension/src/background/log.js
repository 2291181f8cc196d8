// How the background reports what went wrong: in its own console (no page sees it), never thrown,
// so one failed call never stops the worker's other parts.

/** A handler for a rejected promise: `what` failed, with the error. */
export const logError = (what) => (error) => console.error(`Rapport: ${what}`, error);

/** Run an API call that may return a promise (Chrome) or nothing (some Firefox calls); log failures. */
export function quietly(what, call) {
  try {
    const result = call();
    if (result && typeof result.then === "function") result.then(undefined, logError(what));
  } catch (error) {
    logError(what)(error);
  }
}
