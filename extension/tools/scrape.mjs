#!/usr/bin/env node
// Scrape a saved x.com page with the extension's own scrapers (src/scrape/), as the content script
// would on the live page, and print the scrape batch.
//
//   node extension/tools/scrape.mjs PAGE.html --url URL [--me HANDLE] [--my-user-id ID] [--observed-at ISO]
//
// stdout: one scrape batch as JSON (checked against shared_schema/scrape-batch.schema.json).
// stderr: what could not be read, by reason ("skipped: {...}").
// The page is loaded with jsdom: its scripts never run and nothing it refers to is fetched.
// Exit 0 on success, 1 if the batch does not match the schema, 2 on bad arguments or input.

import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";

import { isHandle, isId, isTimestamp } from "../src/scrape/util.js";

const USAGE = "usage: node extension/tools/scrape.mjs PAGE.html --url URL [--me HANDLE] [--my-user-id ID] [--observed-at ISO]\n"
  + "  --url          the address the page was saved from (page type, profile, base of relative links)\n"
  + "  --me           your handle, used when the page does not show it\n"
  + "  --my-user-id   your numeric user id (tells the other person's id in DM conversation ids)\n"
  + "  --observed-at  when the page was seen (default: now)\n";

function fail(message, code = 2) {
  process.stderr.write(`scrape.mjs: ${message}\n`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string" },
      me: { type: "string" },
      "my-user-id": { type: "string" },
      "observed-at": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
if (args.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const [file, ...extra] = args.positionals;
if (!file) fail(`no page given\n${USAGE}`);
if (extra.length) fail(`one page at a time (also given: ${extra.join(" ")})\n${USAGE}`);
const url = args.values.url;
if (!url) fail(`--url is required: the address the page was saved from, e.g. --url https://x.com/home\n${USAGE}`);
if (!/^https?:\/\//.test(url)) fail(`--url must be an http(s) address, not ${JSON.stringify(url)}`);
const me = args.values.me?.replace(/^@/, "") ?? null;
if (me !== null && !isHandle(me)) fail(`--me must be a handle like "jack", not ${JSON.stringify(args.values.me)}`);
const myUserId = args.values["my-user-id"] ?? null;
if (myUserId !== null && !isId(myUserId)) fail(`--my-user-id must be digits, not ${JSON.stringify(myUserId)}`);
const observedAt = args.values["observed-at"];
if (observedAt !== undefined && !isTimestamp(observedAt)) fail(`--observed-at must be an ISO 8601 time such as 2026-03-02T10:15:00Z, not ${JSON.stringify(observedAt)}`);

let html;
try {
  if (!statSync(file).isFile()) fail(`${file} is not a file`);
  html = readFileSync(file, "utf8");
} catch (error) {
  fail(error.code === "ENOENT" ? `no such file: ${file}` : `cannot read ${file}: ${error.message}`);
}

// Loaded only now, so argument errors come back at once.
const { JSDOM } = await import("jsdom");
const { scrapeDocument } = await import("../src/scrape/index.js");
const { makeAjv, validatorFor } = await import("../tests/lib/shared.mjs");

let result;
try {
  // No runScripts and no resources option: jsdom runs no script and loads nothing.
  const { document } = new JSDOM(html, { url }).window;
  result = scrapeDocument(document, { url, me, myUserId, observedAt });
} catch (error) {
  fail(error instanceof TypeError ? error.message : `cannot scrape ${file}: ${error.message}`);
}

const validate = validatorFor(makeAjv(), "scrape-batch");
if (!validate(result.batch)) {
  const errors = validate.errors.map((e) => `  ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  process.stderr.write(`scrape.mjs: the batch does not match scrape-batch.schema.json (a scraper bug):\n${errors.join("\n")}\n`);
  process.stderr.write(`skipped: ${JSON.stringify(result.skipped)}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify(result.batch, null, 2)}\n`);
const b = result.batch;
process.stderr.write(`read: ${b.tweets.length} tweets, ${b.people.length} people, ${b.dm_conversations.length} DM conversations, ${b.notifications.length} notifications\n`);
process.stderr.write(`skipped: ${JSON.stringify(result.skipped)}\n`);
