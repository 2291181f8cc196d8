// options/view.js: what the options page says about pairing and the queue; options.html's parts.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { addReading } from "../src/background/reading.js";
import { approveCommand, pairingView, queueView, readingView } from "../src/options/view.js";
import { EXTENSION_DIR } from "./lib/shared.mjs";

const NOW = Date.parse("2026-03-02T10:00:00Z");

describe("pairingView", () => {
  test("pending: the code, big, and how to approve it (dashboard or CLI)", () => {
    const view = pairingView({ state: "pending", code: "ABCD-EFGH", expires_at: "2026-03-02T10:10:00Z" }, NOW);
    assert.equal(view.pending, true);
    assert.equal(view.code, "ABCD-EFGH");
    assert.equal(view.lines[0], "Approve it in the Rapport dashboard, or run: rapport pair approve ABCD-EFGH");
    assert.match(view.lines[1], /expires in 10 minutes/);
    assert.equal(approveCommand("WXYZ-2345"), "rapport pair approve WXYZ-2345");
    const waiting = pairingView({ state: "pending", code: "ABCD-EFGH", expires_at: "2026-03-02T10:00:30Z", error: "no answer" }, NOW);
    assert.match(waiting.lines[1], /within a minute/);
    assert.match(waiting.lines[2], /Waiting for the companion: no answer/);
  });

  test("outcomes: paired is good, rejected / expired / failed are not", () => {
    assert.deepEqual(pairingView({ state: "paired", detail: "The companion gave this browser its own token." }, NOW).outcome, { text: "Paired: The companion gave this browser its own token.", good: true });
    for (const state of ["rejected", "expired", "failed"]) {
      const view = pairingView({ state, detail: "why" }, NOW);
      assert.equal(view.pending, false);
      assert.equal(view.outcome.good, false);
      assert.match(view.outcome.text, /why$/);
    }
    assert.deepEqual(pairingView(null, NOW), { pending: false, code: null, lines: [], outcome: null });
  });
});

describe("queueView", () => {
  test("length, size, sent, dropped, next try and the last error", () => {
    const view = queueView({
      length: 3, bytes: 2048, sent: 10, dropped_full: 1, dropped_rejected: 2, attempts: 2,
      next_attempt_at: NOW + 4000, blocked: null,
      last_error: { at: "2026-03-02T09:59:00Z", status: 0, type: "network", message: "The companion does not answer." },
    }, { accepted: 12, rejected: 1, content_errors: 0, last_rejected: { reason: "invalid batch: /tweets/0/author must match pattern" } }, NOW);
    const facts = Object.fromEntries(view.facts);
    assert.equal(facts["Waiting to be sent"], "3 batches (2 KB)");
    assert.equal(facts.Sent, "10 batches");
    assert.equal(facts.Dropped, "1 because the queue was full, 2 refused by the companion");
    assert.equal(facts["Next try"], "in 4 s (after 2 failures)");
    assert.equal(facts["Messages from x.com tabs"], "12 accepted, 1 rejected");
    assert.match(view.error, /^Last error .*: The companion does not answer\./);
    assert.match(view.error, /Last rejected message: invalid batch/);
  });

  test("not paired, and nothing at all", () => {
    assert.equal(Object.fromEntries(queueView({ length: 1, blocked: "not_paired" }, null, NOW).facts).Sending, "stopped: this browser is not paired");
    const empty = queueView(null, null, NOW);
    assert.equal(empty.facts[0][1], "0 batches");
    assert.equal(empty.error, "");
  });
});

describe("options.html", () => {
  const html = readFileSync(join(EXTENSION_DIR, "src", "options", "options.html"), "utf8");
  test("has the pairing, queue, pause and token controls options.js uses", () => {
    const js = readFileSync(join(EXTENSION_DIR, "src", "options", "options.js"), "utf8");
    const ids = new Set([...js.matchAll(/\$\("([a-z-]+)"\)/g)].map((m) => m[1]));
    for (const id of ids) assert.match(html, new RegExp(`id="${id}"`), `options.html has no #${id}`);
    for (const id of ["pair-start", "pairing", "queue", "paused", "companion-token", "flush-now"]) assert.ok(ids.has(id), id);
  });
});

describe("the page reader's log (background/reading.js) and how the options page shows it", () => {
  const report = (fields) => ({ page_type: "home", recognised: 0, skipped: 0, errors: 0, skipped_by: {}, ...fields });

  test("counts add up per kind of page; the latest report is kept apart; reasons are kept, most frequent first", () => {
    let log = addReading({}, report({ recognised: 12, skipped: 1, skipped_by: { "quote:no-status-link": 1 } }), "2026-03-02T09:00:00.000Z");
    log = addReading(log, report({ recognised: 3, skipped: 2, skipped_by: { "tweet:no-author": 2 } }), "2026-03-02T09:30:00.000Z");
    log = addReading(log, report({ page_type: "status", recognised: 4 }), "2026-03-02T09:40:00.000Z");
    assert.deepEqual(log.home, {
      recognised: 15, skipped: 3, errors: 0, skipped_by: { "tweet:no-author": 2, "quote:no-status-link": 1 },
      last_read_at: "2026-03-02T09:30:00.000Z", last_recognised_at: "2026-03-02T09:30:00.000Z", last: { recognised: 3, skipped: 2 },
    });
    assert.deepEqual(readingView(log, NOW).map((row) => [row.kind, row.recognised, row.skipped, row.lastRead, row.warning]), [
      ["Home timeline", "15", "3", "30 minutes ago", ""],
      ["Posts and conversations", "4", "0", "20 minutes ago", ""],
    ]);
    assert.equal(readingView(log, NOW)[0].reasons, "tweet:no-author ×2, quote:no-status-link ×1");
  });

  test("a kind of page whose latest reading recognised nothing is flagged, with when it last did", () => {
    let log = addReading({}, report({ recognised: 20 }), "2026-03-01T10:00:00.000Z");
    log = addReading(log, report({ skipped: 9, skipped_by: { "tweet:no-status-link": 9 } }), "2026-03-02T09:59:00.000Z");
    const [row] = readingView(log, NOW);
    assert.match(row.warning, /showed nothing Rapport recognises \(nothing since yesterday\)/);
    assert.equal(row.lastRead, "1 minute ago");
    assert.deepEqual(readingView(null, NOW), []);
  });

  test("options.html has the reading table", () => {
    const html = readFileSync(join(EXTENSION_DIR, "src/options/options.html"), "utf8");
    assert.match(html, /id="reading"/);
    assert.match(html, /Only counts are kept/);
  });
});
