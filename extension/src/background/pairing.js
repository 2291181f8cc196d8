// Pairing: the extension asks the companion for a token; the user approves the short code in the
// dashboard or with `rapport pair approve CODE`; the extension collects its own token, once.
//
// The request in progress is kept in storage.local (KEYS.pairing), so polling goes on after the
// options page is closed or the service worker was suspended (the background polls on an alarm).
// Pure logic: storage, the client, the clock and the timer are passed in.

import { KEYS, normalizeToken } from "../common/settings.js";
import { backoffDelay } from "./policy.js";

export const PAIR_STATE = Object.freeze({
  PENDING: "pending", // waiting for the user to approve the code
  PAIRED: "paired", // the token was received and stored
  REJECTED: "rejected",
  EXPIRED: "expired",
  FAILED: "failed", // the companion could not be asked, or answered something unusable
});

const MAX_POLL_INTERVAL_MS = 30000;
const OS_NAMES = { mac: "macOS", win: "Windows", linux: "Linux", cros: "ChromeOS", android: "Android", openbsd: "OpenBSD", fuchsia: "Fuchsia" };

/** "Firefox on Linux": how this browser is named to the user who approves it. */
export function clientName({ browser, os }) {
  const name = browser === "firefox" ? "Firefox" : "Chrome";
  const where = OS_NAMES[os] ?? (typeof os === "string" && /^[a-z0-9_-]{1,20}$/i.test(os) ? os : "");
  return (where ? `${name} on ${where}` : name).slice(0, 64);
}

/** How this browser is named to the user, from the runtime API (Firefox alone has getBrowserInfo). */
export async function browserName(runtime) {
  let os = "";
  try {
    os = (await runtime.getPlatformInfo()).os;
  } catch {
    // unknown platform: the browser's name alone
  }
  return clientName({ browser: typeof runtime.getBrowserInfo === "function" ? "firefox" : "chrome", os });
}

/** What the options page may see of a stored pairing record (never the secret request id). */
export function publicPairing(record) {
  if (typeof record !== "object" || record === null || !Object.values(PAIR_STATE).includes(record.state)) return null;
  const { request_id: _secret, ...rest } = record;
  return rest;
}

const explain = (failure) => `${failure.message ?? "no answer"}${failure.status ? ` (HTTP ${failure.status}${failure.type ? ` ${failure.type}` : ""})` : ""}`;

/**
 * @param {object} options
 * @param {{get: Function, set: Function, remove: Function}} options.storage
 * @param {{pairStart: Function, pairPoll: Function}} options.client see client.js
 * @param {() => number} [options.now]
 * @param {(delayMs: number | null) => void} [options.schedule] poll again in delayMs; null: stop polling
 * @param {(record: object) => void} [options.onPaired] the token was stored
 */
export function createPairing({ storage, client, now = Date.now, schedule = () => {}, onPaired = () => {} }) {
  let polling = null;

  const read = async () => (await storage.get(KEYS.pairing))[KEYS.pairing] ?? null;
  const stamp = () => new Date(now()).toISOString();

  async function finish(record, state, detail, extra = {}) {
    const { request_id: _gone, poll_interval_ms: _also, ...kept } = record;
    const done = { ...kept, state, detail, updated_at: stamp(), ...extra };
    await storage.set({ [KEYS.pairing]: done });
    schedule(null);
    return done;
  }

  async function pollOnce() {
    const record = await read();
    if (!record || record.state !== PAIR_STATE.PENDING || typeof record.request_id !== "string") {
      schedule(null);
      return publicPairing(record);
    }
    const expiresAt = Date.parse(record.expires_at);
    if (Number.isFinite(expiresAt) && now() >= expiresAt) {
      return publicPairing(await finish(record, PAIR_STATE.EXPIRED, "The code expired before it was approved. Pair again."));
    }
    const answer = await client.pairPoll(record.request_id);
    const current = await read(); // cancelled or restarted meanwhile?
    if (current?.request_id !== record.request_id) return publicPairing(current);

    if (!answer.ok) {
      if (answer.status === 404) {
        return publicPairing(await finish(record, PAIR_STATE.EXPIRED, "The companion no longer knows this request (it expired, or the companion restarted). Pair again."));
      }
      // Offline or a passing error: keep waiting until the code expires.
      const waiting = { ...record, error: explain(answer), updated_at: stamp() };
      await storage.set({ [KEYS.pairing]: waiting });
      // A failed poll waits one step of the backoff (policy.js) before the next.
      schedule(backoffDelay(2, Math.random, { baseMs: record.poll_interval_ms, maxMs: MAX_POLL_INTERVAL_MS, jitter: 0 }));
      return publicPairing(waiting);
    }
    const { state, token } = answer.status;
    if (state === "pending") {
      const { error: _cleared, ...clean } = record;
      if (record.error) await storage.set({ [KEYS.pairing]: { ...clean, updated_at: stamp() } });
      schedule(record.poll_interval_ms);
      return publicPairing(clean);
    }
    if (state === "approved" && token !== undefined) {
      const checked = normalizeToken(token);
      if (!checked.ok || checked.token === null) {
        return publicPairing(await finish(record, PAIR_STATE.FAILED, "The companion sent a token this extension cannot use. Pair again."));
      }
      const { request_id: _gone, poll_interval_ms: _also, error: _none, ...kept } = record;
      const paired = { ...kept, state: PAIR_STATE.PAIRED, detail: "The companion gave this browser its own token.", updated_at: stamp() };
      // Token and outcome in one write: never a stored token without the record saying so.
      await storage.set({ [KEYS.token]: checked.token, [KEYS.pairing]: paired });
      schedule(null);
      try {
        onPaired(publicPairing(paired));
      } catch {
        // the observer's problem
      }
      return publicPairing(paired);
    }
    if (state === "rejected") return publicPairing(await finish(record, PAIR_STATE.REJECTED, "The request was rejected in the companion."));
    if (state === "expired") return publicPairing(await finish(record, PAIR_STATE.EXPIRED, "The code expired before it was approved. Pair again."));
    // "delivered", or "approved" without a token: someone else already collected it.
    return publicPairing(await finish(record, PAIR_STATE.FAILED, "The token for this request was already collected. Pair again."));
  }

  return {
    /** Ask the companion to pair; answers the public record (state pending with the code, or failed). */
    async start(name) {
      const answer = await client.pairStart(name);
      if (!answer.ok) {
        const failed = { state: PAIR_STATE.FAILED, client_name: name, detail: `Could not ask the companion to pair: ${explain(answer)}`, updated_at: stamp() };
        await storage.set({ [KEYS.pairing]: failed });
        schedule(null);
        return publicPairing(failed);
      }
      const { request_id: requestId, code, expires_at: expiresAt, poll_interval_ms: interval } = answer.started;
      const pending = {
        state: PAIR_STATE.PENDING,
        request_id: requestId,
        code,
        expires_at: expiresAt,
        poll_interval_ms: Math.min(MAX_POLL_INTERVAL_MS, interval),
        client_name: name,
        started_at: stamp(),
        updated_at: stamp(),
      };
      await storage.set({ [KEYS.pairing]: pending });
      schedule(pending.poll_interval_ms);
      return publicPairing(pending);
    },

    /** Ask the companion once how the request stands (calls during a poll share it). */
    poll() {
      if (!polling) polling = pollOnce().finally(() => { polling = null; });
      return polling;
    },

    /** Forget the request in progress (the companion lets it expire). */
    async cancel() {
      await storage.remove(KEYS.pairing);
      schedule(null);
    },

    /** The public record, or null. */
    async current() {
      return publicPairing(await read());
    },
  };
}
