"""Two records of one person: suggested by the same display name or a handle one had, merged by hand keeping
every note, tag, label and interaction, and undone (what changed since on the kept one stays)."""

from __future__ import annotations

import pytest

from companion.domain.errors import Conflict, Invalid, NotFound
from companion.schema import validate
from tests.conftest import Companion, batch, tweet


def two_records(service) -> None:
    """@ada_old from a quote (handle only) and account 42, now @ada_new, who replied to you."""
    service.create_person({"handle": "ada_old", "display_name": "Ada Lovelace", "tags": ["friend"],
                           "notes": {"books": "Dune"}, "labels": ["SXSW 2026"]})
    service.ingest(batch(tweets=[tweet("1", "ada_new", reply_to=["me"])],
                         people=[{"handle": "ada_new", "user_id": "42", "display_name": "Ada Lovelace"}]))
    service.edit_person("42", {"notes": {"books": "Piranesi", "wine": "Barolo"}, "tags": ["customer"]})
    service.log_event("ada_old", {"kind": "meeting", "at": "2026-05-01", "place": "London"})


def test_the_same_display_name_is_suggested_and_a_dismissed_pair_is_not_again(service) -> None:
    two_records(service)
    service.create_person({"handle": "al", "display_name": "Al"})
    service.create_person({"handle": "al2", "display_name": "AL"})  # too short a name to say anything
    found = service.duplicates()
    validate("duplicates", found)
    assert [sorted(p["key"] for p in pair["people"]) for pair in found["pairs"]] == [["42", "ada_old"]]
    assert found["pairs"][0]["why"] == "the same display name"
    service.not_duplicates("ada_old", "42")
    assert service.duplicates()["pairs"] == []
    validate("export", service.export())


def test_a_handle_one_record_had_suggests_the_record_that_holds_it(service) -> None:
    service.create_person({"handle": "grace_h"})  # a handle-only record, from before she renamed
    service.ingest(batch(people=[{"handle": "grace_h", "user_id": "7", "display_name": "Grace"}],
                         tweets=[tweet("5", "grace_h", reply_to=["me"])]))  # the page: that handle is account 7
    service.ingest(batch(people=[{"handle": "grace", "user_id": "7", "display_name": "Grace"}],
                         tweets=[tweet("6", "grace", reply_to=["me"])]))  # account 7 renamed
    service.create_person({"handle": "grace_h", "display_name": "G."})  # a quote names the old handle again
    pairs = service.duplicates()["pairs"]
    assert [(sorted(p["key"] for p in pair["people"]), pair["why"]) for pair in pairs] == [
        (["7", "grace_h"], "@grace_h was a handle of one of them")]


def test_a_merge_keeps_everything_and_its_undo_puts_both_back(service) -> None:
    two_records(service)
    before = {key: service.person(key) for key in ("42", "ada_old")}
    done = service.merge_people("42", "ada_old")
    merged = done["person"]
    assert merged["notes"]["books"] == "Piranesi\nDune" and merged["notes"]["wine"] == "Barolo"
    assert merged["tags"] == ["customer", "friend"] and [label["name"] for label in merged["labels"]] == ["SXSW 2026"]
    assert sorted(i["kind"] for i in merged["interactions"]) == ["meeting", "they_replied"]
    assert merged["stage"]["current"] == 4
    with pytest.raises(NotFound):
        service.person("ada_old")
    assert [m["id"] for m in service.duplicates()["merges"]] == [done["merge_id"]]

    # A note edited after the merge stays; what the merge changed goes back.
    service.edit_person("42", {"notes": {"sports": "chess"}})
    restored = service.undo_merge(done["merge_id"])["restored"]
    assert restored["key"] == "ada_old"
    old = service.person("ada_old")
    assert (old["notes"], old["tags"], old["labels"]) == (before["ada_old"]["notes"], before["ada_old"]["tags"],
                                                          before["ada_old"]["labels"])
    assert [i["kind"] for i in old["interactions"]] == ["meeting"] and old["stage"]["current"] == 4
    kept = service.person("42")
    assert kept["notes"] == {**before["42"]["notes"], "sports": "chess"}
    assert kept["tags"] == ["customer"] and kept["labels"] == []
    assert [i["kind"] for i in kept["interactions"]] == ["they_replied"] and kept["stage"]["current"] == 1
    assert service.duplicates()["merges"] == []
    with pytest.raises(Conflict):
        service.undo_merge(done["merge_id"])


