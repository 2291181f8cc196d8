// Page kinds from URLs, own handle sources, modal routes, count parsing.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { findMe, isModalRoute, isPageChange, pageKey, parseCount, parsePage } from "../../src/scrape/index.js";
import { documentFrom } from "./helpers.mjs";

describe("parsePage", () => {
  const cases = [
    ["https://x.com/", "home", null, null],
    ["https://x.com/home", "home", null, null],
    ["https://twitter.com/home?lang=en", "home", null, null],
    ["https://x.com/jack", "profile", "jack", null],
    ["https://x.com/jack/", "profile", "jack", null],
    ["https://x.com/jack/with_replies", "profile", "jack", null],
    ["https://x.com/jack/media", "profile", "jack", null],
    ["https://x.com/jack/likes", "profile", "jack", null],
    ["https://x.com/jack/highlights", "profile", "jack", null],
    ["https://x.com/jack/articles", "profile", "jack", null],
    ["https://x.com/jack/affiliates", "profile", "jack", null],
    ["https://x.com/jack/photo", "profile", "jack", null],
    ["https://x.com/jack/followers", "other", null, null],
    ["https://x.com/jack/status/20", "status", null, "20"],
    ["https://x.com/jack/status/20/photo/1", "status", null, "20"],
    ["https://x.com/jack/status/20/history", "status", null, "20"],
    ["https://x.com/jack/status/20/quotes", "other", null, null],
    ["https://x.com/i/status/20", "status", null, "20"],
    ["https://x.com/i/web/status/20", "status", null, "20"],
    ["https://x.com/messages", "messages", null, null],
    ["https://x.com/messages/1-2", "messages", null, null],
    ["https://x.com/i/chat", "messages", null, null],
    ["https://x.com/i/chat/123", "messages", null, null],
    ["https://x.com/notifications", "notifications", null, null],
    ["https://x.com/notifications/mentions", "notifications", null, null],
    ["https://x.com/search?q=dune", "search", null, null],
    ["https://x.com/hashtag/wine", "search", null, null],
    ["https://x.com/explore", "other", null, null],
    ["https://x.com/settings/profile", "other", null, null],
    ["https://x.com/compose/post", "other", null, null],
    ["https://x.com/i/bookmarks", "other", null, null],
    ["https://x.com/a-b", "other", null, null],
    ["https://x.com/abcdefghijklmnopqrstu", "other", null, null],
    ["https://example.com/jack", "other", null, null],
    ["not a url", "other", null, null],
  ];
  for (const [url, type, profileHandle, statusId] of cases) {
    test(url, () => assert.deepEqual(parsePage(url), { type, profileHandle, statusId }));
  }
});

describe("modal routes are not page changes", () => {
  test("isModalRoute", () => {
    for (const url of ["https://x.com/compose/post", "https://x.com/compose/tweet", "https://x.com/jack/status/20/photo/1",
      "https://x.com/jack/status/20/video/1", "https://x.com/jack/photo", "https://x.com/jack/header_photo", "https://x.com/i/display"]) {
      assert.equal(isModalRoute(url), true, url);
    }
    for (const url of ["https://x.com/home", "https://x.com/jack", "https://x.com/jack/status/20", "https://x.com/jack/media",
      "https://x.com/jack/status/20/quotes", "https://x.com/messages"]) {
      assert.equal(isModalRoute(url), false, url);
    }
  });

  test("pageKey and isPageChange", () => {
    assert.equal(pageKey("https://x.com/jack/status/20/photo/2"), "status:20");
    assert.equal(pageKey("https://x.com/Jack/photo"), "profile:jack");
    assert.equal(pageKey("https://x.com/compose/post"), null);
    assert.equal(isPageChange("https://x.com/jack/status/20", "https://x.com/jack/status/20/photo/1"), false);
    assert.equal(isPageChange("https://x.com/jack/status/20/photo/1", "https://x.com/jack/status/20"), false);
    assert.equal(isPageChange("https://x.com/home", "https://x.com/compose/post"), false);
    assert.equal(isPageChange("https://x.com/", "https://x.com/home"), false);
    assert.equal(isPageChange("https://x.com/jack", "https://x.com/jack/photo"), false);
    assert.equal(isPageChange("https://x.com/jack", "https://x.com/jack/with_replies"), true);
    assert.equal(isPageChange("https://x.com/home", "https://x.com/jack/status/20"), true);
    assert.equal(isPageChange("https://x.com/jack/status/20", "https://x.com/jack/status/21"), true);
  });
});

