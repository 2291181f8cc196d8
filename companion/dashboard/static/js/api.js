// The companion's REST API, called with the session cookie and this page's CSRF token.
const csrf = document.body.dataset.csrf;

export async function api(method, path, body) {
  const init = { method, credentials: "same-origin", headers: { "X-CSRF-Token": csrf } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const res = await fetch("/api/v1" + path, init);
  if (res.status === 204) return null;
  return answer(res);
}

/** The JSON of an answer; a refusal throws its message, with every problem it lists as `errors`. */
async function answer(res) {
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const tooBig = res.status === 413 && !data ? "the file is larger than the companion accepts" : null;
    throw Object.assign(new Error(data?.error?.message || tooBig || `the companion answered ${res.status}`),
      { errors: data?.error?.errors ?? [] });
  }
  return data;
}

/** Raw bytes to the companion (a piece of an archive's data file; a CSV file, as `type` text/csv). */
export async function sendBytes(path, bytes, type = "application/octet-stream") {
  const res = await fetch("/api/v1" + path, {
    method: "POST", credentials: "same-origin", body: bytes,
    headers: { "X-CSRF-Token": csrf, "Content-Type": type },
  });
  return answer(res);
}

/** The date `days` from today in this browser's time zone, as YYYY-MM-DD. */
export function localDate(days = 0) {
  const now = new Date();
  now.setDate(now.getDate() + days);
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

export function personPath(key) {
  return "/people/" + encodeURIComponent(key);
}

let toastTimer = null;

/** A short message at the bottom of the screen (errors stay longer). */
export function toast(message, kind = "error") {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, kind === "error" ? 8000 : 3000);
}

/** Run an API action from a UI control; report failures instead of throwing. */
export async function attempt(action, done) {
  try {
    const result = await action();
    if (done) toast(done, "ok");
    return result ?? true;
  } catch (err) {
    toast(err.message);
    return null;
  }
}

/**
 * Text from x.com or another program (a name, a client) inside a sentence that is plain text (a confirm
 * dialog, a toast): first-strong isolates keep a right-to-left override in it from turning the rest around.
 */
export const isolate = (text) => `\u2068${text ?? ""}\u2069`;
