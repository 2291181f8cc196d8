// The shared JSON Schemas accept what the extension will send and refuse what it must not.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { SCHEMA_BASE, loadSchema, makeAjv, schemaFiles, validatorFor } from "./lib/shared.mjs";

const ajv = makeAjv();

function validBatch() {
  return {
    batch_id: "b-2026-03-02T10:15:00Z-1",
    page: {
      url: "https://x.com/home",
      type: "home",
      observed_at: "2026-03-02T10:15:00.123Z",
      me: "rapport_me",
      profile_handle: null,
    },
    tweets: [
      {
        status_id: "1896000000000000001",
        author: "alice_reads",
        author_display_name: "Alice 📚",
        text: "@rapport_me Dune is better on the second read.",
        created_at: "2026-03-02T09:58:00Z",
        reply_to: ["rapport_me"],
        in_reply_to_status_id: "1895999999999999999",
        mentions: ["rapport_me"],
        social_context: null,
        quoted_status_id: null,
      },
      {
        status_id: "1896000000000000002",
        author: "rapport_me",
        text: "A thread on Barolo vintages",
        created_at: "2026-03-01T20:00:00+01:00",
        reply_to: [],
        mentions: [],
        social_context: { type: "repost", text: "Bob reposted", handle: "bob_wines" },
        quoted_status_id: "1895000000000000000",
        focused: false,
      },
    ],
    people: [
      {
        handle: "alice_reads",
        user_id: "44196397",
        display_name: "Alice 📚",
        bio: "Reader. Runner.",
        location: "Lisbon",
        website: "alice.example",
        joined: "Joined March 2010",
        followers: 1200,
        following: 310,
        follows_me: true,
        i_follow: true,
      },
      { handle: "bob_wines", user_id: null, followers: null, follows_me: null },
    ],
    dm_conversations: [
      { with: ["alice_reads"], last_message_at: "2026-03-02T08:00:00Z" },
      { with: [{ handle: "bob_wines", user_id: "12345" }, "carol"], last_message_at: null },
    ],
    notifications: [
      { type: "like", actors: ["carol", "dave_1"], status_id: "1896000000000000002", at: null },
      { type: "follow", actors: ["erin"] },
    ],
  };
}

