"""Stage rules, identity and merging, idempotent ingest: the domain behind the badges."""

from __future__ import annotations

from typing import Any

import pytest

from companion.domain.errors import Invalid, NotFound
from tests.conftest import batch, tweet


def people(service: Any) -> dict[str, dict[str, Any]]:
    return {p["handle"]: p for p in service.list_people(limit=500)["people"]}


def test_stage_is_the_highest_stage_with_evidence(service) -> None:
    service.ingest(batch(tweets=[tweet("1", "alice", reply_to=["me"])]))
    assert service.person("alice")["stage"]["current"] == 1
    service.ingest(batch(dm_conversations=[{"with": ["alice"], "last_message_at": "2026-11-02T08:00:00Z"}]))
    assert service.person("alice")["stage"]["current"] == 2
    service.log_event("alice", {"kind": "call", "at": "2026-11-03"})
    assert service.person("alice")["stage"]["current"] == 3
    service.log_event("alice", {"kind": "meeting", "at": "2026-11-04", "place": "Lisbon"})
    card = service.person("alice")
    assert card["stage"]["current"] == 4 and card["stage"]["name"] == "Met in person"
    assert [e["stage"] for e in card["stage"]["evidence"]] == [4, 3, 2, 1]
    casual = card["stage"]["evidence"][-1]["items"][0]
    assert casual["url"] == "https://x.com/alice/status/1" and casual["label"] == "They replied to your post"
    assert [h["stage"] for h in card["stage"]["history"]] == [1, 2, 3, 4]


def test_stage_never_drops_by_itself(service) -> None:
    service.ingest(batch(dm_conversations=[{"with": ["alice"], "last_message_at": "2026-11-02T08:00:00Z"}]))
    service.ingest(batch(observed_at="2026-11-25T10:00:00Z", tweets=[tweet("5", "alice", reply_to=["me"])]))
    assert service.person("alice")["stage"]["current"] == 2


def test_a_manual_stage_is_kept_with_its_reason_until_higher_evidence(service) -> None:
    service.ingest(batch(dm_conversations=[{"with": ["alice"], "last_message_at": "2026-11-02T08:00:00Z"}]))
    card = service.edit_person("alice", {"stage": {"stage": 1, "reason": "that DM was her assistant"}})
    assert card["stage"]["current"] == 1 and card["stage"]["from_evidence"] == 2
    assert card["stage"]["manual"]["reason"] == "that DM was her assistant"
    assert card["stage"]["history"][-1] == {"stage": 1, "at": card["stage"]["manual"]["at"], "source": "manual",
                                            "reason": "that DM was her assistant"}
    # Re-seeing the old DM changes nothing; a new, higher piece of evidence does.
    service.ingest(batch(dm_conversations=[{"with": ["alice"], "last_message_at": "2026-11-02T08:00:00Z"}]))
    assert service.person("alice")["stage"]["current"] == 1
    service.log_event("alice", {"kind": "call", "at": "2026-11-30"})
    assert service.person("alice")["stage"]["current"] == 3
    assert service.edit_person("alice", {"stage": None})["stage"]["current"] == 3


def test_the_same_batch_twice_adds_nothing(service) -> None:
    b = batch(tweets=[tweet("1", "alice", reply_to=["me"]), tweet("2", "me", reply_to=["bob"])],
              people=[{"handle": "alice", "user_id": "42", "display_name": "Alice", "followers": 5}])
    first = service.ingest(b)
    assert (first["people_created"], first["interactions_added"], first["snapshots_added"]) == (2, 2, 1)
    again = service.ingest(b)
    assert (again["people_created"], again["people_updated"], again["interactions_added"],
            again["snapshots_added"]) == (0, 0, 0, 0)
    export = service.export()
    assert sum(len(p["interactions"]) for p in export["people"]) == 2
    assert sum(len(p["snapshots"]) for p in export["people"]) == 1


def test_a_profile_snapshot_only_when_something_changed(service) -> None:
    def seen(**profile: Any) -> None:
        service.ingest(batch(page_type="profile", url="https://x.com/alice",
                             people=[{"handle": "alice", "user_id": "42", **profile}]))

    seen(display_name="Alice", bio="wine nerd", followers=10)
    seen(display_name="Alice", bio="wine nerd", followers=10)
    seen(display_name="Alice", bio="wine nerd", followers=10, location=None)
    seen(bio="books now", followers=11)
    history = service.person("alice")["profile_history"]
    assert [(h["profile"]["bio"], h["profile"]["followers"]) for h in history] == [("wine nerd", 10), ("books now", 11)]
    assert history[-1]["profile"]["display_name"] == "Alice"


def test_only_people_i_interact_with_or_whose_profile_i_open_are_stored(service) -> None:
    service.ingest(batch(tweets=[tweet("1", "stranger"), tweet("2", "alice", reply_to=["me"])],
                         people=[{"handle": "stranger", "user_id": "9", "display_name": "S"}]))
    service.ingest(batch(page_type="profile", url="https://x.com/bob", people=[{"handle": "bob", "user_id": "8"}]))
    assert set(people(service)) == {"alice", "bob"}
    with pytest.raises(NotFound):
        service.person("stranger")


