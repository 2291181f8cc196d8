// The content script: its bookkeeping (content/tracker.js) as pure functions, and the agent
// (content/agent.js) on a jsdom page: one batch per interval, only new or recycled elements,
// SPA navigation, hidden tabs, the pause switch, errors caught. Its batches pass the background's
// validation (the standalone validator the build generates).

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { before, describe, test } from "node:test";

import { JSDOM, VirtualConsole } from "jsdom";

import { PARTS, createAgent } from "../src/content/agent.js";
import { createScanner } from "../src/content/scanner.js";
import { mergePeople, scrapeDocument } from "../src/scrape/index.js";
import { RECORD_KEYS, SentMemo, signatureOf, takeChanged, unitsTouchedBy } from "../src/content/tracker.js";
import { MSG, SENDER, parseMessage } from "../src/messages/index.js";
import { standaloneValidator } from "./lib/fakes.mjs";

const TWEET = 'article[data-testid="tweet"]';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait until the agent has read and sent everything (jsdom is slow: no fixed sleeps). */
async function settled(agent, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3) {
    if (Date.now() > deadline) throw new Error("the agent never settled");
    await sleep(20);
    quiet = agent.busy ? 0 : quiet + 1;
  }
}

/** A cell of X's virtualised timeline holding one tweet. */
function cellHtml(id, author = "alice_reads", text = `tweet ${id}`) {
  return `<div data-testid="cellInnerDiv"><div><article data-testid="tweet" tabindex="0">
    <div data-testid="User-Name"><a href="/${author}"><span>${author.toUpperCase()}</span></a>
      <a href="/${author}"><span>@${author}</span></a>
      <a href="/${author}/status/${id}"><time datetime="2026-03-02T09:00:00.000Z">1h</time></a></div>
    <div data-testid="tweetText"><span>${text}</span></div>
  </article></div><div role="separator"></div></div>`;
}

function pageHtml(ids) {
  return `<!doctype html><html><head><title>Home / X</title></head><body>
    <nav><a data-testid="AppTabBar_Profile_Link" href="/rapport_me">Profile</a></nav>
    <main><div data-testid="primaryColumn"><div aria-label="Timeline: Your Home Timeline"><div id="list">
      ${ids.map((id) => cellHtml(id)).join("")}
    </div></div></div></main></body></html>`;
}

function makeDom(ids, url = "https://x.com/home") {
  const dom = new JSDOM(pageHtml(ids), { url, pretendToBeVisual: true, virtualConsole: new VirtualConsole() });
  return dom;
}

