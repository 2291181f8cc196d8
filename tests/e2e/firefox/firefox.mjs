// Firefox ESR with the built extension (puppeteer-core over WebDriver BiDi): launch, pair through the
// options page as a user does, and answer x.com from saved pages. Shared by the Firefox tests.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

import { ROOT, rapport, waitFor } from "../../../extension/tests/lib/rapport.mjs";

export { Companion, rapport, waitFor } from "../../../extension/tests/lib/rapport.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
export const E2E = join(HERE, "..");
export const FIREFOX = "/usr/bin/firefox-esr";
export const EXTENSION = join(ROOT, "extension", "dist", "firefox");
export const ARTIFACTS = join(ROOT, "tests", "artifacts");
const SOURCES = {
  "x-dom": join(ROOT, "..", "shared", "x-dom"),
  synthetic: join(ROOT, "extension", "tests", "fixtures", "synthetic"),
};

export const readE2e = (name) => readFileSync(join(E2E, name), "utf8");
export const skip = existsSync(FIREFOX) ? false : "Debian's firefox-esr is not installed (make test installs it)";

// X's own stylesheets from the full-page capture, for fragments saved without them (as
// tests/e2e/scenario.py x_styles does): that capture is in X's dark theme, whose text needs its black.
let styles = null;
function xStyles() {
  if (styles === null) {
    const html = readFileSync(join(SOURCES["x-dom"], "home-timeline-fullpage__ibbi_twooter__Home_X.html"), "utf8");
    styles = (html.match(/<style\b[^>]*>[\s\S]*?<\/style>/g) ?? []).join("")
      + "<style>html body { background-color: rgb(0, 0, 0) !important; }</style>";
  }
  return styles;
}

/** The saved page for `url` from a {url: "source:file"} map, or null. */
export function pageHtml(url, pages) {
  const name = pages[url.split(/[?#]/)[0]];
  if (!name) return null;
  const [source, file] = name.split(/:(.*)/s);
  const html = readFileSync(join(SOURCES[source], file), "utf8");
  return source === "x-dom" && !html.includes("<style") ? xStyles() + html : html;
}

export async function launch(profileDir) {
  const browser = await puppeteer.launch({ browser: "firefox", executablePath: FIREFOX, headless: true, userDataDir: profileDir });
  await browser.installExtension(EXTENSION);
  return browser;
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

/** As a user does: the companion's address in the options, 'Pair', the code approved in a terminal. */
export async function pair(browser, companion) {
  const options = await optionsPage(browser);
  await options.waitForSelector("html[data-ready]"); // the page has filled in its form
  await options.evaluate((url) => { document.querySelector("#companion-url").value = url; }, companion.base);
  await options.click("#settings button[type=submit]");
  await waitFor("the address to be saved", () => options.evaluate(
    (url) => browser.storage.local.get("companion_url").then((s) => s.companion_url === url), companion.base));
  // Saving checks the connection, and the page's status text may move the button meanwhile: puppeteer does not
  // wait for a still target, so a click can land beside it. As a user would, click again if nothing happened
  // (while a request is out the button is disabled, so no second one starts).
  let clicked = 0;
  await waitFor("a pairing code, or the page's reason why not", async () => {
    if (await options.$("#pairing .code, #pairing .outcome")) return true;
    if (Date.now() - clicked > 5_000) {
      await options.click("#pair-start");
      clicked = Date.now();
    }
    return false;
  }, 45_000).catch(async (error) => {
    const page = await options.evaluate(() => `${document.querySelector("main").innerText}\n(pair button `
      + `${document.querySelector("#pair-start").disabled ? "disabled: the request is still out" : "enabled"})`);
    throw new Error(`${error.message}; the options page says: ${page}`);
  });
  const code = await options.evaluate(() => document.querySelector("#pairing .code")?.textContent.trim() ?? "");
  assert.ok(code, `no pairing code; the options page says: ${await options.evaluate(() => document.querySelector("main").innerText)}`);
  assert.match(rapport("pair", "list", "--data-dir", companion.dataDir), new RegExp(code));
  rapport("pair", "approve", code, "--data-dir", companion.dataDir);
  await options.waitForSelector("#pairing .outcome.good", { timeout: 15_000 });
  await waitFor("connected", () => options.evaluate(() => document.querySelector("#status").textContent.includes("Connected")));
  return options;
}

/** A tab whose x.com requests are answered from `pages`; everything else goes on. */
export async function xTab(browser, pages) {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (!request.url().startsWith("https://x.com/")) return request.continue();
    const html = pageHtml(request.url(), pages);
    return html === null ? request.respond({ status: 404, body: "" })
      : request.respond({ status: 200, contentType: "text/html; charset=utf-8", body: html });
  });
  return page;
}

/** The overlay panel: the extension's page in an iframe of the x.com tab. */
export async function panel(page) {
  return waitFor("the overlay panel", async () => {
    for (const frame of page.frames()) {
      // WebDriver may still report the extension frame as about:blank: ask the frame itself.
      const href = frame.url().includes("/overlay/panel.html") ? frame.url() : await frame.evaluate(() => location.href).catch(() => "");
      if (href.includes("/overlay/panel.html")) return frame;
    }
    return null;
  }, 15_000);
}
