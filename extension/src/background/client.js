// The companion's HTTP client: ingest a batch, ask to pair, poll a pairing request.
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

const CODE = /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const PAIR_STATES = new Set(["pending", "approved", "delivered", "rejected", "expired"]);
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/** The answer to POST /api/v1/pair (shared_schema/pair-started.schema.json), or null if it is not one. */
export function parsePairStarted(body) {
  if (!isObject(body)) return null;
  const { request_id: requestId, code, expires_at: expiresAt, poll_interval_ms: interval } = body;
  if (typeof requestId !== "string" || requestId.length < 20 || requestId.length > 200 || !/^[\x21-\x7e]+$/.test(requestId)) return null;
  if (typeof code !== "string" || !CODE.test(code)) return null;
  if (typeof expiresAt !== "string" || !TIMESTAMP.test(expiresAt) || Number.isNaN(Date.parse(expiresAt))) return null;
  if (!Number.isInteger(interval) || interval < 100) return null;
  return { request_id: requestId, code, expires_at: expiresAt, poll_interval_ms: interval };
}

/** The answer to GET /api/v1/pair/<id> (shared_schema/pair-status.schema.json), or null. */
export function parsePairStatus(body) {
  if (!isObject(body) || !PAIR_STATES.has(body.state) || typeof body.code !== "string") return null;
  if (body.token !== undefined && (typeof body.token !== "string" || body.token.length < 20)) return null;
  return { state: body.state, code: body.code, ...(body.token !== undefined ? { token: body.token } : {}) };
}

/**
 * @param {object} options
 * @param {typeof fetch} options.fetch
 * @param {() => Promise<{url: string, token: string | null}>} options.settings read at every call
 * @param {number} [options.timeoutMs]
 */
export function createClient({ fetch, settings, timeoutMs = REQUEST_TIMEOUT_MS }) {
  async function request(url, init) {
    try {
      const response = await fetch(url, { ...COMMON, ...init, signal: AbortSignal.timeout(timeoutMs) });
      return await readAnswer(response);
    } catch (error) {
      return { failure: networkFailure(error, timeoutMs) };
    }
  }

  return {
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
      const started = answer.status === 201 || answer.status === 200 ? parsePairStarted(answer.body) : null;
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
      const parsed = answer.status === 200 && !answer.redirected ? parsePairStatus(answer.body) : null;
      if (parsed) return { ok: true, status: parsed };
      if (answer.status === 200 || answer.redirected) {
        return { ok: false, status: answer.status, type: "wrong_server", message: "Something answered, but not as the Rapport companion does." };
      }
      return { ok: false, status: answer.status, ...describe(answer.status, answer.body) };
    },
  };
}
