// The overlay: which person a page is about and the shortcut (content/overlay.js), the card's
// read-only parts (overlay/view.js) with hostile text, and dates as people say them (common/time.js).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { JSDOM, VirtualConsole } from "jsdom";

import { lastTalked, shortDate, timeAgo, today } from "../src/common/time.js";
import { parseVocabulary } from "../src/common/stages.js";
import { isToggleKey } from "../src/common/shortcut.js";
import { createOverlay, personInView } from "../src/content/overlay.js";
import {
  giveAndTakeLines, historyItems, interactionItem, keepStatus, ladderItems, monthBars, placeLines, profileMeta, safeXLink,
  stageWhy,
} from "../src/overlay/view.js";
import { loadStagesDoc } from "./lib/shared.mjs";

const NOW = Date.parse("2026-11-22T12:00:00Z");
const vocabulary = parseVocabulary(loadStagesDoc());

function page(url, body = "") {
  return new JSDOM(`<!doctype html><body>${body}</body>`, { url, pretendToBeVisual: true, virtualConsole: new VirtualConsole() });
}

describe("the person in view", () => {
  test("a profile (and its tabs), a status page's author, the post the keyboard is on; nobody on the home timeline", () => {
    const header = '<div data-testid="UserName"><div><span>Alice &lt;3</span></div><div><span>@alice_reads</span></div></div>';
    assert.deepEqual(personInView(page("https://x.com/alice_reads", header).window), { handle: "alice_reads", name: "Alice <3" });
    assert.deepEqual(personInView(page("https://x.com/alice_reads/with_replies").window), { handle: "alice_reads", name: null });
    assert.deepEqual(personInView(page("https://x.com/bob/status/123").window), { handle: "bob", name: null });
    const home = page("https://x.com/home", `<article data-testid="tweet" tabindex="0"><div data-testid="User-Name"><a href="/carol"><span>Carol</span></a><a href="/carol">@carol</a></div></article>`);
    assert.equal(personInView(home.window), null);
    home.window.document.querySelector("article").focus();
    assert.deepEqual(personInView(home.window), { handle: "carol", name: "Carol" });
    assert.equal(personInView(page("https://x.com/notifications").window), null);
    const profile = page("https://x.com/alice_reads", `${header}<article data-testid="tweet" tabindex="0"><div data-testid="User-Name"><a href="/dan"><span>Dan</span></a></div></article>`);
    assert.equal(personInView(profile.window).handle, "alice_reads");
    profile.window.document.querySelector("article").focus();
    assert.deepEqual(personInView(profile.window), { handle: "dan", name: "Dan" }, "a post the keyboard is on wins");
    profile.window.close();
    for (const dom of [home]) dom.window.close();
  });

  test("Alt+Shift+R by key position, and nothing else", () => {
    const key = (init) => isToggleKey({ altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, code: "KeyR", ...init });
    assert.equal(key({ altKey: true, shiftKey: true }), true);
    assert.equal(key({ altKey: true, shiftKey: true, code: "KeyT" }), false);
    assert.equal(key({ altKey: true }), false);
    assert.equal(key({ altKey: true, shiftKey: true, ctrlKey: true }), false);
    assert.equal(key({}), false, "plain r is X's own shortcut (reply)");
  });

  test("the shortcut opens the card of the page's person in a frame, a chip opens another's, and it closes", () => {
    const dom = page("https://x.com/alice_reads");
    const overlay = createOverlay({ win: dom.window, panelUrl: "chrome-extension://id/overlay/panel.html" });
    overlay.start();
    const host = dom.window.document.querySelector("[data-rapport-overlay]");
    assert.equal(host.textContent, "", "nothing in the page's own DOM: a closed shadow root");
    dom.window.dispatchEvent(new dom.window.KeyboardEvent("keydown", { altKey: true, shiftKey: true, code: "KeyR", key: "R" }));
    assert.equal(overlay.isOpen, true);
    assert.equal(host.getAttribute("data-open"), "alice_reads");
    overlay.open("bob", "Bob <b>Wines</b>");
    assert.equal(overlay.handle, "bob");
    assert.equal(host.getAttribute("data-open"), "bob");
    overlay.toggle();
    assert.equal(overlay.isOpen, false);
    assert.equal(host.hasAttribute("data-open"), false);
    overlay.stop();
    assert.equal(dom.window.document.querySelector("[data-rapport-overlay]"), null);
    dom.window.close();
  });
});

test("opened from a chip, the keyboard goes into the card and back to that chip when it closes", () => {
  const dom = page("https://x.com/home");
  const doc = dom.window.document;
  const overlay = createOverlay({ win: dom.window, panelUrl: "chrome-extension://id/overlay/panel.html" });
  overlay.start();
  const chip = doc.createElement("button");
  doc.body.append(chip);
  overlay.open("bob", null, () => { chip.focus(); return true; });
  const host = doc.querySelector("[data-rapport-overlay]");
  assert.equal(doc.activeElement, host, "the focus is in the overlay (its frame, in a closed shadow root)");
  overlay.close();
  assert.equal(doc.activeElement, chip);
  // A chip that went away (or names someone else now): the Rapport tab takes the focus instead.
  overlay.open("bob", null, () => false);
  chip.focus();
  overlay.close();
  assert.equal(doc.activeElement, host);
  // Opened from the page (the shortcut): closing gives it to the tab, never to the chip of an earlier opening.
  overlay.open("bob", null, () => { chip.focus(); return true; });
  overlay.close();
  overlay.toggle();
  overlay.close();
  assert.equal(doc.activeElement, host);
  overlay.stop();
  dom.window.close();
});

