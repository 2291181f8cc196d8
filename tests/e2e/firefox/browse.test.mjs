// The built extension in real Firefox ESR (puppeteer-core over WebDriver BiDi) against a real
// `rapport serve`: the same scenario as tests/e2e/test_chromium.py, from tests/e2e/scenario.json.
// x.com is answered from saved pages by request interception, so content scripts run as on the site.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { ARTIFACTS, Companion, launch, pair, readE2e, skip, waitFor, xTab } from "./firefox.mjs";

const SCENARIO = JSON.parse(readE2e("scenario.json"));
const SPA_NAVIGATE = readE2e("spa_navigate.js");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the companion holds, in the shape of scenario.json's expectations. */
async function stored(companion) {
  const out = {};
  for (const summary of (await companion.api("/people?limit=500")).people) {
    const card = await companion.api(`/people/${summary.key}`);
    out[card.handle] = {
      user_id: card.user_id, stage: card.stage.current, kinds: card.interactions.map((i) => i.kind).sort(),
      location: card.profile.location,
    };
  }
  return out;
}

function expected() {
  return Object.fromEntries(Object.entries(SCENARIO.expect.people).map(([h, want]) => [h, { location: null, ...want }]));
}

test("Firefox: pairing, browsing, SPA navigation and an outage reach the companion once", { skip, timeout: 240_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), "rapport-firefox-"));
  const companion = await new Companion(join(work, "data")).start();
  const browser = await launch(join(work, "profile"));
  try {
    const options = await pair(browser, companion);
    mkdirSync(ARTIFACTS, { recursive: true });
    await options.screenshot({ path: join(ARTIFACTS, "firefox-options-paired.png"), fullPage: true });

    const page = await xTab(browser, SCENARIO.pages);
    // How many batches the background has accepted from content scripts (read through our own page).
    const acceptedBatches = () => options.evaluate(
      () => browser.storage.local.get("message_stats").then((s) => s.message_stats?.accepted ?? 0));
    for (const step of SCENARIO.steps) {
      if (step.go || step.spa) {
        // Stay on each page until the extension has read it, as a person would.
        const before = await acceptedBatches();
        if (step.go) await page.goto(step.go);
        else assert.equal(await page.evaluate(`(${SPA_NAVIGATE})(${JSON.stringify(step.spa)})`), step.spa);
        await waitFor(`a batch from ${step.go ?? step.spa}`, async () => (await acceptedBatches()) > before);
      } else if (step.wait_for_people) {
        await waitFor(`${step.wait_for_people} in the companion`, async () => {
          const have = await stored(companion);
          return step.wait_for_people.every((handle) => handle in have);
        });
      } else if (step.companion === "stop") await companion.stop();
      else if (step.companion === "start") await companion.start();
      if (step.screenshot) await page.screenshot({ path: join(ARTIFACTS, `firefox-${step.screenshot}.png`) });
    }
    const want = expected();
    await waitFor("everything to arrive", async () => {
      try { assert.deepEqual(await stored(companion), want); return true; } catch { return false; }
    });
    await sleep(2000); // and nothing arrives twice afterwards
    assert.deepEqual(await stored(companion), want);
  } finally {
    await browser.close();
    await companion.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
