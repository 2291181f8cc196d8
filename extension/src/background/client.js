// The companion's HTTP client: ingest a batch, ask to pair, poll a pairing request, and the calls
// behind the badges and the overlay (badges, a person, create, change, log an event).
// `fetch` and the settings are passed in, so all of it runs under node in the unit tests.
// Never throws: every call answers with one shape, {ok, status, kind, type?, message?, ...}, where
// `kind` (policy.js) says what the caller does with it.

import { companionError } from "./connection.js";
import { KIND, kindOf } from "./policy.js";

export const REQUEST_TIMEOUT_MS = 15000;

/** Status, parsed JSON body (undefined when none or not JSON) and whether it was a redirect. */
async function readAnswer(response) {
  let body;
  try {
    const text = await response.text();
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, redirected: response.redirected || response.type === "opaqueredirect" };
}

const COMMON = Object.freeze({ credentials: "omit", cache: "no-store", redirect: "manual" });

function describe(status, body) {
  const error = companionError(body);
  return error ? { type: error.type, message: error.message.slice(0, 300) } : { type: `http_${status}`, message: `HTTP ${status}` };
}

/**
 * An answer as every caller gets it: {ok, status, kind} and, when it is no 2xx, the companion's
 * error type and message.
 * @returns {{ok: boolean, status: number, kind: string, type?: string, message?: string, body?: unknown}}
 */
export function classify({ status, body, redirected = false }) {
  const kind = kindOf({ status, redirected });
  if (kind === KIND.OK) return { ok: true, status, kind, body };
  if (redirected || (status >= 300 && status < 400)) {
    return { ok: false, status, kind, type: "redirect", message: "The companion address redirected: that is not the Rapport companion." };
  }
  return { ok: false, status, kind, ...describe(status, body) };
}

function networkFailure(error, timeoutMs) {
  const timedOut = error?.name === "TimeoutError" || error?.name === "AbortError";
  return {
    ok: false,
    status: 0,
    kind: KIND.RETRY,
    type: timedOut ? "timeout" : "network",
    message: timedOut ? `No answer within ${Math.round(timeoutMs / 1000)} s.` : "The companion does not answer (is `rapport serve` running?).",
  };
}

/**
 * The answer to POST /api/v1/pair if `validate` (shared_schema/pair-started.schema.json) accepts it,
 * else null. Only the fields the extension keeps.
 */
export function parsePairStarted(body, validate) {
  if (!validate(body) || Number.isNaN(Date.parse(body.expires_at))) return null;
  const { request_id, code, expires_at, poll_interval_ms } = body;
  return { request_id, code, expires_at, poll_interval_ms };
}

/** The answer to GET /api/v1/pair/<id> if `validate` (pair-status.schema.json) accepts it, else null. */
export function parsePairStatus(body, validate) {
  if (!validate(body)) return null;
  return { state: body.state, code: body.code, ...(body.token !== undefined ? { token: body.token } : {}) };
}

/**
 * @param {object} options
 * @param {typeof fetch} options.fetch
 * @param {() => Promise<{url: string, token: string | null}>} options.settings read at every call
 * @param {{pairStarted: (body: unknown) => boolean, pairStatus: (body: unknown) => boolean}} options.validators
 *   shared_schema's pair-started and pair-status validators (generated at build time)
 * @param {number} [options.timeoutMs]
 */
