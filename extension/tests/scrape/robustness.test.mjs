// Broken, partial and hostile markup: nothing throws, what cannot be read is counted, text stays text.

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { scrapeDocument, scrapePeople, scrapeTweets } from "../../src/scrape/index.js";
import { CAPTURES_DIR, OBSERVED_AT, assertValid, documentFrom, scrapeValid, tweet } from "./helpers.mjs";
import * as x from "./xmarkup.mjs";

const SCRAPE_DIR = fileURLToPath(new URL("../../src/scrape/", import.meta.url));

const GARBAGE = `
<div aria-label="Timeline: Your Home Timeline">
  <div data-testid="cellInnerDiv"><article data-testid="tweet"></article><div role="separator"></div></div>
  <div data-testid="cellInnerDiv"><article data-testid="tweet">
    <div data-testid="User-Name"><span>No Link Person</span></div>
    <a href="/i/status/123"><time datetime="2026-01-01T00:00:00Z">Jan 1</time></a></article></div>
  <div data-testid="cellInnerDiv"><article data-testid="tweet"><a href="/jack/status/notanumber"><time datetime="x">x</time></a></article></div>
  <div data-testid="cellInnerDiv"><article data-testid="tweet"><a href="http://[bad"><time></time></a><a href="javascript:alert(1)/status/1"><time>t</time></a></article></div>
  <div data-testid="cellInnerDiv"><article data-testid="tweet">
    <div data-testid="User-Name"><a href="javascript:alert(1)">Evil</a><div><span>@real_one</span></div></div>
    <a href="/real_one/status/777"><time datetime="yesterday">y</time></a>
    <div data-testid="tweetText"><span>still readable</span></div>
    <div data-testid="socialContext"></div>
    <div role="link"><div data-testid="User-Name"></div></div>
  </article></div>
  <div data-testid="cellInnerDiv"><article data-testid="tweet"><article data-testid="tweet"><article></article></article></article></div>
</div>
<div data-testid="UserCell"><span>nobody</span></div>
<div data-testid="UserCell"><a href="/ok_user">OK</a><button data-testid="12345678901234567890123456-follow">Follow</button></div>
<div data-testid="UserName"><span>Nameless</span></div>
<div data-testid="notification"><span>something happened</span></div>
<div data-testid="notification"><svg><path d="M20.884 13.19c-1"></path></svg><span>liked</span></div>
<div data-testid="conversation"></div>
<div data-testid="dm-conversation-item-"></div>
<div data-testid="socialContext">stray</div>
<time datetime="2026-01-01T00:00:00Z">stray</time>`;

describe("garbage and partial markup", () => {
  test("yields no throw, the one readable tweet, and counted skips", () => {
    const { batch, skipped } = scrapeValid(documentFrom(GARBAGE), { url: "https://x.com/home" });
    assert.deepEqual(batch.tweets, [tweet({
      status_id: "777",
      author: "real_one", // the javascript: link is no profile; the "@real_one" line is
      author_display_name: "Evil",
      text: "still readable",
      social_context: { type: "other", text: null, handle: null },
    })]);
    assert.deepEqual(batch.people, [{ handle: "ok_user", user_id: null, display_name: "OK", follows_me: null, i_follow: null }]);
    assert.deepEqual(batch.dm_conversations, []);
    assert.deepEqual(batch.notifications, []);
    assert.deepEqual(skipped, {
      "tweet:no-status-link": 4, // empty article, bad id, unparseable and javascript: hrefs, nested-only article
      "tweet:no-author": 1, // User-Name without href, /i/status/ link
      "quote:no-author": 1, // the role=link card with an empty User-Name
      "person:no-handle": 2,
      "notification:unknown-type": 1,
      "notification:no-actors": 1,
      "dm:no-party": 2,
    });
  });

  test("an empty document and a bare element", () => {
    const { batch, skipped } = scrapeValid(documentFrom(""), { url: "https://x.com/home", me: "@rapport_me" });
    assert.deepEqual(batch, {
      page: { url: "https://x.com/home", type: "home", observed_at: OBSERVED_AT, me: "rapport_me" },
      people: [], tweets: [], dm_conversations: [], notifications: [],
    });
    assert.deepEqual(skipped, {});
    const span = documentFrom("<span>x</span>").querySelector("span");
    assert.deepEqual(scrapeTweets(span, { baseUrl: "https://x.com/home" }), { tweets: [], skipped: {} });
  });

  test("one article whose DOM throws is counted; the others are still read", () => {
    const doc = documentFrom(`
      <article data-testid="tweet"><div data-testid="User-Name"><a href="/a_1">A</a></div><a href="/a_1/status/1"><time datetime="2026-01-01T00:00:00Z">1</time></a></article>
      <article data-testid="tweet"><div data-testid="User-Name"><a href="/b_2">B</a></div><a href="/b_2/status/2"><time datetime="2026-01-01T00:00:00Z">2</time></a></article>
      <article data-testid="tweet"><div data-testid="User-Name"><a href="/c_3">C</a></div><a href="/c_3/status/3"><time datetime="2026-01-01T00:00:00Z">3</time></a></article>`);
    const broken = doc.querySelectorAll("article")[1];
    broken.querySelectorAll = () => {
      throw new Error("detached");
    };
    const { batch, skipped } = scrapeValid(doc, { url: "https://x.com/home" });
    assert.deepEqual(batch.tweets.map((t) => t.status_id), ["1", "3"]);
    assert.deepEqual(skipped, { "tweet:error": 1 });
  });

  test("absurd counts and an over-long user id are not believed", () => {
    const doc = documentFrom(`<div data-testid="primaryColumn">
      <div data-testid="UserName"><div><span>Big</span></div><div><span>@big_one</span></div></div>
      <button data-testid="12345678901234567890123456-unfollow" aria-label="Following @big_one">Following</button>
      <a href="/big_one/following"><span>-5</span> <span>Following</span></a>
      <a href="/big_one/followers"><span>99999999999999999999999</span> <span>Followers</span></a></div>`);
    const { people, skipped } = scrapePeople(doc, { baseUrl: "https://x.com/big_one", profileHandle: "big_one" });
    assert.deepEqual(people, [{
      handle: "big_one", user_id: null, display_name: "Big", bio: null, location: null, website: null, joined: null,
      followers: null, following: null, follows_me: null, i_follow: null,
    }]);
    assert.deepEqual(skipped, { "person:bad-count": 2 });
  });
});

