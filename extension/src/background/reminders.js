// The optional daily notification of people who became overdue for a keep-in-touch reminder: what to
// say, whom it has said it about (so nobody is announced twice while they stay overdue), and the daily
// announcement itself, in the createX({deps}) style of the other background parts.

import { KEYS } from "../common/settings.js";

export const NOTIFY_SHOWN = 3; // names in the message; the title says how many in all
export const NOTIFICATION_ID = "rapport-overdue";
const ASK_AT_MOST = 50; // the overdue asked for at once (most overdue first)

/**
 * @param {Array<{key: string, handle: string|null, display_name: string|null}>} overdue the companion's overdue list
 * @param {string[]} announced keys already announced (and still overdue then)
 * @returns {{fresh: object[], announced: string[]}} who to announce now, and whom to remember
 */
export function newlyOverdue(overdue, announced) {
  const before = new Set(announced);
  return {
    fresh: overdue.filter((person) => !before.has(person.key)),
    // Someone who is no longer overdue is forgotten: when they are again, they are announced again.
    announced: overdue.map((person) => person.key),
  };
}

const nameOf = (person) => (person.handle ? `@${person.handle}` : person.display_name || person.key);

/** The notification's title and message for `fresh` people, of `total` overdue. */
export function notificationText(fresh, total) {
  const names = fresh.slice(0, NOTIFY_SHOWN).map(nameOf);
  const more = fresh.length > NOTIFY_SHOWN ? ` and ${fresh.length - NOTIFY_SHOWN} more` : "";
  return {
    title: `Rapport: ${fresh.length} ${fresh.length === 1 ? "person" : "people"} to get back to`,
    message: `${names.join(", ")}${more} became overdue.${total > fresh.length ? ` ${total} are overdue in all.` : ""}`,
  };
}

/**
 * @param {object} env
 * @param {{get: Function, set: Function}} env.storage storage.local
 * @param {{keepInTouch: (limit: number) => Promise<{ok: boolean, body?: object}>}} env.client
 * @param {(body: object) => boolean} env.validate the keep-in-touch answer's validator
 * @param {{create: Function} | undefined} env.notifications the browser's notifications API (absent without the permission)
 * @param {() => Promise<boolean>} env.allowed whether the user granted the notifications permission
 * @param {string} env.iconUrl
 */
export function createAnnouncer(env) {
  const { storage, client, validate, allowed, iconUrl } = env;
  return {
    /** Announce who became overdue since the last time: only when the user turned it on. Returns what it said. */
    async run() {
      const stored = await storage.get([KEYS.notify, KEYS.announced]);
      const { notifications } = env; // read at each run: the API appears once the permission is granted
      if (stored[KEYS.notify] !== true || !notifications || !(await allowed())) return null;
      const answer = await client.keepInTouch(ASK_AT_MOST);
      if (!answer.ok || !validate(answer.body)) return null; // tried again tomorrow, or at the next start
      const { fresh, announced } = newlyOverdue(answer.body.overdue, stored[KEYS.announced] ?? []);
      await storage.set({ [KEYS.announced]: announced });
      if (!fresh.length) return null;
      const text = notificationText(fresh, answer.body.counts.overdue);
      await notifications.create(NOTIFICATION_ID, { type: "basic", iconUrl, priority: 0, ...text });
      return text;
    },
  };
}
