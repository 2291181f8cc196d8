// Badges beside names: where they go on the real captures (scrape/names.js), the content
// script's badge store (content/badges.js) and the chip layer on a jsdom page (content/chips.js):
// one chip per name, following recycled cells, text only, hidden when there is nothing to show.

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";

import { JSDOM, VirtualConsole } from "jsdom";

import { createBadgeStore, shouldShow } from "../src/content/badges.js";
import { chipText, createChips, pageTheme, tooltipLines } from "../src/content/chips.js";
import { createScanner } from "../src/content/scanner.js";
import { NAME_UNIT, nameSlots, scrapeDocument } from "../src/scrape/index.js";
import { CAPTURES_DIR, SYNTHETIC_DIR, captureFiles, loadDocument } from "./scrape/helpers.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function slotsOf(doc, url) {
  const ctx = { baseUrl: url, profileHandle: null };
  return Array.from(doc.querySelectorAll(NAME_UNIT)).flatMap((unit) => nameSlots(unit, ctx));
}

describe("where the names are (scrape/names.js)", () => {
  test("every tweet author on every capture gets one slot, right after the display name", () => {
    for (const file of captureFiles()) {
      const doc = loadDocument(join(CAPTURES_DIR, file), "https://x.com/home");
      const tweets = scrapeDocument(doc, { url: "https://x.com/home" }).batch.tweets ?? [];
      const slots = slotsOf(doc, "https://x.com/home");
      const authors = slots.filter((s) => s.anchor.parentElement?.matches('[data-testid="User-Name"]')).map((s) => s.handle);
      // Each scraped tweet's author has a slot (quoted tweets' authors too).
      for (const tweet of tweets) assert.ok(authors.includes(tweet.author), `${file}: no slot for ${tweet.author}`);
      assert.equal(authors.length, doc.querySelectorAll('[data-testid="User-Name"]').length, file);
      for (const slot of slots) assert.match(slot.handle, /^[A-Za-z0-9_]{1,20}$/);
    }
  });

  test("the status-conversation capture: Eddie_1X twice, ApostleJohnW once, each after the name block", () => {
    const doc = loadDocument(join(CAPTURES_DIR, "status-conversation-fragment__ajw1970_X-Ghosted__Conversation-without-problems.html"));
    const slots = slotsOf(doc, "https://x.com/home");
    assert.deepEqual(slots.map((s) => s.handle).sort(), ["ApostleJohnW", "Eddie_1X", "Eddie_1X"]);
    const tweets = scrapeDocument(doc, { url: "https://x.com/home" }).batch.tweets;
    for (const slot of slots) {
      const tweet = tweets.find((t) => t.author === slot.handle);
      assert.equal(slot.displayName, tweet.author_display_name, "the name the page shows, as the scraper reads it");
      assert.equal(slot.where, "after");
      assert.match(slot.anchor.textContent, /\S/, "the anchor holds the display name");
      assert.doesNotMatch(slot.anchor.textContent, /@/, "not the @handle line");
    }
  });

  test("user cells, notifications (each actor), DM items and the profile header", () => {
    const home = loadDocument(join(CAPTURES_DIR, "home-timeline-fullpage__ibbi_twooter__Home_X.html"));
    const cells = Array.from(home.querySelectorAll('[data-testid="UserCell"]')).flatMap((u) => nameSlots(u, { baseUrl: "https://x.com/home" }));
    assert.deepEqual(cells.map((s) => s.handle), ["MarriottIntl", "Astro_Doug", "Marriott"]);

    const notifications = loadDocument(join(SYNTHETIC_DIR, "synthetic-notifications.html"), "https://x.com/notifications");
    const actors = Array.from(notifications.querySelectorAll('[data-testid="notification"]'))
      .map((n) => nameSlots(n, { baseUrl: "https://x.com/notifications" }).map((s) => s.handle));
    assert.deepEqual(actors[0], ["carol_sings", "dave_1"], "both actors of a grouped like");

    const chat = loadDocument(join(SYNTHETIC_DIR, "synthetic-dm-inbox-2026.html"), "https://x.com/i/chat");
    const dms = Array.from(chat.querySelectorAll('[data-testid^="dm-conversation-item-"]')).map((n) => nameSlots(n, { baseUrl: "https://x.com/i/chat" }));
    assert.equal(dms[0][0].handle, "alice_reads");
    assert.equal(dms[0][0].anchor.textContent, "@alice_reads", "no profile link: after the @handle line");
    assert.equal(dms[1][0].handle, "bob_wines");
    assert.equal(dms[1][0].anchor.textContent, "Bob Wines", "the avatar is linked, not the name: after the name");
    assert.equal(dms[1][0].displayName, "Bob Wines");
    assert.deepEqual(dms[2], [], "a group has no one person to badge");

    const profile = loadDocument(join(SYNTHETIC_DIR, "synthetic-profile-header.html"), "https://x.com/alice_reads");
    const header = nameSlots(profile.querySelector('[data-testid="UserName"]'), { baseUrl: "https://x.com/alice_reads", profileHandle: "alice_reads" });
    assert.deepEqual(header.map((s) => [s.handle, s.where]), [["alice_reads", "append"]]);
  });
});

