// The background's parts behind the badges and the overlay, against a real `rapport serve`:
// the badge cache (few requests), the live events over the companion's websocket (live.js), and
// overlay edits kept until the companion confirms them (edits.js), across a companion restart.

import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { after, before, describe, test } from "node:test";

import { createBadgeCache } from "../src/background/badges.js";
import { createClient } from "../src/background/client.js";
import { createEdits } from "../src/background/edits.js";
import { createLive, liveTarget } from "../src/background/live.js";
import { KEYS } from "../src/common/settings.js";
import { FakeStorage, standaloneValidators } from "./lib/fakes.mjs";
import { Companion, waitFor } from "./lib/rapport.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const timers = { setTimeout, clearTimeout, setInterval, clearInterval };

let companion;
let validators;
let client;

before(async () => {
  validators = await standaloneValidators();
  companion = await new Companion().start();
  client = createClient({
    fetch: (...args) => fetch(...args),
    settings: async () => ({ url: companion.base, token: companion.token }),
    validators: { pairStarted: validators.validatePairStarted, pairStatus: validators.validatePairStatus },
  });
});

after(async () => {
  await companion?.stop();
  if (companion) rmSync(dirname(companion.dataDir), { recursive: true, force: true });
});

describe("the badge cache", () => {
  test("asks from many tabs at once become one request of unique handles; answers are cached", async () => {
    await companion.call("POST", "/people", { handle: "cache_alice", tags: ["friend"] });
    const sent = [];
    const cache = createBadgeCache({
      fetchBadges: async (handles) => {
        sent.push(handles);
        const answer = await client.badges(handles);
        assert.ok(validators.validateBadgesResponse(answer.body));
        return { ok: true, badges: answer.body.badges };
      },
      setTimeout,
      options: { delayMs: 20 },
    });
    const [a, b, c] = await Promise.all([
      cache.get(["cache_alice", "cache_bob"]), cache.get(["Cache_Alice", "cache_carol"]), cache.get(["cache_bob"]),
    ]);
    assert.deepEqual(sent, [["cache_alice", "cache_bob", "cache_carol"]]);
    assert.equal(a.cache_alice.known, true);
    assert.deepEqual(a.cache_alice.tags, ["friend"]);
    assert.equal(b.Cache_Alice.handle, "cache_alice", "keyed by the spelling asked for");
    assert.equal(c.cache_bob.known, false);
    await cache.get(["cache_alice", "cache_bob", "cache_carol"]);
    assert.equal(sent.length, 1, "all three from the cache");
    cache.put({ ...a.cache_alice, stage: 3 });
    assert.equal((await cache.get(["cache_alice"])).cache_alice.stage, 3, "a live change replaces the entry");
  });

  test("more than 500 handles go in several requests, one at a time", async () => {
    let inFlight = 0;
    let most = 0;
    const sizes = [];
    const cache = createBadgeCache({
      fetchBadges: async (handles) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        sizes.push(handles.length);
        await sleep(10);
        inFlight -= 1;
        return { ok: true, badges: Object.fromEntries(handles.map((h) => [h, { handle: h, known: false }])) };
      },
      setTimeout,
      options: { delayMs: 5 },
    });
    const got = await cache.get(Array.from({ length: 1200 }, (_, i) => `h${i}`));
    assert.equal(Object.keys(got).length, 1200);
    assert.deepEqual(sizes, [500, 500, 200]);
    assert.equal(most, 1);
  });
});

