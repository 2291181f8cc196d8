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
const LOGGED_OUT_PROFILE = "profile__insin_control-panel-for-twitter__badlogicgames-loggedout.html";
const HOME_2024 = "home-usercells__insin_control-panel-for-twitter__home-twitter-complete.html";
const MENTIONS = "notifications-mentions__Somi-Project_Somi__debug_mentions.html";
const STATUS_PT = "status-pt__TainaraAlvesSilva_AlertaSeguranca__debug_twitter-status.html";

test("every capture in shared/x-dom has a test here", () => {
  assert.deepEqual(captureFiles(), [
    HOME, OWN, REPLIES, ARTICLE, CONVERSATION, FOCUSED, QUOTE, REPOSTED, LOGGED_OUT_PROFILE, HOME_2024, MENTIONS, STATUS_PT,
  ].sort());
});

// Values read by hand off the files (an independent reading, not the scraper's output).
const PROFILE_ROWS = [
  ["1985127737481154951", "badlogicgames", "Mario Zechner", "2025-11-02T23:31:49.000Z"],
  ["1968984126238736825", "badlogicgames", "Mario Zechner", "2025-09-19T10:22:52.000Z"],
  ["1456996985844772870", "badlogicgames", "Mario Zechner", "2021-11-06T14:48:45.000Z"],
  ["1982150084708987222", "badlogicgames", "Mario Zechner", "2025-10-25T18:19:41.000Z"],
  ["1748869770659729499", "badlogicgames", "Mario Zechner", "2024-01-21T00:47:00.000Z"],
  ["1799502223937847615", "badlogicgames", "Mario Zechner", "2024-06-08T18:02:17.000Z"],
  ["1940370344990441726", "badlogicgames", "Mario Zechner", "2025-07-02T11:21:55.000Z"],
  ["1929312803799576757", "badlogicgames", "Mario Zechner", "2025-06-01T23:03:11.000Z"],
  ["1656241263132155904", "badlogicgames", "Mario Zechner", "2023-05-10T10:14:23.000Z"],
];
const HOME_ROWS = [
  ["1991602883645829145", "will__price", "Will Price", "2025-11-20T20:21:44.000Z"],
  ["1769469976489099654", "kevinafischer", "Kevin Fischer", "2024-03-17T21:04:52.000Z"],
  ["1991475453887217692", "hasufl", "Hasu⚡️🤖", "2025-11-20T11:55:22.000Z"],
  ["1991586882858172684", "cmsholdings", "Art of The CMS", "2025-11-20T19:18:09.000Z"],
  ["1991607597108195581", "hasufl", "Hasu⚡️🤖", "2025-11-20T20:40:28.000Z"],
  ["1991607454917144922", "repligate", "j⧉nus", "2025-11-20T20:39:54.000Z"],
  ["1991606928280318423", "cryptolyxe", "lyxe", "2025-11-20T20:37:48.000Z"],
  ["1991606789301776835", "nic__carter", "nic carter", "2025-11-20T20:37:15.000Z"],
  ["1991606635463364872", "vibhu", "vibhu", "2025-11-20T20:36:38.000Z"],
  ["1991569962109132848", "solarapparition", "solarapparition", "2025-11-20T18:10:55.000Z"],
  ["1991606465300426936", "ericjang11", "Eric Jang", "2025-11-20T20:35:58.000Z"],
  ["1991562419542557009", "Gioscotti_", "Gio Scotti", "2025-11-20T17:40:56.000Z"],
  ["1991604521647432094", "aeyakovenko", "toly 🇺🇸", "2025-11-20T20:28:14.000Z"],
  ["1991600690448224406", "mlunghi2000", "Matteo", "2025-11-20T20:13:01.000Z"],
  ["1991590286544499038", "ChillHouseSOL", "Chill House", "2025-11-20T19:31:40.000Z"],
  ["1991603284034118034", "beffjezos", "Beff – e/acc", "2025-11-20T20:23:19.000Z"],
  ["1991602275589173447", "itszach", "zach meltzer | 🇺🇸", "2025-11-20T20:19:19.000Z"],
  ["1991594727851061492", "gallabytes", "theseriousadult", "2025-11-20T19:49:19.000Z"],
  ["1991602648081133744", "solidintel_x", "Solid Intel 📡", "2025-11-20T20:20:48.000Z"],
  ["1991602309667885293", "ThinkingUSD", "Flood", "2025-11-20T20:19:27.000Z"],
];
const HOME_REPOSTS = [
  ["1991602883645829145", "hdf reposted", "PaikCapital"],
  ["1769469976489099654", "j⧉nus reposted", "repligate"],
  ["1991569962109132848", "j⧉nus reposted", "repligate"],
  ["1991562419542557009", "Flood reposted", "ThinkingUSD"],
  ["1991600690448224406", "hdf reposted", "PaikCapital"],
  ["1991590286544499038", "Flood reposted", "ThinkingUSD"],
  ["1991602275589173447", "vibhu reposted", "vibhu"],
  ["1991594727851061492", "latent moss reposted", "latentmoss"],
];
const HOME_QUOTES = [
  ["1991602883645829145", "1991600514811973815"],
  ["1991475453887217692", "1991420597558210900"],
  ["1991607454917144922", "1769469976489099654"],
  ["1991606928280318423", "1991605768551034887"],
  ["1991604521647432094", "1991491720174006581"],
  ["1991603284034118034", "1991184188402237877"],
];
const MENTION_ROWS = [
  ["1901776724465234392", "ErinaBASE_", "Erina.Base 🔺 🌎", "2025-03-17T23:24:39.000Z", ["SomiXbt"]],
  ["1901625208160793009", "thebullishsnow", "bullish snow ❄️", "2025-03-17T13:22:34.000Z", ["SomiXbt"]],
  ["1901574006907560326", "thedefivillain", "VIKTOR", "2025-03-17T09:59:07.000Z", ["SomiXbt"]],
  ["1901571746790281528", "smol_apev2", "αDarx", "2025-03-17T09:50:08.000Z", ["SomiXbt"]],
  ["1901379896758198288", "_WayneRSA", "BuyTheDipWayne 🫵", "2025-03-16T21:07:47.000Z", ["SomiXbt"]],
  ["1901378069052719346", "_WayneRSA", "BuyTheDipWayne 🫵", "2025-03-16T21:00:32.000Z", ["SomiXbt"]],
  ["1901377047383167330", "degendotpro", "Degen.Pro (degen/acc)", "2025-03-16T20:56:28.000Z", ["SomiXbt"]],
  ["1901344753435742431", "sheikhswampert", "Sheikh Swampert 🌊", "2025-03-16T18:48:09.000Z", ["SomiXbt"]],
  ["1901341643288072444", "sheikhswampert", "Sheikh Swampert 🌊", "2025-03-16T18:35:47.000Z", ["SomiXbt"]],
  ["1901309999869202851", "fibboxyz", "FibbΦ", "2025-03-16T16:30:03.000Z", ["SomiXbt"]],
  ["1901270617409945910", "thebullishsnow", "bullish snow ❄️", "2025-03-16T13:53:33.000Z", ["SomiXbt"]],
  ["1901246594273640821", "ErinaBASE_", "Erina.Base 🔺 🌎", "2025-03-16T12:18:06.000Z", ["SomiXbt"]],
  ["1901227817473315032", "cryptofahad", "Fahad", "2025-03-16T11:03:29.000Z", ["SomiXbt"]],
  ["1901218769608851926", "_WayneRSA", "BuyTheDipWayne 🫵", "2025-03-16T10:27:32.000Z", ["SomiXbt"]],
  ["1901117654225801606", "fibboxyz", "FibbΦ", "2025-03-16T03:45:44.000Z", ["SomiXbt"]],
  ["1900952616466849918", "Nairobi00000", "Nairobi 🌙✨🐹", "2025-03-15T16:49:56.000Z", ["SomiXbt", "Wassiemeee"]],
];


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
        quoted_author: "OriginalAuthor",
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