def test_two_accounts_of_one_person_stay_one_when_either_is_seen_again(service) -> None:
    service.ingest(batch(people=[{"handle": "bo_work", "user_id": "100", "display_name": "Bo"},
                                 {"handle": "bo_home", "user_id": "200", "display_name": "Bo"}],
                         tweets=[tweet("1", "bo_work", reply_to=["me"]), tweet("2", "bo_home", reply_to=["me"])]))
    service.merge_people("100", "200")
    # The other account replies again: the same record, and it keeps its own handle.
    service.ingest(batch(people=[{"handle": "bo_home", "user_id": "200", "display_name": "Bo"}],
                         tweets=[tweet("3", "bo_home", reply_to=["me"])]))
    assert service.person("200")["key"] == "100" and service.person("100")["handle"] == "bo_work"
    assert len(service.person("100")["interactions"]) == 3
    assert service.list_people()["total"] == 1
    # Both accounts' posts carry their badge; the other account's new handle too, once seen.
    assert service.badges(["bo_home"])["badges"]["bo_home"]["user_id"] == "100"
    service.ingest(batch(people=[{"handle": "bo_at_home", "user_id": "200", "display_name": "Bo"}],
                         tweets=[tweet("4", "bo_at_home", reply_to=["me"])]))
    found = service.badges(["bo_home", "bo_at_home", "bo_work"])["badges"]
    assert (found["bo_home"]["known"], found["bo_at_home"]["user_id"], found["bo_work"]["user_id"]) == (
        False, "100", "100")


def test_what_cannot_be_merged_or_undone_says_why_and_changes_nothing(service) -> None:
    two_records(service)
    with pytest.raises(Invalid):
        service.merge_people("42", "ada_new")  # the same person, by two keys
    with pytest.raises(NotFound):
        service.merge_people("42", "nobody")
    assert service.list_people()["total"] == 2
    with pytest.raises(NotFound):
        service.undo_merge(99)
    done = service.merge_people("42", "ada_old")
    service.create_person({"handle": "ada_old"})  # the handle is someone's record again
    with pytest.raises(Conflict):
        service.undo_merge(done["merge_id"])
    assert [m["id"] for m in service.duplicates()["merges"]] == [done["merge_id"]]


def test_merge_undo_and_dismiss_over_http(companion: Companion) -> None:
    companion.post("/people", {"handle": "ada_old", "display_name": "Ada Lovelace", "notes": {"books": "Dune"}})
    companion.post("/people", {"user_id": "42", "display_name": "Ada Lovelace"})
    found = companion.get("/duplicates").json()
    validate("duplicates", found)
    assert len(found["pairs"]) == 1
    bad = companion.post("/merges", {"keep": "42"})
    assert bad.status_code == 400 and "gone" in bad.text
    merged = companion.post("/merges", {"keep": "42", "gone": "ada_old"})
    assert merged.status_code == 201 and merged.json()["person"]["notes"]["books"] == "Dune"
    validate("person", merged.json()["person"])
    assert companion.get("/people/ada_old").status_code == 404
    undone = companion.post(f"/merges/{merged.json()['merge_id']}/undo")
    assert undone.status_code == 200 and undone.json()["restored"]["key"] == "ada_old"
    assert companion.post(f"/merges/{merged.json()['merge_id']}/undo").status_code == 409
    assert companion.post("/duplicates/dismiss", {"people": ["42", "ada_old"]}).status_code == 200
    assert companion.get("/duplicates").json()["pairs"] == []


def test_an_undo_after_a_restart_brings_back_exactly_the_history_the_merge_took(data_dir) -> None:
    from companion.domain.service import Rapport
    from companion.store.database import Store

    store = Store(data_dir)
    service = Rapport(store)
    # Both records have the same mention (dropped as already known by the merge), and one meeting of their own.
    service.ingest(batch(tweets=[tweet("1", "ann", reply_to=["me"]), tweet("2", "ann_b", reply_to=["me"])],
                         people=[{"handle": "ann", "user_id": "1", "display_name": "Ann"},
                                 {"handle": "ann_b", "user_id": "2", "display_name": "Ann"}]))
    shared = {"kind": "meeting", "at": "2026-04-01", "place": "Oslo"}
    service.log_event("1", shared)
    service.log_event("2", shared)
    mine = service.log_event("2", {"kind": "call", "at": "2026-04-02"})
    done = service.merge_people("1", "2")
    service.delete_event("1", mine["id"])  # deleted after the merge: it stays deleted
    store.close()
    store = Store(data_dir)  # ids freed by the merge may now be given to new rows
    service = Rapport(store)
    try:
        service.ingest(batch(tweets=[tweet("3", "cat", reply_to=["me"])], people=[{"handle": "cat", "user_id": "3"}]))
        service.log_event("cat", {"kind": "call", "at": "2026-04-03"})
        service.undo_merge(done["merge_id"])
        assert sorted(i["kind"] for i in service.person("2")["interactions"]) == ["meeting", "they_replied"]
        assert sorted(i["kind"] for i in service.person("1")["interactions"]) == ["meeting", "they_replied"]
        assert sorted(i["kind"] for i in service.person("cat")["interactions"]) == ["call", "they_replied"]
        # Every lookup is what a restart rebuilds.
        lookups = {k: store.find_user_id(k) for k in "123"}
        store.close()
        store = Store(data_dir)
        assert {k: store.find_user_id(k) for k in "123"} == lookups
    finally:
        store.close()


