// Keep in touch on x.com in real Firefox ESR with the built extension and a real companion: the toolbar
// counts the overdue, their chips carry a due mark, and the card's "I reached out" and snooze reach the
// dashboard's Keep in touch page live (as tests/e2e/test_chromium_archive.py does in Chromium).

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { ARTIFACTS, Companion, launch, pair, panel, rapport, skip, waitFor, xTab } from "./firefox.mjs";

const CHIPS = "[data-rapport-chip]:not([data-rapport-chip=tooltip])";
const HOME = { "https://x.com/home": "x-dom:home-timeline-fullpage__ibbi_twooter__Home_X.html" };
const DUE = "BGatesIsaPyscho";

const text = (frame, selector) => frame.evaluate((s) => document.querySelector(s)?.textContent ?? "", selector).catch(() => "");

test("Firefox: the toolbar count, the due mark, and the card's I reached out and snooze, live on the dashboard", { skip, timeout: 240_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), "rapport-firefox-keep-"));
  const companion = await new Companion(join(work, "data")).start();
  // A DM conversation in 2023 and a monthly cadence: long overdue. Nikita was replied to: no cadence.
  assert.equal((await companion.call("POST", "/people", { handle: DUE })).status, 201);
  assert.equal((await companion.call("POST", `/people/${DUE}/events`, { kind: "dm", at: "2023-05-04" })).status, 201);
  assert.equal((await companion.call("PATCH", `/people/${DUE}`, { cadence_days: 30 })).status, 200);
  assert.equal((await companion.call("POST", "/people", { handle: "nikitabier", tags: ["friend"] })).status, 201);
  const browser = await launch(join(work, "profile"));
  mkdirSync(ARTIFACTS, { recursive: true });
  try {
    const options = await pair(browser, companion);
    const toolbar = () => options.evaluate(() => browser.action.getBadgeText({}));
    await waitFor("the toolbar to count one overdue person", async () => (await toolbar()) === "1");

    const board = await browser.newPage();
    const link = rapport("dashboard", "--port", String(companion.port), "--data-dir", companion.dataDir).trim();
    await board.goto(link);
    await board.goto(`${companion.base}/keep-in-touch`);
    await board.waitForSelector(`#overdue li.reminder`);

    const page = await xTab(browser, HOME);
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto("https://x.com/home");
    const chip = `${CHIPS}[data-handle="${DUE}"][data-state="shown"]`;
    await waitFor("the due mark", () => page.evaluate((s) => Number(document.querySelector(s)?.getAttribute("data-due")) > 900, chip));
    assert.equal(await page.evaluate((s) => document.querySelector(s), `${CHIPS}[data-handle="nikitabier"][data-due]`), null);
    await page.screenshot({ path: join(ARTIFACTS, "firefox-chips-due.png") });

    await page.click(chip);
    const frame = await panel(page);
    await waitFor("the card's overdue line", async () => (await text(frame, "#keep-status")).startsWith("Overdue by"));
    await page.screenshot({ path: join(ARTIFACTS, "firefox-overlay-keep-in-touch.png") });
    await frame.click("#reached-out");
    await waitFor("the card to start the clock again", async () => (await text(frame, "#keep-status")).includes("last in touch today"));
    await board.waitForSelector(`#upcoming li.reminder`, { timeout: 10_000 });
    await waitFor("the toolbar to say ON", async () => (await toolbar()) === "ON");
    await frame.click("#snooze");
    await board.waitForSelector(`#snoozed li.reminder`, { timeout: 10_000 });
    const person = await companion.api(`/people/${DUE}`);
    assert.ok(person.keep_in_touch.snooze_until);
    assert.equal(person.interactions[0].kind, "reached_out");
  } finally {
    await browser.close();
    await companion.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
