"""Archive eras and cases no real sample covers, as synthetic archives in X's real formats."""

from __future__ import annotations

import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from companion.domain.errors import Invalid
from tests.archive_factory import ArchiveBuilder, Person, days, snowflake
from tests.conftest import batch, tweet

ME = Person("me_now", "1000001")
ALICE = Person("alice", "2000002")
BOB = Person("bob", "3000003")
CAROL = Person("carol", "4000004")
START = datetime(2017, 3, 1, 12, 0, tzinfo=UTC)


def network(era: str = "2026") -> ArchiveBuilder:
    """Replies, a mention, a repost, a quote, a two-way and a one-way DM, a group I wrote in, follows."""
    b = ArchiveBuilder(ME, era=era)
    b.post("@alice good point", START, mentions=[ALICE], reply_to=("111", ALICE))
    b.post("@alice @bob both of you", days(START, 1), mentions=[ALICE, BOB], reply_to=("112", ALICE))
    b.post("thanks to @carol for the talk", days(START, 2), mentions=[CAROL])
    b.post("RT @bob: something bob said about @alice", days(START, 3), mentions=[BOB, ALICE])
    b.post("look https://t.co/x", days(START, 4), urls=["https://twitter.com/dave/status/99"])
    b.dm(ALICE, [(True, days(START, 5)), (False, days(START, 5)), (True, days(START, 9))])
    b.dm(BOB, [(False, days(START, 6)), (False, days(START, 7))])  # bob wrote twice, I never answered
    b.group("777", [ME, CAROL, Person("eve", "5000005")], [(CAROL, days(START, 8)), (ME, days(START, 8))])
    b.followers = [ALICE.user_id, "6000006"]
    b.following = [ALICE.user_id, CAROL.user_id]
    b.likes = 3
    return b


def state(service: Any) -> dict[str, Any]:
    store = service.store
    out = {}
    for pid in store.person_ids():
        doc = store.person(pid)
        out[doc["user_id"] or "@" + doc["handle"]] = (
            doc["handle"], doc["stage"], Counter(doc["aggregates"]["kind_counts"]),
            doc["profile"]["follows_me"], doc["profile"]["i_follow"])
    return out


EXPECTED = {
    ALICE.user_id: ("alice", 2, Counter(i_replied=2, dm=2), True, True),
    BOB.user_id: ("bob", 1, Counter(i_replied=1, i_reposted=1, they_messaged=2), None, None),
    CAROL.user_id: ("carol", 1, Counter(i_mentioned=1, group_dm=1), None, True),
    "5000005": (None, 1, Counter(group_dm=1), None, None),
    "6000006": (None, 0, Counter(), True, None),
    "@dave": ("dave", 1, Counter(i_quoted=1), None, None),
}


@pytest.mark.parametrize("era", ["2026", "2019", "2018"])
def test_each_era_of_the_export_gives_the_same_network(service: Any, tmp_path: Path, era: str) -> None:
    """2026: data/ and wrapped posts; 2019: bare posts; 2018: files at the zip root, epoch-ms times, and
    group DMs inside direct-message-headers.js."""
    path = network(era).write_zip(tmp_path / f"twitter-{era}.zip")
    summary = service.import_archive(path)
    assert summary["owner"]["user_id"] == ME.user_id
    expected = dict(EXPECTED)
    if era == "2018":
        del expected["5000005"]  # 2018's group headers hold messages only: members who never wrote are unknown
    assert state(service) == expected
    assert summary["skipped"]["likes"] == 3
    alice = service.person("alice")
    assert {i["at"][:10] for i in alice["interactions"] if i["kind"] == "dm"} == {"2017-03-06", "2017-03-10"}


def test_grailbird_archives_from_before_2018(service: Any, tmp_path: Path) -> None:
    b = network("grailbird")
    b.post("RT @carol: carol's words", days(START, 40), mentions=[CAROL])
    folder = b.write_folder(tmp_path / "grailbird")
    assert (folder / "data/js/tweets/2017_03.js").read_text().startswith("Grailbird.data.tweets_2017_03 =")
    summary = service.import_archive(folder)
    assert summary["owner"] == {"user_id": ME.user_id, "handle": "me_now", "display_name": "Me"}
    found = state(service)
    # Grailbird holds posts only: the same people from them, no DMs and no follows.
    assert found[ALICE.user_id][:3] == ("alice", 1, Counter(i_replied=2))
    assert found[CAROL.user_id][:3] == ("carol", 1, Counter(i_mentioned=1, i_reposted=1))
    assert found["@dave"][:3] == ("dave", 1, Counter(i_quoted=1))
    assert set(summary["missing_files"]) >= {"follower.js", "following.js", "direct-messages.js"}
    assert "tweets.js" not in summary["missing_files"]  # its months hold the posts


