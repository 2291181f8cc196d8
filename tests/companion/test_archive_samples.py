"""The real X archives in ../shared/x-archive, imported as a user would, checked against their raw files."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

SAMPLES = ROOT.parent / "shared" / "x-archive"
MILAHU = "1964312974236991488"


def raw(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1:])


def stages(service: Any) -> Counter[int]:
    store = service.store
    return Counter(store.person(p)["stage"] for p in store.person_ids())


def person(service: Any, key: str) -> dict[str, Any]:
    return service.person(key, interactions_limit=500)


def kinds(detail: dict[str, Any]) -> Counter[str]:
    return Counter(i["kind"] for i in detail["interactions"])


def test_every_sample_archive_has_expected_values_here() -> None:
    """A sample added to ../shared/x-archive fails here until it has its own test below."""
    tested = {"milahu-2026", "dogsheep-2019", "tobeofuse-2020", "gedankenstuecke-2019"}
    assert {p.name for p in SAMPLES.iterdir() if p.is_dir()} == tested


def test_milahu_2026_gives_its_network_staged_with_evidence(service: Any) -> None:
    summary = service.import_archive(SAMPLES / "milahu-2026")
    assert summary["owner"] == {"user_id": MILAHU, "handle": "milahu104", "display_name": "Milan Hauth"}
    assert summary["generated_at"] == "2026-03-06T13:15:31.187Z"
    assert summary["missing_files"] == []
    assert stages(service) == {0: 130, 1: 1080, 2: 4}
    assert summary["people_added"] == 1214 and summary["interactions_added"] == 2656
    assert summary["raised_to"] == {"1": 1080, "2": 4}  # as many as the store holds at those stages
    assert summary["skipped"]["deleted_posts"] == 47  # counted for nothing unless asked for

    # Me, under either of my handles (screen-name-change.js), is nobody to keep.
    assert service.store.find_user_id(MILAHU) is None
    assert service.store.find_handle("milahu104") is None and service.store.find_handle("HauthMilan34580") is None

    # Follow flags are exactly the two files.
    followers = {i["follower"]["accountId"] for i in raw(SAMPLES / "milahu-2026/data/follower.js")}
    following = {i["following"]["accountId"] for i in raw(SAMPLES / "milahu-2026/data/following.js")}
    store = service.store
    flagged_me = {store.person(p)["user_id"] for p in store.person_ids() if store.person(p)["profile"]["follows_me"]}
    flagged_i = {store.person(p)["user_id"] for p in store.person_ids() if store.person(p)["profile"]["i_follow"]}
    assert flagged_me == followers and flagged_i == following
    assert not any(store.person(p)["profile"]["follows_me"] is False for p in store.person_ids())

    # @KimDotcom, checked against tweets.js: every reply of mine whose leading @names include him (X's
    # "Replying to"), or that replies to his id, is a reply to him; "RT @KimDotcom:" is a repost, and a
    # link to his status URL a quote.
    posts = [t["tweet"] for t in raw(SAMPLES / "milahu-2026/data/tweets.js")]

    def addressed(text: str) -> list[str]:
        return re.findall(r"@(\w+)", re.match(r"^(?:\s*@\w+)*", text)[0].lower())

    replies = {t["id_str"] for t in posts if t.get("in_reply_to_status_id_str") and (
        t.get("in_reply_to_user_id_str") == "611986351" or "kimdotcom" in addressed(t["full_text"]))}
    reposts = {t["id_str"] for t in posts if t["full_text"].startswith("RT @KimDotcom:")}
    quotes = {t["id_str"] for t in posts if any("x.com/KimDotcom/status/" in u["expanded_url"]
                                               for u in t["entities"]["urls"])}
    kim = person(service, "611986351")
    assert kim["handle"] == "KimDotcom" and kim["stage"]["current"] == 1
    assert kinds(kim) == {"i_replied": len(replies), "i_reposted": len(reposts), "i_quoted": len(quotes)}
    assert {i["status_id"] for i in kim["interactions"] if i["kind"] == "i_replied"} == replies
    assert all(i["source"] == "archive" and i["url"].startswith("https://x.com/milahu104/status/")
               for i in kim["interactions"])
    assert kim["stage"]["evidence"][0]["items"][0]["source"] == "archive"

    # @HeatherDayMusic: I wrote once in the legacy conversation, and we both wrote in its XChat twin
    # (message-event.js, "A:B"): one relationship, a two-way DM conversation.
    heather = person(service, "2815014648")
    assert heather["stage"]["current"] == 2 and heather["profile"]["follows_me"] is True
    dm_days = [i for i in heather["interactions"] if i["kind"] == "dm"]
    assert {i["at"][:10] for i in dm_days} == {"2026-01-25", "2026-02-24"}
    assert all(i["url"] == f"https://x.com/messages/2815014648-{MILAHU}" for i in dm_days)

    # 3824124982: I wrote, they never answered: it counts like a mention, "no answer".
    one_way = person(service, "3824124982")
    messaged = [i for i in one_way["interactions"] if i["kind"].endswith("messaged")]
    assert one_way["stage"]["current"] == 1 and [i["kind"] for i in messaged] == ["i_messaged"]
    assert "no answer" in messaged[0]["label"]


def test_dogsheep_2019_follow_lists_make_stage_0_people_without_badges(service: Any) -> None:
    summary = service.import_archive(SAMPLES / "dogsheep-2019")
    assert summary["owner"]["user_id"] == "12497" and summary["owner"]["handle"] == "simonw"
    assert set(summary["missing_files"]) == {"tweets.js", "direct-messages.js"}
    assert stages(service) == {0: 4}  # two followers, two followed, nobody both
    followers = {i["follower"]["accountId"] for i in raw(SAMPLES / "dogsheep-2019/follower.js")}
    for user_id in followers:
        doc = service.store.person(service.store.find_user_id(user_id))
        assert doc["profile"]["follows_me"] is True and doc["handle"] is None
    assert summary["follows_me_set"] == 2 and summary["i_follow_set"] == 2
    assert service.badges(["simonw"])["badges"]["simonw"]["known"] is False


def test_tobeofuse_2020_dms_and_groups_without_an_account_file(service: Any) -> None:
    """No account.js: the owner is the party in every 1:1 conversation (the groups break the tie)."""
    summary = service.import_archive(SAMPLES / "tobeofuse-2020")
    assert summary["owner"]["user_id"] == "4196983835"
    partner = person(service, "846137120209190912")  # 5 messages from me, 3 from them
    assert partner["stage"]["current"] == 2 and set(kinds(partner)) == {"dm"}
    # The group I wrote in: its other members then (senders, joins, the snapshot) reach stage 1; 18393773 had
    # left it 17 minutes before I wrote, so is not one of them.
    assert stages(service) == {1: 10, 2: 1} and service.store.find_user_id("18393773") is None
    assert summary["groups_counted"] == 1
    # The group I never wrote in is recorded as such, and gives nobody a stage.
    assert summary["skipped"]["silent_groups"] == 1 and summary["skipped"]["silent_group_members"] == 3
    assert service.store.find_user_id("176566242") is None


def test_gedankenstuecke_2019_bare_tweets_and_an_owner_found_from_a_thread(service: Any) -> None:
    summary = service.import_archive(SAMPLES / "gedankenstuecke-2019")
    # No account file: a reply to one of the archive's own posts names its author, me.
    assert summary["owner"]["user_id"] == "14286491"
    posts = raw(SAMPLES / "gedankenstuecke-2019/new_tweet_subset.js")
    bayer = person(service, "121777206")
    replies_to_bayer = {t["id_str"] for t in posts if t.get("in_reply_to_user_id_str") == "121777206"}
    assert {i["status_id"] for i in bayer["interactions"] if i["kind"] == "i_replied"} >= replies_to_bayer
    assert summary["interactions_added"] == 18 and stages(service) == {1: 13}


@pytest.mark.parametrize("sample", ["milahu-2026", "tobeofuse-2020"])
def test_importing_a_sample_again_changes_nothing(service: Any, sample: str) -> None:
    me = {"tobeofuse-2020": "4196983835"}.get(sample)
    first = service.import_archive(SAMPLES / sample, me=me)
    before = service.export()
    again = service.import_archive(SAMPLES / sample, me=me)
    assert first["interactions_added"] > 0
    assert (again["people_added"], again["people_updated"], again["interactions_added"], again["stages_raised"]) \
        == (0, 0, 0, 0)
    after = service.export()
    assert before["people"] == after["people"]