// ---------------------------------------------------------------------------------------------

const BADGES = {
  alice: { known: true, handle: "alice", user_id: "1", stage: 2, stage_name: "Direct messages", colour: "#7856FF", tags: ["customer"], notes: "Reading: Dune · Wine: Barolo", last_interaction_at: "2026-02-09T10:00:00Z" },
  bob: { known: true, handle: "bob", user_id: null, stage: 0, stage_name: "Not yet", colour: "#8B98A5", tags: [], notes: null, last_interaction_at: null },
  carol: { known: true, handle: "carol", user_id: null, stage: 0, stage_name: "Not yet", colour: "#8B98A5", tags: ["vendor"], notes: null, last_interaction_at: null },
};
const unknown = (handle) => ({ known: false, handle, user_id: null, stage: 0, stage_name: "Not yet", colour: "#8B98A5", tags: [], notes: null, last_interaction_at: null });

describe("what a chip says", () => {
  test("a chip only for someone you talked to, tagged or noted; stage 0 with nothing shows none", () => {
    assert.equal(shouldShow(BADGES.alice), true);
    assert.equal(shouldShow(BADGES.bob), false);
    assert.equal(shouldShow(BADGES.carol), true);
    assert.equal(shouldShow(unknown("dave")), false);
    assert.equal(shouldShow(undefined), false);
  });

  test("number, stage name and tag labels; the tooltip has notes and when you last talked", () => {
    const labels = { customer: "Customer", vendor: "Vendor", friend: "Friend", advocate: "Advocate" };
    assert.deepEqual(chipText(BADGES.alice, labels), {
      number: "2", name: "Direct messages", tag: "Customer", due: null,
      label: "Rapport: stage 2, Direct messages, Customer. Open the card.",
    });
    assert.equal(chipText({ ...BADGES.alice, tags: ["customer", "vendor", "friend", "advocate"] }, labels).tag, "Customer, Vendor +2");
    assert.deepEqual(tooltipLines(BADGES.alice, { tagLabels: labels, now: Date.parse("2026-03-02T10:00:00Z") }), {
      title: "2 · Direct messages", due: null, tags: "Customer", labels: null, notes: "Reading: Dune · Wine: Barolo", last: "last talked 3 weeks ago",
    });
    assert.equal(tooltipLines(BADGES.carol).last, "no conversation seen yet");
  });

  test("your own labels are in the tooltip and in what a screen reader hears of the chip", () => {
    const badge = { ...BADGES.alice, labels: [{ id: 2, name: "investor", colour: "green" }, { id: 1, name: "SXSW 2026", colour: "blue" }] };
    assert.equal(tooltipLines(badge).labels, "investor · SXSW 2026");
    assert.equal(chipText(badge, { customer: "Customer" }).label, "Rapport: stage 2, Direct messages, Customer, investor, SXSW 2026. Open the card.");
  });

  test("an overdue keep-in-touch reminder puts a due mark on the chip and says so in the tooltip", () => {
    const overdue = { ...BADGES.alice, overdue_days: 12 };
    assert.equal(chipText(overdue).due, "due");
    assert.match(chipText(overdue).label, /Overdue by 12 days\. Open the card\.$/);
    assert.equal(tooltipLines(overdue).due, "Overdue by 12 days");
    assert.equal(tooltipLines({ ...BADGES.alice, overdue_days: 1 }).due, "Overdue by 1 day");
    for (const none of [null, undefined, 0]) assert.equal(chipText({ ...BADGES.alice, overdue_days: none }).due, null);
  });
});