def test_undo_gives_the_record_back_its_accounts_even_after_another_merge(service) -> None:
    service.ingest(batch(people=[{"handle": h, "user_id": u, "display_name": "Bo"}
                                 for h, u in (("bo", "1"), ("bo2", "2"), ("bo3", "3"))],
                         tweets=[tweet(u, h, reply_to=["me"]) for h, u in (("bo", "1"), ("bo2", "2"), ("bo3", "3"))]))
    first = service.merge_people("1", "2")
    service.merge_people("1", "3")
    service.undo_merge(first["merge_id"])
    assert service.person("2")["key"] == "2" and service.person("3")["key"] == "1"
    badges = service.badges(["bo2", "bo3"])["badges"]
    assert (badges["bo2"]["user_id"], badges["bo3"]["user_id"]) == ("2", "1")
    service.delete_person("2")
    with pytest.raises(NotFound):
        service.person("2")


def test_a_merge_that_would_not_fit_is_refused_and_changes_nothing(service) -> None:
    service.create_person({"handle": "a", "notes": {"books": "x" * 3000}})
    service.create_person({"handle": "b", "notes": {"books": "y" * 3000}})
    with pytest.raises(Conflict, match="Books notes joined would be 6,001 characters"):
        service.merge_people("a", "b")
    service.edit_person("b", {"notes": {"books": None}, "labels": [f"b{n}" for n in range(15)]})
    service.edit_person("a", {"labels": [f"a{n}" for n in range(15)]})
    with pytest.raises(Conflict, match="30 labels"):
        service.merge_people("a", "b")
    assert service.list_people()["total"] == 2


def test_undo_leaves_a_handle_the_kept_one_took_since_with_the_kept_one(service) -> None:
    service.create_person({"handle": "ada_old", "display_name": "Ada"})
    service.ingest(batch(people=[{"handle": "ada", "user_id": "42", "display_name": "Ada"}],
                         tweets=[tweet("1", "ada", reply_to=["me"])]))
    done = service.merge_people("42", "ada_old")
    service.ingest(batch(people=[{"handle": "ada_old", "user_id": "42", "display_name": "Ada"}],
                         tweets=[tweet("2", "ada_old", reply_to=["me"])]))  # 42 went back to that handle
    restored = service.undo_merge(done["merge_id"])["restored"]
    assert restored["handle"] is None and restored["handle_history"][0]["handle"] == "ada_old"
    assert service.person("ada_old")["key"] == "42"


def test_a_dismissal_goes_with_its_records_and_one_person_is_not_two(service) -> None:
    two_records(service)
    with pytest.raises(Invalid):
        service.not_duplicates("42", "ada_new")
    service.not_duplicates("42", "ada_old")
    service.delete_person("ada_old")
    assert service.store.settings()["not_duplicates"] == []


def test_two_accounts_of_one_person_stay_one_through_export_and_import(service, tmp_path) -> None:
    from companion.domain.service import Rapport
    from companion.store.database import Store

    service.ingest(batch(people=[{"handle": "bo_work", "user_id": "100"}, {"handle": "bo_home", "user_id": "200"}],
                         tweets=[tweet("1", "bo_work", reply_to=["me"]), tweet("2", "bo_home", reply_to=["me"])]))
    service.merge_people("100", "200")
    exported = service.export()
    validate("export", exported)
    assert exported["people"][0]["other_accounts"] == [{"user_id": "200", "handle": "bo_home"}]
    store = Store(tmp_path / "elsewhere")
    try:
        other = Rapport(store)
        other.import_(exported)
        other.ingest(batch(tweets=[tweet("3", "bo_home", reply_to=["me"])],
                           people=[{"handle": "bo_home", "user_id": "200"}]))
        assert other.list_people()["total"] == 1 and other.person("200")["key"] == "100"
        assert other.badges(["bo_home"])["badges"]["bo_home"]["user_id"] == "100"
        assert {k: v for k, v in other.export().items() if k != "exported_at"}["people"][0]["other_accounts"] == \
            exported["people"][0]["other_accounts"]
    finally:
        store.close()
