// build.mjs: both unpacked builds, their manifests, and the files they refer to.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { after, before, describe, test } from "node:test";

import { CONTENT_BUNDLE, VALIDATOR, referencedFiles } from "../build.mjs";
import { X_MATCHES } from "../src/messages/index.js";
import { HOST_PERMISSION } from "../src/common/settings.js";
import { EXTENSION_DIR, SCHEMA_DIR, readJson } from "./lib/shared.mjs";

const BUILD = join(EXTENSION_DIR, "build.mjs");
const pkg = readJson(join(EXTENSION_DIR, "package.json"));

const build = (out, ...args) => execFileSync(process.execPath, [BUILD, "--out", out, ...args], { encoding: "utf8" });

function tree(dir, prefix = "") {
  const out = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(path).isDirectory()) Object.assign(out, tree(path, rel));
    else out[rel] = readFileSync(path).toString("base64");
  }
  return out;
}

/** Relative module imports ("./x.js") and html src/href attributes of a built file. */
function localReferences(file, text) {
  const refs = [];
  if (file.endsWith(".js")) {
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*["'](\.{1,2}\/[^"']+)["']/gm)) refs.push(m[1]);
  } else if (file.endsWith(".html")) {
    for (const m of text.matchAll(/\b(?:src|href)="([^"]+)"/g)) refs.push(m[1]);
  }
  return refs.map((ref) => posix.normalize(posix.join(posix.dirname(file), ref)));
}