def test_posts_split_into_parts_are_all_read(service: Any, tmp_path: Path) -> None:
    b = ArchiveBuilder(ME)
    for n in range(90):
        b.post(f"@alice reply {n}", days(START, n), mentions=[ALICE], reply_to=(str(500 + n), ALICE))
    folder = b.write_folder(tmp_path / "split", parts=3)
    assert sorted(p.name for p in (folder / "data").glob("tweets*.js")) == ["tweets-part1.js", "tweets-part2.js",
                                                                            "tweets.js"]
    summary = service.import_archive(folder)
    assert summary["interactions_added"] == 90
    assert service.person("alice")["interactions_total"] == 90


def test_a_handle_that_changed_hands_is_not_credited_to_its_new_owner(service: Any, tmp_path: Path) -> None:
    """user_mentions are resolved when the archive is made: an account younger than the post took the
    handle after I wrote to its old owner."""
    newcomer = Person("alice", snowflake(datetime(2024, 6, 1, tzinfo=UTC)))
    b = ArchiveBuilder(ME)
    b.post("@alice back in 2017", START, mentions=[newcomer])
    b.post("@alice a reply, in 2017", days(START, 1), mentions=[newcomer], reply_to=("9", Person("alice", "2000002")))
    b.post("@alice in 2025", datetime(2025, 1, 1, tzinfo=UTC), mentions=[newcomer])
    summary = service.import_archive(b.write_folder(tmp_path / "a"))
    assert summary["skipped"]["handle_changed_hands"] == 2
    newer = service.person(newcomer.user_id)
    assert [i["at"][:4] for i in newer["interactions"]] == ["2025"]
    # The reply's own field names the account I replied to then: credited to that id, not by handle.
    old = service.person("2000002")
    assert old["handle"] is None and [i["kind"] for i in old["interactions"]] == ["i_replied"]


def test_self_references_involve_nobody(service: Any, tmp_path: Path) -> None:
    b = ArchiveBuilder(ME, old_handles=["me_before"])
    first = b.post("a thread", START)
    b.post("@me_now and more", days(START, 1), mentions=[ME], reply_to=(first, ME))  # a thread continuation
    b.post("RT @me_now: a thread", days(START, 2), mentions=[ME])
    b.post("quoting myself https://t.co/x", days(START, 3), urls=[f"https://x.com/me_before/status/{first}",
                                                                   "https://x.com/i/web/status/5"])
    b.dm(ME, [(True, days(START, 4))], conversation_id=f"{ME.user_id}-{ME.user_id}")
    summary = service.import_archive(b.write_folder(tmp_path / "self"))
    assert service.store.person_ids() == []
    assert summary["skipped"]["self_conversations"] == 1


def test_a_thread_continuation_still_addresses_its_leading_names(service: Any, tmp_path: Path) -> None:
    b = ArchiveBuilder(ME)
    first = b.post("@alice here is why", START, mentions=[ALICE], reply_to=("1", ALICE))
    b.post("@alice and also this", days(START, 1), mentions=[ALICE], reply_to=(first, ME))
    service.import_archive(b.write_folder(tmp_path / "t"))
    assert service.person("alice")["interactions_total"] == 2


def test_a_group_i_never_wrote_in_is_recorded_but_gives_no_stage(service: Any, tmp_path: Path) -> None:
    b = ArchiveBuilder(ME)
    spammers = [Person(f"s{n}", str(7000000 + n)) for n in range(4)]
    b.group("888", [*spammers, ME], [(s, days(START, n)) for n, s in enumerate(spammers)])
    summary = service.import_archive(b.write_folder(tmp_path / "spam"))
    assert service.store.person_ids() == []
    assert (summary["skipped"]["silent_groups"], summary["skipped"]["silent_group_members"]) == (1, 4)