describe("the card's parts", () => {
  const doc = new JSDOM("<!doctype html><body></body>").window.document;

  test("hostile text from a page is text, and only links to X are links", () => {
    const hostile = { id: "t1", kind: "they_replied", label: "They replied to your post", at: "2026-11-20T10:00:00Z",
      source: "scrape", url: "javascript:alert(1)", text: "<img src=x onerror=alert(1)>", place: null, note: null };
    const li = interactionItem(doc, hostile, vocabulary.kinds, NOW);
    assert.equal(li.querySelector("img"), null);
    assert.equal(li.querySelector("a"), null, "a javascript: URL is not a link");
    assert.match(li.textContent, /<img src=x onerror=alert\(1\)>/);
    const real = interactionItem(doc, { ...hostile, url: "https://x.com/alice/status/1", text: null }, vocabulary.kinds, NOW);
    assert.equal(real.querySelector("a").href, "https://x.com/alice/status/1");
    assert.equal(real.querySelector("a").target, "_top");
    assert.equal(safeXLink("https://evil.example/x.com"), null);
    assert.equal(safeXLink("https://twitter.com/a"), "https://twitter.com/a");
  });

  test("the ladder marks the stages reached and the current one, with the shared names and colours", () => {
    const items = ladderItems(doc, vocabulary.stages, 2);
    assert.deepEqual(items.map((li) => li.textContent), ["1Casual conversation", "2Direct messages", "3Phone call", "4Met in person"]);
    assert.deepEqual(items.map((li) => li.className), ["reached", "reached current", "", ""]);
    assert.equal(items[1].getAttribute("aria-current"), "step");
    assert.equal(items[1].style.getPropertyValue("--stage"), vocabulary.stages[2].colour);
  });

  test("why: by hand with its reason, else by evidence", () => {
    assert.equal(stageWhy({ current: 4, manual: { stage: 4, reason: "met in Lisbon", at: "2026-11-01T10:00:00Z" } }, NOW), "Set by hand (3 weeks ago): met in Lisbon");
    assert.equal(stageWhy({ current: 0, manual: null }), "No conversation seen yet.");
    assert.equal(stageWhy({ current: 2, manual: null }), "From what Rapport has seen:");
  });

  test("keep in touch: overdue, due, snoozed, or why there is no reminder; the one-click choices come from stages.json", () => {
    const status = (over) => ({ cadence_days: 30, cadence_source: "your own", due_at: "2026-11-10", last_touch_at: null, days_overdue: 0,
      days_until: 0, snooze_until: null, bucket: "upcoming", why: "last in touch 42 days ago, every 30 days (your own)", ...over });
    assert.equal(keepStatus({ cadence_days: 30, snooze_until: null, status: status({ bucket: "overdue", days_overdue: 12 }) }),
      "Overdue by 12 days · last in touch 42 days ago, every 30 days (your own)");
    assert.equal(keepStatus({ cadence_days: null, snooze_until: null, status: status({ due_at: "2026-12-20", days_until: 1 }) }),
      "Due 2026-12-20, in 1 day · last in touch 42 days ago, every 30 days (your own)");
    assert.equal(keepStatus({ cadence_days: 30, snooze_until: "2026-12-01", status: status({ bucket: "snoozed", snooze_until: "2026-12-01",
      why: "last in touch 42 days ago, every 30 days (your own); snoozed until 2026-12-01" }) }),
    "Snoozed until 2026-12-01 · last in touch 42 days ago, every 30 days (your own)");
    assert.equal(keepStatus({ cadence_days: 0, snooze_until: null, status: null }), "No reminders for them.");
    assert.match(keepStatus({ cadence_days: null, snooze_until: null, status: null }), /^No cadence/);
    assert.deepEqual(vocabulary.keepInTouch.cadences.map((c) => c.days), [14, 30, 91, 182]);
    assert.deepEqual(vocabulary.keepInTouch.snoozes.map((c) => c.days), [7, 30]);
  });

  test("give and take: lately, who starts, and bars per month in tenths of the busiest", () => {
    const gt = { window_days: 90, trend: "warming", recent: { total: 14, explained: "14 interactions in 90 days: 6 replies from you, 5 replies from them, 3 DMs" },
      before: { total: 4, explained: "4 interactions in the 90 days before: 4 DMs" },
      starts: { you: 12, them: 4, who: "you, mostly", explained: "12 of your replies and mentions, 4 of theirs" },
      months: [{ month: "2026-10", count: 0 }, { month: "2026-11", count: 5 }, { month: "2026-12", count: 10 }] };
    assert.deepEqual(giveAndTakeLines(gt), {
      lately: "Warming · 14 interactions in 90 days: 6 replies from you, 5 replies from them, 3 DMs (4 in the 90 days before)",
      starts: "Who starts: You, mostly (12 of your replies and mentions, 4 of theirs)" });
    const doc = new JSDOM("").window.document;
    assert.deepEqual(monthBars(doc, gt.months).map((li) => [li.title, li.firstChild.className]),
      [["2026-10: 0", "bar h0"], ["2026-11: 5", "bar h5"], ["2026-12: 10", "bar h10"]]);
  });

  test("a right-to-left override in a changed name stays inside its isolate", () => {
    const person = { profile_history: [
      { at: "2026-01-01T00:00:00Z", profile: { display_name: "\u202eevil" } },
      { at: "2026-06-01T00:00:00Z", profile: { display_name: "Al" } },
    ] };
    assert.equal(historyItems(doc, person, NOW)[0].textContent, "Name changed 1 Jun\u2068\u202eevil\u2069 → \u2068Al\u2069");
    const css = readFileSync(new URL("../src/overlay/panel.css", import.meta.url), "utf8");
    assert.match(css, /body :where\(\*\) \{ unicode-bidi: isolate; \}/);
  });

  test("profile changes over time: bio, name and handle, newest first", () => {
    const person = {
      profile_history: [
        { at: "2026-01-01T00:00:00Z", profile: { bio: "old bio", display_name: "Al", followers: 10 } },
        { at: "2026-06-01T00:00:00Z", profile: { bio: "new bio", display_name: "Al", followers: 10 } },
      ],
      handle_history: [
        { handle: "al_old", first_seen_at: "2025-01-01T00:00:00Z", last_seen_at: "2026-03-01T00:00:00Z" },
        { handle: "al", first_seen_at: "2026-03-02T00:00:00Z", last_seen_at: "2026-06-01T00:00:00Z" },
      ],
    };
    assert.deepEqual(historyItems(doc, person, NOW).map((li) => li.textContent), [
      "Bio changed 1 Jun\u2068old bio\u2069 → \u2068new bio\u2069", // each value isolated: an override in one stays there
      "Handle changed from @al_old to @al 2 Mar",
    ]);
    assert.equal(profileMeta({ location: "Lisbon", followers: 12345, follows_me: true }), "Lisbon · 12K followers · follows you");
    assert.equal(profileMeta({ location: "Lisbon", followers: 12345 }, false), "12K followers");
  });

  test("where they are, and who else you know there, as the card says it", () => {
    const boston = { label: "Boston, MA", name: "Boston", geonameid: 4930956 };
    const place = { raw: "Boston", resolved: boston, corrected: null, also_here: { ...boston, people: 4 } };
    assert.deepEqual(placeLines(place, []), {
      text: "Lives in Boston, MA",
      others: { text: "Also in Boston: 4 people you know", path: "/meetups?geonameid=4930956#near" },
    });
    const lately = [{ label: "Lisbon, Portugal", at: "2026-11-20T08:00:00Z" }];
    assert.equal(placeLines({ ...place, also_here: { ...boston, people: 1 } }, lately).others.text,
      "Also in Boston: 1 person you know");
    assert.match(placeLines(place, lately).text, /^Lives in Boston, MA · lately in Lisbon, Portugal \(a post, 20 Nov/);
    const fixed = { ...place, corrected: { label: "Cambridge, MA", confidence: "yours" }, also_here: { ...boston, people: 0 } };
    assert.deepEqual(placeLines(fixed, []), { text: "Lives in Cambridge, MA (your correction)", others: null });
    assert.deepEqual(placeLines({ raw: "🌍", resolved: null, corrected: null, also_here: null }, []), { text: "", others: null });
    assert.equal(placeLines({ ...place, corrected: { none: true } }, lately).text, "Lately in Lisbon, Portugal (a post, 20 Nov)");
    assert.deepEqual(placeLines(undefined, undefined), { text: "", others: null });
  });
});

describe("dates as people say them", () => {
  test("time ago, last talked, short dates and today", () => {
    assert.equal(timeAgo("2026-11-22T11:59:30Z", NOW), "just now");
    assert.equal(timeAgo("2026-11-22T11:55:00Z", NOW), "5 minutes ago");
    assert.equal(timeAgo("2026-11-21T10:00:00Z", NOW), "yesterday");
    assert.equal(timeAgo("2026-11-01T12:00:00Z", NOW), "3 weeks ago");
    assert.equal(timeAgo("2024-11-01T12:00:00Z", NOW), "2 years ago");
    assert.equal(timeAgo("not a date", NOW), null);
    assert.equal(lastTalked(null, NOW), null);
    assert.equal(lastTalked("2026-11-15T12:00:00Z", NOW), "last talked 1 week ago");
    assert.equal(shortDate("2026-11-02T12:00:00Z", NOW), "2 Nov");
    assert.equal(shortDate("2025-11-02T12:00:00Z", NOW), "2 Nov 2025");
    assert.equal(today(new Date(2026, 0, 5)), "2026-01-05");
  });
});