describe("hostile text", () => {
  const HOSTILE = `<div data-testid="primaryColumn">
    <div data-testid="UserName"><div><span>&lt;script&gt;alert(1)&lt;/script&gt;</span></div><div><span>@mallory</span></div></div>
    <div data-testid="UserDescription"><span>&lt;img src=x onerror=alert(1)&gt;</span><img alt="&quot;&gt;&lt;b&gt;" src="x" onerror="globalThis.pwned = 1"></div>
    <div data-testid="UserProfileHeader_Items"><span data-testid="UserLocation"><span>&lt;iframe src=//evil&gt;</span></span></div>
    <div aria-label="Timeline: posts"><div data-testid="cellInnerDiv"><article data-testid="tweet">
      <div data-testid="User-Name"><a href="/mallory"><span>&lt;b&gt;M&lt;/b&gt;</span></a></div>
      <a href="/mallory/status/9"><time datetime="2026-01-01T00:00:00Z">1</time></a>
      <div data-testid="tweetText"><span>&lt;img src=x onerror=alert(1)&gt; </span><script>globalThis.pwned = 2</script><a href="javascript:alert(1)">click</a></div>
    </article></div></div></div>`;

  test("a bio '<img src=x onerror=alert(1)>' comes out as literal text, and nothing runs", () => {
    const doc = documentFrom(HOSTILE, "https://x.com/mallory");
    const { batch } = scrapeValid(doc, { url: "https://x.com/mallory" });
    assert.equal(globalThis.pwned, undefined);
    assert.deepEqual(batch.people, [{
      handle: "mallory", user_id: null, display_name: "<script>alert(1)</script>",
      bio: "<img src=x onerror=alert(1)>\"><b>", location: "<iframe src=//evil>", website: null, joined: null,
      followers: null, following: null, follows_me: null, i_follow: null,
    }]);
    assert.deepEqual(batch.tweets, [tweet({
      status_id: "9", author: "mallory", author_display_name: "<b>M</b>", text: "<img src=x onerror=alert(1)> click",
      created_at: "2026-01-01T00:00:00Z",
    })]);
  });
});

