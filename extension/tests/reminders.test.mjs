// background/reminders.js: the optional daily notification says whom it has not announced yet.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { rmSync } from "node:fs";
import { dirname } from "node:path";

import { createClient } from "../src/background/client.js";
import { createAnnouncer, newlyOverdue, notificationText } from "../src/background/reminders.js";
import { KEYS } from "../src/common/settings.js";
import { FakeStorage, standaloneValidators } from "./lib/fakes.mjs";
import { Companion } from "./lib/rapport.mjs";

describe("the daily notification of people who became overdue", () => {
  test("only people not announced yet, and someone overdue again after being in touch is announced again", () => {
    const ana = { key: "1", handle: "ana", display_name: "Ana" };
    const bo = { key: "2", handle: null, display_name: "Bo" };
    const cy = { key: "3", handle: "cy", display_name: null };
    let step = newlyOverdue([ana, bo], []);
    assert.deepEqual(step, { fresh: [ana, bo], announced: ["1", "2"] });
    assert.deepEqual(notificationText(step.fresh, 2), { title: "Rapport: 2 people to get back to", message: "@ana, Bo became overdue." });
    step = newlyOverdue([ana, bo, cy], step.announced);
    assert.deepEqual(step.fresh, [cy]);
    assert.deepEqual(notificationText(step.fresh, 3), { title: "Rapport: 1 person to get back to", message: "@cy became overdue. 3 are overdue in all." });
    step = newlyOverdue([cy], step.announced); // ana and bo were in touch
    assert.deepEqual(step, { fresh: [], announced: ["3"] });
    assert.deepEqual(newlyOverdue([ana, cy], step.announced).fresh, [ana]);
    const many = Array.from({ length: 5 }, (_, n) => ({ key: String(n), handle: `p${n}`, display_name: null }));
    assert.equal(notificationText(many, 5).message, "@p0, @p1, @p2 and 2 more became overdue.");
  });
});

describe("the daily announcement, against a real companion", () => {
  test("off by default; once on and allowed, it names who became overdue once, and opens nothing else", async () => {
    const companion = await new Companion().start();
    try {
      const validators = await standaloneValidators();
      const client = createClient({ fetch: (...a) => fetch(...a), settings: async () => ({ url: companion.base, token: companion.token }),
        validators: { pairStarted: validators.validatePairStarted, pairStatus: validators.validatePairStatus } });
      await companion.call("POST", "/people", { handle: "due_ana" });
      await companion.call("POST", "/people/due_ana/events", { kind: "dm", at: "2024-01-05" });
      await companion.call("PATCH", "/people/due_ana", { cadence_days: 30 });
      const storage = new FakeStorage();
      const shown = [];
      let granted = false;
      const announcer = createAnnouncer({ storage, client, validate: validators.validateKeepInTouch, iconUrl: "icon.png",
        notifications: { create: async (id, options) => { shown.push({ id, ...options }); } }, allowed: async () => granted });
      assert.equal(await announcer.run(), null, "off unless the user turns it on");
      await storage.set({ [KEYS.notify]: true });
      assert.equal(await announcer.run(), null, "nor without the permission");
      granted = true;
      assert.deepEqual(await announcer.run(), { title: "Rapport: 1 person to get back to", message: "@due_ana became overdue." });
      assert.equal(shown.length, 1);
      assert.equal(shown[0].iconUrl, "icon.png");
      assert.equal(await announcer.run(), null, "the next day: nobody new");
      assert.equal(shown.length, 1);
    } finally {
      await companion.stop();
      rmSync(dirname(companion.dataDir), { recursive: true, force: true });
    }
  });
});
