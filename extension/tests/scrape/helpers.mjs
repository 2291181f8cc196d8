// Helpers for the scraper tests: load a page with jsdom (no scripts, no resources), scrape it, and
// check the batch against shared_schema/scrape-batch.schema.json.

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { JSDOM } from "jsdom";

import { scrapeDocument } from "../../src/scrape/index.js";
import { makeAjv, validatorFor } from "../lib/shared.mjs";

/** The real captures: shared/x-dom/ beside the repository (CI clones the repo with shared/ beside it). */
export const CAPTURES_DIR = fileURLToPath(new URL("../../../../shared/x-dom/", import.meta.url));
/** Hand-written pages for kinds no capture exists of (see the README there). */
export const SYNTHETIC_DIR = fileURLToPath(new URL("../fixtures/synthetic/", import.meta.url));

export const OBSERVED_AT = "2026-03-02T10:15:00Z";

export const captureFiles = () => readdirSync(CAPTURES_DIR).filter((name) => name.endsWith(".html")).sort();

/** A document from HTML text, as the CLI loads it: scripts never run, nothing is fetched. */
export function documentFrom(html, url = "https://x.com/home") {
  return new JSDOM(html, { url }).window.document;
}

export const loadDocument = (path, url) => documentFrom(readFileSync(path, "utf8"), url);

const validate = validatorFor(makeAjv(), "scrape-batch");

/** Errors of `batch` against the schema, as readable lines (empty when valid). */
export function schemaErrors(batch) {
  if (validate(batch)) return [];
  return validate.errors.map((e) => `${e.instancePath || "/"} ${e.keyword} ${JSON.stringify(e.params)}`);
}

export function assertValid(batch) {
  assert.deepEqual(schemaErrors(batch), [], "the batch must match scrape-batch.schema.json");
}

/** Scrape a document and check the batch is valid. */
export function scrapeValid(doc, options) {
  const result = scrapeDocument(doc, { observedAt: OBSERVED_AT, ...options });
  assertValid(result.batch);
  return result;
}

export const scrapeCapture = (name, options) => scrapeValid(loadDocument(CAPTURES_DIR + name, options.url), options);
export const scrapeSynthetic = (name, options) => scrapeValid(loadDocument(SYNTHETIC_DIR + name, options.url), options);

/** Tweets by status id. */
export const byId = (batch) => Object.fromEntries(batch.tweets.map((t) => [t.status_id, t]));

/** A tweet record with every field, defaults for the ones a test does not name. */
export const tweet = (fields) => ({
  author_display_name: null,
  text: null,
  created_at: null,
  reply_to: [],
  in_reply_to_status_id: null,
  mentions: [],
  social_context: null,
  quoted_status_id: null,
  quoted_author: null,
  focused: false,
  ...fields,
});
