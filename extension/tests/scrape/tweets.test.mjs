// Tweet details the captures do not cover: status link variants, promoted tweets, social context
// in other languages. Threads: threads.test.mjs.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { scrapeTweets } from "../../src/scrape/index.js";
import { documentFrom, scrapeValid } from "./helpers.mjs";

const article = (handle, href, { tabindex = "0", extra = "" } = {}) =>
  `<article data-testid="tweet" tabindex="${tabindex}"><div data-testid="User-Name"><a href="${href.startsWith("http") ? href.replace(/\/(i\/)?status.*$/, "") : `/${handle}`}">${handle}</a>`
  + `<div><span>@${handle}</span></div></div><a href="${href}"><time datetime="2026-01-01T00:00:00Z">t</time></a>${extra}</article>`;

describe("status links", () => {
  test("/i/status/, /history, absolute x.com and twitter.com hrefs", () => {
    const doc = documentFrom(
      article("ann_1", "/i/status/11")
      + article("bob_2", "/bob_2/status/12/history")
      + article("cat_3", "https://twitter.com/cat_3/status/13")
      + article("dan_4", "https://x.com/i/web/status/14")
      + article("eve_5", "https://evil.example/eve_5/status/15"),
    );
    const { tweets, skipped } = scrapeTweets(doc, { baseUrl: "https://x.com/home", pageType: "home" });
    assert.deepEqual(tweets.map((t) => [t.status_id, t.author]), [["11", "ann_1"], ["12", "bob_2"], ["13", "cat_3"], ["14", "dan_4"]]);
    assert.deepEqual(skipped, { "tweet:no-status-link": 1 });
  });

  test("an ad (inside placementTracking) is skipped; a video's placementTracking inside a tweet is not an ad", () => {
    const video = '<div data-testid="tweetPhoto"><div data-testid="placementTracking"><div data-testid="videoPlayer"></div></div></div>';
    const doc = documentFrom(`<div data-testid="placementTracking">${article("brand", "/brand/status/1")}</div>${article("vid_1", "/vid_1/status/2", { extra: video })}`);
    const { tweets, skipped } = scrapeTweets(doc, { baseUrl: "https://x.com/home" });
    assert.deepEqual(tweets.map((t) => t.status_id), ["2"]);
    assert.deepEqual(skipped, { "tweet:promoted": 1 });
  });
});

test("the focused tweet is the URL's status even without tabindex=-1", () => {
  const { batch } = scrapeValid(documentFrom(article("z_9", "/z_9/status/99")), { url: "https://x.com/z_9/status/99/photo/1" });
  assert.equal(batch.page.type, "status");
  assert.equal(batch.tweets[0].focused, true);
});

describe("social context in another language: told by the icon before it", () => {
  const withContext = (icon, context) => documentFrom(
    `<article data-testid="tweet"><div><svg viewBox="0 0 24 24"><g><path d="${icon}"></path></g></svg></div>${context}`
    + `<div data-testid="User-Name"><a href="/bird_1">Bird</a><div><span>@bird_1</span></div></div>`
    + `<a href="/bird_1/status/31"><time datetime="2026-01-01T00:00:00Z">t</time></a></article>`);
  const contextOf = (doc) => scrapeTweets(doc, { baseUrl: "https://x.com/home", pageType: "home" }).tweets[0].social_context;

  test("repost, pinned, community icons (path data as in the captures); no icon: other", () => {
    assert.deepEqual(contextOf(withContext("M4.75 3.79l4.603 4.3-1.706 1.82L6 8.38v7", '<a href="/mona_l"><span data-testid="socialContext">Mona a reposté</span></a>')),
      { type: "repost", text: "Mona a reposté", handle: "mona_l" });
    assert.deepEqual(contextOf(withContext("M7 4.5C7 3.12 8.12 2 9.5 2h5C15.88 2 17 3.12", '<div data-testid="socialContext">Épinglé</div>')),
      { type: "pinned", text: "Épinglé", handle: null });
    assert.deepEqual(contextOf(withContext("M7.471 21H.472l.029-1.027c.184-6.618 3.7", '<span data-testid="socialContext">Weinfreunde</span>')),
      { type: "community", text: "Weinfreunde", handle: null });
    assert.deepEqual(contextOf(withContext("M1 1", '<span data-testid="socialContext">Alice liked</span>')),
      { type: "other", text: "Alice liked", handle: null });
  });
});