export function createClient({ fetch, settings, validators, timeoutMs = REQUEST_TIMEOUT_MS }) {
  // Every request of the background goes through here: no credentials, no cache, no redirects followed.
  async function request(url, init, wait = timeoutMs) {
    try {
      const response = await fetch(url, { ...COMMON, ...init, signal: AbortSignal.timeout(wait) });
      return await readAnswer(response);
    } catch (error) {
      return { failure: networkFailure(error, wait), error };
    }
  }

  const NOT_PAIRED = Object.freeze({ ok: false, status: 401, kind: KIND.UNAUTHORIZED, type: "no_token", message: "This extension is not paired yet." });

  /** One authenticated JSON call, answered in the one shape (classify). */
  async function call(method, path, body) {
    const { url, token } = await settings();
    if (!token) return { ...NOT_PAIRED };
    const headers = { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const answer = await request(`${url}/api/v1${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return answer.failure ? answer.failure : classify(answer);
  }

  const person = (handle) => `/people/${encodeURIComponent(handle)}`;

  return {
    call,
    /** GET /api/v1/health at `url` (no token): the raw answer {status, body, redirected}, or {failure, error}. */
    health: (url, wait) => request(`${url}/api/v1/health`, { method: "GET" }, wait),
    /** The cheapest call that needs a token (badges for nobody): does the companion at `url` take `token`? */
    authProbe: (url, token, wait) => request(`${url}/api/v1/badges`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ handles: [] }),
    }, wait),
    /** POST /badges: {ok, body: {badges: {handle: badge}}} (validated by the caller). */
    badges: (handles) => call("POST", "/badges", { handles }),
    /** GET /people/<handle>: 404 when the companion has never seen them. */
    person: (handle) => call("GET", person(handle)),
    createPerson: (body) => call("POST", "/people", body),
    editPerson: (handle, change) => call("PATCH", person(handle), change),
    logEvent: (handle, event) => call("POST", `${person(handle)}/events`, event),
    actOnSuggestion: (handle, id, action) => call("POST", `${person(handle)}/suggestions/${encodeURIComponent(id)}/${action}`),
    /** GET /keep-in-touch?limit=N: how many people are in each list, and the first N of each (validated by the caller). */
    keepInTouch: (limit = 0) => call("GET", `/keep-in-touch?limit=${limit}`),

    /** POST one batch, answered in the one shape; `result` is the companion's answer when it took it. */
    async ingest(batch) {
      const { url, token } = await settings();
      if (!token) return { ...NOT_PAIRED, status: 0 };
      let body;
      try {
        body = JSON.stringify(batch);
      } catch (error) {
        return { ok: false, status: 0, kind: KIND.DROP, type: "unserializable", message: String(error?.message ?? error) };
      }
      const answer = await request(`${url}/api/v1/ingest`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body,
      });
      if (answer.failure) return answer.failure;
      const classified = classify(answer);
      return classified.ok ? { ...classified, result: answer.body } : classified;
    },

    /** POST /api/v1/pair: {ok: true, started} or {ok: false, status, type, message}. */
    async pairStart(clientName) {
      const { url } = await settings();
      const answer = await request(`${url}/api/v1/pair`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ client_name: clientName }),
      });
      if (answer.failure) return answer.failure;
      const started = answer.status === 201 || answer.status === 200 ? parsePairStarted(answer.body, validators.pairStarted) : null;
      if (started && !answer.redirected) return { ok: true, started };
      if (answer.redirected || (answer.status >= 200 && answer.status < 400)) {
        return { ok: false, status: answer.status, kind: KIND.HOLD, type: "wrong_server", message: "Something answered, but not as the Rapport companion does." };
      }
      return classify(answer);
    },

    /** GET /api/v1/pair/<id>: {ok: true, status: {state, code, token?}} or {ok: false, status, type, message}. */
    async pairPoll(requestId) {
      const { url } = await settings();
      const answer = await request(`${url}/api/v1/pair/${encodeURIComponent(requestId)}`, { method: "GET" });
      if (answer.failure) return answer.failure;
      const parsed = answer.status === 200 && !answer.redirected ? parsePairStatus(answer.body, validators.pairStatus) : null;
      if (parsed) return { ok: true, status: parsed };
      if (answer.status === 200 || answer.redirected) {
        return { ok: false, status: answer.status, kind: KIND.HOLD, type: "wrong_server", message: "Something answered, but not as the Rapport companion does." };
      }
      return classify(answer);
    },
  };
}
