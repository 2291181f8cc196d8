// src/common/settings.js and src/common/stages.js: what the user may type, and the stage legend's source.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { DEFAULT_COMPANION_URL, KEYS, normalizeCompanionUrl, normalizeToken, settingsFrom } from "../src/common/settings.js";
import { parseStages } from "../src/common/stages.js";
import { loadStagesDoc } from "./lib/shared.mjs";

describe("normalizeCompanionUrl", () => {
  test("empty means the default", () => {
    for (const input of [undefined, null, "", "   "]) {
      assert.deepEqual(normalizeCompanionUrl(input), { ok: true, url: DEFAULT_COMPANION_URL });
    }
  });

  test("127.0.0.1 with a port, with or without http:// and a trailing slash, becomes an origin", () => {
    for (const [input, url] of [
      ["http://127.0.0.1:47600", "http://127.0.0.1:47600"],
      ["  http://127.0.0.1:5000/  ", "http://127.0.0.1:5000"],
      ["127.0.0.1:8123", "http://127.0.0.1:8123"],
      ["HTTP://127.0.0.1:8123", "http://127.0.0.1:8123"],
      ["http://127.0.0.1", "http://127.0.0.1"],
    ]) {
      assert.deepEqual(normalizeCompanionUrl(input), { ok: true, url }, input);
    }
  });

  test("anything but plain http on 127.0.0.1 is refused with a reason", () => {
    for (const [input, reason] of [
      ["https://127.0.0.1:47600", /plain http/],
      ["http://localhost:47600", /127\.0\.0\.1/],
      ["http://192.168.1.5:47600", /127\.0\.0\.1/],
      ["http://evil.example", /127\.0\.0\.1/],
      ["http://127.0.0.1.evil.example:47600", /127\.0\.0\.1/],
      ["http://user:pw@127.0.0.1:47600", /user name/],
      ["http://127.0.0.1:47600/api/v1", /only the address/],
      ["http://127.0.0.1:47600/?x=1", /only the address/],
      ["http://127.0.0.1:99999", /not an address/],
      ["http://127.0.0.1:0", /Port 0/],
      ["file:///etc/passwd", /plain http/],
      ["javascript:alert(1)", /./],
    ]) {
      const result = normalizeCompanionUrl(input);
      assert.equal(result.ok, false, input);
      assert.match(result.error, reason, input);
    }
    assert.equal(normalizeCompanionUrl(47600).ok, false);
  });
});

describe("normalizeToken", () => {
  test("empty means no token; a token is trimmed", () => {
    for (const input of [undefined, null, "", "  \n"]) assert.deepEqual(normalizeToken(input), { ok: true, token: null });
    assert.deepEqual(normalizeToken("  AbC-_123xyz  "), { ok: true, token: "AbC-_123xyz" });
  });

  test("spaces, control characters, non-ASCII and huge tokens are refused", () => {
    for (const input of ["two words", "tab\there", "new\nline", "tökén", "x".repeat(513), 42]) {
      assert.equal(normalizeToken(input).ok, false, JSON.stringify(input));
    }
    assert.equal(normalizeToken("x".repeat(512)).ok, true);
  });
});

describe("settingsFrom", () => {
  test("reads the stored values, and falls back safely on bad ones", () => {
    assert.deepEqual(settingsFrom({}), { url: DEFAULT_COMPANION_URL, token: null });
    assert.deepEqual(settingsFrom(undefined), { url: DEFAULT_COMPANION_URL, token: null });
    assert.deepEqual(settingsFrom({ [KEYS.url]: "http://127.0.0.1:5000", [KEYS.token]: "t0k" }), { url: "http://127.0.0.1:5000", token: "t0k" });
    assert.deepEqual(settingsFrom({ [KEYS.url]: "http://evil.example", [KEYS.token]: "bad token" }), { url: DEFAULT_COMPANION_URL, token: null });
  });
});

describe("parseStages", () => {
  test("reads the shared stages.json: ids 0..4 with names and colours", () => {
    const doc = loadStagesDoc();
    const stages = parseStages(doc);
    assert.deepEqual(stages.map((s) => s.id), [0, 1, 2, 3, 4]);
    assert.deepEqual(stages.map((s) => s.name), doc.stages.map((s) => s.name));
    assert.deepEqual(stages.map((s) => s.colour), doc.stages.map((s) => s.colour));
  });

  test("refuses a broken document", () => {
    const good = () => structuredClone(loadStagesDoc());
    const broken = [
      null,
      {},
      { stages: [] },
      (() => { const d = good(); d.stages[1].id = 7; return d; })(),
      (() => { const d = good(); d.stages[2].colour = "purple"; return d; })(),
      (() => { const d = good(); delete d.stages[3].name; return d; })(),
    ];
    for (const doc of broken) assert.throws(() => parseStages(doc), Error, JSON.stringify(doc)?.slice(0, 80));
  });
});
