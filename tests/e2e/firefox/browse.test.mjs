// The built extension in real Firefox ESR (puppeteer-core over WebDriver BiDi) against a real
// `rapport serve`: the same scenario as tests/e2e/test_chromium.py, from tests/e2e/scenario.json.
// x.com is answered from saved pages by request interception, so content scripts run as on the site.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..", "..");
const FIREFOX = "/usr/bin/firefox-esr";
const PYTHON = join(ROOT, ".venv", "bin", "python");
const EXTENSION = join(ROOT, "extension", "dist", "firefox");
const ARTIFACTS = join(ROOT, "tests", "artifacts");
const SCENARIO = JSON.parse(readFileSync(join(HERE, "..", "scenario.json"), "utf8"));
const SPA_NAVIGATE = readFileSync(join(HERE, "..", "spa_navigate.js"), "utf8");
const SOURCES = {
  "x-dom": join(ROOT, "..", "shared", "x-dom"),
  synthetic: join(ROOT, "extension", "tests", "fixtures", "synthetic"),
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what, check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function rapport(...args) {
  return execFileSync(PYTHON, ["-m", "companion", ...args], { cwd: ROOT, encoding: "utf8" });
}

/** A real `rapport serve` that can be stopped and started again on the same port and data. */
class Companion {
  constructor(dataDir, port) {
    this.dataDir = dataDir;
    this.base = `http://127.0.0.1:${port}`;
    this.port = port;
  }

  async start() {
    this.proc = spawn(PYTHON, ["-m", "companion", "serve", "--port", String(this.port), "--data-dir", this.dataDir],
      { cwd: ROOT, stdio: "ignore" });
    await waitFor("the companion", () => fetch(`${this.base}/api/v1/health`).then((r) => r.ok, () => false));
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once("exit", resolve));
    this.proc.kill("SIGTERM");
    await exited;
  }

  async api(path) {
    this.token ??= rapport("token", "new", `e2e-check-${Date.now()}`, "--data-dir", this.dataDir).trim();
    const answer = await fetch(`${this.base}/api/v1${path}`, { headers: { Authorization: `Bearer ${this.token}` } });
    const body = await answer.text();
    assert.equal(answer.status, 200, `${path}: ${body}`);
    return JSON.parse(body);
  }

  /** What the companion holds, in the shape of scenario.json's expectations. */
  async stored() {
    const out = {};
    for (const summary of (await this.api("/people?limit=500")).people) {
      const card = await this.api(`/people/${summary.key}`);
      out[card.handle] = {
        user_id: card.user_id, stage: card.stage.current, kinds: card.interactions.map((i) => i.kind).sort(),
        location: card.profile.location,
      };
    }
    return out;
  }
}

function expected() {
  return Object.fromEntries(Object.entries(SCENARIO.expect.people).map(([h, want]) => [h, { location: null, ...want }]));
}

function pageHtml(url) {
  const name = SCENARIO.pages[url.split(/[?#]/)[0]];
  if (!name) return null;
  const [source, file] = name.split(/:(.*)/s);
  return readFileSync(join(SOURCES[source], file));
}

/** The extension's own page: opened by the extension on install (WebDriver may not navigate to it). */
async function optionsPage(browser) {
  return waitFor("the options page the extension opens on install", async () => {
    for (const page of await browser.pages()) {
      const href = await page.evaluate(() => location.href).catch(() => "");
      if (href.startsWith("moz-extension://") && href.endsWith("/options/options.html")) return page;
    }
    return null;
  });
}

const skip = existsSync(FIREFOX) ? false : "Debian's firefox-esr is not installed (make test installs it)";

test("Firefox: pairing, browsing, SPA navigation and an outage reach the companion once", { skip, timeout: 240_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), "rapport-firefox-"));
  const companion = new Companion(join(work, "data"), await freePort());
  await companion.start();
  const browser = await puppeteer.launch({
    browser: "firefox", executablePath: FIREFOX, headless: true, userDataDir: join(work, "profile"),
  });
  try {
    await browser.installExtension(EXTENSION);
    const options = await optionsPage(browser);
    await options.waitForSelector("#companion-url");
    await options.evaluate((url) => { document.querySelector("#companion-url").value = url; }, companion.base);
    await options.click("#settings button[type=submit]");
    await waitFor("the address to be saved", () => options.evaluate(
      (url) => browser.storage.local.get("companion_url").then((s) => s.companion_url === url), companion.base));
    await options.click("#pair-start");
    const code = (await (await options.waitForSelector("#pairing .code", { timeout: 10_000 })).evaluate((el) => el.textContent)).trim();
    assert.match(rapport("pair", "list", "--data-dir", companion.dataDir), new RegExp(code));
    rapport("pair", "approve", code, "--data-dir", companion.dataDir);
    await options.waitForSelector("#pairing .outcome.good", { timeout: 15_000 });
    await waitFor("connected", () => options.evaluate(() => document.querySelector("#status").textContent.includes("Connected")));
    mkdirSync(ARTIFACTS, { recursive: true });
    await options.screenshot({ path: join(ARTIFACTS, "firefox-options-paired.png"), fullPage: true });

    const page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      if (!request.url().startsWith("https://x.com/")) return request.continue();
      const html = pageHtml(request.url());
      return html === null ? request.respond({ status: 404, body: "" })
        : request.respond({ status: 200, contentType: "text/html; charset=utf-8", body: html });
    });
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
          const have = await companion.stored();
          return step.wait_for_people.every((handle) => handle in have);
        });
      } else if (step.companion === "stop") await companion.stop();
      else if (step.companion === "start") await companion.start();
      if (step.screenshot) await page.screenshot({ path: join(ARTIFACTS, `firefox-${step.screenshot}.png`) });
    }
    const want = expected();
    await waitFor("everything to arrive", async () => {
      try { assert.deepEqual(await companion.stored(), want); return true; } catch { return false; }
    });
    await sleep(2000); // and nothing arrives twice afterwards
    assert.deepEqual(await companion.stored(), want);
  } finally {
    await browser.close();
    await companion.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