describe("the content script's badge store", () => {
  test("a scroll burst of handles becomes one message; answers are kept; pushed changes are announced", async () => {
    const asked = [];
    const store = createBadgeStore({
      request: async (handles) => {
        asked.push(handles);
        return { ok: true, badges: Object.fromEntries(handles.map((h) => [h, BADGES[h.toLowerCase()] ?? unknown(h)])) };
      },
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      options: { delayMs: 20 },
    });
    const heard = [];
    store.subscribe((handles) => heard.push(...handles));
    for (let i = 0; i < 50; i += 1) assert.equal(store.get(["alice", "Bob", "carol", "dave"][i % 4]), undefined);
    await sleep(60);
    assert.deepEqual(asked, [["alice", "Bob", "carol", "dave"]], "one message, each handle once");
    assert.equal(store.get("ALICE").stage, 2, "answers are kept (case does not matter)");
    await sleep(40);
    assert.equal(asked.length, 1, "no new lookup for what is known");
    store.apply([{ ...BADGES.bob, stage: 3, stage_name: "Phone call" }]);
    assert.equal(store.get("bob").stage, 3);
    assert.ok(heard.includes("bob"));
  });

  test("a failed lookup is retried later, not at every scroll", async () => {
    let calls = 0;
    const store = createBadgeStore({
      request: async (handles) => {
        calls += 1;
        if (calls === 1) throw new Error("the background is restarting");
        return { ok: true, badges: Object.fromEntries(handles.map((h) => [h, BADGES[h]])) };
      },
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      options: { delayMs: 10, retryMs: 200 },
    });
    store.get("alice");
    await sleep(50);
    for (let i = 0; i < 20; i += 1) store.get("alice");
    await sleep(50);
    assert.equal(calls, 1);
    await sleep(250);
    assert.equal(calls, 2);
    assert.equal(store.get("alice").stage, 2);
  });
});

// ---------------------------------------------------------------------------------------------

function tweetCell(id, author) {
  return `<div data-testid="cellInnerDiv"><article data-testid="tweet" tabindex="0">
    <div data-testid="User-Name"><div><a href="/${author}"><span>${author.toUpperCase()}</span></a></div>
      <div><a href="/${author}"><span>@${author}</span></a> · <a href="/${author}/status/${id}"><time datetime="2026-03-02T09:00:00.000Z">1h</time></a></div></div>
    <div data-testid="tweetText"><span>tweet ${id}</span></div>
  </article></div>`;
}

function chipPage(authors) {
  const dom = new JSDOM(`<!doctype html><html><body><main><div id="list">${authors.map((a, i) => tweetCell(i + 1, a)).join("")}</div></main></body></html>`,
    { url: "https://x.com/home", pretendToBeVisual: true, virtualConsole: new VirtualConsole() });
  return dom;
}

function liveStore(badges = BADGES) {
  return createBadgeStore({
    request: async (handles) => ({ ok: true, badges: Object.fromEntries(handles.map((h) => [h, badges[h.toLowerCase()] ?? unknown(h)])) }),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    options: { delayMs: 5 },
  });
}

async function settled(chips) {
  for (let quiet = 0; quiet < 3;) {
    await sleep(15);
    quiet = chips.busy ? 0 : quiet + 1;
  }
}

const hosts = (doc) => Array.from(doc.querySelectorAll("[data-rapport-chip]")).map((h) => ({
  handle: h.getAttribute("data-handle"), state: h.getAttribute("data-state"), stage: h.getAttribute("data-stage"),
}));