describe("findMe", () => {
  const base = "https://x.com/home";
  test("side nav Profile link, relative or absolute", () => {
    assert.equal(findMe(documentFrom('<a data-testid="AppTabBar_Profile_Link" href="/rapport_me">P</a>'), base), "rapport_me");
    assert.equal(findMe(documentFrom('<a data-testid="AppTabBar_Profile_Link" href="https://twitter.com/rapport_me">P</a>'), base), "rapport_me");
  });
  test("account switcher: '@handle' line, else its avatar testid", () => {
    assert.equal(findMe(documentFrom('<button data-testid="SideNav_AccountSwitcher_Button"><div data-testid="UserAvatar-Container-zed"></div><span>Zed</span><div><span>@zed_1</span></div></button>'), base), "zed_1");
    assert.equal(findMe(documentFrom('<button data-testid="SideNav_AccountSwitcher_Button"><div data-testid="UserAvatar-Container-zed"></div></button>'), base), "zed");
    // A display name written like a handle comes first; the handle line after it is mine.
    assert.equal(findMe(documentFrom('<button data-testid="SideNav_AccountSwitcher_Button"><div><div><span>@rapport</span></div><div><span>@rapport_me</span></div></div></button>'), base), "rapport_me");
  });
  test("null when the page shows neither, or shows nonsense", () => {
    assert.equal(findMe(documentFrom("<p>fragment</p>"), base), null);
    assert.equal(findMe(documentFrom('<a data-testid="AppTabBar_Profile_Link" href="/settings">P</a>'), base), null);
    assert.equal(findMe(documentFrom('<a data-testid="AppTabBar_Profile_Link" href="https://evil.example/jack">P</a>'), base), null);
  });
});

describe("parseCount in the page's language", () => {
  const cases = {
    en: [
      ["310", 310], ["1,234", 1234], ["1,234,567 Followers", 1234567], ["12.3K", 12300], ["12.3K Followers", 12300],
      ["1.2M", 1200000], ["2B", 2000000000], ["999 Following", 999], ["0 Followers", 0], ["1,234Following", 1234], ["3 Members", 3],
      ["1.234", null], ["1.5", null], ["1,23", null], ["1 234", null], ["", null], ["Followers", null], ["-5 Followers", null],
      ["99999999999999999999999 Followers", null], ["12,345,678,901,234 Followers", null], ["NaN", null], ["Infinity", null],
      ["1e400", null], ["12.3KFollowers", null], ["1,234K", null],
      // a magnitude of another language: the count cannot be read here
      ["69万", null], ["69万粉丝", null], ["12 mil", null], ["3 Mio. Follower", null], ["14KFollowers", null],
      // a label that opens like a magnitude is none
      ["12 J’aime", 12], ["12 பின்தொடர்பவர்கள்", 12], ["7 Mitglieder", 7], ["5 Bookmarks", 5],
    ],
    "en-GB": [["40.3K", 40300], ["1.2m", 1200000]],
    zh: [["6.9万", 69000], ["6.9万 粉丝", 69000], ["1.2亿", 120000000], ["1,234", 1234], ["856 正在关注", 856]],
    ja: [["1.2万 フォロワー", 12000], ["3,456", 3456]],
    de: [["1,2 Mio.", 1200000], ["1.234", 1234], ["1.234 Follower", 1234], ["12,5", null], ["3 Mrd.", 3000000000],
      ["14K", null], ["14K Follower", null], ["14 K", null], ["2 Mitglieder", 2], ["14.000 Follower", 14000]],
    ca: [["3 mil", null], ["3 mil seguidors", null], ["12,3 k", 12300], ["1.234 seguidors", 1234]],
    pt: [["12,3 mil", 12300], ["12,3 mil seguidores", 12300], ["1,5 mi", 1500000], ["1.234", 1234]],
    es: [["12,3 mil", 12300], ["2,5 M", 2500000]],
    fr: [["1 234", 1234], ["1\u202f234 abonnés", 1234], ["12,3 k", 12300]],
    ar: [["١٢٫٣ ألف", 12300], ["12.3 ألف متابع", 12300], ["٣٤٥", 345]],
    ko: [["1.2만", 12000]],
    // Persian digits and marks as the platform prints them for fa; Bengali and Devanagari digits
    fa: [["۱٬۲۳۴", 1234], ["۱۲٫۳ هزار", 12300], ["۱۲٫۳ هزار دنبال‌کننده", 12300], ["1,234", 1234], ["۱۲۳", 123]],
    bn: [["১,২৩৪", 1234]],
    mr: [["१,२३४", 1234]],
  };
  for (const [lang, list] of Object.entries(cases)) {
    for (const [text, expected] of list) test(`${lang}: ${JSON.stringify(text)}`, () => assert.equal(parseCount(text, lang), expected));
  }

  test("a language the platform does not know gives no count rather than a guess", () => {
    assert.equal(parseCount("1.234", "zz-unknown"), null);
  });

  test("without a language, English", () => {
    assert.equal(parseCount("12.3K"), 12300);
  });
});