describe(`capture ${LOGGED_OUT_PROFILE}`, () => {
  const url = "https://x.com/badlogicgames";
  const { batch, skipped } = scrapeCapture(LOGGED_OUT_PROFILE, { url });

  test("page: a logged-out profile (no own handle); the quote card without any link is counted", () => {
    assert.deepEqual(batch.page, { url, type: "profile", observed_at: OBSERVED_AT, me: null, profile_handle: "badlogicgames" });
    assert.deepEqual(skipped, { "quote:no-status-link": 1 });
  });

  test("the full header: bio, location, website, joined, counts in en-GB ('14K'), follow button with the user id", () => {
    assert.deepEqual(batch.people, [{
      handle: "badlogicgames",
      user_id: "189876762",
      display_name: "Mario Zechner",
      bio: "Old man yelling at Claudes. Hobby-Twitterant.\n\nhttps://wired.com/story/heisse-preise-food-prices/\n\nhttps://cards-for-ukraine.at\n\nhttps://mariozechner.at",
      location: "0xa000",
      website: "mariozechner.at",
      joined: "Joined September 2010",
      followers: 14000,
      following: 979,
      follows_me: false,
      i_follow: false,
    }]);
  });

  test("nine posts, not in date order (a logged-out profile shows highlights), none a reply", () => {
    assert.deepEqual(batch.tweets.map((t) => [t.status_id, t.author, t.author_display_name, t.created_at]), PROFILE_ROWS);
    assert.ok(batch.tweets.every((t) => t.in_reply_to_status_id === null && t.reply_to.length === 0 && t.quoted_status_id === null));
  });

  test("pinned by its icon; a linked mention; links keep the address X hides in invisible spans", () => {
    const t = byId(batch);
    assert.deepEqual(t["1985127737481154951"].social_context, { type: "pinned", text: "Pinned", handle: null });
    assert.equal(t["1985127737481154951"].text, "New blog post, wherein I beat a dead horse for the last time.");
    assert.deepEqual(t["1748869770659729499"].mentions, ["florianklenk"]);
    assert.deepEqual(t["1799502223937847615"].mentions, []); // "cc @triammerer" is plain text there
    assert.match(t["1982150084708987222"].text, /\n\nhttps:\/\/en\.wikipedia\.org\/wiki\/Google_Developers#Google_Code$/);
  });
});

describe(`capture ${HOME_2024}`, () => {
  const url = "https://x.com/home";
  const { batch, skipped } = scrapeCapture(HOME_2024, { url });

  test("page: home, own handle; three quote cards without a link are counted", () => {
    assert.deepEqual(batch.page, { url, type: "home", observed_at: OBSERVED_AT, me: "__regenerate" });
    assert.deepEqual(skipped, { "quote:no-status-link": 3 });
  });

  test("twenty posts in page order (eight reposts hidden by another extension are still in the page)", () => {
    const top = batch.tweets.filter((t) => HOME_ROWS.some(([id]) => id === t.status_id));
    assert.deepEqual(top.map((t) => [t.status_id, t.author, t.author_display_name, t.created_at]), HOME_ROWS);
  });

  test("no separators anywhere: only the one thread X joins with bars is a thread", () => {
    const replies = batch.tweets.filter((t) => t.in_reply_to_status_id).map((t) => [t.status_id, t.in_reply_to_status_id]);
    assert.deepEqual(replies, [["1991586882858172684", "1991475453887217692"], ["1991607597108195581", "1991586882858172684"]]);
    assert.equal(byId(batch)["1991607597108195581"].text, "Great pt.");
  });

  test("reposts: the reposter's handle from the context link, whatever their display name", () => {
    const reposts = batch.tweets.filter((t) => t.social_context).map((t) => [t.status_id, t.social_context.text, t.social_context.handle]);
    assert.deepEqual(reposts, HOME_REPOSTS);
    assert.ok(batch.tweets.filter((t) => t.social_context).every((t) => t.social_context.type === "repost"));
  });

  test("quote cards: the quoted post's id from its links, and the quoted posts as records of their own", () => {
    assert.deepEqual(batch.tweets.filter((t) => t.quoted_status_id).map((t) => [t.status_id, t.quoted_status_id]), HOME_QUOTES);
    const enzo = byId(batch)["1991600514811973815"];
    assert.equal(enzo.author, "enzo_gte");
    assert.equal(enzo.author_display_name, "enzo");
    assert.equal(enzo.created_at, "2025-11-20T20:12:19.000Z");
  });

  test("mentions from links in the text only", () => {
    const t = byId(batch);
    assert.deepEqual(t["1991606465300426936"].mentions, ["tonyzzhao", "chichengcc"]);
    assert.deepEqual(t["1991602275589173447"].mentions, ["solana"]);
  });

  test("Who to follow cells", () => {
    assert.deepEqual(batch.people, [
      { handle: "sonofalli", user_id: "1462201664924909570", display_name: "alli", follows_me: false, i_follow: false },
      { handle: "hwchase17", user_id: "2728439146", display_name: "Harrison Chase", follows_me: false, i_follow: false },
      { handle: "antigravity", user_id: "1965856473084473347", display_name: "Google Antigravity", follows_me: false, i_follow: false },
    ]);
  });
});

describe(`capture ${MENTIONS}`, () => {
  const url = "https://x.com/notifications/mentions";
  const { batch, skipped } = scrapeCapture(MENTIONS, { url });

  test("page: notifications (Mentions tab), own handle; the prompt cell is not a post", () => {
    assert.deepEqual(batch.page, { url, type: "notifications", observed_at: OBSERVED_AT, me: "SomiXbt" });
    assert.deepEqual(skipped, {});
    assert.deepEqual(batch.notifications, []);
  });

  test("sixteen replies to me, each with its 'Replying to' handles; none chained to the one above", () => {
    assert.deepEqual(batch.tweets.map((t) => [t.status_id, t.author, t.author_display_name, t.created_at, t.reply_to]), MENTION_ROWS);
    assert.ok(batch.tweets.every((t) => t.in_reply_to_status_id === null));
  });

  test("text and mentions; a media-only reply has no text", () => {
    const t = byId(batch);
    assert.equal(t["1901776724465234392"].text, "but it will be addictive 🥲🥲.");
    assert.equal(t["1901377047383167330"].text, "Whoa @SomiXbt this is cool!");
    assert.deepEqual(t["1901377047383167330"].mentions, ["SomiXbt"]);
    assert.equal(t["1900952616466849918"].text, null);
  });

  test("Who to follow in the sidebar", () => {
    assert.deepEqual(batch.people.map((p) => [p.handle, p.user_id, p.follows_me, p.i_follow]), [
      ["Trader_Theory", "1476173980268744715", false, false],
      ["RSeereeram", "1145731179666202632", false, false],
      ["tittyrespecter", "1286104973521059848", false, false],
    ]);
  });
});

describe(`capture ${STATUS_PT}`, () => {
  const url = "https://x.com/stfuesh/status/1993177247822516587";
  const { batch, skipped } = scrapeCapture(STATUS_PT, { url });

  test("a status page in the Portuguese UI ('Timeline: Conversa'): the focused post, read without English words", () => {
    assert.deepEqual(batch.page, { url, type: "status", observed_at: OBSERVED_AT, me: null });
    assert.deepEqual(skipped, {});
    assert.deepEqual(batch.tweets, [tweet({
      status_id: "1993177247822516587",
      author: "stfuesh",
      author_display_name: "Eshuu♡",
      text: "Apparently if you’re right-brained you see a rabbit, if you’re left-brained you see a turtle.\n\nWhat do you see?",
      created_at: "2025-11-25T04:37:41.000Z",
      focused: true,
    })]);
    assert.deepEqual(batch.people, []);
  });
});