describe("the chip layer on a page", () => {
  test("one chip per name, shown for known people at their stage, hidden for the rest; the page's text is untouched", async () => {
    const dom = chipPage(["alice", "bob", "carol", "dave", "alice"]);
    const before = dom.window.document.querySelector("#list").textContent;
    const chips = createChips({ win: dom.window, scanner: createScanner({ win: dom.window }), store: liveStore(), onOpen: () => {}, clock: () => Date.now() });
    chips.start();
    await settled(chips);
    assert.deepEqual(hosts(dom.window.document), [
      { handle: "alice", state: "shown", stage: "2" },
      { handle: "bob", state: "hidden", stage: null },
      { handle: "carol", state: "shown", stage: "0" },
      { handle: "dave", state: "hidden", stage: null },
      { handle: "alice", state: "shown", stage: "2" },
    ]);
    assert.equal(dom.window.document.querySelector("#list").textContent, before, "chips add no text to the page (closed shadow roots)");
    const first = dom.window.document.querySelector('[data-testid="User-Name"]');
    assert.equal(first.children[1].getAttribute("data-rapport-chip"), "", "between the name and the @handle");
    chips.stop();
    assert.equal(dom.window.document.querySelectorAll("[data-rapport-chip]").length, 0);
    dom.window.close();
  });

  test("the chip of someone overdue carries the due mark, and loses it when they are not", async () => {
    const dom = chipPage(["alice", "carol"]);
    const store = liveStore({ ...BADGES, alice: { ...BADGES.alice, overdue_days: 5 } });
    const chips = createChips({ win: dom.window, scanner: createScanner({ win: dom.window }), store, onOpen: () => {}, clock: () => Date.now() });
    chips.start();
    await settled(chips);
    const due = () => [...dom.window.document.querySelectorAll("[data-rapport-chip]")].map((h) => h.getAttribute("data-due"));
    assert.deepEqual(due(), ["5", null]);
    store.apply([{ ...BADGES.alice, overdue_days: null }]);
    await settled(chips);
    assert.deepEqual(due(), [null, null]);
    chips.stop();
    dom.window.close();
  });

  test("a cell recycled in place (new hrefs and text) or refilled with new markup never keeps a stale or second chip", async () => {
    const dom = chipPage(["alice", "bob", "carol"]);
    const doc = dom.window.document;
    const chips = createChips({ win: dom.window, scanner: createScanner({ win: dom.window }), store: liveStore(), onOpen: () => {}, clock: () => Date.now() });
    chips.start();
    await settled(chips);
    // In place: X rewrites the links and the text of the same elements.
    const name = doc.querySelector('[data-testid="User-Name"]');
    for (const a of name.querySelectorAll("a")) a.setAttribute("href", a.getAttribute("href").replace("alice", "bob"));
    await settled(chips);
    assert.deepEqual(hosts(doc)[0], { handle: "bob", state: "hidden", stage: null });
    // By markup: the cell gets another tweet's elements; the old chip goes with the old elements.
    doc.querySelectorAll("article")[1].innerHTML = doc.querySelectorAll("article")[2].innerHTML;
    await settled(chips);
    assert.deepEqual(hosts(doc).map((h) => h.handle), ["bob", "carol", "carol"]);
    for (const userName of doc.querySelectorAll('[data-testid="User-Name"]')) {
      assert.equal(userName.querySelectorAll("[data-rapport-chip]").length, 1);
    }
    // Cells scrolled in later get theirs too.
    doc.querySelector("#list").insertAdjacentHTML("beforeend", tweetCell(9, "alice"));
    await settled(chips);
    assert.deepEqual(hosts(doc).at(-1), { handle: "alice", state: "shown", stage: "2" });
    chips.stop();
    dom.window.close();
  });

  test("a pushed change re-renders every chip of that person; a click opens their card and stays ours", async () => {
    const dom = chipPage(["bob", "alice", "bob"]);
    const doc = dom.window.document;
    const store = liveStore();
    const opened = [];
    let tweetOpened = 0;
    doc.addEventListener("click", () => {
      tweetOpened += 1; // X's own handler (it opens the tweet)
    });
    let returnFocus = null;
    const chips = createChips({ win: dom.window, scanner: createScanner({ win: dom.window }), store, clock: () => Date.now(),
      onOpen: (handle, _name, back) => { opened.push(handle); returnFocus = back; } });
    chips.start();
    await settled(chips);
    store.apply([{ ...BADGES.bob, stage: 4, stage_name: "Met in person", colour: "#00BA7C" }]);
    assert.deepEqual(hosts(doc).map((h) => `${h.handle}:${h.state}:${h.stage}`), ["bob:shown:4", "alice:shown:2", "bob:shown:4"]);
    const alice = doc.querySelector('[data-rapport-chip][data-handle="alice"]');
    alice.dispatchEvent(new dom.window.MouseEvent("click", { bubbles: true }));
    assert.deepEqual(opened, ["alice"]);
    assert.equal(tweetOpened, 0, "X never sees the click on a chip");
    // When the card closes, the focus goes back to the chip it was opened from (its button, in the shadow root).
    doc.body.focus();
    assert.equal(returnFocus(), true);
    assert.equal(doc.activeElement, alice);
    alice.remove();
    assert.equal(returnFocus(), false, "a chip that is gone cannot take it");
    chips.stop();
    dom.window.close();
  });

  test("a profile header rewritten in place for another profile gets that person's chip", async () => {
    const dom = new JSDOM(`<!doctype html><html><body><main><div data-testid="primaryColumn"><div data-testid="UserName"><div>
      <div><div dir="ltr"><span><span>Alice A</span></span></div></div><div><div dir="ltr"><span>@alice</span></div></div></div></div>
      <div id="list">${tweetCell(1, "alice")}</div></div></main></body></html>`,
    { url: "https://x.com/alice", pretendToBeVisual: true, virtualConsole: new VirtualConsole() });
    const doc = dom.window.document;
    const chips = createChips({ win: dom.window, scanner: createScanner({ win: dom.window }), store: liveStore(), onOpen: () => {}, clock: () => Date.now() });
    chips.start();
    await settled(chips);
    const header = () => doc.querySelector('[data-testid="UserName"] [data-rapport-chip]').getAttribute("data-handle");
    assert.equal(header(), "alice");
    // X moves to carol's profile and rewrites the same elements: the header's text, the posts' links.
    dom.window.history.pushState({}, "", "/carol");
    const walker = doc.createTreeWalker(doc.querySelector('[data-testid="UserName"]'), 4 /* NodeFilter.SHOW_TEXT */);
    while (walker.nextNode()) walker.currentNode.nodeValue = walker.currentNode.nodeValue.replace("Alice A", "Carol C").replace("@alice", "@carol");
    for (const a of doc.querySelectorAll("#list a")) a.setAttribute("href", a.getAttribute("href").replace("alice", "carol"));
    await settled(chips);
    assert.equal(header(), "carol");
    chips.stop();
    dom.window.close();
  });

  test("the chips follow X's theme when it changes", async () => {
    const dom = chipPage(["alice"]);
    const doc = dom.window.document;
    const chips = createChips({ win: dom.window, scanner: createScanner({ win: dom.window }), store: liveStore(), onOpen: () => {},
      clock: () => Date.now(), options: { themeCheckMs: 20 } });
    chips.start();
    await settled(chips);
    const theme = () => doc.querySelector('[data-rapport-chip][data-state="shown"]').getAttribute("data-theme");
    assert.equal(theme(), "light");
    doc.body.style.backgroundColor = "rgb(0, 0, 0)"; // X's Lights out
    await sleep(1200); // the theme is read at most once a second
    assert.equal(theme(), "dark");
    chips.stop();
    dom.window.close();
  });

  test("X's theme is read from the page's background", () => {
    const dom = new JSDOM('<!doctype html><body style="background-color: rgb(0, 0, 0)"></body>', { pretendToBeVisual: true });
    assert.equal(pageTheme(dom.window), "dark");
    dom.window.document.body.style.backgroundColor = "rgb(21, 32, 43)"; // Dim
    assert.equal(pageTheme(dom.window), "dim");
    dom.window.document.body.style.backgroundColor = "rgb(255, 255, 255)";
    assert.equal(pageTheme(dom.window), "light");
    dom.window.document.body.style.backgroundColor = "transparent";
    assert.equal(pageTheme(dom.window), "light");
    dom.window.close();
  });
});