describe("display names as people write them", () => {
  // The name block of a tweet and of a profile header, with the name's own markup put in.
  const withName = (markup, placeholder) => (html) => html.replace(`<span><span>${placeholder}</span></span>`, markup);
  const tweetNamed = (markup) =>
    withName(markup, "NAME")(x.page({ timeline: "Timeline: Your Home Timeline", cells: x.cells([x.tweet({ handle: "toly", name: "NAME", id: "5", time: "2026-01-01T00:00:00Z" })]) }));
  const headerNamed = (markup) => withName(markup, "NAME")(x.page({
    timeline: "Timeline: posts", cells: "",
    header: x.profileHeader({ handle: "toly", name: "NAME", userId: "42", bio: "b", location: "l", website: "w", joined: "j",
      following: ["1", "Following"], followers: ["2", "Followers"], buttonLabel: "Follow @toly" }),
  }));
  const NAMES = [
    ["an emoji, then ' @ Solana' in a span of its own", '<span><span>toly </span><img alt="🇺🇸"><span> @ Solana</span></span>', "toly 🇺🇸 @ Solana"],
    ["an emoji, then ' · founder'", '<span>Ana <img alt="🚀"> · founder</span>', "Ana 🚀 · founder"],
    ["an emoji, then an @name beside it", '<span>Kim <img alt="🌙"> @kimworks</span>', "Kim 🌙 @kimworks"],
    // As X draws a name with emoji: each run of text in a span of its own, between the images.
    ["a run ' @kimworks' in its own span after an emoji", '<span><span>Kim </span><img alt="🌙"><span> @kimworks</span></span>', "Kim 🌙 @kimworks"],
    ["a lone '·' in its own span after an emoji", '<span><span>Dot </span><img alt="🔹"><span>·</span><span> Com</span></span>', "Dot 🔹· Com"],
    ["the name written like a handle", "<span><span>@anna</span></span>", "@anna"],
    ["the name written like a handle, and an emoji", '<span><span>@anna </span><img alt="✨"></span>', "@anna ✨"],
  ];
  for (const [what, markup, expected] of NAMES) {
    test(`a tweet author's name with ${what} is read whole`, () => {
      const { batch } = scrapeValid(documentFrom(tweetNamed(markup)), { url: "https://x.com/home" });
      assert.equal(batch.tweets[0].author_display_name, expected);
    });
    test(`a profile header's name with ${what} is read whole`, () => {
      const { batch } = scrapeValid(documentFrom(headerNamed(markup), "https://x.com/toly"), { url: "https://x.com/toly" });
      assert.equal(batch.people.find((p) => p.handle === "toly").display_name, expected);
    });
  }

  test("a name written like a handle, then the handle and the time in one text", () => {
    const html = tweetNamed("<span>@anna</span>").replace(/<div data-testid="User-Name">.*?<\/time>/s,
      '<div data-testid="User-Name"><div><span>@anna</span></div><div><span>@toly · 1h</span></div><a href="/toly/status/5"><time datetime="2026-01-01T00:00:00Z">1</time>');
    const { batch } = scrapeValid(documentFrom(html), { url: "https://x.com/home" });
    assert.deepEqual([batch.tweets[0].author, batch.tweets[0].author_display_name], ["toly", "@anna"]);
  });

  test("an @name in a profile header after its handle line is not the handle", () => {
    const html = headerNamed("<span><span>Toly</span></span>").replace('<span>@toly</span>', '<span>@toly</span></div><div><span>Automated by </span><span>@owner</span>');
    const { batch } = scrapeValid(documentFrom(html, "https://x.com/toly"), { url: "https://x.com/toly" });
    assert.deepEqual(batch.people.map((p) => [p.handle, p.display_name]), [["toly", "Toly"]]);
  });

  test("the name ends at the handle line even when name and handle share one link", () => {
    const html = tweetNamed("<span>jack</span>").replace(/<div data-testid="User-Name">.*?<\/time>/s,
      '<div data-testid="User-Name"><a href="/toly"><div><span>Jack 🐦</span></div><div><span>@toly</span><span> · </span></div></a><a href="/toly/status/5"><time datetime="2026-01-01T00:00:00Z">1</time>');
    const { batch } = scrapeValid(documentFrom(html), { url: "https://x.com/home" });
    assert.equal(batch.tweets[0].author_display_name, "Jack 🐦");
  });
});