describe("build.mjs", () => {
  let out;
  let stdout;

  before(() => {
    out = mkdtempSync(join(tmpdir(), "rapport-build-"));
    mkdirSync(join(out, "chrome"), { recursive: true });
    writeFileSync(join(out, "chrome", "stale.js"), "left over from an old build");
    stdout = build(out);
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  const manifest = (browser) => readJson(join(out, browser, "manifest.json"));

  test("prints what it wrote", () => {
    for (const browser of ["chrome", "firefox"]) {
      assert.match(stdout, new RegExp(`^${browser}: `, "m"));
    }
    assert.match(stdout, /^ {2}manifest\.json \(\d+ bytes\)$/m);
    assert.match(stdout, /^ {2}shared\/stages\.json \(\d+ bytes\)$/m);
  });

  test("wipes the old build first", () => {
    assert.equal(existsSync(join(out, "chrome", "stale.js")), false);
  });

  test("both manifests: MV3, name, version from package.json, permissions, only the companion host", () => {
    for (const browser of ["chrome", "firefox"]) {
      const m = manifest(browser);
      assert.equal(m.manifest_version, 3, browser);
      assert.equal(m.name, "Rapport", browser);
      assert.equal(m.version, pkg.version, browser);
      assert.deepEqual(m.permissions, ["storage", "alarms"], browser);
      assert.deepEqual(m.host_permissions, ["http://127.0.0.1/*"], browser);
      assert.deepEqual(m.host_permissions, [HOST_PERMISSION], `${browser}: src/settings.js disagrees with the manifest`);
      assert.equal(typeof m.options_ui?.page, "string", browser);
      assert.ok(m.action, `${browser}: the toolbar badge needs "action"`);
      assert.equal(m.background.type, "module", browser);
      assert.deepEqual(m.content_security_policy, { extension_pages: "script-src 'self'; object-src 'self'" }, `${browser}: MV3's strict CSP, stated`);
      const text = JSON.stringify(m);
      assert.doesNotMatch(text, /<all_urls>|\*:\/\/\*/, browser);
    }
  });

  test("Chrome has a service worker and no gecko settings", () => {
    const m = manifest("chrome");
    assert.equal(m.background.service_worker, "background/index.js");
    assert.equal(m.background.scripts, undefined);
    assert.equal(m.browser_specific_settings, undefined);
  });

  test("Firefox has background scripts and the gecko id", () => {
    const m = manifest("firefox");
    assert.deepEqual(m.background.scripts, ["background/index.js"]);
    assert.equal(m.background.service_worker, undefined);
    assert.equal(m.browser_specific_settings.gecko.id, "rapport@rapport.invalid");
    assert.equal(m.browser_specific_settings.gecko.strict_min_version, "128.0");
  });

  test("shared/stages.json is the shared_schema file, byte for byte", () => {
    const source = readFileSync(join(SCHEMA_DIR, "stages.json"));
    for (const browser of ["chrome", "firefox"]) {
      assert.ok(readFileSync(join(out, browser, "shared", "stages.json")).equals(source), browser);
    }
  });

  test("every file the manifest, the pages and the modules refer to exists", () => {
    for (const browser of ["chrome", "firefox"]) {
      const root = join(out, browser);
      const files = Object.keys(tree(root));
      const refs = referencedFiles(manifest(browser));
      assert.ok(refs.includes("background/index.js") && refs.includes("options/options.html"), `${browser}: ${refs}`);
      for (const file of files) refs.push(...localReferences(file, readFileSync(join(root, file), "utf8")));
      for (const ref of refs) assert.ok(files.includes(ref), `${browser}: ${ref} is referred to but not built`);
    }
  });

  test("content scripts: exactly the three X patterns, one bundled script, at document_idle", () => {
    for (const browser of ["chrome", "firefox"]) {
      const scripts = manifest(browser).content_scripts;
      assert.equal(scripts.length, 1, browser);
      assert.deepEqual(scripts[0].matches, ["https://x.com/*", "https://twitter.com/*", "https://mobile.x.com/*"], browser);
      assert.deepEqual(scripts[0].matches, [...X_MATCHES], `${browser}: src/messages/index.js disagrees with the manifest`);
      assert.deepEqual(scripts[0].js, [CONTENT_BUNDLE], browser);
      assert.equal(scripts[0].run_at, "document_idle", browser);
      assert.equal(scripts[0].all_frames, undefined, `${browser}: top frame only`);
      assert.equal(scripts[0].world, undefined, `${browser}: the isolated world, never the page's`);
    }
  });

  test("the content script is one classic script: no import or export, no fetch, no eval", () => {
    for (const browser of ["chrome", "firefox"]) {
      const text = readFileSync(join(out, browser, ...CONTENT_BUNDLE.split("/")), "utf8");
      assert.doesNotMatch(text, /^\s*(import|export)\b/m, `${browser}: ES module syntax in a content script`);
      assert.doesNotMatch(text, /\bimport\s*\(/, `${browser}: dynamic import`);
      assert.doesNotMatch(text, /\bfetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon/, `${browser}: network in a content script`);
      assert.doesNotMatch(text, /\beval\(|new Function\(/, browser);
      assert.match(text, /^\(\(\) => \{/m, `${browser}: an IIFE`);
      assert.match(text, /scrapeTweets/, `${browser}: the scrapers are bundled in`);
      assert.match(text, /MutationObserver/, browser);
    }
    // The bundled sources are not shipped a second time as loose modules.
    const files = Object.keys(tree(join(out, "chrome")));
    assert.deepEqual(files.filter((f) => f.startsWith("content/") || f.startsWith("scrape/")), [CONTENT_BUNDLE]);
  });

  test("the scrape-batch validator is generated standalone code: no eval, no new Function, no imports", () => {
    for (const browser of ["chrome", "firefox"]) {
      const text = readFileSync(join(out, browser, ...VALIDATOR.split("/")), "utf8");
      assert.doesNotMatch(text, /\beval\(|new Function\b|\bFunction\(/, browser);
      assert.doesNotMatch(text, /^\s*import\b/m, `${browser}: every helper is bundled in`);
      assert.match(text, /^export \{/m, browser);
    }
    const background = readFileSync(join(out, "chrome", "background", "index.js"), "utf8");
    assert.match(background, /from "\.\.\/generated\/schema-validators\.js"/);
  });

  test("the builds hold the same files, but for the manifest", () => {
    const chrome = tree(join(out, "chrome"));
    const firefox = tree(join(out, "firefox"));
    delete chrome["manifest.json"];
    delete firefox["manifest.json"];
    assert.deepEqual(chrome, firefox);
  });

  test("is deterministic: a second build is byte-identical", () => {
    const again = mkdtempSync(join(tmpdir(), "rapport-build-"));
    try {
      build(again);
      assert.deepEqual(tree(join(again, "chrome")), tree(join(out, "chrome")));
      assert.deepEqual(tree(join(again, "firefox")), tree(join(out, "firefox")));
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  test("--browser builds only that one; an unknown browser fails", () => {
    const one = mkdtempSync(join(tmpdir(), "rapport-build-"));
    try {
      build(one, "--browser", "firefox");
      assert.deepEqual(readdirSync(one), ["firefox"]);
      const bad = spawnSync(process.execPath, [BUILD, "--out", one, "--browser", "safari"], { encoding: "utf8" });
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr, /unknown browser "safari"/);
    } finally {
      rmSync(one, { recursive: true, force: true });
    }
  });
});

describe("the manifest", () => {
  const manifest = readJson(join(EXTENSION_DIR, "manifest.json"));

  test("states the extension pages' CSP: Firefox's MV3 default adds upgrade-insecure-requests, which turns the live events' ws://127.0.0.1 into wss://", () => {
    const csp = manifest.content_security_policy?.extension_pages ?? "";
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests|unsafe-eval|unsafe-inline|https?:/);
  });

  test("the overlay panel is the only page x.com may frame", () => {
    assert.deepEqual(manifest.web_accessible_resources, [{ resources: ["overlay/panel.html"], matches: [...X_MATCHES] }]);
  });
});

describe("the extension's sources", () => {
  const srcDir = join(EXTENSION_DIR, "src");
  const sources = Object.keys(tree(srcDir)).filter((f) => /\.(js|html)$/.test(f));

  test("are found (in their folders)", () => {
    for (const file of ["background/index.js", "background/queue.js", "messages/index.js", "content/index.js", "options/options.js"]) {
      assert.ok(sources.includes(file), file);
    }
  });

  test("never build DOM from HTML strings nor evaluate code", () => {
    for (const file of sources) {
      const text = readFileSync(join(srcDir, file), "utf8");
      assert.doesNotMatch(text, /\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(|setTimeout\(\s*["'`]/, file);
    }
  });

  test("pages have no inline scripts or inline event handlers", () => {
    for (const file of sources.filter((f) => f.endsWith(".html"))) {
      const text = readFileSync(join(srcDir, file), "utf8");
      for (const tag of text.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\bsrc="/, `${file}: ${tag}`);
      assert.doesNotMatch(text, /<script\b[^>]*>\s*\S[\s\S]*?<\/script>/, `${file}: inline script`);
      assert.doesNotMatch(text, /\son[a-z]+\s*=/i, `${file}: inline event handler`);
    }
  });

  test("only the background worker touches the network", () => {
    for (const file of sources.filter((f) => f.endsWith(".js") && !f.startsWith("background/"))) {
      const text = readFileSync(join(srcDir, file), "utf8");
      // common/stages.js reads the extension's own bundled file through runtime.getURL, nothing else.
      const fetches = text.match(/\bfetch\([^)]*\)/g) ?? [];
      for (const call of fetches) assert.match(call, /runtime\.getURL\(/, `${file}: ${call}`);
      assert.doesNotMatch(text, /XMLHttpRequest|WebSocket|EventSource|sendBeacon/, file);
    }
  });

  test("content scripts and scrapers use no extension page or background module", () => {
    for (const file of sources.filter((f) => /^(content|scrape)\//.test(f))) {
      const text = readFileSync(join(srcDir, file), "utf8");
      assert.doesNotMatch(text, /from\s+["']\.\.\/(background|options)\//, file);
    }
  });
});