def test_a_partial_archive_never_says_nobody_follows_me(service: Any, tmp_path: Path) -> None:
    service.ingest(batch(page_type="profile", url="https://x.com/alice", profile_handle="alice",
                         people=[{"handle": "alice", "user_id": ALICE.user_id, "follows_me": True}]))
    b = network()
    b.followers = None  # this export lacks follower.js
    summary = service.import_archive(b.write_folder(tmp_path / "partial"))
    assert "follower.js" in summary["missing_files"] and summary["follows_known"]["follows_me"] is False
    assert service.person("alice")["profile"]["follows_me"] is True
    assert not any(service.store.person(p)["profile"]["follows_me"] is False for p in service.store.person_ids())


def test_the_archive_merges_with_what_the_extension_saw_keeping_notes_and_tags(service: Any, tmp_path: Path) -> None:
    service.ingest(batch(me="me_now", tweets=[tweet("9001", "me_now", reply_to=["alice"])],
                         people=[{"handle": "alice"}]))
    service.edit_person("alice", {"notes": {"books": "Dune"}, "tags": ["friend"]})
    service.create_person({"handle": "dave", "notes": {"wine": "Barolo"}})
    service.import_archive(network().write_folder(tmp_path / "n"))
    alice = service.person("alice")
    assert alice["user_id"] == ALICE.user_id and alice["notes"]["books"] == "Dune" and alice["tags"] == ["friend"]
    assert {i["source"] for i in alice["interactions"]} == {"scrape", "archive"}
    assert len([k for k in service.store.person_ids() if service.store.person(k)["handle"] == "alice"]) == 1
    dave = service.person("dave")  # a quote URL gives a handle only: it joins the handle-only record
    assert dave["notes"]["wine"] == "Barolo" and [i["kind"] for i in dave["interactions"]] == ["i_quoted"]


def test_the_archive_never_takes_a_handle_from_the_account_that_has_it_now(service: Any, tmp_path: Path) -> None:
    # The extension saw @alice today: a different account (another id) holds the handle now.
    service.ingest(batch(page_type="profile", url="https://x.com/alice", profile_handle="alice",
                         people=[{"handle": "alice", "user_id": "9999999"}]))
    service.import_archive(network().write_folder(tmp_path / "n"))
    assert service.person("alice")["user_id"] == "9999999"
    assert service.person(ALICE.user_id)["handle"] is None


def test_a_newer_archive_adds_only_what_is_new(service: Any, tmp_path: Path) -> None:
    older = network()
    service.import_archive(older.write_folder(tmp_path / "old"))
    older.post("@alice one more", days(START, 100), mentions=[ALICE], reply_to=("113", ALICE))
    summary = service.import_archive(older.write_folder(tmp_path / "new"))
    assert (summary["interactions_added"], summary["people_added"], summary["people_updated"]) == (1, 0, 1)


def test_a_dry_run_reports_the_changes_and_writes_nothing(service: Any, tmp_path: Path) -> None:
    folder = network().write_folder(tmp_path / "n")
    journal = service.store.storage.journal.size()
    dry = service.import_archive(folder, dry_run=True)
    assert service.store.person_ids() == [] and service.store.storage.journal.size() == journal
    assert service.store.archive_imports() == []
    real = service.import_archive(folder)
    keys = ("people_added", "people_updated", "interactions_added", "stages_raised", "raised_to")
    assert {k: dry[k] for k in keys} == {k: real[k] for k in keys}
    assert dry["dry_run"] is True and real["dry_run"] is False


def test_an_import_cut_short_is_finished_by_importing_it_again(service: Any, tmp_path: Path) -> None:
    from companion.domain import archive

    b = ArchiveBuilder(ME)
    people = [Person(f"p{n}", str(8000000 + n)) for n in range(1200)]
    for n, p in enumerate(people):
        b.post(f"@{p.handle} hi", days(START, n % 300), mentions=[p], reply_to=(str(n + 10), p))
    folder = b.write_folder(tmp_path / "big")

    applied = 0
    original = archive.ArchiveImport._apply

    def crash_after_two(self: Any, touches: Any, flags: Any) -> None:
        nonlocal applied
        if applied == 2:
            raise KeyboardInterrupt  # the machine went down mid-import
        applied += 1
        original(self, touches, flags)

    archive.ArchiveImport._apply = crash_after_two  # type: ignore[method-assign]
    try:
        with pytest.raises(KeyboardInterrupt):
            service.import_archive(folder)
    finally:
        archive.ArchiveImport._apply = original  # type: ignore[method-assign]
    cut = service.archive_imports()[0]
    assert cut["state"] == "applying" and 0 < cut["touches_done"] < 1200
    assert 0 < len(service.store.person_ids()) < 1200
    summary = service.import_archive(folder)
    assert len(service.store.person_ids()) == 1200 and summary["interactions_added"] == 1200 - cut["touches_done"]
    finished, earlier = service.archive_imports()
    assert finished["state"] == "done"
    # The one cut short no longer asks to be imported again: this one finished it.
    assert (earlier["id"], earlier["state"], earlier["finished_by"]) == (cut["id"], "finished_later", finished["id"])