function setHidden(win, hidden) {
  Object.defineProperty(win.document, "hidden", { configurable: true, get: () => hidden });
  Object.defineProperty(win.document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
  win.document.dispatchEvent(new win.Event("visibilitychange"));
}

const FAST = { minIntervalMs: 150, firstDelayMs: 20, navPollMs: 50, refreshMs: 100 };

/** Start an agent on a jsdom page; `messages` gets everything it sends. */
async function startAgent(dom, { paused = false, me = null, parts, answer, options = {} } = {}) {
  const messages = [];
  const times = [];
  let pausedListener = null;
  const scanner = createScanner({ win: dom.window });
  const agent = createAgent({
    win: dom.window,
    scanner,
    options: { ...FAST, ...options },
    ...(parts ? { parts } : {}),
    send: async (message) => {
      messages.push(message);
      if (message.type === MSG.BATCH) times.push(Date.now());
      if (message.type === MSG.HELLO) return { ok: true, paused, me };
      return answer ? answer(message) : { ok: true };
    },
    onPausedChange: (listener) => { pausedListener = listener; },
  });
  await agent.start();
  return { agent, scanner, messages, times, setPaused: (value) => pausedListener(value), batches: () => messages.filter((m) => m.type === MSG.BATCH) };
}

const idsOf = (message) => (message.batch.tweets ?? []).map((t) => t.status_id);

describe("tracker", () => {
  let doc;
  before(() => {
    doc = new JSDOM(pageHtml(["1", "2", "3"])).window.document;
  });

  test("unitsTouchedBy: the elements added, those under them, and the one around them", () => {
    const list = doc.getElementById("list");
    const [first, second] = list.querySelectorAll(TWEET);
    const inner = first.querySelector('[data-testid="tweetText"]').firstChild; // a text node inside tweet 1
    const units = unitsTouchedBy([list.children[1], inner, doc.createElement("div")], TWEET);
    assert.deepEqual(units, [second, first]);
    assert.deepEqual(unitsTouchedBy([doc.body], TWEET).length, 3);
    assert.deepEqual(unitsTouchedBy([], TWEET), []);
  });

  test("takeChanged: new elements once; again only when recycled (signature changed)", () => {
    const seen = new WeakMap();
    const articles = [...doc.querySelectorAll(TWEET)];
    assert.equal(takeChanged(articles, seen).length, 3);
    assert.equal(takeChanged(articles, seen).length, 0);
    // X recycles the cell: same article element, now showing another tweet.
    const link = articles[1].querySelector('a[href*="/status/"]');
    link.setAttribute("href", "/bob_wines/status/99");
    assert.deepEqual(takeChanged(articles, seen), [articles[1]]);
    assert.equal(takeChanged(articles, seen).length, 0);
  });

  test("signatureOf: the status link and the amount of text", () => {
    const article = doc.querySelector(TWEET);
    const before = signatureOf(article);
    assert.match(before, /^tweet\|\/.+\/status\/\d+\|\d+$/);
    article.querySelector('[data-testid="tweetText"] span').textContent += " (show more)";
    assert.notEqual(signatureOf(article), before, "a tweet that finished loading reads as changed");
  });

  test("SentMemo: a record goes again only if it changed; bounded", () => {
    const memo = new SentMemo(3);
    const tweet = { status_id: "1", author: "a", text: "x" };
    assert.equal(memo.fresh("tweets", tweet), true);
    assert.equal(memo.fresh("tweets", { ...tweet }), false);
    assert.equal(memo.fresh("tweets", { ...tweet, text: "x more" }), true);
    assert.equal(memo.fresh("people", { handle: "Alice" }), true);
    assert.equal(memo.fresh("people", { handle: "alice" }), true, "changed spelling is a change");
    memo.forget("people", { handle: "alice" });
    assert.equal(memo.fresh("people", { handle: "alice" }), true);
    for (let i = 0; i < 10; i += 1) memo.fresh("tweets", { status_id: String(i) });
    assert.ok(memo.size <= 3);
    assert.deepEqual(Object.keys(RECORD_KEYS).sort(), ["dm_conversations", "notifications", "people", "tweets"]);
  });
});

describe("agent on a jsdom page", () => {
  let validateBatch;
  before(async () => {
    validateBatch = await standaloneValidator();
  });

  const accepted = (message) => parseMessage(message, SENDER.CONTENT, { validateBatch });

  test("first scan: one batch with every tweet, valid for the background; my handle remembered", async () => {
    const dom = makeDom(["101", "102", "103"]);
    // The first reads of a process are slow (jsdom compiles its selectors) while the other test files
    // start too: hold the message as long as reading goes on, so "one batch" does not race the clock.
    const { agent, messages, batches } = await startAgent(dom, { options: { maxHoldMs: 60000 } });
    await settled(agent);
    agent.stop();
    assert.deepEqual(messages[0], { type: MSG.HELLO });
    assert.ok(messages.some((m) => m.type === MSG.ME && m.handle === "rapport_me"));
    assert.equal(batches().length, 1);
    const [batch] = batches();
    assert.deepEqual(idsOf(batch).sort(), ["101", "102", "103"]);
    assert.deepEqual(batch.batch.page.url, "https://x.com/home");
    assert.equal(batch.batch.page.type, "home");
    assert.equal(batch.batch.page.me, "rapport_me");
    assert.deepEqual(batch.stats, { errors: 0, skipped: 0 });
    const parsed = accepted(batch);
    assert.equal(parsed.ok, true, parsed.error);
  });

  test("then only new and recycled tweets are sent; re-added or unchanged ones are not", { timeout: 60_000 }, async () => {
    const dom = makeDom(["201", "202"]);
    const { agent, batches } = await startAgent(dom);
    await settled(agent);
    const list = dom.window.document.getElementById("list");
    list.insertAdjacentHTML("beforeend", cellHtml("203") + cellHtml("204"));
    await settled(agent);
    assert.deepEqual(idsOf(batches()[1]).sort(), ["203", "204"]);

    // Recycled: X re-fills an existing cell with another tweet.
    const cell = list.children[0];
    const article = cell.querySelector(TWEET);
    article.querySelector('a[href*="/status/"]').setAttribute("href", "/bob_wines/status/205");
    article.querySelector('[data-testid="User-Name"] a').setAttribute("href", "/bob_wines");
    article.querySelector('[data-testid="tweetText"]').replaceChildren(dom.window.document.createTextNode("recycled"));
    await settled(agent);
    assert.deepEqual(idsOf(batches()[2]), ["205"]);
    assert.equal(batches()[2].batch.tweets[0].author, "bob_wines");

    // Recycled in place: React rewrites the hrefs and the text of the same nodes, adding none.
    const other = list.children[1].querySelector(TWEET);
    other.querySelector('a[href*="/status/"]').setAttribute("href", "/carol_sings/status/206");
    other.querySelector('[data-testid="User-Name"] a').setAttribute("href", "/carol_sings");
    const text = other.querySelector('[data-testid="tweetText"]');
    const walker = dom.window.document.createTreeWalker(text, 4 /* NodeFilter.SHOW_TEXT */);
    while (walker.nextNode()) walker.currentNode.nodeValue = "rewritten in place";
    await settled(agent);
    assert.deepEqual(idsOf(batches()[3]), ["206"]);
    assert.equal(batches()[3].batch.tweets[0].author, "carol_sings");

    // The same cell moved (removed and added again), nothing changed: nothing is sent.
    list.append(list.children[1]);
    await settled(agent);
    agent.stop();
    assert.equal(batches().length, 4);
    for (const message of batches()) assert.equal(accepted(message).ok, true);
  });

  test("bursts of changes: at most one message per interval, every tweet once", async () => {
    const dom = makeDom(["300"]);
    const { agent, batches, times } = await startAgent(dom);
    const list = dom.window.document.getElementById("list");
    for (let i = 1; i <= 15; i += 1) {
      list.insertAdjacentHTML("beforeend", cellHtml(String(300 + i)));
      await sleep(15);
    }
    await settled(agent);
    agent.stop();
    for (let i = 1; i < times.length; i += 1) {
      assert.ok(times[i] - times[i - 1] >= FAST.minIntervalMs - 5, `messages ${times[i] - times[i - 1]} ms apart`);
    }
    const all = batches().flatMap(idsOf);
    assert.equal(new Set(all).size, all.length, "no tweet sent twice");
    assert.equal(all.length, 16);
  });

  test("a large harvest is split into messages of bounded size, each valid", async () => {
    const dom = makeDom(["1201", "1202", "1203", "1204", "1205"]);
    const { agent, batches, times } = await startAgent(dom, { options: { maxBatchChars: 700, minIntervalMs: 60 } });
    await settled(agent);
    agent.stop();
    assert.ok(batches().length >= 3, `${batches().length} messages`);
    for (const message of batches()) {
      assert.ok(JSON.stringify(message.batch.tweets).length <= 700 + 400, "bounded");
      assert.equal(accepted(message).ok, true);
    }
    assert.deepEqual(batches().flatMap(idsOf).sort(), ["1201", "1202", "1203", "1204", "1205"]);
    for (let i = 1; i < times.length; i += 1) assert.ok(times[i] - times[i - 1] >= 55);
  });

  test("SPA navigation: a modal route keeps the page; a new path starts a new page context and rescans", async () => {
    const dom = makeDom(["401", "402"]);
    const { agent, batches } = await startAgent(dom);
    await settled(agent);
    const { window: win } = dom;
    const go = async (path, title) => {
      win.history.pushState({}, "", path);
      if (title) win.document.title = title; // X changes the title: a DOM change the observer sees
      await sleep(FAST.navPollMs * 2);
      await settled(agent);
    };
    await go("/alice_reads/status/401/photo/1", "X");
    assert.equal(agent.page.url, "https://x.com/home", "a photo modal is not a page change");
    await go("/compose/post");
    assert.equal(agent.page.url, "https://x.com/home", "nor is the composer");
    await go("/home", "Home / X");
    assert.equal(agent.page.url, "https://x.com/home");
    assert.equal(batches().length, 1);

    await go("/alice_reads", "Alice (@alice_reads) / X");
    agent.stop();
    assert.equal(agent.page.url, "https://x.com/alice_reads");
    const last = batches().at(-1);
    assert.equal(last.batch.page.type, "profile");
    assert.equal(last.batch.page.profile_handle, "alice_reads");
    assert.deepEqual(idsOf(last).sort(), ["401", "402"], "a new page: what it shows is sent for it");
    assert.equal(batches().length, 2);
  });

  test("a hidden tab reads nothing; when shown again it catches up", async () => {
    const dom = makeDom(["501"]);
    const { agent, batches } = await startAgent(dom);
    await settled(agent);
    setHidden(dom.window, true);
    dom.window.document.getElementById("list").insertAdjacentHTML("beforeend", cellHtml("502"));
    await sleep(250);
    assert.equal(batches().length, 1, "nothing while hidden");
    assert.equal(agent.busy, false);
    setHidden(dom.window, false);
    await settled(agent);
    agent.stop();
    assert.deepEqual(idsOf(batches()[1]), ["502"]);
  });

  test("a tab hidden with records waiting sends them at once", async () => {
    const dom = makeDom(["551"]);
    const { agent, batches } = await startAgent(dom);
    await settled(agent);
    dom.window.document.getElementById("list").insertAdjacentHTML("beforeend", cellHtml("552"));
    const deadline = Date.now() + 10000;
    while (agent.stats.scraped < 2 && Date.now() < deadline) await sleep(5); // read, but the interval has not passed
    setHidden(dom.window, true);
    const count = batches().length;
    agent.stop();
    assert.equal(count, 2);
    assert.deepEqual(idsOf(batches()[1]), ["552"]);
  });

  test("paused: nothing is read or sent until collection resumes", async () => {
    const dom = makeDom(["601"]);
    const { agent, batches, setPaused } = await startAgent(dom, { paused: true });
    await sleep(200);
    assert.equal(batches().length, 0);
    dom.window.document.getElementById("list").insertAdjacentHTML("beforeend", cellHtml("602"));
    await sleep(200);
    assert.equal(batches().length, 0);
    setPaused(false);
    await settled(agent);
    assert.deepEqual(idsOf(batches()[0]).sort(), ["601", "602"]);
    setPaused(true);
    dom.window.document.getElementById("list").insertAdjacentHTML("beforeend", cellHtml("603"));
    await sleep(250);
    agent.stop();
    assert.equal(batches().length, 1);
  });

  test("the last known handle is used where the page does not show one", async () => {
    const dom = makeDom(["701"]);
    dom.window.document.querySelector("nav").remove();
    const { agent, batches, messages } = await startAgent(dom, { me: "rapport_me" });
    await settled(agent);
    agent.stop();
    assert.equal(batches()[0].batch.page.me, "rapport_me");
    assert.equal(messages.filter((m) => m.type === MSG.ME).length, 0, "nothing new to remember");
  });

  test("never throws into the page: a broken scraper is caught and counted", async () => {
    const dom = makeDom(["801"]);
    const parts = [{ name: "boom", kind: "tweets", selector: TWEET, scrape: () => { throw new Error("boom"); } }, ...PARTS.slice(1)];
    const { agent, batches } = await startAgent(dom, { parts });
    await settled(agent);
    assert.equal(agent.stats.errors, 1);
    dom.window.document.getElementById("list").insertAdjacentHTML("beforeend", cellHtml("802"));
    await settled(agent);
    agent.stop();
    assert.equal(agent.stats.errors, 2);
    assert.equal(batches().length, 0);
  });

  test("how the reading went goes to the background per page, as counts only: once even for a page with nothing, then as things are read", async () => {
    const dom = makeDom(["1001", "1002"]);
    const { agent, messages } = await startAgent(dom, { options: { readingMs: 30 } });
    const readings = (type) => messages.filter((m) => m.type === MSG.READING && m.page_type === type);
    const sum = (list, field) => list.reduce((n, m) => n + m[field], 0);
    try {
      await settled(agent);
      await sleep(100);
      // However the reading was sliced, the home page's reports add up to its two tweets.
      assert.equal(sum(readings("home"), "recognised"), 2);
      assert.ok(readings("home").every((m) => m.skipped === 0 && m.errors === 0));
      // A page whose markup Rapport no longer knows: nothing recognised, and said so once.
      const { window: win } = dom;
      win.document.getElementById("list").replaceChildren();
      win.history.pushState({}, "", "/bob_b/status/9");
      win.document.title = "Bob on X";
      await sleep(FAST.navPollMs * 2);
      await settled(agent);
      await sleep(100);
      assert.deepEqual(readings("status"), [{ type: MSG.READING, page_type: "status", recognised: 0, skipped: 0, errors: 0, skipped_by: {} }]);
      const broken = '<div data-testid="cellInnerDiv"><article data-testid="tweet"><div data-testid="User-Name"><span>Bob</span></div></article></div>';
      win.document.getElementById("list").insertAdjacentHTML("beforeend", broken);
      await settled(agent);
      await sleep(100);
      assert.deepEqual(readings("status").at(-1), { type: MSG.READING, page_type: "status", recognised: 0, skipped: 1, errors: 0, skipped_by: { "tweet:no-status-link": 1 } });
      assert.equal(readings("status").length, 2);
      for (const message of messages.filter((m) => m.type === MSG.READING)) assert.equal(accepted(message).ok, true);
    } finally {
      agent.stop();
    }
  });

  test("XChat in an open shadow root: watched and read, also what it adds later", async () => {
    const dom = makeDom([], "https://x.com/i/chat");
    const { agent, batches } = await startAgent(dom);
    await settled(agent);
    const doc = dom.window.document;
    const host = doc.createElement("div");
    host.setAttribute("data-testid", "xchatEmbedRoute");
    doc.body.append(host);
    const shadow = host.attachShadow({ mode: "open" });
    const row = (other, handle) => `<div data-testid="dm-conversation-item-1:${other}" aria-description="${handle}, @${handle}, hi, 2h"><span>${handle}</span></div>`;
    shadow.innerHTML = `<div data-testid="dm-conversation-list">${row(2, "ann_a")}</div>`;
    try {
      await settled(agent);
      shadow.querySelector('[data-testid="dm-conversation-list"]').insertAdjacentHTML("beforeend", row(3, "bob_b"));
      await settled(agent);
    } finally {
      agent.stop();
    }
    const seen = batches().flatMap((m) => m.batch.dm_conversations ?? []).map((c) => [c.with, c.writers]);
    assert.deepEqual(seen, [[["ann_a"], ["them"]], [["bob_b"], ["them"]]]);
  });

  test("records refused by the background may be sent again when seen again", async () => {
    const dom = makeDom(["901"]);
    let refuse = true;
    const { agent, batches } = await startAgent(dom, { answer: () => (refuse ? { ok: false, error: "paused" } : { ok: true }) });
    await settled(agent);
    refuse = false;
    // The like count appears: the tweet's signature changes, its record does not.
    const article = dom.window.document.querySelector(TWEET);
    article.insertAdjacentHTML("beforeend", '<div role="group"><span>12</span></div>');
    await settled(agent);
    article.insertAdjacentHTML("beforeend", '<div role="group"><span>13</span></div>');
    await settled(agent);
    agent.stop();
    assert.deepEqual(batches().map(idsOf), [["901"], ["901"]], "sent again once after the refusal, not after the success");
  });

  test("the observer's callback does no reading (stays far under a frame)", async () => {
    const dom = makeDom(["1001"]);
    const { agent, scanner } = await startAgent(dom);
    const list = dom.window.document.getElementById("list");
    for (let i = 0; i < 8; i += 1) list.insertAdjacentHTML("beforeend", cellHtml(String(1100 + i)));
    await settled(agent);
    agent.stop();
    assert.ok(scanner.stats.longest_callback_ms < 4, `${scanner.stats.longest_callback_ms} ms`);
  });
});

describe("agent on the synthetic profile page", () => {
  const PROFILE = new URL("./fixtures/synthetic/synthetic-profile-header.html", import.meta.url);
  const present = existsSync(PROFILE);

  test("the profile header is read, and read again when its parts change outside UserName", { skip: !present && "no synthetic profile fixture" }, async () => {
    const dom = new JSDOM(readFileSync(PROFILE, "utf8"), { url: "https://x.com/alice_reads", pretendToBeVisual: true, virtualConsole: new VirtualConsole() });
    const { agent, batches } = await startAgent(dom);
    await settled(agent);
    const alice = (message) => (message.batch.people ?? []).find((p) => p.handle === "alice_reads");
    const first = batches().find(alice);
    assert.ok(first, "alice's header was sent");
    assert.equal(first.batch.page.type, "profile");
    assert.equal(first.batch.page.profile_handle, "alice_reads");
    assert.match(alice(first).bio, /^Reader\. Runner\./);

    const description = dom.window.document.querySelector('[data-testid="UserDescription"]');
    description.replaceChildren(dom.window.document.createTextNode("Now reading Proust."));
    await settled(agent);
    const sent = batches().filter(alice);
    assert.equal(sent.length, 2);
    assert.equal(alice(sent[1]).bio, "Now reading Proust.");

    description.append(dom.window.document.createComment("nothing visible"));
    await sleep(250);
    await settled(agent);
    agent.stop();
    assert.equal(batches().filter(alice).length, 2, "unchanged: not sent again");
  });
});

// The content script reads element by element, as they appear; scrape/index.js scrapeDocument reads
// the whole page. On the same page both must find the same records, and the background accepts
// every message.
describe("element by element equals the whole page at once", () => {
  const synthetic = (name) => new URL(`./fixtures/synthetic/${name}`, import.meta.url);
  const capture = (name) => new URL(`../../../shared/x-dom/${name}`, import.meta.url);
  const pages = [
    [synthetic("synthetic-profile-header.html"), "https://x.com/alice_reads"],
    [synthetic("synthetic-notifications.html"), "https://x.com/notifications"],
    [synthetic("synthetic-dm-inbox-2026.html"), "https://x.com/i/chat"],
    [synthetic("synthetic-dm-inbox-legacy.html"), "https://x.com/messages"],
    [capture("home-timeline-fullpage__ibbi_twooter__Home_X.html"), "https://x.com/home"],
    [capture("status-conversation-fragment__ajw1970_X-Ghosted__Conversation-without-problems.html"), "https://x.com/ApostleJohnW/status/1881841967291928947"],
  ];

  for (const [file, url] of pages) {
    const name = file.pathname.split("/").at(-1);
    test(name, { skip: !existsSync(file) && "not present" }, async () => {
      const html = readFileSync(file, "utf8");
      const whole = scrapeDocument(new JSDOM(html, { url }).window.document, { url }).batch;
      const dom = new JSDOM(html, { url, pretendToBeVisual: true, virtualConsole: new VirtualConsole() });
      const { agent, batches } = await startAgent(dom);
      await settled(agent);
      agent.stop();
      const validateBatch = await standaloneValidator();
      const sent = { tweets: new Map(), people: [], dm_conversations: new Set(), notifications: new Set() };
      for (const message of batches()) {
        const parsed = parseMessage(message, SENDER.CONTENT, { validateBatch });
        assert.equal(parsed.ok, true, parsed.error);
        const { batch } = message;
        assert.equal(batch.page.url, url);
        assert.equal(batch.page.type, whole.page.type);
        for (const t of batch.tweets ?? []) sent.tweets.set(t.status_id, t);
        sent.people.push(...(batch.people ?? []));
        for (const d of batch.dm_conversations ?? []) sent.dm_conversations.add(JSON.stringify(d));
        for (const n of batch.notifications ?? []) sent.notifications.add(JSON.stringify(n));
      }
      const byId = (list) => Object.fromEntries(list.map((t) => [t.status_id, t]));
      assert.deepEqual(byId([...sent.tweets.values()]), byId(whole.tweets));
      const byHandle = (list) => Object.fromEntries(list.map((p) => [p.handle.toLowerCase(), p]));
      assert.deepEqual(byHandle(mergePeople(sent.people)), byHandle(whole.people));
      assert.deepEqual([...sent.dm_conversations].sort(), whole.dm_conversations.map((d) => JSON.stringify(d)).sort());
      assert.deepEqual([...sent.notifications].sort(), whole.notifications.map((n) => JSON.stringify(n)).sort());
      dom.window.close();
    });
  }
});
