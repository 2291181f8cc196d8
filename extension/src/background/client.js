// The companion's HTTP client: ingest a batch, ask to pair, poll a pairing request, and the calls
// behind the badges and the overlay (badges, a person, create, change, log an event).
// `fetch` and the settings are passed in, so all of it runs under node in the unit tests.
// Never throws: every call answers with an outcome the queue or the pairing flow acts on.

import { companionError, readAnswer } from "./connection.js";

export const REQUEST_TIMEOUT_MS = 15000;

// What the offline queue does with an answer to POST /api/v1/ingest.
export const OUTCOME = Object.freeze({
  OK: "ok", // acknowledged: remove the batch
  DROP: "drop", // the companion refuses this batch for good (400, 413, ...): drop it and log why
  UNAUTHORIZED: "unauthorized", // 401 or no token: keep the queue, stop sending until paired
  RETRY: "retry", // network error, timeout, 5xx, 408, 429: keep it, back off
  HOLD: "hold", // not this batch's fault (403, 404, 405, a redirect): keep it, back off
});

// 4xx answers that say nothing about the batch itself: the queue is kept (and retried slowly).
// 403 is a wrong Host or Origin (configuration), 404/405 an older companion or another server.
const HOLD_STATUSES = new Set([403, 404, 405]);
const RETRY_STATUSES = new Set([408, 425, 429]);

const COMMON = Object.freeze({ credentials: "omit", cache: "no-store", redirect: "manual" });

function describe(status, body) {
  const error = companionError(body);
  return error ? { type: error.type, message: error.message.slice(0, 300) } : { type: `http_${status}`, message: `HTTP ${status}` };
}

/**
 * What an answer to POST /api/v1/ingest means for the queued batch.
 * @returns {{outcome: string, status: number, type?: string, message?: string, result?: object}}
 */
export function classifyIngest({ status, body, redirected = false }) {
  if (redirected || (status >= 300 && status < 400)) {
    return { outcome: OUTCOME.HOLD, status, type: "redirect", message: "The companion address redirected: that is not the Rapport companion." };
  }
  if (status >= 200 && status < 300) return { outcome: OUTCOME.OK, status, result: body };
  if (status === 401) return { outcome: OUTCOME.UNAUTHORIZED, status, ...describe(status, body) };
  if (HOLD_STATUSES.has(status)) return { outcome: OUTCOME.HOLD, status, ...describe(status, body) };
  if (RETRY_STATUSES.has(status) || status >= 500) return { outcome: OUTCOME.RETRY, status, ...describe(status, body) };
  if (status >= 400 && status < 500) return { outcome: OUTCOME.DROP, status, ...describe(status, body) };
  return { outcome: OUTCOME.HOLD, status, ...describe(status, body) };
}

function networkFailure(error, timeoutMs) {
  const timedOut = error?.name === "TimeoutError" || error?.name === "AbortError";
  return {
    status: 0,
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
  async function request(url, init) {
    try {
      const response = await fetch(url, { ...COMMON, ...init, signal: AbortSignal.timeout(timeoutMs) });
      return await readAnswer(response);
    } catch (error) {
      return { failure: networkFailure(error, timeoutMs) };
    }
  }

  /**
   * One authenticated JSON call: {ok: true, status, body} for a 2xx answer, else
   * {ok: false, status, type, message} (status 0: no answer; 401: not paired).
   */
  async function call(method, path, body) {
    const { url, token } = await settings();
    if (!token) return { ok: false, status: 401, type: "no_token", message: "This extension is not paired yet." };
    const headers = { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const answer = await request(`${url}/api/v1${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if (answer.failure) return { ok: false, ...answer.failure };
    if (answer.redirected || answer.status >= 300 || answer.status < 200) {
      return { ok: false, status: answer.status, ...(answer.redirected ? { type: "redirect", message: "The companion address redirected." } : describe(answer.status, answer.body)) };
    }
    return { ok: true, status: answer.status, body: answer.body };
  }

  const person = (handle) => `/people/${encodeURIComponent(handle)}`;

  return {
    call,
    /** POST /badges: {ok, body: {badges: {handle: badge}}} (validated by the caller). */
    badges: (handles) => call("POST", "/badges", { handles }),
    /** GET /people/<handle>: 404 when the companion has never seen them. */
    person: (handle) => call("GET", person(handle)),
    createPerson: (body) => call("POST", "/people", body),
    editPerson: (handle, change) => call("PATCH", person(handle), change),
    logEvent: (handle, event) => call("POST", `${person(handle)}/events`, event),

    /** POST one batch; answers {outcome, status, type?, message?, result?}. */
    async ingest(batch) {
      const { url, token } = await settings();
      if (!token) return { outcome: OUTCOME.UNAUTHORIZED, status: 0, type: "no_token", message: "This extension is not paired yet." };
      let body;
      try {
        body = JSON.stringify(batch);
      } catch (error) {
        return { outcome: OUTCOME.DROP, status: 0, type: "unserializable", message: String(error?.message ?? error) };
      }
      const answer = await request(`${url}/api/v1/ingest`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body,
      });
      if (answer.failure) return { outcome: OUTCOME.RETRY, ...answer.failure };
      return classifyIngest(answer);
    },

    /** POST /api/v1/pair: {ok: true, started} or {ok: false, status, type, message}. */
    async pairStart(clientName) {
      const { url } = await settings();
      const answer = await request(`${url}/api/v1/pair`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ client_name: clientName }),
      });
      if (answer.failure) return { ok: false, ...answer.failure };
      const started = answer.status === 201 || answer.status === 200 ? parsePairStarted(answer.body, validators.pairStarted) : null;
      if (started && !answer.redirected) return { ok: true, started };
      if (answer.redirected || (answer.status >= 200 && answer.status < 400)) {
        return { ok: false, status: answer.status, type: "wrong_server", message: "Something answered, but not as the Rapport companion does." };
      }
      return { ok: false, status: answer.status, ...describe(answer.status, answer.body) };
    },

    /** GET /api/v1/pair/<id>: {ok: true, status: {state, code, token?}} or {ok: false, status, type, message}. */
    async pairPoll(requestId) {
      const { url } = await settings();
      const answer = await request(`${url}/api/v1/pair/${encodeURIComponent(requestId)}`, { method: "GET" });
      if (answer.failure) return { ok: false, ...answer.failure };
      const parsed = answer.status === 200 && !answer.redirected ? parsePairStatus(answer.body, validators.pairStatus) : null;
      if (parsed) return { ok: true, status: parsed };
      if (answer.status === 200 || answer.redirected) {
        return { ok: false, status: answer.status, type: "wrong_server", message: "Something answered, but not as the Rapport companion does." };
      }
      return { ok: false, status: answer.status, ...describe(answer.status, answer.body) };
    },
  };
}