# -- bad archives: a clear message naming the file, and nothing written ---------------------------------
def _nothing_written(service: Any) -> None:
    assert service.store.person_ids() == [] and service.store.archive_imports() == []


def test_a_cut_off_zip_is_refused(service: Any, tmp_path: Path) -> None:
    whole = network().write_zip(tmp_path / "whole.zip")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(Invalid, match="cut off"):
        service.import_archive(cut)
    _nothing_written(service)


def test_a_data_file_cut_off_inside_is_refused_before_anything_is_written(service: Any, tmp_path: Path) -> None:
    folder = network().write_folder(tmp_path / "n")
    posts = folder / "data/tweets.js"
    posts.write_text(posts.read_text()[:-200])
    with pytest.raises(Invalid, match=r"data/tweets\.js is cut off"):
        service.import_archive(folder)
    follows = folder / "data/follower.js"  # the last file read: everything before it is checked too
    posts.write_text(network().files()["data/tweets.js"])
    follows.write_text(follows.read_text()[:-5])
    with pytest.raises(Invalid, match=r"data/follower\.js is cut off"):
        service.import_archive(folder)
    _nothing_written(service)


def test_files_that_are_not_an_archive_are_refused(service: Any, tmp_path: Path) -> None:
    junk = tmp_path / "notes.zip"
    junk.write_text("just some text")
    with pytest.raises(Invalid, match="not a zip file"):
        service.import_archive(junk)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("data/tweets.json", '[{"id": 1}]')
        z.writestr("photo.js", "console.log(1)")
    with pytest.raises(Invalid, match="not an X archive"):
        service.import_archive(other)
    shaped = tmp_path / "shaped"
    (shaped / "data").mkdir(parents=True)
    (shaped / "data/tweets.js").write_text('window.YTD.tweets.part0 = [{"nope": 1}]')
    with pytest.raises(Invalid, match=r"data/tweets\.js: item 1 is not a post"):
        service.import_archive(shaped, me="1")
    _nothing_written(service)


def test_a_wrong_me_or_none_at_all_is_refused(service: Any, tmp_path: Path) -> None:
    b = network()
    with pytest.raises(Invalid, match=r"--me 42 is not whose archive this is: data/manifest\.js says 1000001"):
        service.import_archive(b.write_folder(tmp_path / "a"), me="42")
    b.account_file = False
    files = b.files()
    files.pop("data/manifest.js")
    folder = tmp_path / "anonymous"
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content)
    with pytest.raises(Invalid, match=r"--me 42 is not whose archive this is: it is not in every DM"):
        service.import_archive(folder, me="42")
    assert service.import_archive(folder)["owner"]["user_id"] == ME.user_id  # every 1:1 conversation has me
    (folder / "data/direct-messages.js").unlink()
    (folder / "data/direct-message-headers.js").unlink()
    (folder / "data/direct-messages-group.js").unlink()
    (folder / "data/tweets.js").write_text("window.YTD.tweets.part0 = []")
    with pytest.raises(Invalid, match="does not say whose archive it is"):
        service.import_archive(folder)


def test_media_in_the_zip_is_never_read(service: Any, tmp_path: Path) -> None:
    """A media folder of any size is skipped unopened: a broken video and a decoy .js inside it change nothing."""
    path = network().write_zip(tmp_path / "media.zip", media_bytes=64 << 20)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("data/tweets_media/decoy.js", 'window.YTD.tweets.part9 = [{"tweet": {"id_str": "1"}}]')
    raw = bytearray(path.read_bytes())
    at = raw.find(b"ftypmp42")
    raw[at:at + 8] = b"BROKEN!!"  # its CRC no longer matches: reading it would fail
    path.write_bytes(bytes(raw))
    service.import_archive(path)
    assert state(service) == EXPECTED