describe("what a notification's preview says is not the notification", () => {
  // Cells as the synthetic notifications page draws them: icon, avatars, headline line, preview.
  const cell = (icon, handle, headline, preview) => `<div data-testid="cellInnerDiv"><article data-testid="notification" role="article">
    <div><svg viewBox="0 0 24 24"><g><path d="${icon}"></path></g></svg></div>
    <div><div><div data-testid="UserAvatar-Container-${handle}"><a href="/${handle}" role="link"><img alt=""></a></div></div>
      <div dir="ltr">${headline}</div><div dir="auto">${preview}</div></div></article></div>`;
  const STAR = "M22.99 11.295l-6.986-2.13-.877-.326-.325-.88L12.67.975";
  const read = (html) => scrapeValid(documentFrom(html, "https://x.com/notifications"), { url: "https://x.com/notifications", me: "rapport_me" });

  test("a cell whose icon is new takes its type from the headline's verb, never from the preview's", () => {
    const { batch, skipped } = read(
      cell(STAR, "grace_h", '<span>New post from </span><span><a href="/grace_h" role="link"><span>Grace</span></a></span>',
        "<span>Everyone who liked my last post: thank you!</span>")
      + cell(STAR, "hal_9", '<span><a href="/hal_9" role="link"><span>Hal</span></a></span><span> liked your post</span>', "<span>Open the pod bay doors</span>")
      // the name in a span with the words that follow it, and then the verb
      + cell(STAR, "ida_x", '<span><span><a href="/ida_x" role="link"><span>Ida</span></a></span><span> and </span><a href="/jo_y" role="link"><span>Jo</span></a></span><span> liked your post</span>', "<span>ok</span>"));
    assert.deepEqual(batch.notifications.map((n) => [n.type, n.actors]), [["like", ["hal_9"]], ["like", ["ida_x", "jo_y"]]]);
    assert.deepEqual(skipped, { "notification:unknown-type": 1 });
  });

  test("a profile linked in the preview is not one of the people who did it", () => {
    const { batch } = read(cell(x.ICON.repost, "frank_io",
      '<span><a href="/frank_io" role="link"><span>Frank</span></a></span><span> reposted your post</span>',
      '<span>Currently reading Dune with </span><a href="/bob_wines" role="link">@bob_wines</a>'));
    assert.deepEqual(batch.notifications.map((n) => [n.type, n.actors]), [["repost", ["frank_io"]]]);
  });
});

describe("a quote of a post with no photo", () => {
  test("links no status of the quoted post: its author is still the quoted author", () => {
    // The real quote capture, its photo (the only link to the quoted post) taken out.
    const html = readFileSync(`${CAPTURES_DIR}timeline-article-quote-anonymized__mlamp_tweetyoink__x-tweet-quote.html`, "utf8")
      .replace(/<a href="\/OriginalAuthor\/status\/1983129251856470493\/photo\/1"[^>]*>/, '<a role="link">');
    const { batch, skipped } = scrapeValid(documentFrom(html), { url: "https://x.com/home" });
    assert.deepEqual(batch.tweets.map((t) => [t.status_id, t.quoted_status_id, t.quoted_author]),
      [["1983130065320780162", null, "OriginalAuthor"]]);
    assert.deepEqual(skipped, { "quote:no-status-link": 1 });
  });
});

