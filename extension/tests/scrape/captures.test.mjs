// The scrapers on every real capture in shared/x-dom/, with values read off each capture by hand.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { scrapeTweets } from "../../src/scrape/index.js";
import { CAPTURES_DIR, OBSERVED_AT, byId, captureFiles, loadDocument, scrapeCapture, tweet } from "./helpers.mjs";

const HOME = "home-timeline-fullpage__ibbi_twooter__Home_X.html";
const OWN = "profile-own-timeline-fragment__ajw1970_X-Ghosted__Home-Timeline-With-Replies.html";
const REPLIES = "profile-with_replies-timeline-fragment__ajw1970_X-Ghosted__ajweltytest-with-replies-april-21-2025.html";
const ARTICLE = "status-article-fullpage__kepano_defuddle__general--x.com-article-2026-02-13.html";
const CONVERSATION = "status-conversation-fragment__ajw1970_X-Ghosted__Conversation-without-problems.html";
const FOCUSED = "status-focused-article__EltonChou_TwitterMediaHarvest__status.html";
const QUOTE = "timeline-article-quote-anonymized__mlamp_tweetyoink__x-tweet-quote.html";
const REPOSTED = "timeline-article-reposted__EltonChou_TwitterMediaHarvest__timeline.html";

test("every capture in shared/x-dom has a test here", () => {
  assert.deepEqual(captureFiles(), [HOME, OWN, REPLIES, ARTICLE, CONVERSATION, FOCUSED, QUOTE, REPOSTED].sort());
});

describe(`capture ${HOME}`, () => {
  const url = "https://x.com/home";
  const { batch, skipped } = scrapeCapture(HOME, { url });

  test("page: home, own handle from AppTabBar_Profile_Link (absolute href)", () => {
    assert.deepEqual(batch.page, { url, type: "home", observed_at: OBSERVED_AT, me: "kleinflask" });
    assert.deepEqual(skipped, {});
  });

  test("six tweets, in page order, with authors and times", () => {
    assert.deepEqual(batch.tweets.map((t) => [t.status_id, t.author, t.author_display_name, t.created_at]), [
      ["1890459111671656594", "BGatesIsaPyscho", "Concerned Citizen", "2025-02-14T17:52:29.000Z"],
      ["1890454526378815975", "BGatesIsaPyscho", "Concerned Citizen", "2025-02-14T17:34:16.000Z"],
      ["1890451695559213256", "BGatesIsaPyscho", "Concerned Citizen", "2025-02-14T17:23:01.000Z"],
      ["1890449332865786329", "BGatesIsaPyscho", "Concerned Citizen", "2025-02-14T17:13:38.000Z"],
      ["1890443411544522946", "nikitabier", "Nikita Bier", "2025-02-14T16:50:06.000Z"],
      ["1890449163420078087", "nikitabier", "Nikita Bier", "2025-02-14T17:12:58.000Z"],
    ]);
  });

  test("text keeps line breaks and emoji; a photo-only tweet has none", () => {
    const t = byId(batch);
    assert.equal(t["1890459111671656594"].text,
      "Study of excess mortality across 9 Countries shows clearly the rapid increase in deaths only after the experimental mRNA vaccines were rolled out. \n\nYou don’t need to be a statistician to figure out what’s causing it.");
    assert.equal(t["1890454526378815975"].text, "Trump framed his famous mugshot & hung it in the hallway to the Oval Office 🤣");
    assert.equal(t["1890449163420078087"].text, null);
  });

  test("the self-thread (two cells with no separator between) is a reply; tweets with a video inside placementTracking are not ads", () => {
    const t = byId(batch);
    assert.equal(t["1890449163420078087"].in_reply_to_status_id, "1890443411544522946");
    assert.deepEqual(batch.tweets.filter((x) => x.in_reply_to_status_id).map((x) => x.status_id), ["1890449163420078087"]);
    assert.ok(batch.tweets.every((x) => x.social_context === null && x.quoted_status_id === null && x.focused === false));
  });

  test("Who to follow cells: user ids from <id>-follow, not following, not followed back", () => {
    assert.deepEqual(batch.people, [
      { handle: "MarriottIntl", user_id: "14140913", display_name: "Marriott International", follows_me: false, i_follow: false },
      { handle: "Astro_Doug", user_id: "275710913", display_name: "Col. Doug Hurley", follows_me: false, i_follow: false },
      { handle: "Marriott", user_id: "14369314", display_name: "Marriott Hotels", follows_me: false, i_follow: false },
    ]);
    assert.deepEqual(batch.dm_conversations, []);
    assert.deepEqual(batch.notifications, []);
  });
});