def test_a_mention_ends_where_the_handle_s_ascii_characters_end_in_any_language(service: Any, tmp_path: Path) -> None:
    """Japanese and Arabic write words right after a name ("@bobさん"), and Japanese keyboards type "＠"."""
    b = ArchiveBuilder(ME)
    b.post("@alice @bobさん 了解です", START, mentions=[ALICE, BOB], reply_to=("111", ALICE))
    b.post("今日は @carolさんとランチ🍣", days(START, 1), mentions=[CAROL])
    b.post("おはよう ＠alice さん", days(START, 2), mentions=[ALICE])
    b.post("@bobشكرا", days(START, 3), mentions=[BOB])
    summary = service.import_archive(b.write_folder(tmp_path / "ja"))
    assert summary["skipped"]["no_account"] == 0
    found = {k: v[2] for k, v in state(service).items()}
    assert found == {ALICE.user_id: Counter(i_replied=1, i_mentioned=1),
                     BOB.user_id: Counter(i_replied=1, i_mentioned=1), CAROL.user_id: Counter(i_mentioned=1)}


def test_group_dms_under_the_file_name_of_2019_and_2020_are_read(service: Any, tmp_path: Path) -> None:
    files = network("2019").files()
    group = files.pop("data/direct-messages-group.js")
    files["data/direct-message-group.js"] = group.replace("window.YTD.direct_messages_group.",
                                                          "window.YTD.direct_message_group.")
    folder = tmp_path / "2019"
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content)
    service.import_archive(folder)
    assert state(service) == EXPECTED


@pytest.mark.parametrize(("content", "problem"), [("", "empty"), ("\ufeff \n", "empty"),
                                                  ("window.YTD.twee", "cut off before its data"),
                                                  ("window.YTD.tweets.part0 ", "cut off before its data")])
def test_a_data_file_that_is_empty_or_cut_off_before_its_data_is_refused(service: Any, tmp_path: Path, content: str,
                                                                         problem: str) -> None:
    """Not taken for a file the archive lacks: the import would go on without the posts."""
    folder = network().write_folder(tmp_path / "n")
    (folder / "data/tweets.js").write_text(content, encoding="utf-8")
    with pytest.raises(Invalid, match=rf"the data file data/tweets\.js inside is {problem}; download the archive"):
        service.import_archive(folder)
    _nothing_written(service)


def test_small_scripts_that_are_not_x_s_data_do_not_stop_an_import(service: Any, tmp_path: Path) -> None:
    folder = network().write_folder(tmp_path / "n")
    (folder / "extra").mkdir()
    (folder / "extra/empty.js").write_text("")
    (folder / "data/notes.js").write_text("var a;")
    service.import_archive(folder)
    assert state(service) == EXPECTED


def test_a_zip_made_on_windows_with_backslashes_in_its_paths_is_read(service: Any, tmp_path: Path) -> None:
    """Its README.txt still says whose archive it is, and its media folder is still never read."""
    b = network()
    b.account_file = False
    files = b.files()
    files.pop("data/manifest.js")
    files["data/README.txt"] = f"Account ID: {ME.user_id}\nYour archive\n"
    files["data/tweets_media/decoy.js"] = 'window.YTD.tweets.part9 = [{"tweet": {"id_str": "1"}}]'
    path = tmp_path / "windows.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name, content in files.items():
            z.writestr(name.replace("/", "\\"), content)
    summary = service.import_archive(path)
    assert summary["owner"]["user_id"] == ME.user_id
    assert state(service) == EXPECTED


def test_invalid_utf8_is_refused_with_a_reason_that_quotes_none_of_the_posts(service: Any, tmp_path: Path) -> None:
    folder = network().write_folder(tmp_path / "n")
    posts = folder / "data/tweets.js"
    raw = posts.read_bytes()
    at = raw.index(b"both of you")
    posts.write_bytes(raw[:at] + b"\xff\xfe" + raw[at:])
    with pytest.raises(Invalid) as refused:
        service.import_archive(folder)
    message = str(refused.value)
    assert "data/tweets.js is cut off or not valid JSON (lexical error: invalid bytes in UTF8 string.)" in message
    assert "both of you" not in message and "\\x" not in message
    _nothing_written(service)


