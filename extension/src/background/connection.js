// Is the Rapport companion there, is it the right one, and will it take our token?
// Pure classification plus one orchestrating function that asks through the background's one HTTP
// gateway (client.js, passed in), so all of it runs under node in the unit tests.

import { API_VERSION, PRODUCT_NAME } from "../common/api.js";
import { STATE } from "../common/status.js";


export const CHECK_TIMEOUT_MS = 5000;

const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/** The {error: {type, message}} body every non-2xx answer of the companion has, or null. */
export function companionError(body) {
  if (!isObject(body) || !isObject(body.error)) return null;
  const { type, message } = body.error;
  return typeof type === "string" && typeof message === "string" ? { type, message } : null;
}

const isRedirect = (status) => status >= 300 && status < 400;

/**
 * What an answer to GET /api/v1/health means.
 * @param {{status: number, body: unknown, redirected?: boolean}} answer body is the parsed JSON, or undefined.
 * @returns {{ok: true, version: string | null, live_port: number | null} | {ok: false, state: string, detail: string, version?: string | null}}
 */
export function classifyHealth({ status, body, redirected = false }) {
  if (redirected || isRedirect(status)) {
    return { ok: false, state: STATE.WRONG_SERVER, detail: "Something answered with a redirect: that is not the Rapport companion." };
  }
  if (status < 200 || status >= 300) {
    const error = companionError(body);
    if (error) {
      return { ok: false, state: STATE.COMPANION_ERROR, detail: `The companion refused the health check (${status} ${error.type}): ${error.message}` };
    }
    return { ok: false, state: STATE.WRONG_SERVER, detail: `Something answered with HTTP ${status}: that is not the Rapport companion.` };
  }
  if (!isObject(body)) {
    return { ok: false, state: STATE.WRONG_SERVER, detail: "Something answered, but not with Rapport's health document." };
  }
  if (body.name !== PRODUCT_NAME) {
    const name = typeof body.name === "string" ? ` ("${body.name.slice(0, 40)}")` : "";
    return { ok: false, state: STATE.WRONG_SERVER, detail: `Another program${name} answers on this port, not the Rapport companion.` };
  }
  const version = typeof body.version === "string" ? body.version.slice(0, 40) : null;
  if (body.api !== API_VERSION) {
    const api = Number.isInteger(body.api) ? body.api : null;
    const advice = api !== null && api > API_VERSION ? "update the extension" : "update the companion";
    const shown = api === null ? "an unknown API" : `API ${api}`;
    return {
      ok: false,
      state: STATE.VERSION_MISMATCH,
      detail: `The companion${version ? ` ${version}` : ""} speaks ${shown}; this extension needs API ${API_VERSION}: ${advice}.`,
      version,
    };
  }
  const livePort = Number.isInteger(body.live_port) && body.live_port > 0 && body.live_port < 65536 ? body.live_port : null;
  return { ok: true, version, live_port: livePort };
}

/**
 * What an answer to an authenticated call (POST /api/v1/badges {"handles": []}) says about the token.
 * @returns {{state: string, detail: string}}
 */
export function classifyAuthProbe({ status, body, redirected = false }) {
  if (status >= 200 && status < 300 && !redirected) return { state: STATE.CONNECTED, detail: "The companion accepts this extension's token." };
  if (status === 401) {
    return { state: STATE.NOT_PAIRED, detail: "The companion does not accept the token: it is wrong or was revoked. Pair again in Rapport's options." };
  }
  if (redirected || isRedirect(status)) {
    return { state: STATE.WRONG_SERVER, detail: "The companion address redirected an API call: that is not the Rapport companion." };
  }
  const error = companionError(body);
  const why = error ? `${error.type}: ${error.message}` : "no explanation";
  return { state: STATE.COMPANION_ERROR, detail: `The companion answered HTTP ${status} (${why}).` };
}

/** A fetch failure (no answer at all) as an offline state. */
export function classifyNetworkError(error, url, timeoutMs = CHECK_TIMEOUT_MS) {
  const timedOut = error?.name === "TimeoutError" || error?.name === "AbortError";
  return {
    state: STATE.OFFLINE,
    detail: timedOut
      ? `No answer from ${url} within ${Math.round(timeoutMs / 1000)} s. Is the companion stuck?`
      : `Nothing answers at ${url}. Start the companion with \`rapport serve\`.`,
  };
}

/**
 * Check the companion at `url`: health first (no token), then, if that is Rapport speaking our API
 * and we have a token, one authenticated call to see whether the token is accepted.
 * Never throws; never sends the token anywhere but `url`, and never follows redirects.
 *
 * @param {object} options
 * @param {string} options.url companion origin, e.g. "http://127.0.0.1:47600"
 * @param {string | null} options.token
 * @param {{health: Function, authProbe: Function}} options.client the gateway (client.js createClient)
 * @param {boolean} [options.hasAccess=true] whether the browser lets the extension reach the host
 * @param {number} [options.timeoutMs]
 * @param {() => Date} [options.now]
 * @returns {Promise<{state: string, detail: string, url: string, server_version: string | null, checked_at: string,
 *   live_port?: number | null}>} live_port: where the live events are (once the companion is reachable)
 */
export async function checkConnection({ url, token, client, hasAccess = true, timeoutMs = CHECK_TIMEOUT_MS, now = () => new Date() }) {
  const done = (state, detail, version = null) => ({
    state, detail, url, server_version: version, checked_at: now().toISOString(),
  });
  if (!hasAccess) {
    return done(STATE.NO_ACCESS, `The browser does not let Rapport reach ${url}. Open Rapport's options and allow access.`);
  }
  const answer = await client.health(url, timeoutMs);
  if (answer.failure) {
    const offline = classifyNetworkError(answer.error, url, timeoutMs);
    return done(offline.state, offline.detail);
  }
  const health = classifyHealth(answer);
  if (!health.ok) return done(health.state, health.detail, health.version ?? null);
  if (!token) {
    return done(STATE.NOT_PAIRED, "The companion is running, but this extension has no token yet. Pair it in Rapport's options.", health.version);
  }

  const probe = await client.authProbe(url, token, timeoutMs);
  const auth = probe.failure ? classifyNetworkError(probe.error, url, timeoutMs) : classifyAuthProbe(probe);
  return { ...done(auth.state, auth.detail, health.version), live_port: health.live_port };
}
