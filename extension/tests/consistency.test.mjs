// stages.json and the schemas' enums are one contract: they must say the same thing.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { HANDLE, HANDLE_CHARS } from "../src/common/x.js";
import { createRouter, createRoutes } from "../src/background/router.js";
import { ALLOWED, PAGE_TYPES } from "../src/messages/index.js";
import { MAX_COUNT } from "../src/scrape/counts.js";
import { loadSchema, loadStagesDoc } from "./lib/shared.mjs";

const common = loadSchema("common.schema.json");
const stages = loadStagesDoc();

test("stage_id enum equals the stage ids of stages.json", () => {
  assert.deepEqual(common.$defs.stage_id.enum, stages.stages.map((s) => s.id));
});

test("stage ids are 0..n-1 in order, with unique keys, names and colours", () => {
  assert.deepEqual(stages.stages.map((s) => s.id), stages.stages.map((_, i) => i));
  for (const field of ["key", "name", "colour"]) {
    const values = stages.stages.map((s) => s[field]);
    assert.equal(new Set(values).size, values.length, `duplicate stage ${field}`);
  }
});

test("outcome_tag enum equals stages.json outcome_tags", () => {
  assert.deepEqual(common.$defs.outcome_tag.enum, stages.outcome_tags.map((t) => t.id));
});

test("interaction_kind enum equals stages.json interaction_kinds, each with a known stage", () => {
  assert.deepEqual(common.$defs.interaction_kind.enum, stages.interaction_kinds.map((k) => k.id));
  const stageIds = new Set(stages.stages.map((s) => s.id));
  for (const kind of stages.interaction_kinds) assert.ok(stageIds.has(kind.stage), `${kind.id} has stage ${kind.stage}`);
});

test("page_type enum equals stages.json page_types", () => {
  assert.deepEqual(common.$defs.page_type.enum, stages.page_types);
});

test("notes.schema.json properties equal stages.json note_fields, in order", () => {
  const notes = loadSchema("notes.schema.json");
  assert.deepEqual(Object.keys(notes.properties), stages.note_fields.map((f) => f.id));
});

test("event kinds are the logged_event_kinds, each mapped to an interaction kind", () => {
  const event = loadSchema("event.schema.json");
  assert.deepEqual([...event.properties.kind.enum].sort(), Object.keys(stages.logged_event_kinds).sort());
  const kinds = new Set(stages.interaction_kinds.map((k) => k.id));
  for (const [logged, kind] of Object.entries(stages.logged_event_kinds)) assert.ok(kinds.has(kind), `${logged} -> ${kind}`);
});

test("the scraper's largest believable count is the schema's count maximum", () => {
  assert.equal(MAX_COUNT, common.$defs.count.maximum);
});

test("the messages' page kinds are stages.json page_types", () => {
  assert.deepEqual([...PAGE_TYPES], stages.page_types);
});

test("the extension's copies of shared_schema/x.json and api.json are current (node tools/contract.mjs)", async () => {
  const { modules } = await import("../tools/contract.mjs");
  for (const [path, text] of Object.entries(modules())) {
    assert.equal(readFileSync(new URL(`../${path}`, import.meta.url), "utf8"), text, `${path} is out of date`);
  }
});

test("the handle pattern of shared_schema/x.json is the schemas' handle", () => {
  assert.equal(HANDLE.source, common.$defs.handle.pattern);
  assert.equal(`^${HANDLE_CHARS}$`, common.$defs.handle.pattern);
});

test("every message type someone may send has exactly one handler in the background's route table", () => {
  const routed = createRoutes({}).map(([type]) => type);
  const allowed = [...ALLOWED.content, ...ALLOWED.page];
  assert.deepEqual([...routed].sort(), [...allowed].sort());
  assert.equal(new Set(routed).size, routed.length);
  assert.deepEqual(createRouter({ self: {}, routes: createRoutes({}), validators: {}, stats: {} }).types, routed, "the router takes the table as it is");
});