def test_a_name_x_could_not_resolve_credits_nobody(service: Any, tmp_path: Path) -> None:
    """X writes the id -1 for a mention it could not resolve when it made the archive: no account, not one
    person for all such names."""
    b = ArchiveBuilder(ME)
    b.post("@gone_one and @gone_two", START, mentions=[Person("gone_one", "-1"), Person("gone_two", "-1")])
    summary = service.import_archive(b.write_folder(tmp_path / "gone"))
    assert service.store.person_ids() == []
    assert summary["skipped"]["no_account"] == 2


def quote_and_reply(quoted_first: bool) -> ArchiveBuilder:
    """Alice quoted by a URL (her handle only) and replied to (her id), the quote first or the reply first."""
    b = ArchiveBuilder(ME)
    quote = ("look https://t.co/x", {"urls": ["https://twitter.com/alice/status/99"]})
    reply = ("@alice good point", {"mentions": [ALICE], "reply_to": ("111", ALICE)})
    for n, (text, extra) in enumerate([quote, reply] if quoted_first else [reply, quote]):
        b.post(text, days(START, n), **extra)
    return b


@pytest.mark.parametrize("quoted_first", [True, False])
def test_someone_quoted_by_handle_and_named_by_id_is_counted_once_in_the_summary(
        service: Any, tmp_path: Path, quoted_first: bool) -> None:
    """A quote URL names a handle only; a reply names the same person by id: one person added, one stage raised,
    whichever of the two posts the file lists first."""
    summary = service.import_archive(quote_and_reply(quoted_first).write_folder(tmp_path / "q"))
    assert service.store.person_ids() and len(service.store.person_ids()) == 1
    assert (summary["people_added"], summary["people_updated"], summary["stages_raised"]) == (1, 0, 1)
    assert [(r["handle"], r["from"], r["to"]) for r in summary["raised"]] == [("alice", 0, 1)]


@pytest.mark.parametrize("quoted_first", [True, False])
def test_someone_stored_before_then_quoted_by_handle_is_updated_not_added(service: Any, tmp_path: Path,
                                                                          quoted_first: bool) -> None:
    """Known by id alone (the handle they had then is not stored): the quote makes a record by handle, which
    the reply's id then merges into theirs."""
    service.ingest(batch(page_type="profile", url="https://x.com/alice", profile_handle="alice",
                         people=[{"handle": "alice", "user_id": ALICE.user_id}]))
    service.store.update_person(service.store.find_user_id(ALICE.user_id), {"handle": None, "handle_lc": None})
    summary = service.import_archive(quote_and_reply(quoted_first).write_folder(tmp_path / "q"))
    assert len(service.store.person_ids()) == 1
    assert (summary["people_added"], summary["people_updated"], summary["stages_raised"]) == (0, 1, 1)


def test_whoever_took_a_handle_i_had_before_is_someone_else(service: Any, tmp_path: Path) -> None:
    """The mention's id says who it is: after I left @me_before, another account took it."""
    taker = Person("me_before", snowflake(datetime(2019, 6, 1, tzinfo=UTC)))
    b = ArchiveBuilder(ME, old_handles=["me_before"])
    b.post("@me_before hello namesake", datetime(2022, 3, 1, tzinfo=UTC), mentions=[taker], reply_to=("42", taker))
    b.post("@me_before and me, an old thread of mine", START, mentions=[Person("me_before", ME.user_id)])
    service.import_archive(b.write_folder(tmp_path / "taken"))
    assert {k: v[2] for k, v in state(service).items()} == {taker.user_id: Counter(i_replied=1)}


def test_a_part_the_manifest_lists_but_the_archive_lacks_is_named_missing(service: Any, tmp_path: Path) -> None:
    b = ArchiveBuilder(ME)
    for n in range(90):
        b.post(f"@alice reply {n}", days(START, n), mentions=[ALICE], reply_to=(str(500 + n), ALICE))
    folder = b.write_folder(tmp_path / "parts", parts=3)
    (folder / "data/tweets-part1.js").unlink()  # lost while copying
    summary = service.import_archive(folder)
    assert summary["missing_files"] == ["follower.js", "following.js", "tweets-part1.js"]  # this one had no follows
    assert summary["interactions_added"] == 60