describe("live events from the companion", () => {
  test("their address: only once paired, and only from a check of the companion address set now", () => {
    const token = "t".repeat(43);
    const url = "http://127.0.0.1:47600";
    const checked = { url, live_port: 47601 };
    assert.deepEqual(liveTarget({ [KEYS.url]: url, [KEYS.token]: token, [KEYS.connection]: checked }), { url: "ws://127.0.0.1:47601/", token });
    assert.equal(liveTarget({ [KEYS.url]: url, [KEYS.connection]: checked }), null, "not paired");
    assert.equal(liveTarget({ [KEYS.url]: url, [KEYS.token]: token, [KEYS.connection]: { url } }), null, "no live port learnt yet");
    assert.equal(liveTarget({ [KEYS.url]: "http://127.0.0.1:47700", [KEYS.token]: token, [KEYS.connection]: checked }), null, "checked another address");
  });

  async function target() {
    const health = await (await fetch(`${companion.base}/api/v1/health`)).json();
    return { url: `ws://127.0.0.1:${health.live_port}/`, token: companion.token };
  }

  test("authenticates, then hears a change made through the API, validated against shared_schema", async () => {
    const events = [];
    let ready = 0;
    const live = createLive({
      WebSocket, target, timers, validate: validators.validateLiveEvent,
      onEvent: (event) => events.push(event), onReady: () => { ready += 1; },
    });
    live.start();
    await waitFor("ready", () => ready === 1);
    assert.equal(live.state, "connected");
    await companion.call("POST", "/people", { handle: "live_dana", notes: { wine: "Barolo" } });
    await companion.call("PATCH", "/people/live_dana", { stage: { stage: 2, reason: "DMs" } });
    await waitFor("the change", () => events.some((e) => e.type === "person.updated" && e.badge.stage === 2));
    const created = events.find((e) => e.type === "person.created");
    assert.equal(created.handle, "live_dana");
    assert.equal(created.badge.notes, "Wine: Barolo");
    live.stop();
    await waitFor("closed", () => live.state === "closed");
  });

  test("a refused token closes the connection before any event, and is not hammered", async () => {
    const events = [];
    let attempts = 0;
    const live = createLive({
      WebSocket, timers, validate: validators.validateLiveEvent, onEvent: (e) => events.push(e), onReady: () => events.push("ready"),
      target: async () => {
        attempts += 1;
        return { ...(await target()), token: "not-a-token" };
      },
      options: { minRetryMs: 50, maxRetryMs: 5000 },
    });
    live.start();
    await waitFor("the refusal", () => live.state === "closed" && attempts === 1);
    await companion.call("POST", "/people", { handle: "live_erin", tags: ["vendor"] });
    await sleep(500);
    assert.deepEqual(events, []);
    assert.equal(attempts, 1, "after 4401 the next try waits the longest delay");
    live.stop();
  });

  test("reconnects after the companion restarts (on a new live port) and says ready again", async () => {
    let ready = 0;
    const live = createLive({
      WebSocket, target, timers, validate: validators.validateLiveEvent, onEvent: () => {}, onReady: () => { ready += 1; },
      options: { minRetryMs: 100, maxRetryMs: 400 },
    });
    live.start();
    await waitFor("ready", () => ready === 1);
    await companion.stop();
    await waitFor("closed", () => live.state !== "connected");
    await companion.start();
    await waitFor("ready again", () => ready === 2, 15_000);
    live.stop();
  });
});

describe("overlay edits", () => {
  function makeEdits(storage = new FakeStorage()) {
    let n = 0;
    const saved = [];
    const edits = createEdits({ storage, key: "pending_edits", client, newId: () => `e${++n}`, onSaved: (item) => saved.push(item.id) });
    return { edits, storage, saved };
  }

  test("a first note creates the person; a logged meeting makes them stage 4", async () => {
    const { edits } = makeEdits();
    const note = await edits.add({ kind: "edit", handle: "edit_fay", display_name: "Fay", change: { notes: { books: "Dune" }, tags: ["friend"] } });
    assert.equal(note.saved, true);
    assert.equal(note.pending, 0);
    const card = await companion.api("/people/edit_fay");
    assert.deepEqual([card.notes.books, card.tags, card.profile.display_name], ["Dune", ["friend"], "Fay"]);
    const stage = await edits.add({ kind: "edit", handle: "edit_gus", change: { stage: { stage: 3, reason: "a call" }, notes: { music: "Bach" } } });
    assert.equal(stage.saved, true);
    const gus = await companion.api("/people/edit_gus");
    assert.deepEqual([gus.stage.current, gus.stage.manual.reason, gus.notes.music], [3, "a call", "Bach"]);
    const met = await edits.add({ kind: "log", handle: "edit_fay", event: { kind: "meeting", at: "2026-11-02", place: "Lisbon" } });
    assert.equal(met.saved, true);
    assert.equal((await companion.api("/people/edit_fay")).stage.current, 4);
  });

  test("edits made while the companion is down wait in storage, in order, and arrive once it is back", async () => {
    const { edits, storage } = makeEdits();
    await companion.stop();
    const first = await edits.add({ kind: "edit", handle: "edit_hal", change: { notes: { wine: "Etna" } } });
    const second = await edits.add({ kind: "edit", handle: "edit_hal", change: { notes: { wine: "Etna Rosso" }, tags: ["prospect"] } });
    assert.deepEqual([first.queued, first.pending, second.queued, second.pending], [true, 1, true, 2]);
    assert.deepEqual((await edits.pendingFor("EDIT_HAL")).map((e) => e.change.notes.wine), ["Etna", "Etna Rosso"]);
    // A browser restart: a new edits object over the same storage still has them.
    const again = createEdits({ storage, key: "pending_edits", client, newId: () => "x" });
    await companion.start();
    const { pending } = await again.flush();
    assert.equal(pending, 0);
    const hal = await companion.api("/people/edit_hal");
    assert.deepEqual([hal.notes.wine, hal.tags], ["Etna Rosso", ["prospect"]], "applied in the order they were made");
  });

  test("an edit the companion refuses for good is dropped and reported, and does not block the next", async () => {
    const { edits } = makeEdits();
    await edits.add({ kind: "edit", handle: "edit_ivy", change: { tags: ["friend"] } });
    const refused = await edits.add({ kind: "log", handle: "edit_ivy", event: { kind: "call", at: "1999-13-45" } });
    assert.equal(refused.dropped, true);
    assert.match(refused.message, /\S/);
    const next = await edits.add({ kind: "edit", handle: "edit_ivy", change: { notes: { sports: "Benfica" } } });
    assert.equal(next.saved, true);
    assert.equal(await edits.count(), 0);
  });
});