def test_a_user_id_arriving_for_a_known_handle_merges_and_notes_follow(service) -> None:
    service.ingest(batch(tweets=[tweet("1", "alice", reply_to=["me"])]))
    service.edit_person("alice", {"notes": {"wine": "Barolo"}, "tags": ["friend"]})
    service.ingest(batch(page_type="profile", url="https://x.com/alice", people=[{"handle": "alice", "user_id": "42"}]))
    card = service.person("42")
    assert card["key"] == "42" and card["handle"] == "alice" and card["notes"]["wine"] == "Barolo"
    assert len(people(service)) == 1


def test_a_renamed_account_keeps_its_notes_and_handle_history(service) -> None:
    service.ingest(batch(page_type="profile", url="https://x.com/alice", people=[{"handle": "alice", "user_id": "42"}]))
    service.edit_person("alice", {"notes": {"books": "Dune"}})
    service.ingest(batch(page_type="profile", url="https://x.com/alice_new", observed_at="2026-11-22T10:00:00Z",
                         people=[{"handle": "alice_new", "user_id": "42"}]))
    card = service.person("alice_new")
    assert card["notes"]["books"] == "Dune" and card["user_id"] == "42"
    assert [h["handle"] for h in card["handle_history"]] == ["alice", "alice_new"]
    with pytest.raises(NotFound):
        service.person("alice")
    assert service.badges(["Alice_New", "alice"])["badges"]["Alice_New"]["notes"] == "Reading: Dune"


def test_two_records_of_one_account_merge_with_everything(service) -> None:
    # Known by id under an old handle, and separately by the new handle (seen in a reply, no id).
    service.ingest(batch(page_type="profile", url="https://x.com/old", people=[{"handle": "old", "user_id": "42"}]))
    service.edit_person("42", {"notes": {"wine": "Barolo"}, "tags": ["customer"]})
    service.ingest(batch(tweets=[tweet("1", "newname", reply_to=["me"])]))
    service.edit_person("newname", {"notes": {"books": "Dune"}, "tags": ["friend"]})
    service.log_event("newname", {"kind": "call", "at": "2026-11-10"})
    service.ingest(batch(page_type="profile", url="https://x.com/newname",
                         people=[{"handle": "newname", "user_id": "42"}]))
    assert len(people(service)) == 1
    card = service.person("42")
    assert card["handle"] == "newname"
    assert card["notes"]["wine"] == "Barolo" and card["notes"]["books"] == "Dune"
    assert card["tags"] == ["customer", "friend"]
    assert card["stage"]["current"] == 3 and len(card["interactions"]) == 2


def test_a_handle_taken_over_by_another_account_does_not_merge_them(service) -> None:
    service.ingest(batch(page_type="profile", url="https://x.com/alice", people=[{"handle": "alice", "user_id": "1"}]))
    service.edit_person("1", {"notes": {"books": "Dune"}})
    service.ingest(batch(page_type="profile", url="https://x.com/alice", people=[{"handle": "alice", "user_id": "2"}]))
    assert service.person("alice")["user_id"] == "2" and service.person("alice")["notes"]["books"] is None
    assert service.person("1")["notes"]["books"] == "Dune" and service.person("1")["handle"] is None


def test_notes_merge_per_field_and_blank_clears(service) -> None:
    service.create_person({"handle": "alice"})
    service.edit_person("alice", {"notes": {"books": "Dune", "wine": "Barolo"}})
    card = service.edit_person("alice", {"notes": {"wine": "  ", "music": "Radiohead"},
                                         "next_step": "ask about Lisbon"})
    assert card["notes"] == {"books": "Dune", "wine": None, "music": "Radiohead", "movies": None, "sports": None,
                             "other": None}
    assert card["notes_summary"] == "Reading: Dune · Music: Radiohead" and card["next_step"] == "ask about Lisbon"


def test_badges_for_known_and_unknown_handles(service) -> None:
    service.create_person({"handle": "Alice", "notes": {"books": "Dune\nand more"}, "tags": ["friend", "customer"]})
    badges = service.badges(["alice", "nobody"])["badges"]
    assert badges["alice"] == {"known": True, "handle": "Alice", "user_id": None, "stage": 0, "stage_name": "Not yet",
                               "colour": "#8B98A5", "tags": ["customer", "friend"], "labels": [],
                               "notes": "Reading: Dune", "last_interaction_at": None, "overdue_days": None}
    assert badges["nobody"]["known"] is False and badges["nobody"]["stage"] == 0


def test_logged_events_can_be_deleted_but_scraped_ones_cannot(service) -> None:
    service.ingest(batch(tweets=[tweet("1", "alice", reply_to=["me"])]))
    event = service.log_event("alice", {"kind": "meeting", "at": "2026-11-04", "place": "Lisbon", "note": "  "})
    assert event["place"] == "Lisbon" and event["note"] is None and event["at"] == "2026-11-04T12:00:00.000000Z"
    assert service.person("alice")["stage"]["current"] == 4
    service.delete_event("alice", event["id"])
    assert service.person("alice")["stage"]["current"] == 1
    with pytest.raises(Invalid):
        service.delete_event("alice", "tweet:1:they_replied")
    with pytest.raises(NotFound):
        service.delete_event("alice", event["id"])