describe(`capture ${OWN}`, () => {
  const url = "https://x.com/ApostleJohnW";
  const { batch, skipped } = scrapeCapture(OWN, { url });

  test("page: profile of ApostleJohnW; a fragment shows no own handle", () => {
    assert.deepEqual(batch.page, { url, type: "profile", observed_at: OBSERVED_AT, me: null, profile_handle: "ApostleJohnW" });
  });

  test("eight tweets and two readable quoted tweets; the third quote has no status link and is counted", () => {
    assert.deepEqual(batch.tweets.map((t) => t.status_id), [
      "1895111411140907450", "1895174358902956217", "1887890505846943792", "1895088351235187111", "1895172905203589591",
      "1894962473914298538", "1894971735172149613", "1895169898252509372", "1895168899793994232", "1894876446608212263",
    ]);
    assert.deepEqual(skipped, { "quote:no-status-link": 1 });
    assert.equal(byId(batch)["1894962473914298538"].quoted_status_id, null);
  });

  test("pinned tweet", () => {
    const t = byId(batch)["1895111411140907450"];
    assert.deepEqual(t.social_context, { type: "pinned", text: "Pinned", handle: null });
    assert.equal(t.author, "ApostleJohnW");
    assert.equal(t.created_at, "2025-02-27T13:59:04.000Z");
  });

  test("quote card: its status id from its links, and the quoted tweet as a record of its own", () => {
    const t = byId(batch);
    assert.equal(t["1895174358902956217"].quoted_status_id, "1887890505846943792");
    assert.equal(t["1895174358902956217"].text, "Amen Apostle Eric. Praise God 🙏");
    assert.deepEqual(t["1887890505846943792"], tweet({
      status_id: "1887890505846943792",
      author: "ApostleEric",
      author_display_name: "Eric vonAnderseck",
      text: "WHEN THE URIM FLASHS God confirms His works with signs and wonders. The Urim flashed 4-5 times while in prayer. The Urim is with the stewardship. God says \"Yes\" to the Altar and the labor of the elders to salt the sacrifice daily. Yes, the Urim was placed in the breastplate of",
      created_at: "2025-02-07T15:45:46.000Z",
    }));
    assert.equal(t["1895168899793994232"].quoted_status_id, "1894876446608212263");
    assert.equal(t["1894876446608212263"].author, "monetization_x");
    assert.equal(t["1894876446608212263"].author_display_name, "Monetization Coach");
    assert.equal(t["1894876446608212263"].created_at, "2025-02-26T22:25:24.000Z");
  });

  test("replies from the conversation structure; 'Show more replies' breaks the chain", () => {
    const t = byId(batch);
    assert.deepEqual(t["1895172905203589591"], tweet({
      status_id: "1895172905203589591",
      author: "ApostleJohnW",
      author_display_name: "John Welty",
      text: "While we wait for a winner, consider buying super supportive @KSJ_Kreativea coffee or two (in her profile linktree). 🙏",
      created_at: "2025-02-27T18:03:25.000Z",
      in_reply_to_status_id: "1895088351235187111",
      mentions: ["KSJ_Kreative"],
    }));
    assert.equal(t["1894971735172149613"].in_reply_to_status_id, null);
    assert.equal(t["1895169898252509372"].in_reply_to_status_id, "1894971735172149613");
    assert.deepEqual(batch.tweets.filter((x) => x.in_reply_to_status_id).map((x) => x.status_id), ["1895172905203589591", "1895169898252509372"]);
  });

  test("community context (a link to /i/communities/<id>); emoji in text; hashtags are not mentions", () => {
    const t = byId(batch);
    assert.deepEqual(t["1895168899793994232"].social_context, { type: "community", text: "Ghostbanned on X", handle: null });
    assert.equal(t["1895168899793994232"].text, "This is a helpful post from Monetization Coach #support");
    assert.deepEqual(t["1895168899793994232"].mentions, []);
    assert.equal(t["1895088351235187111"].text, "🚨GIVEAWAY 🚨1 winner. 5 coffees. ☕🔥Like & repost + drop a \"☕\" in the replies. Picking someone soon. 👀");
    assert.equal(t["1895088351235187111"].author_display_name, "Buy Me a Coffee");
  });

  test("a single cell can be scraped alone and still knows what it replies to", () => {
    const doc = loadDocument(CAPTURES_DIR + OWN, url);
    const article = Array.from(doc.querySelectorAll('article[data-testid="tweet"]'))
      .find((a) => a.querySelector('a[href="/ApostleJohnW/status/1895169898252509372"]'));
    const cell = article.closest('[data-testid="cellInnerDiv"]');
    const { tweets, skipped: none } = scrapeTweets(cell, { baseUrl: url, me: null, pageType: "profile" });
    assert.deepEqual(tweets.map((t) => [t.status_id, t.in_reply_to_status_id]), [["1895169898252509372", "1894971735172149613"]]);
    assert.deepEqual(none, {});
  });
});