/** Errors as "instancePath keyword" strings, for readable failures. */
const summary = (errors) => (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.keyword} ${JSON.stringify(e.params)}`);

/**
 * `doc` must fail on `schema`, with an error of `keyword` at `path`, and every error at or below
 * `within` (the one place the fixture was changed), so nothing else is to blame.
 */
function assertFails(schema, doc, { path, keyword, params = {}, within = path }) {
  const validate = validatorFor(ajv, schema);
  assert.equal(validate(doc), false, `${schema} accepted ${JSON.stringify(doc).slice(0, 200)}`);
  const errors = validate.errors;
  const match = errors.find((e) => e.instancePath === path && e.keyword === keyword
    && Object.entries(params).every(([k, v]) => e.params[k] === v));
  assert.ok(match, `expected ${keyword} at "${path}" ${JSON.stringify(params)}, got:\n${summary(errors).join("\n")}`);
  const elsewhere = errors.filter((e) => !(e.instancePath === within || e.instancePath.startsWith(`${within}/`)));
  assert.deepEqual(summary(elsewhere), [], "errors outside the changed part");
}

function assertValid(schema, doc) {
  const validate = validatorFor(ajv, schema);
  const ok = validate(doc);
  assert.ok(ok, `${schema} refused a valid document:\n${summary(validate.errors).join("\n")}`);
}

describe("every shared schema", () => {
  test("compiles, is draft 2020-12 and has the $id of its file name", () => {
    const files = schemaFiles();
    assert.ok(files.length >= 10, `only ${files.length} schemas found`);
    for (const file of files) {
      const schema = loadSchema(file);
      assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema", file);
      assert.equal(schema.$id, `${SCHEMA_BASE}${file}`, file);
      assert.equal(typeof ajv.getSchema(schema.$id), "function", file);
    }
  });
});

describe("scrape-batch", () => {
  test("a realistic batch from the home timeline validates", () => {
    assertValid("scrape-batch", validBatch());
  });

  test("a minimal batch (page only) validates", () => {
    assertValid("scrape-batch", { page: { url: "https://x.com/messages", type: "messages", observed_at: "2026-03-02T10:15Z", me: null } });
  });

  const cases = [
    ["a handle with a space", (b) => { b.tweets[0].author = "bad handle"; }, { path: "/tweets/0/author", keyword: "pattern" }],
    ["a handle of 21 characters", (b) => { b.people[0].handle = "a".repeat(21); }, { path: "/people/0/handle", keyword: "pattern" }],
    ["no page", (b) => { delete b.page; }, { path: "", keyword: "required", params: { missingProperty: "page" } }],
    ["page.type nope", (b) => { b.page.type = "nope"; }, { path: "/page/type", keyword: "enum" }],
    ["an unknown top-level property", (b) => { b.likes = []; }, { path: "", keyword: "additionalProperties", params: { additionalProperty: "likes" } }],
    ["an unknown tweet property", (b) => { b.tweets[1].views = 3; }, { path: "/tweets/1", keyword: "additionalProperties", params: { additionalProperty: "views" } }],
    ["followers -1", (b) => { b.people[0].followers = -1; }, { path: "/people/0/followers", keyword: "minimum" }],
    ["followers 1.5", (b) => { b.people[0].followers = 1.5; }, { path: "/people/0/followers", keyword: "type" }],
    ["observed_at yesterday", (b) => { b.page.observed_at = "yesterday"; }, { path: "/page/observed_at", keyword: "pattern" }],
    ["a timestamp without a time zone", (b) => { b.tweets[0].created_at = "2026-03-02T09:58:00"; }, { path: "/tweets/0/created_at", keyword: "pattern", within: "/tweets/0/created_at" }],
    ["status_id abc", (b) => { b.tweets[0].status_id = "abc"; }, { path: "/tweets/0/status_id", keyword: "pattern" }],
    ["a numeric status_id", (b) => { b.tweets[0].status_id = Number("1896000000000000001"); }, { path: "/tweets/0/status_id", keyword: "type" }],
    ["a DM conversation with nobody", (b) => { b.dm_conversations[0].with = []; }, { path: "/dm_conversations/0/with", keyword: "minItems" }],
    ["a DM party object with no fields", (b) => { b.dm_conversations[1].with[0] = {}; }, { path: "/dm_conversations/1/with/0", keyword: "minProperties" }],
    ["a page url that is not http", (b) => { b.page.url = "javascript:alert(1)"; }, { path: "/page/url", keyword: "pattern" }],
    ["a social context of an unknown type", (b) => { b.tweets[1].social_context.type = "boost"; }, { path: "/tweets/1/social_context/type", keyword: "enum", within: "/tweets/1/social_context" }],
    ["a notification without actors", (b) => { b.notifications[0].actors = []; }, { path: "/notifications/0/actors", keyword: "minItems" }],
    ["text longer than 5000 characters", (b) => { b.tweets[0].text = "x".repeat(5001); }, { path: "/tweets/0/text", keyword: "maxLength" }],
  ];
  for (const [name, mutate, expected] of cases) {
    test(`refuses ${name}`, () => {
      const batch = validBatch();
      mutate(batch);
      assertFails("scrape-batch", batch, expected);
    });
  }
});

describe("badge", () => {
  const badge = () => ({
    known: true,
    handle: "alice_reads",
    user_id: "44196397",
    stage: 2,
    stage_name: "Direct messages",
    colour: "#7856FF",
    tags: ["prospect", "friend"],
    labels: [{ id: 3, name: "SXSW 2026", colour: "amber" }],
    notes: "Reading: Dune · Wine: Barolo",
    last_interaction_at: "2026-03-02T08:00:00Z",
  });

  test("a known person's badge and an unknown person's badge validate", () => {
    assertValid("badge", badge());
    assertValid("badge", { known: false, handle: "stranger", stage: 0, stage_name: "Not yet", tags: [], notes: null, last_interaction_at: null });
    assertValid("badges-response", { badges: { alice_reads: badge() } });
  });

  const cases = [
    ["stage 5", (b) => { b.stage = 5; }, { path: "/stage", keyword: "enum" }],
    ["a colour name", (b) => { b.colour = "purple"; }, { path: "/colour", keyword: "pattern" }],
    ["an unknown outcome tag", (b) => { b.tags = ["enemy"]; }, { path: "/tags/0", keyword: "enum" }],
    ["a label colour off the palette", (b) => { b.labels[0].colour = "#ff0000"; }, { path: "/labels/0/colour", keyword: "enum" }],
    ["no known flag", (b) => { delete b.known; }, { path: "", keyword: "required", params: { missingProperty: "known" } }],
  ];
  for (const [name, mutate, expected] of cases) {
    test(`refuses ${name}`, () => {
      const b = badge();
      mutate(b);
      assertFails("badge", b, expected);
    });
  }

  test("the badges request takes at most 500 valid handles", () => {
    assertValid("badges-request", { handles: [] });
    assertFails("badges-request", { handles: ["ok", "not ok"] }, { path: "/handles/1", keyword: "pattern" });
    assertFails("badges-request", { handles: Array(501).fill("a") }, { path: "/handles", keyword: "maxItems" });
  });
});

describe("person-patch", () => {
  test("notes, tags, next step and a manual stage validate; so does returning to the evidence", () => {
    assertValid("person-patch", {
      notes: { books: "Dune", wine: "Barolo", music: null },
      tags: ["prospect", "referral-partner"],
      next_step: "Send the Barolo list",
      stage: { stage: 3, reason: "Called on Monday" },
    });
    assertValid("person-patch", { stage: null });
  });

  const cases = [
    ["an empty patch", {}, { path: "", keyword: "minProperties" }],
    ["a repeated tag", { tags: ["friend", "friend"] }, { path: "/tags", keyword: "uniqueItems" }],
    ["an unknown note field", { notes: { cheese: "Comté" } }, { path: "/notes", keyword: "additionalProperties", params: { additionalProperty: "cheese" } }],
    ["a manual stage without a reason", { stage: { stage: 3 } }, { path: "/stage", keyword: "required", params: { missingProperty: "reason" } }],
    ["a manual stage 9", { stage: { stage: 9, reason: "why not" } }, { path: "/stage/stage", keyword: "enum", within: "/stage" }],
  ];
  for (const [name, doc, expected] of cases) {
    test(`refuses ${name}`, () => assertFails("person-patch", doc, expected));
  }
});

describe("event", () => {
  test("a call on a date and a meeting at a time with a place validate", () => {
    assertValid("event", { kind: "call", at: "2026-03-02" });
    assertValid("event", { kind: "meeting", at: "2026-03-02T18:30:00+01:00", place: "Lisbon", note: "Web Summit" });
    assertValid("event", { kind: "dm", at: "2026-03-02", place: null, note: null });
  });

  const cases = [
    ["an unknown kind", { kind: "email", at: "2026-03-02" }, { path: "/kind", keyword: "enum" }],
    ["a scraped kind", { kind: "they_replied", at: "2026-03-02" }, { path: "/kind", keyword: "enum" }],
    ["a date in words", { kind: "call", at: "tomorrow" }, { path: "/at", keyword: "anyOf" }],
    ["a date without leading zeros", { kind: "call", at: "2026-3-2" }, { path: "/at", keyword: "anyOf" }],
    ["no date", { kind: "call" }, { path: "", keyword: "required", params: { missingProperty: "at" } }],
    ["an extra property", { kind: "call", at: "2026-03-02", minutes: 30 }, { path: "", keyword: "additionalProperties", params: { additionalProperty: "minutes" } }],
  ];
  for (const [name, doc, expected] of cases) {
    test(`refuses ${name}`, () => assertFails("event", doc, expected));
  }
});

describe("error and health", () => {
  test("an API error validates; malformed ones do not", () => {
    assertValid("error", { error: { type: "invalid", message: "x", path: "/a" } });
    assertValid("error", { error: { type: "unauthorized", message: "send a token" } });
    assertFails("error", { error: { type: "oops", message: "x" } }, { path: "/error/type", keyword: "enum" });
    assertFails("error", { error: { type: "invalid" } }, { path: "/error", keyword: "required", params: { missingProperty: "message" } });
    assertFails("error", { error: { type: "invalid", message: "x", stack: "Traceback" } },
      { path: "/error", keyword: "additionalProperties", params: { additionalProperty: "stack" } });
  });

  test("the companion's health answer validates; another product's does not", () => {
    assertValid("health", { name: "rapport", api: 1, version: "0.1.0" });
    assertFails("health", { name: "jupyter", api: 1, version: "7.0" }, { path: "/name", keyword: "const" });
    assertFails("health", { name: "rapport", api: 0, version: "0.1.0" }, { path: "/api", keyword: "minimum" });
  });
});
