#!/usr/bin/env node
// Build the unpacked extension for Chrome and Firefox from manifest.json + src/.
// Needs the npm devDependencies (ajv, esbuild) and Node 20.
//
//   node build.mjs                    writes dist/chrome/ and dist/firefox/
//   node build.mjs --out DIR          writes DIR/chrome/ and DIR/firefox/
//   node build.mjs --browser firefox  only one of them
//
// What it writes:
// - src/** copied as they are (ES modules for the background and the options page), except the
//   folders that are bundled: content scripts cannot be ES modules in MV3, so src/content/index.js
//   (with src/scrape/ and what else it imports) becomes one IIFE file, content/index.js;
// - generated/schema-validators.js: Ajv's standalone code for what the background checks (see
//   VALIDATED; all shared schemas added), bundled as an ES module: the background validates without
//   eval or new Function, which MV3's CSP forbids;
// - shared/stages.json from ../shared_schema, and manifest.json for each browser.
//
// Each dist/<browser>/ is wiped first; the output depends only on the inputs (sorted file lists,
// fixed key order), so two builds of the same sources are byte-identical.

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import Ajv2020 from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import { buildSync } from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const SRC = join(HERE, "src");
const SCHEMA_DIR = resolve(HERE, "..", "shared_schema");
const STAGES = join(SCHEMA_DIR, "stages.json");
const SCHEMA_BASE = "https://rapport.invalid/schema/";

// Source folders that are bundled into content/index.js instead of being copied.
const BUNDLED_DIRS = ["content", "scrape"];
export const CONTENT_ENTRY = "content/index.js";
export const CONTENT_BUNDLE = "content/index.js";
export const VALIDATOR = "generated/schema-validators.js";
// The oldest browsers the manifest allows (Firefox 128 is gecko.strict_min_version).
const TARGETS = ["chrome120", "firefox128"];
export const BROWSERS = ["chrome", "firefox"];
// Rapport sends what it reads only to the companion on this computer: nothing leaves the device,
// which is what Firefox's data consent calls "none".
export const GECKO = {
  id: "rapport@rapport.invalid",
  strict_min_version: "128.0",
  data_collection_permissions: { required: ["none"] },
};

// Keys the build sets: the source manifest must not carry them.
const BUILD_KEYS = ["version", "browser_specific_settings"];

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Every file under `dir`, as sorted paths relative to it (dot files skipped). */
function listFiles(dir, prefix = "") {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".")) continue;
    const path = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(path).isDirectory()) out.push(...listFiles(path, rel));
    else out.push(rel);
  }
  return out;
}

/** The manifest for one browser, from the shared source manifest. */
export function manifestFor(browser, source, version) {
  for (const key of BUILD_KEYS) {
    if (key in source) throw new Error(`manifest.json must not set "${key}": the build sets it`);
  }
  const worker = source.background?.service_worker;
  if (typeof worker !== "string") throw new Error("manifest.json needs background.service_worker");
  const background = browser === "chrome"
    ? { service_worker: worker, type: "module" }
    : { scripts: [worker], type: "module" };
  const manifest = {};
  for (const [key, value] of Object.entries(source)) {
    manifest[key] = key === "background" ? background : value;
    if (key === "name") manifest.version = version;
  }
  if (!("version" in manifest)) manifest.version = version;
  if (browser === "firefox") manifest.browser_specific_settings = { gecko: structuredClone(GECKO) };
  else if (browser !== "chrome") throw new Error(`unknown browser ${browser}`);
  return manifest;
}

/** Paths of the extension's own files that a manifest refers to. */
export function referencedFiles(manifest) {
  const files = [];
  const bg = manifest.background ?? {};
  if (bg.service_worker) files.push(bg.service_worker);
  files.push(...(bg.scripts ?? []));
  if (manifest.options_ui?.page) files.push(manifest.options_ui.page);
  if (manifest.options_page) files.push(manifest.options_page);
  if (manifest.action?.default_popup) files.push(manifest.action.default_popup);
  for (const icons of [manifest.icons, manifest.action?.default_icon]) {
    if (icons && typeof icons === "object") files.push(...Object.values(icons));
    else if (typeof icons === "string") files.push(icons);
  }
  for (const script of manifest.content_scripts ?? []) files.push(...(script.js ?? []), ...(script.css ?? []));
  return [...new Set(files)].sort();
}

/** What the background checks against shared_schema/, by export name: messages in, companion answers. */
const VALIDATED = Object.freeze({
  validateScrapeBatch: "scrape-batch.schema.json",
  validatePairStarted: "pair-started.schema.json",
  validatePairStatus: "pair-status.schema.json",
  validateBadgesResponse: "badges-response.schema.json",
  validatePerson: "person.schema.json",
  validatePersonPatch: "person-patch.schema.json",
  validateEvent: "event.schema.json",
  validateLiveEvent: "live-event.schema.json",
  validateKeepInTouch: "keep-in-touch.schema.json",
});