describe(`capture ${REPLIES}`, () => {
  const url = "https://x.com/ajweltytest/with_replies";
  const { batch, skipped } = scrapeCapture(REPLIES, { url });

  test("page: the Replies tab is the profile", () => {
    assert.deepEqual(batch.page, { url, type: "profile", observed_at: OBSERVED_AT, me: null, profile_handle: "ajweltytest" });
  });

  test("seven tweets; the unavailable quoted post is counted", () => {
    assert.deepEqual(batch.tweets.map((t) => [t.status_id, t.author]), [
      ["1899820744072110204", "ApostleJohnW"],
      ["1909349357331304643", "ajweltytest"],
      ["1901080866002014636", "ajweltytest"],
      ["1899820959197995180", "ajweltytest"],
      ["1899820920266535120", "ajweltytest"],
      ["1895367468908192087", "ApostleJohnW"],
      ["1895407388871798985", "ajweltytest"],
    ]);
    assert.deepEqual(skipped, { "quote:unavailable": 1 });
    assert.equal(byId(batch)["1901080866002014636"].quoted_status_id, null);
  });

  test("'Replying to @ApostleJohnW' lines", () => {
    const t = byId(batch);
    assert.deepEqual(t["1899820959197995180"], tweet({
      status_id: "1899820959197995180",
      author: "ajweltytest",
      author_display_name: "John Welty",
      text: "Test reply to 2nd test post",
      created_at: "2025-03-12T13:53:08.000Z",
      reply_to: ["ApostleJohnW"],
    }));
    assert.deepEqual(t["1899820920266535120"].reply_to, ["ApostleJohnW"]);
    assert.deepEqual(batch.tweets.filter((x) => x.reply_to.length).map((x) => x.status_id), ["1899820959197995180", "1899820920266535120"]);
  });

  test("threads shown as runs of cells reply to the tweet above", () => {
    const t = byId(batch);
    assert.equal(t["1909349357331304643"].in_reply_to_status_id, "1899820744072110204");
    assert.equal(t["1895407388871798985"].in_reply_to_status_id, "1895367468908192087");
    assert.deepEqual(batch.tweets.filter((x) => x.in_reply_to_status_id).map((x) => x.status_id), ["1909349357331304643", "1895407388871798985"]);
  });

  test("mentions, the 'Grok' community context, emoji", () => {
    const t = byId(batch);
    assert.deepEqual(t["1899820744072110204"].mentions, ["ajweltytest"]);
    assert.equal(t["1899820744072110204"].text, "Test post #2 for @ajweltytest");
    assert.deepEqual(t["1895367468908192087"].social_context, { type: "community", text: "Grok", handle: null });
    assert.equal(t["1895407388871798985"].text, "This is a great Avi for my test account. 😎");
  });
});

describe(`capture ${ARTICLE}`, () => {
  const url = "https://x.com/arscontexta/status/2013045749580259680";
  const { batch, skipped } = scrapeCapture(ARTICLE, { url });

  test("page: status; own handle from the account switcher (no AppTabBar links in 2026)", () => {
    assert.deepEqual(batch.page, { url, type: "status", observed_at: OBSERVED_AT, me: "kepano" });
    assert.deepEqual(skipped, {});
  });

  test("the focused X Article: its title is the text", () => {
    assert.deepEqual(batch.tweets, [tweet({
      status_id: "2013045749580259680",
      author: "arscontexta",
      author_display_name: "Heinrich",
      text: "obsidian + claude code 101",
      created_at: "2026-01-19T00:28:01.000Z",
      focused: true,
    })]);
  });

  test("author card: follows me ('Follows you', 'Follow back'), user id from the button", () => {
    assert.deepEqual(batch.people, [
      { handle: "arscontexta", user_id: "1915489112787718144", display_name: "Heinrich", follows_me: true, i_follow: false },
    ]);
  });
});

