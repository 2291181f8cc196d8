// What the tabs and the overlay panels are shown of people: the badges beside names (through the
// badge cache, badges.js) and the overlay's person card; and what they are told when someone
// changes: a live event from the companion, a reconnect after which anything may have changed, an
// edit saved while the live connection is down.

import { KEYS } from "../common/settings.js";
import { STATE } from "../common/status.js";
import { PUSH, firstError } from "../messages/index.js";

/** What a badge looks like once the companion forgets someone: nothing to show. */
export const unknownBadge = (handle) => ({ known: false, handle, user_id: null, stage: 0, tags: [], notes: null, last_interaction_at: null });

/** What a panel may see of a connection check (never the companion's version details). */
export function publicConnection(result) {
  return result ? { state: result.state, detail: result.detail } : { state: STATE.CHECKING, detail: "" };
}

/** The badge cache's lookup: POST /badges, the answer checked against its schema. */
export function badgeLookup(client, validate) {
  return async (handles) => {
    const answer = await client.badges(handles);
    if (!answer.ok) return { ok: false, error: answer.message ?? `HTTP ${answer.status}` };
    if (!validate(answer.body)) return { ok: false, error: `the companion's badges: ${firstError(validate)}` };
    return { ok: true, badges: answer.body.badges };
  };
}

/**
 * @param {object} env
 * @param {ReturnType<import("./client.js").createClient>} env.client
 * @param {(body: unknown) => boolean} env.validatePerson the person schema's validator
 * @param {ReturnType<import("./badges.js").createBadgeCache>} env.badges
 * @param {{pendingFor: (handle: string) => Promise<object[]>}} env.edits what waits for the companion
 * @param {{get: Function}} env.storage storage.local (the last connection check)
 * @param {{pushContent: Function, pushPanels: Function}} env.hub
 * @param {{changed: () => void}} env.toolbar
 * @param {{runLogged: Function}} env.monitor
 * @param {() => boolean} env.liveConnected whether the companion's live events arrive now
 * @param {(error: unknown) => void} [env.onError] a badge could not be refreshed
 */
export function createCards({ client, validatePerson, badges, edits, storage, hub, toolbar, monitor, liveConnected, onError = () => {} }) {
  async function refreshBadges(handles) {
    for (const handle of handles) badges.forget(handle);
    const fresh = Object.values(await badges.get(handles));
    if (fresh.length) hub.pushContent({ type: PUSH.BADGES, badges: fresh });
  }

  return {
    /** The overlay's person: their card, or null when the companion has never seen them, and what waits. */
    async personCard(handle) {
      const [answer, pending, connection] = await Promise.all([
        client.person(handle), edits.pendingFor(handle), storage.get(KEYS.connection),
      ]);
      const base = { ok: true, pending, connection: publicConnection(connection[KEYS.connection]) };
      if (answer.ok) {
        if (!validatePerson(answer.body)) return { ...base, person: null, unavailable: `The companion's answer: ${firstError(validatePerson)}` };
        return { ...base, person: answer.body };
      }
      if (answer.status === 404) return { ...base, person: null };
      if (answer.status === 0 || answer.status === 401) monitor.runLogged({ force: true });
      return { ...base, person: null, unavailable: answer.message ?? `HTTP ${answer.status}` };
    },

    /**
     * The companion took an edit (edits.js onSaved): with the live connection up, its own event brings
     * the new badge; without it, the fresh badge is fetched and pushed to the tabs.
     */
    onSaved(item) {
      if (!liveConnected()) refreshBadges([item.handle]).catch(onError);
    },

    /** A live event: the badge to the tabs, the person to the panels, a recount on the toolbar. */
    onLiveEvent(event) {
      if (event.type.startsWith("person.")) toolbar.changed();
      if (event.type === "person.created" || event.type === "person.updated") {
        badges.put(event.badge);
        hub.pushContent({ type: PUSH.BADGES, badges: [event.badge] });
      } else if (event.type === "person.deleted" && event.handle) {
        badges.forget(event.handle);
        hub.pushContent({ type: PUSH.BADGES, badges: [unknownBadge(event.handle)] });
      }
      if (event.key) hub.pushPanels({ type: PUSH.PERSON, key: event.key, handle: event.handle ?? null, user_id: event.user_id ?? null });
    },

    /** Live events (re)connected: whatever changed while nobody listened is unknown, so start afresh. */
    onLiveReady() {
      badges.clear();
      hub.pushContent({ type: PUSH.RESET });
      hub.pushPanels({ type: PUSH.PERSON, all: true });
    },
  };
}