def test_a_newer_archive_turns_days_i_wrote_unanswered_into_a_conversation_counted_once(
        service: Any, tmp_path: Path) -> None:
    old = ArchiveBuilder(ME)
    old.dm(BOB, [(True, days(START, 4)), (True, days(START, 5))])
    service.import_archive(old.write_folder(tmp_path / "old"))
    assert [i["kind"] for i in service.person(BOB.user_id)["interactions"]] == ["i_messaged", "i_messaged"]
    new = ArchiveBuilder(ME)
    new.dm(BOB, [(True, days(START, 4)), (True, days(START, 5)), (False, days(START, 400))])  # bob answered
    summary = service.import_archive(new.write_folder(tmp_path / "new"))
    bob = service.person(BOB.user_id)
    assert sorted((i["at"][:10], i["kind"]) for i in bob["interactions"]) == [
        ("2017-03-05", "dm"), ("2017-03-06", "dm"), ("2018-04-05", "dm")]
    assert summary["interactions_added"] == 1 and bob["stage"]["current"] == 2
    assert Counter(service.store.person(service.store.find_user_id(BOB.user_id))["aggregates"]["kind_counts"]) == \
        Counter(dm=3)


def test_a_day_of_messages_the_extension_saw_is_not_counted_again_by_the_archive(service: Any, tmp_path: Path) -> None:
    service.ingest(batch(page_type="messages", url="https://x.com/messages", dm_conversations=[
        {"with": [{"handle": "bob", "user_id": BOB.user_id}], "writers": ["me", "them"],
         "last_message_at": "2017-03-06T12:00:00Z"}]))
    b = ArchiveBuilder(ME)
    b.dm(BOB, [(True, days(START, 5)), (False, days(START, 5)), (False, days(START, 9))])
    service.import_archive(b.write_folder(tmp_path / "a"))
    bob = service.person(BOB.user_id)
    assert sorted((i["at"][:10], i["kind"], i["source"]) for i in bob["interactions"]) == [
        ("2017-03-06", "dm", "scrape"), ("2017-03-10", "dm", "archive")]


def test_a_day_of_messages_the_archive_recorded_is_not_counted_again_by_the_extension(
        service: Any, tmp_path: Path) -> None:
    b = ArchiveBuilder(ME)
    b.dm(BOB, [(True, days(START, 5)), (False, days(START, 5))])
    service.import_archive(b.write_folder(tmp_path / "a"))
    seen = {"with": [{"handle": "bob", "user_id": BOB.user_id}], "writers": ["me", "them"]}
    service.ingest(batch(page_type="messages", url="https://x.com/messages", dm_conversations=[
        {**seen, "last_message_at": "2017-03-06T12:00:00Z"}]))
    service.ingest(batch(page_type="messages", url="https://x.com/messages", dm_conversations=[
        {**seen, "last_message_at": "2017-03-07T08:00:00Z"}]))  # a day the archive does not hold
    bob = service.person(BOB.user_id)
    assert sorted((i["at"][:10], i["source"]) for i in bob["interactions"]) == [
        ("2017-03-06", "archive"), ("2017-03-07", "scrape")]


def test_group_members_are_credited_only_for_the_days_they_were_in_the_group(service: Any, tmp_path: Path) -> None:
    dave, erin = Person("dave", "6000016"), Person("erin", "6000017")
    b = ArchiveBuilder(ME)
    b.group("999", [ME, CAROL, dave], [(CAROL, days(START, 1)), (ME, days(START, 2)), (ME, days(START, 40))])
    b.groups[-1]["messages"] += [
        {"participantsLeave": {"userIds": [dave.user_id], "createdAt": days(START, 10)}},
        {"participantsJoin": {"initiatingUserId": CAROL.user_id, "userIds": [erin.user_id],
                              "createdAt": days(START, 20)}},
    ]
    service.import_archive(b.write_folder(tmp_path / "g"))
    days_of = {k: sorted(i["at"][:10] for i in service.person(k)["interactions"])
               for k in (CAROL.user_id, dave.user_id, erin.user_id)}
    assert days_of == {CAROL.user_id: ["2017-03-03", "2017-04-10"], dave.user_id: ["2017-03-03"],
                       erin.user_id: ["2017-04-10"]}