def test_search_filter_sort_and_paging(service) -> None:
    for n in range(30):
        service.create_person({"handle": f"p{n:02}", "notes": {"wine": "Barolo" if n % 3 == 0 else None},
                               "tags": ["customer"] if n % 5 == 0 else []})
    service.log_event("p07", {"kind": "call", "at": "2026-11-01"})
    assert service.list_people(q="barolo")["total"] == 10
    assert {p["handle"] for p in service.list_people(tag="customer")["people"]} == {"p00", "p05", "p10", "p15", "p20",
                                                                                    "p25"}
    assert [p["handle"] for p in service.list_people(stage=[3])["people"]] == ["p07"]
    page = service.list_people(sort="handle", order="asc", limit=10, offset=10)
    assert page["total"] == 30 and [p["handle"] for p in page["people"]] == [f"p{n:02}" for n in range(10, 20)]
    assert service.list_people(sort="last_interaction")["people"][0]["handle"] == "p07"
    with pytest.raises(Invalid) as caught:
        service.list_people(limit=0)
    assert caught.value.path == "/query/limit"


def test_export_then_import_into_an_empty_companion_round_trips(service, tmp_path) -> None:
    from companion.domain.service import Rapport
    from companion.store.database import Store

    service.ingest(batch(tweets=[tweet("1", "alice", reply_to=["me"]), tweet("2", "me", mentions=["bob"])],
                         people=[{"handle": "alice", "user_id": "42", "bio": "hi", "follows_me": True}],
                         dm_conversations=[{"with": ["carol"], "last_message_at": "2026-11-02T08:00:00Z"}]))
    service.edit_person("alice", {"notes": {"wine": "Barolo"}, "tags": ["prospect"], "next_step": "intro",
                                  "stage": {"stage": 3, "reason": "called on Signal"}})
    service.log_event("carol", {"kind": "meeting", "at": "2026-11-05", "place": "Porto"})
    exported = service.export()
    other = Rapport(Store(tmp_path / "other"))
    result = other.import_(exported, "merge")
    assert (result["people_created"], result["interactions_added"]) == (3, 4)
    again = other.export()
    assert {**again, "exported_at": None} == {**exported, "exported_at": None}
    # Importing the same export again merges into the same people and adds nothing.
    repeat = other.import_(exported, "merge")
    assert (repeat["people_created"], repeat["people_merged"], repeat["interactions_added"]) == (0, 3, 0)
    after = other.export()["people"]
    assert [(p["handle"], p["notes"], p["tags"], len(p["interactions"]), len(p["snapshots"])) for p in after] == [
        (p["handle"], p["notes"], p["tags"], len(p["interactions"]), len(p["snapshots"])) for p in exported["people"]]
    other.store.close()


def test_import_replace_swaps_everything_after_a_backup(service, data_dir) -> None:
    service.create_person({"handle": "old"})
    snapshot = service.export()
    service.create_person({"handle": "newer"})
    result = service.import_(snapshot, "replace")
    assert result["mode"] == "replace" and [p["handle"] for p in service.list_people()["people"]] == ["old"]
    assert list((data_dir / "backups").glob("rapport-*.json"))


def test_a_merge_late_in_a_batch_keeps_every_interaction_of_that_batch(service) -> None:
    service.ingest(batch(page_type="profile", url="https://x.com/dana_old",
                         people=[{"handle": "dana_old", "user_id": "77"}]))
    service.edit_person("77", {"notes": {"sports": "Arsenal"}})
    # The reply names only the new handle; the user id shows up later in the same batch, in the DM list.
    result = service.ingest(batch(tweets=[tweet("1", "dana", reply_to=["me"])], dm_conversations=[
        {"with": [{"handle": "dana", "user_id": "77"}], "last_message_at": "2026-11-02T08:00:00Z"}]))
    assert result["interactions_added"] == 2 and result["people_created"] == 0
    card = service.person("77")
    assert card["handle"] == "dana" and card["notes"]["sports"] == "Arsenal"
    assert sorted(i["kind"] for i in card["interactions"]) == ["dm", "they_replied"]
    assert card["stage"]["current"] == 2 and len(people(service)) == 1


def test_a_follow_notification_marks_a_kept_person_as_following_me_once(service) -> None:
    service.create_person({"handle": "erin"})
    follow = batch(page_type="notifications", url="https://x.com/notifications",
                   notifications=[{"type": "follow", "actors": ["erin", "stranger"], "status_id": None, "at": None}])
    assert service.ingest(follow)["snapshots_added"] == 1
    assert service.ingest(follow)["snapshots_added"] == 0
    assert service.person("erin")["profile"]["follows_me"] is True
    assert service.list_people()["total"] == 1  # a follow alone keeps nobody new