describe(`capture ${CONVERSATION}`, () => {
  const url = "https://x.com/ApostleJohnW/status/1881841967291928947";
  const { batch, skipped } = scrapeCapture(CONVERSATION, { url });

  test("page: status", () => {
    assert.deepEqual(batch.page, { url, type: "status", observed_at: OBSERVED_AT, me: null });
    assert.deepEqual(skipped, {});
  });

  test("parent, focused tweet replying to it, reply under the focused tweet", () => {
    assert.deepEqual(batch.tweets, [
      tweet({
        status_id: "1881836273264103665",
        author: "Eddie_1X",
        author_display_name: "Eddie",
        text: "Greg Gutfeld rips Jessica Tarlov and I'm here for it🔥#TheFive\"Trump did more in a day than what Biden did in his damn career!\"",
        created_at: "2025-01-21T22:48:25.000Z",
      }),
      tweet({
        status_id: "1881841967291928947",
        author: "ApostleJohnW",
        author_display_name: "John Welty",
        text: "Spot on! \"The fact is the system is being gamed.\" - Greg Gutfeld",
        created_at: "2025-01-21T23:11:02.000Z",
        in_reply_to_status_id: "1881836273264103665",
        focused: true,
      }),
      tweet({
        status_id: "1881843269208093033",
        author: "Eddie_1X",
        author_display_name: "Eddie",
        text: "100%. Gutfeld nailed it.",
        created_at: "2025-01-21T23:16:12.000Z",
        in_reply_to_status_id: "1881841967291928947",
      }),
    ]);
    assert.deepEqual(batch.people, []);
  });
});

describe(`capture ${FOCUSED}`, () => {
  const url = "https://x.com/birdman46049238/status/1852311426666537322";
  const expected = tweet({
    status_id: "1852311426666537322",
    author: "birdman46049238",
    author_display_name: "birdman🦊",
    text: "🦊🦊",
    created_at: "2024-11-01T11:27:13.000Z",
    focused: true,
  });

  test("the focused article (tabindex=-1); emoji-only text despite the file's indentation", () => {
    const { batch, skipped } = scrapeCapture(FOCUSED, { url });
    assert.deepEqual(batch.page, { url, type: "status", observed_at: OBSERVED_AT, me: null });
    assert.deepEqual(batch.tweets, [expected]);
    assert.deepEqual(skipped, {});
  });

  test("scrapeTweets without a page type still takes tabindex=-1 as focused; on a non-status page it is not", () => {
    const doc = loadDocument(CAPTURES_DIR + FOCUSED, url);
    assert.deepEqual(scrapeTweets(doc, { baseUrl: url }).tweets, [expected]);
    assert.equal(scrapeTweets(doc, { baseUrl: url, pageType: "home" }).tweets[0].focused, false);
  });
});

describe(`capture ${QUOTE}`, () => {
  const url = "https://x.com/home";
  const { batch, skipped } = scrapeCapture(QUOTE, { url });

  test("quote tweet and the quoted tweet (author from its '@handle' line, id from its photo link)", () => {
    assert.deepEqual(batch.tweets, [
      tweet({
        status_id: "1983130065320780162",
        author: "TestQuoter",
        author_display_name: "Test Quoter",
        text: "This is a quote tweet with additional commentary",
        created_at: "2025-10-28T11:13:47.000Z",
        quoted_status_id: "1983129251856470493",
      }),
      tweet({
        status_id: "1983129251856470493",
        author: "OriginalAuthor",
        author_display_name: "Original Author",
        text: "This is the original quoted tweet content that provides important context and information for the conversation",
        created_at: "2025-10-28T11:10:33.000Z",
      }),
    ]);
    assert.deepEqual(skipped, {});
  });
});

describe(`capture ${REPOSTED}`, () => {
  const url = "https://x.com/home";

  test("'birdman🦊 reposted': a repost, the reposter's handle from the context link", () => {
    const { batch, skipped } = scrapeCapture(REPOSTED, { url, me: "someone_else" });
    assert.deepEqual(batch.page.me, "someone_else");
    assert.deepEqual(batch.tweets, [tweet({
      status_id: "1852311426666537322",
      author: "birdman46049238",
      author_display_name: "birdman🦊",
      text: "🦊🦊",
      created_at: "2024-11-01T11:27:13.000Z",
      social_context: { type: "repost", text: "birdman🦊 reposted", handle: "birdman46049238" },
    })]);
    assert.deepEqual(skipped, {});
  });
});