describe("limits and duplicates", () => {
  const article = (id, handle, extra = "") =>
    `<article data-testid="tweet"><div data-testid="User-Name"><a href="/${handle}">${handle}</a></div>`
    + `<a href="/${handle}/status/${id}"><time datetime="2026-01-01T00:00:00Z">t</time></a>${extra}</article>`;

  test("text over 5000 characters and names over 500 are clipped on whole characters", () => {
    const long = "🍷".repeat(5001);
    const doc = documentFrom(`<article data-testid="tweet"><div data-testid="User-Name"><a href="/w_1">${"N".repeat(600)}</a></div>`
      + `<a href="/w_1/status/5"><time datetime="2026-01-01T00:00:00Z">t</time></a><div data-testid="tweetText"><span>${long}</span></div></article>`);
    const { batch } = scrapeValid(doc, { url: "https://x.com/home" });
    assert.equal(batch.tweets[0].text, "🍷".repeat(5000));
    assert.equal(batch.tweets[0].author_display_name, "N".repeat(500));
  });

  test("more than 1000 tweets: the first 1000, the rest counted", () => {
    const html = Array.from({ length: 1003 }, (_, i) => article(1000 + i, "bulk_user")).join("");
    const { batch, skipped } = scrapeValid(documentFrom(html), { url: "https://x.com/home" });
    assert.equal(batch.tweets.length, 1000);
    assert.equal(batch.tweets[999].status_id, "1999");
    assert.deepEqual(skipped, { "tweets:over-limit": 3 });
  });

  test("the same status seen twice (as a quote and as a tweet) is one record with what both showed", () => {
    const quote = `<div><div>Quote</div><div role="link" tabindex="0"><div data-testid="User-Name"><div><span>Orig</span></div><div><span>@orig_1</span></div></div>`
      + `<time datetime="2025-12-31T00:00:00Z">d</time><div data-testid="tweetText"><span>original</span></div><a href="/orig_1/status/500/photo/1">p</a></div></div>`;
    const doc = documentFrom(article(600, "quoter", `<div data-testid="tweetText"><span>look</span></div>${quote}`)
      + article(500, "orig_1", `<a href="/carol_sings"><span data-testid="socialContext">Carol reposted</span></a>`)
      + article(600, "quoter"));
    const { batch } = scrapeValid(doc, { url: "https://x.com/home" });
    assert.deepEqual(batch.tweets, [
      tweet({ status_id: "600", author: "quoter", author_display_name: "quoter", text: "look", created_at: "2026-01-01T00:00:00Z", quoted_status_id: "500",
        quoted_author: "orig_1" }),
      tweet({
        status_id: "500", author: "orig_1", author_display_name: "Orig", text: "original", created_at: "2025-12-31T00:00:00Z",
        social_context: { type: "repost", text: "Carol reposted", handle: "carol_sings" },
      }),
    ]);
  });

  test("the same person in two cells is one record; 'Follows you' in either wins", () => {
    const doc = documentFrom(`<div data-testid="UserCell"><a href="/pat_q">Pat</a><button data-testid="77-follow" aria-label="Follow @pat_q">Follow</button></div>`
      + `<div data-testid="UserCell"><a href="/Pat_Q">Pat Q</a><div data-testid="userFollowIndicator">Follows you</div></div>`
      + `<div data-testid="UserCell"><a href="/other_1">O</a><button data-testid="78-follow" aria-label="Follow @someone_else">Follow</button></div>`);
    const { batch } = scrapeValid(doc, { url: "https://x.com/home" });
    assert.deepEqual(batch.people, [
      { handle: "pat_q", user_id: "77", display_name: "Pat", follows_me: true, i_follow: false },
      { handle: "other_1", user_id: null, display_name: "O", follows_me: null, i_follow: null },
    ]);
  });

  test("'You reposted' names me", () => {
    const doc = documentFrom(`<a data-testid="AppTabBar_Profile_Link" href="/rapport_me">P</a>`
      + article(42, "bob_wines", `<span data-testid="socialContext">You reposted</span>`));
    const { batch } = scrapeValid(doc, { url: "https://x.com/home" });
    assert.deepEqual(batch.tweets[0].social_context, { type: "repost", text: "You reposted", handle: "rapport_me" });
  });
});

describe("caller mistakes are errors; the output is always valid", () => {
  const doc = documentFrom("<p></p>");
  test("no url, a bad url, a bad own handle, a bad time", () => {
    assert.throws(() => scrapeDocument(doc, {}), /url must be/);
    assert.throws(() => scrapeDocument(doc, { url: "file:///tmp/x.html" }), /url must be/);
    assert.throws(() => scrapeDocument(doc, { url: "https://x.com/home", me: "not a handle" }), /me must be a handle/);
    assert.throws(() => scrapeDocument(doc, { url: "https://x.com/home", observedAt: "yesterday" }), /observedAt/);
  });
  test("defaults: observed now; no batch id (the queue names batches)", () => {
    const { batch } = scrapeDocument(doc, { url: "https://x.com/home" });
    assertValid(batch);
    assert.equal("batch_id" in batch, false);
    assert.ok(Math.abs(Date.parse(batch.page.observed_at) - Date.now()) < 60_000);
  });
});

test("src/scrape is pure: no DOM globals, no network, no browser APIs, no HTML parsing", () => {
  // The capture tests also prove it at run time: under node there is no window or document, and a
  // ReferenceError would show up as a counted error where they expect none.
  const files = readdirSync(SCRAPE_DIR).filter((f) => f.endsWith(".js"));
  for (const core of ["index.js", "tweets.js", "threads.js", "users.js", "counts.js"]) assert.ok(files.includes(core), `${core} is checked`);
  for (const file of files) {
    const code = readFileSync(SCRAPE_DIR + file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "").replace(/ \/\/ .*$/gm, "");
    assert.doesNotMatch(code, /\b(window|document|globalThis|self|location|navigator|chrome|browser|localStorage)\s*[.[]/, file);
    assert.doesNotMatch(code, /\bfetch\s*\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts/, file);
    assert.doesNotMatch(code, /\.(innerHTML|outerHTML)\b|insertAdjacentHTML|DOMParser|\beval\(|new Function\(/, file);
    // Its own modules, and the facts about x.com generated from shared_schema/x.json (data only).
    for (const m of code.matchAll(/\b(?:import|export)\b[^'";]*\bfrom\s*["']([^"']+)["']/g)) {
      assert.match(m[1], /^(\.\/[a-z]+\.js|\.\.\/common\/x\.js)$/, `${file} imports ${m[1]}`);
    }
  }
});
