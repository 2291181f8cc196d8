// background/cards.js: the overlay's person card (with what waits and the connection), and what
// the tabs and panels are told when the companion's live events say someone changed.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { badgeLookup, createCards, unknownBadge } from "../src/background/cards.js";
import { KEYS } from "../src/common/settings.js";
import { PUSH } from "../src/messages/index.js";
import { FakeStorage } from "./lib/fakes.mjs";

const BADGE = { known: true, handle: "alice", user_id: "1", stage: 2, tags: [], notes: null, last_interaction_at: null };

function setup({ person = async () => ({ ok: true, status: 200, body: { key: "p1" } }), valid = true, live = true } = {}) {
  const storage = new FakeStorage();
  const pushed = { content: [], panels: [] };
  const checks = [];
  const cache = new Map();
  let recounts = 0;
  const badges = {
    get: async (handles) => Object.fromEntries(handles.map((h) => [h, { ...BADGE, handle: h, stage: 3 }])),
    put: (badge) => cache.set(badge.handle, badge),
    forget: (handle) => cache.delete(handle),
    clear: () => cache.clear(),
  };
  const validatePerson = () => valid;
  validatePerson.errors = [{ instancePath: "/stage", message: "must be integer" }];
  const cards = createCards({
    client: { person }, validatePerson, badges, storage,
    edits: { pendingFor: async (handle) => [{ handle, kind: "edit" }] },
    hub: { pushContent: (m) => pushed.content.push(m), pushPanels: (m) => pushed.panels.push(m) },
    toolbar: { changed: () => { recounts += 1; } },
    monitor: { runLogged: (options) => checks.push(options) },
    liveConnected: () => live,
  });
  return { cards, storage, pushed, checks, cache, recounts: () => recounts };
}

describe("the person card", () => {
  test("the person, what waits for them and the last connection check", async () => {
    const { cards, storage } = setup();
    await storage.set({ [KEYS.connection]: { state: "connected", detail: "Rapport 1.0", live_port: 4 } });
    assert.deepEqual(await cards.personCard("alice"), {
      ok: true, person: { key: "p1" }, pending: [{ handle: "alice", kind: "edit" }], connection: { state: "connected", detail: "Rapport 1.0" },
    });
  });

  test("someone never seen is null; an answer that does not validate says why; no answer checks the connection again", async () => {
    const unseen = setup({ person: async () => ({ ok: false, status: 404, type: "not_found" }) });
    assert.equal((await unseen.cards.personCard("bob")).person, null);
    assert.equal((await unseen.cards.personCard("bob")).unavailable, undefined);
    assert.deepEqual(unseen.checks, []);

    const odd = setup({ valid: false });
    assert.equal((await odd.cards.personCard("alice")).unavailable, "The companion's answer: /stage must be integer");

    const down = setup({ person: async () => ({ ok: false, status: 0, message: "no answer" }) });
    const card = await down.cards.personCard("alice");
    assert.deepEqual([card.person, card.unavailable, card.connection.state], [null, "no answer", "checking"]);
    assert.deepEqual(down.checks, [{ force: true }]);
  });
});

describe("changes pushed to the tabs and panels", () => {
  test("a created or updated person: the badge cached and pushed, the panels told, the toolbar recounted", () => {
    const { cards, pushed, cache, recounts } = setup();
    cards.onLiveEvent({ type: "person.updated", key: "p1", handle: "alice", user_id: "1", badge: BADGE });
    assert.equal(cache.get("alice"), BADGE);
    assert.deepEqual(pushed.content, [{ type: PUSH.BADGES, badges: [BADGE] }]);
    assert.deepEqual(pushed.panels, [{ type: PUSH.PERSON, key: "p1", handle: "alice", user_id: "1" }]);
    assert.equal(recounts(), 1);
  });

  test("a deleted person's badge becomes unknown; a reconnect forgets every badge and tells everyone", () => {
    const { cards, pushed, cache } = setup();
    cache.set("alice", BADGE);
    cache.set("bob", BADGE);
    cards.onLiveEvent({ type: "person.deleted", key: "p1", handle: "alice" });
    assert.equal(cache.has("alice"), false);
    assert.deepEqual(pushed.content, [{ type: PUSH.BADGES, badges: [unknownBadge("alice")] }]);
    assert.deepEqual(pushed.panels, [{ type: PUSH.PERSON, key: "p1", handle: "alice", user_id: null }]);
    cards.onLiveReady();
    assert.equal(cache.size, 0);
    assert.deepEqual(pushed.content.at(-1), { type: PUSH.RESET });
    assert.deepEqual(pushed.panels.at(-1), { type: PUSH.PERSON, all: true });
  });

  test("after an edit saved without live events, the fresh badge is fetched and pushed; with them, the event brings it", async () => {
    const offline = setup({ live: false });
    offline.cache.set("alice", BADGE);
    offline.cards.onSaved({ handle: "alice" });
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(offline.cache.has("alice"), false, "the old badge is forgotten");
    assert.deepEqual(offline.pushed.content, [{ type: PUSH.BADGES, badges: [{ ...BADGE, stage: 3 }] }]);
    const online = setup({ live: true });
    online.cards.onSaved({ handle: "alice" });
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(online.pushed.content, []);
  });
});

test("the badge lookup refuses an answer that does not match the schema", async () => {
  const validate = (body) => Boolean(body?.badges);
  validate.errors = [{ instancePath: "", message: "must have required property 'badges'" }];
  const client = (answer) => ({ badges: async () => answer });
  assert.deepEqual(await badgeLookup(client({ ok: true, body: { badges: { a: BADGE } } }), validate)(["a"]), { ok: true, badges: { a: BADGE } });
  assert.deepEqual(await badgeLookup(client({ ok: true, body: {} }), validate)(["a"]), { ok: false, error: "the companion's badges: / must have required property 'badges'" });
  assert.deepEqual(await badgeLookup(client({ ok: false, status: 503 }), validate)(["a"]), { ok: false, error: "HTTP 503" });
});