/**
 * Ajv's standalone validators for the schemas in VALIDATED, as one ES module with a named export
 * each (their runtime helpers, which the generated code require()s, bundled in). No eval at run time.
 */
export function validatorSource() {
  const ajv = new Ajv2020({
    // The same strictness as the tests' Ajv (tests/lib/shared.mjs makeAjv).
    strict: true,
    allowUnionTypes: true,
    strictRequired: false,
    strictTypes: false,
    code: { source: true, esm: true, lines: true },
  });
  for (const file of readdirSync(SCHEMA_DIR).filter((name) => name.endsWith(".schema.json")).sort()) {
    ajv.addSchema(readJson(join(SCHEMA_DIR, file)));
  }
  const exports = {};
  for (const [name, file] of Object.entries(VALIDATED)) {
    if (!ajv.getSchema(`${SCHEMA_BASE}${file}`)) throw new Error(`shared_schema has no ${file}`);
    exports[name] = `${SCHEMA_BASE}${file}`;
  }
  return banner(`Generated by build.mjs from shared_schema/ (${Object.values(VALIDATED).join(", ")}; Ajv standalone). Do not edit.`)
    + bundle({
      stdin: { contents: standaloneCode(ajv, exports), resolveDir: HERE, sourcefile: "schema-validators.js", loader: "js" },
      format: "esm",
      platform: "neutral",
    });
}

/** src/content/index.js and everything it imports, as one classic script (an IIFE). */
export function contentScriptSource() {
  return banner("Generated by build.mjs from src/content/ and src/scrape/ (esbuild). Do not edit.")
    + bundle({ entryPoints: [join(SRC, ...CONTENT_ENTRY.split("/"))], format: "iife", platform: "browser" });
}

/** One esbuild bundle, returned as text (nothing is written by esbuild itself). */
function bundle(options) {
  const result = buildSync({
    bundle: true, target: TARGETS, write: false, legalComments: "none", charset: "utf8", logLevel: "silent", ...options,
  });
  return result.outputFiles[0].text;
}

const banner = (text) => `// ${text}\n`;

function assertInside(parent, child) {
  const rel = relative(parent, child);
  if (rel === "" || rel.startsWith("..") || rel.startsWith(sep) || resolve(parent, rel) !== child) {
    throw new Error(`refusing to write ${child}: not inside ${parent}`);
  }
}

/** Build one browser into outDir/<browser>; returns the written files (relative paths, sorted). */
export function buildBrowser(browser, outDir, generated = { content: contentScriptSource(), validator: validatorSource() }) {
  const pkg = readJson(join(HERE, "package.json"));
  const manifest = manifestFor(browser, readJson(join(HERE, "manifest.json")), pkg.version);
  const target = resolve(outDir, browser);
  assertInside(resolve(outDir), target);
  if (resolve(HERE).startsWith(target + sep) || resolve(HERE) === target) {
    throw new Error(`refusing to wipe ${target}: it contains the sources`);
  }

  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });

  const written = [];
  for (const rel of listFiles(SRC)) {
    if (rel === "manifest.json" || rel === "shared/stages.json" || rel.startsWith("generated/")) {
      throw new Error(`src/${rel} would be overwritten by the build`);
    }
    if (BUNDLED_DIRS.includes(rel.split("/")[0])) continue;
    const dest = join(target, ...rel.split("/"));
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(join(SRC, ...rel.split("/")), dest);
    written.push(rel);
  }
  for (const [rel, text] of [[CONTENT_BUNDLE, generated.content], [VALIDATOR, generated.validator]]) {
    const dest = join(target, ...rel.split("/"));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, text);
    written.push(rel);
  }
  mkdirSync(join(target, "shared"), { recursive: true });
  copyFileSync(STAGES, join(target, "shared", "stages.json"));
  written.push("shared/stages.json");
  writeFileSync(join(target, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  written.push("manifest.json");

  const missing = referencedFiles(manifest).filter((file) => !existsSync(join(target, ...file.split("/"))));
  if (missing.length) throw new Error(`${browser}: manifest.json refers to missing files: ${missing.join(", ")}`);
  return { target, files: written.sort() };
}

function main() {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: join(HERE, "dist") },
      browser: { type: "string", multiple: true },
    },
  });
  const browsers = values.browser ?? BROWSERS;
  for (const browser of browsers) {
    if (!BROWSERS.includes(browser)) throw new Error(`unknown browser "${browser}" (use ${BROWSERS.join(" or ")})`);
  }
  const generated = { content: contentScriptSource(), validator: validatorSource() };
  for (const browser of browsers) {
    const { target, files } = buildBrowser(browser, values.out, generated);
    console.log(`${browser}: ${target}`);
    for (const file of files) {
      console.log(`  ${file} (${statSync(join(target, ...file.split("/"))).size} bytes)`);
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(`build failed: ${error.message}`);
    process.exit(1);
  }
}
