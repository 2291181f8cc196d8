// Badges and the overlay in real Firefox ESR with the built extension and a real companion: the
// same seed and expectations as tests/e2e/test_chromium_overlay.py (tests/e2e/overlay.json).

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { ARTIFACTS, Companion, launch, pair, panel, readE2e, skip, waitFor, xTab } from "./firefox.mjs";

const OVERLAY = JSON.parse(readE2e("overlay.json"));
const READ_CHIPS = readE2e("read_chips.js");
const RECYCLE_IN_PLACE = readE2e("recycle_in_place.js");
const CHIPS = "[data-rapport-chip]:not([data-rapport-chip=tooltip])";

/** overlay.json's seed, through the API (as tests/e2e/scenario.py seed does). */
async function seed(companion) {
  for (const step of OVERLAY.seed) {
    const handle = step.create.handle;
    assert.equal((await companion.call("POST", "/people", step.create)).status, 201);
    if (step.stage) assert.equal((await companion.call("PATCH", `/people/${handle}`, { stage: step.stage })).status, 200);
    if (step.profile) {
      const seen = { page: { url: `https://x.com/${handle}`, type: "profile", observed_at: "2026-11-01T10:00:00Z", me: null, profile_handle: handle }, people: [step.profile] };
      assert.equal((await companion.call("POST", "/ingest", seen)).body.snapshots_added, 1);
    }
  }
}

const chips = (page) => page.evaluate(`(${READ_CHIPS})(${JSON.stringify(CHIPS)})`);

async function chipsMatchCompanion(page, companion, want) {
  const seen = await chips(page);
  if (!seen.length || seen.some((chip) => chip.siblings !== 1)) return false;
  const handles = [...new Set(seen.map((chip) => chip.handle))];
  if (!Object.keys(want).every((h) => handles.includes(h))) return false;
  const truth = (await companion.call("POST", "/badges", { handles })).body.badges;
  return seen.every((chip) => {
    const badge = truth[chip.handle];
    const worth = badge.known && (badge.stage > 0 || Boolean(badge.notes) || badge.tags.length > 0);
    if (chip.shown !== worth || (worth && chip.stage !== badge.stage)) return false;
    if (!(chip.handle in want)) return true;
    return want[chip.handle] === null ? !chip.shown : chip.shown && chip.stage === want[chip.handle];
  });
}

const stagesShown = async (page, handle) => new Set((await chips(page)).filter((c) => c.handle === handle && c.shown).map((c) => c.stage));

const value = (frame, selector) => frame.evaluate((s) => document.querySelector(s).value, selector);

test("Firefox: chips on the right names, the overlay's notes and meeting, hostile text, live updates", { skip, timeout: 240_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), "rapport-firefox-overlay-"));
  const companion = await new Companion(join(work, "data")).start();
  await seed(companion);
  const browser = await launch(join(work, "profile"));
  mkdirSync(ARTIFACTS, { recursive: true });
  try {
    const options = await pair(browser, companion);
    const page = await xTab(browser, OVERLAY.pages);
    await page.setViewport({ width: 1280, height: 900 });

    for (const [url, want] of Object.entries(OVERLAY.chips)) {
      await page.goto(url);
      await waitFor(`the chips of ${url}`, () => chipsMatchCompanion(page, companion, want));
      await page.screenshot({ path: join(ARTIFACTS, `firefox-chips-${url.split("/").pop()}.png`) });
    }
    // The light page (no stylesheet): Carol's card, light.
    await page.goto("https://x.com/notifications");
    await waitFor("the chips of the notifications", () => chipsMatchCompanion(page, companion, OVERLAY.chips["https://x.com/notifications"]));
    await page.click(`${CHIPS}[data-handle="carol_sings"][data-state="shown"]`);
    let frame = await panel(page);
    await waitFor("Carol's notes", async () => (await value(frame, "#note-music").catch(() => "")) === "Radiohead");
    assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), "light");
    await page.screenshot({ path: join(ARTIFACTS, "firefox-overlay-light.png") });

    // A recycled cell: the chip follows its name.
    await page.goto("https://x.com/ApostleJohnW");
    await waitFor("the chips", () => chipsMatchCompanion(page, companion, OVERLAY.chips["https://x.com/ApostleJohnW"]));
    await page.evaluate(`(${RECYCLE_IN_PLACE})(["ApostleJohnW", "nikitabier"])`);
    await waitFor("the recycled chip", () => page.evaluate(() => {
      const host = document.querySelector("[data-recycled=nikitabier] [data-rapport-chip]");
      return host?.getAttribute("data-handle") === "nikitabier" && host.getAttribute("data-stage") === "1";
    }));

    // Hostile text from the page shows as text.
    const { hostile } = OVERLAY;
    await page.click(`${CHIPS}[data-handle="${hostile.handle}"][data-state="shown"]`);
    frame = await panel(page);
    await waitFor("the hostile bio", async () => (await frame.evaluate(() => document.querySelector("#bio").textContent).catch(() => "")) === hostile.bio);
    assert.equal(await frame.evaluate(() => document.querySelector("#bio").children.length), 0);

    // Notes typed in the card are stored without a save button.
    await frame.evaluate(() => {
      const area = document.querySelector("#note-music");
      area.focus();
      area.value = "Radiohead, In Rainbows";
      area.dispatchEvent(new Event("input", { bubbles: true }));
      area.blur();
    });
    await waitFor("the note in the companion", async () => (await companion.api(`/people/${hostile.handle}`)).notes.music === "Radiohead, In Rainbows");

    // A change made elsewhere reaches the open card, and the chips.
    // The background listens to the companion's live events (Firefox once upgraded ws:// to wss:// here).
    await waitFor("the live connection", () => options.evaluate(() => browser.storage.local.get("live_state").then((s) => s.live_state?.state === "connected")));
    await companion.call("PATCH", `/people/${hostile.handle}`, { notes: { wine: "Etna Rosso" } });
    await waitFor("the live note", async () => (await value(frame, "#note-wine")) === "Etna Rosso", 5_000);
    await companion.call("PATCH", "/people/ApostleJohnW", { stage: { stage: 3, reason: "a call on Friday" } });
    await waitFor("the live chips", async () => [...(await stagesShown(page, "ApostleJohnW"))].join() === "3", 5_000);

    // Log a meeting: stage 4 on every chip of that person.
    await frame.click("#log-meeting");
    await frame.evaluate(() => { document.querySelector("#log-place").value = "Lisbon, Web Summit"; });
    await frame.click("#log-form button[type=submit]");
    await waitFor("stage 4 in the companion", async () => (await companion.api(`/people/${hostile.handle}`)).stage.current === 4);
    await waitFor("stage 4 on the chips", async () => [...(await stagesShown(page, hostile.handle))].join() === "4");

    // Dark: the saved home timeline is in X's dark theme, and so is the card.
    await page.goto("https://x.com/home");
    await waitFor("the chips of home", () => chipsMatchCompanion(page, companion, OVERLAY.chips["https://x.com/home"]));
    await page.click(`${CHIPS}[data-handle="nikitabier"][data-state="shown"]`);
    frame = await panel(page);
    await waitFor("the dark card", async () => (await frame.evaluate(() => document.documentElement.dataset.theme).catch(() => "")) === "dark");
    await waitFor("nikitabier's card", async () => (await frame.evaluate(() => document.querySelector("#handle").textContent).catch(() => "")) === "@nikitabier");
    await page.screenshot({ path: join(ARTIFACTS, "firefox-overlay-dark.png") });
  } finally {
    await browser.close();
    await companion.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
