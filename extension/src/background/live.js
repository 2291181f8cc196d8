// The companion's live events, over its websocket server (ws://127.0.0.1:<live_port>/).
//
// Connected only while someone listens (an x.com tab or an open overlay): the first message is
// {"type": "auth", "token"}, the companion answers {"type": "ready"} and then sends every change
// (shared_schema/live-event.schema.json), each checked with the generated validator before use.
// A lost connection is retried with backoff; "ready" after a reconnect tells the caller that
// changes may have been missed meanwhile. A ping every 20 s keeps the socket (and Chrome's
// service worker, which stays alive while a websocket is active) from going idle.

import { KEYS, settingsFrom } from "../common/settings.js";
import { backoffDelay } from "./policy.js";

export const LIVE_DEFAULTS = Object.freeze({
  pingMs: 20000,
  minRetryMs: 1000,
  maxRetryMs: 30000,
});

/** The close codes of companion/http/live.py: don't hammer a companion that refused the token. */
const UNAUTHORIZED = 4401;

/**
 * Where the live events are, from storage.local's settings and last connection check: null until
 * paired and until a check of this very companion address has learnt its live port.
 * @param {object} stored storage.local's KEYS.url, KEYS.token and KEYS.connection
 */
export function liveTarget(stored) {
  const settings = settingsFrom(stored);
  const connection = stored[KEYS.connection];
  if (!settings.token || !Number.isInteger(connection?.live_port) || connection?.url !== settings.url) return null;
  return { url: `ws://${new URL(settings.url).hostname}:${connection.live_port}/`, token: settings.token };
}

/**
 * @param {object} env
 * @param {typeof WebSocket} env.WebSocket
 * @param {() => Promise<{url: string, token: string} | null>} env.target where to connect, or null (not paired, unknown port)
 * @param {(event: object) => void} env.onEvent a validated live event
 * @param {() => void} env.onReady authenticated (again): changes may have been missed before
 * @param {(event: unknown) => boolean} env.validate shared_schema live-event validator
 * @param {(state: "connected" | "connecting" | "closed", detail?: string) => void} [env.onState]
 * @param {{setTimeout: Function, clearTimeout: Function, setInterval: Function, clearInterval: Function}} env.timers
 */
export function createLive({ WebSocket, target, onEvent, onReady, validate, onState = () => {}, timers, options = {} }) {
  const opts = { ...LIVE_DEFAULTS, ...options };
  const stats = { connects: 0, events: 0, invalid: 0, closes: 0 };
  let wanted = false;
  let socket = null;
  let failures = 0; // connection attempts that failed in a row: the backoff (policy.js) grows with them
  let retryTimer = null;
  let pingTimer = null;
  let state = "closed";
  const retired = new WeakSet(); // sockets closed on purpose: their close events mean nothing

  function setState(next, detail) {
    state = next;
    onState(next, detail);
  }

  function scheduleRetry(reason) {
    if (!wanted || retryTimer !== null) return;
    failures += 1;
    // No jitter: one browser holds one live connection, and its tests count the waits.
    const wait = reason === UNAUTHORIZED ? opts.maxRetryMs
      : backoffDelay(failures, Math.random, { baseMs: opts.minRetryMs, maxMs: opts.maxRetryMs, jitter: 0 });
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      connect().catch(() => scheduleRetry());
    }, wait);
  }

  async function connect() {
    if (!wanted || socket) return;
    const where = await target();
    if (!wanted || socket) return;
    if (!where) {
      setState("closed", "not paired, or the companion is not reachable");
      scheduleRetry();
      return;
    }
    setState("connecting");
    stats.connects += 1;
    let ws;
    try {
      ws = new WebSocket(where.url);
    } catch (error) {
      setState("closed", String(error?.message ?? error));
      scheduleRetry();
      return;
    }
    socket = ws;
    ws.addEventListener("open", () => ws.send(JSON.stringify({ type: "auth", token: where.token })));
    ws.addEventListener("message", (message) => {
      let event;
      try {
        event = JSON.parse(typeof message.data === "string" ? message.data : "");
      } catch {
        stats.invalid += 1;
        return;
      }
      if (!validate(event)) {
        stats.invalid += 1;
        return;
      }
      if (event.type === "ready") {
        failures = 0;
        setState("connected");
        if (pingTimer === null) pingTimer = timers.setInterval(() => ws.readyState === 1 && ws.send('{"type":"ping"}'), opts.pingMs);
        onReady();
        return;
      }
      stats.events += 1;
      onEvent(event);
    });
    ws.addEventListener("close", (event) => {
      stats.closes += 1;
      if (retired.has(ws)) return;
      if (socket === ws) socket = null;
      if (pingTimer !== null) timers.clearInterval(pingTimer);
      pingTimer = null;
      setState("closed", event?.reason || `closed (${event?.code ?? "?"})`);
      scheduleRetry(event?.code);
    });
    // An error is followed by a close: the retry is scheduled there.
  }

  function retire() {
    if (socket) {
      retired.add(socket);
      socket.close(1000, "closed by the extension");
    }
    socket = null;
    if (pingTimer !== null) timers.clearInterval(pingTimer);
    pingTimer = null;
  }

  return {
    stats,
    /** Keep a connection open (idempotent). */
    start() {
      wanted = true;
      if (retryTimer === null) connect().catch(() => scheduleRetry());
    },
    /** Close it and stop retrying. */
    stop() {
      wanted = false;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      failures = 0;
      retire();
      setState("closed", "nobody listens");
    },
    /** Connect again now (the companion came back, or the settings changed). */
    restart() {
      if (!wanted) return;
      retire();
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      failures = 0;
      connect().catch(() => scheduleRetry());
    },
    get state() {
      return state;
    },
  };
}
