// tools/scrape.mjs: a saved page in, one valid scrape batch out.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { CAPTURES_DIR, assertValid } from "./helpers.mjs";

const TOOL = fileURLToPath(new URL("../../tools/scrape.mjs", import.meta.url));
const run = (...args) => spawnSync(process.execPath, [TOOL, ...args], { encoding: "utf8", timeout: 60_000 });

/** The tool run in the background: the slow runs (jsdom) overlap. */
function start(...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TOOL, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => { stdout += chunk; });
    child.stderr.setEncoding("utf8").on("data", (chunk) => { stderr += chunk; });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("tools/scrape.mjs", () => {
  const dir = mkdtempSync(join(tmpdir(), "rapport-scrape-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // A fragment with no navigation, a DM item, and a script and handlers that would inject an own handle if run.
  const saved = join(dir, "page.html");
  writeFileSync(saved, `<script>document.body.innerHTML = '<a data-testid="AppTabBar_Profile_Link" href="/injected">x</a>'</script>`
    + `<img src="http://127.0.0.1:9/never" onerror="document.body.innerHTML = '<a data-testid=AppTabBar_Profile_Link href=/injected>x</a>'">`
    + `<link rel="stylesheet" href="http://127.0.0.1:9/x.css">`
    + `<div data-testid="dm-conversation-item-1111111111:44196397" aria-description="Alice, @alice_reads, hi, 2h"><time datetime="2026-03-02T08:00:00.000Z">2h</time></div>`);
  const runs = {
    home: start(`${CAPTURES_DIR}home-timeline-fullpage__ibbi_twooter__Home_X.html`, "--url", "https://x.com/home", "--observed-at", "2026-03-02T10:15:00Z"),
    saved: start(saved, "--url", "https://x.com/i/chat", "--me", "@rapport_me", "--my-user-id", "1111111111"),
  };

  test("a real capture: the batch on stdout is valid and exact; counts and skips on stderr", async () => {
    const result = await runs.home;
    assert.equal(result.status, 0, result.stderr);
    const batch = JSON.parse(result.stdout);
    assertValid(batch);
    assert.deepEqual(batch.page, { url: "https://x.com/home", type: "home", observed_at: "2026-03-02T10:15:00Z", me: "kleinflask" });
    assert.equal(batch.tweets.length, 6);
    assert.deepEqual(batch.people.map((p) => [p.handle, p.user_id]), [["MarriottIntl", "14140913"], ["Astro_Doug", "275710913"], ["Marriott", "14369314"]]);
    assert.match(result.stderr, /^read: 6 tweets, 3 people, 0 DM conversations, 0 notifications$/m);
    assert.match(result.stderr, /^skipped: \{\}$/m);
  });

  test("--me and --my-user-id reach the scrapers; the page's scripts never ran", async () => {
    const result = await runs.saved;
    assert.equal(result.status, 0, result.stderr);
    const batch = JSON.parse(result.stdout);
    assertValid(batch);
    assert.equal(batch.page.type, "messages");
    assert.equal(batch.page.me, "rapport_me");
    assert.ok(Date.parse(batch.page.observed_at) > Date.parse("2026-01-01T00:00:00Z"));
    assert.deepEqual(batch.dm_conversations, [{ with: [{ handle: "alice_reads", user_id: "44196397" }], last_message_at: "2026-03-02T08:00:00.000Z", writers: ["them"] }]);
    assert.match(result.stderr, /^read: 0 tweets, 0 people, 1 DM conversations, 0 notifications$/m);
  });

  test("clear errors: no --url, no such file, no page, a bad handle", () => {
    const page = `${CAPTURES_DIR}timeline-article-quote-anonymized__mlamp_tweetyoink__x-tweet-quote.html`;
    const cases = [
      [[page], /--url is required/],
      [["/nonexistent/page.html", "--url", "https://x.com/home"], /no such file: \/nonexistent\/page\.html/],
      [["--url", "https://x.com/home"], /no page given/],
      [[page, "--url", "ftp://x.com/home"], /--url must be an http\(s\) address/],
      [[page, "--url", "https://x.com/home", "--me", "not a handle"], /--me must be a handle/],
      [[page, "--url", "https://x.com/home", "--my-user-id", "12ab"], /--my-user-id must be digits/],
      [[page, "--url", "https://x.com/home", "--observed-at", "today"], /--observed-at must be an ISO 8601 time/],
      [[page, "--url", "https://x.com/home", "--bogus"], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const result = run(...args);
      assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, message);
    }
  });
});
