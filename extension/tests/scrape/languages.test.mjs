// The synthetic pages in Japanese, Arabic (right to left) and German (languages.mjs): every
// translated word differs, the values read are the same as in English.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { LANGUAGE_PAGES } from "./languages.mjs";
import { OBSERVED_AT, SYNTHETIC_DIR, scrapeSynthetic } from "./helpers.mjs";

/** [status id, author, parent, reply_to, mentions, social context type and handle] of each tweet. */
const rows = (batch) => batch.tweets.map((t) => [
  t.status_id, t.author, t.in_reply_to_status_id, t.reply_to, t.mentions, t.social_context && [t.social_context.type, t.social_context.handle],
]);

test("the language pages in fixtures/synthetic are what languages.mjs makes (node tests/scrape/languages.mjs --write)", () => {
  for (const [name, html] of Object.entries(LANGUAGE_PAGES)) assert.equal(readFileSync(SYNTHETIC_DIR + name, "utf8"), `${html}\n`, name);
});

describe("synthetic-ja-profile.html (Japanese)", () => {
  const url = "https://x.com/sakura_reads";
  const { batch, skipped } = scrapeSynthetic("synthetic-ja-profile.html", { url });

  test("profile header: '6.9万' followers, 'フォローされています' by its testid, the user id from the unfollow button", () => {
    assert.deepEqual(batch.page, { url, type: "profile", observed_at: OBSERVED_AT, me: "rapport_me", profile_handle: "sakura_reads" });
    assert.deepEqual(skipped, {});
    assert.deepEqual(batch.people, [{
      handle: "sakura_reads", user_id: "3141592653", display_name: "佐藤さくら", bio: "本とワインが好き。今は村上春樹を読んでいます。",
      location: "東京", website: "sakura.example.jp", joined: "2012年4月からXを利用しています", followers: 69000, following: 856,
      follows_me: true, i_follow: true,
    }]);
  });

  test("pinned and repost by their icons, '返信先:' read from its links, the self-thread from its bars", () => {
    assert.deepEqual(rows(batch), [
      ["1101", "sakura_reads", null, [], [], ["pinned", null]],
      ["1102", "kenji_w", null, [], [], ["repost", "sakura_reads"]],
      ["1103", "sakura_reads", null, ["rapport_me"], [], null],
      ["1104", "sakura_reads", null, [], [], null],
      ["1105", "sakura_reads", "1104", [], [], null],
    ]);
  });
});

describe("synthetic-ar-profile.html (Arabic, right to left)", () => {
  const url = "https://x.com/layla_books";
  const { batch, skipped } = scrapeSynthetic("synthetic-ar-profile.html", { url });

  test("counts in Arabic-Indic digits ('١٢٫٣ ألف' = 12,300), 'يتابعك' by its testid", () => {
    assert.deepEqual(skipped, {});
    assert.deepEqual(batch.people.map((p) => [p.handle, p.user_id, p.followers, p.following, p.follows_me, p.i_follow]), [
      ["layla_books", "2718281828", 12300, 345, true, false],
    ]);
  });

  test("'الرد على' line, a repost, a mention, a thread; separators change nothing", () => {
    assert.deepEqual(rows(batch), [
      ["2201", "layla_books", null, ["rapport_me"], [], null],
      ["2202", "omar_q", null, [], [], ["repost", "layla_books"]],
      ["2203", "layla_books", null, [], ["rapport_me"], null],
      ["2204", "layla_books", "2203", [], [], null],
    ]);
  });
});

describe("synthetic-de-status.html (German)", () => {
  const url = "https://x.com/jonas_k/status/3301";
  const { batch, skipped } = scrapeSynthetic("synthetic-de-status.html", { url });

  test("the conversation: parent, focused post, replies to it, a reply to a reply; 'Weitere Antworten anzeigen' and 'Mehr entdecken' break", () => {
    assert.deepEqual(batch.page, { url, type: "status", observed_at: OBSERVED_AT, me: "rapport_me" });
    assert.deepEqual(skipped, {});
    assert.deepEqual(rows(batch), [
      ["3300", "rapport_me", null, [], [], null],
      ["3301", "jonas_k", "3300", ["rapport_me"], [], null],
      ["3302", "anna_m", "3301", ["jonas_k"], [], null],
      ["3303", "rapport_me", "3301", ["jonas_k"], [], null],
      ["3304", "ben_b", "3303", ["rapport_me", "jonas_k"], [], null],
      ["3305", "cora_c", null, [], [], null],
      ["3306", "dirk_d", null, [], [], null],
    ]);
    assert.deepEqual(batch.tweets.filter((t) => t.focused).map((t) => t.status_id), ["3301"]);
  });
});
