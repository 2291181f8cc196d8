"""People with long histories: a write costs what it adds (the aggregates are kept up to date, never
recomputed from the whole history), and reads page through the interactions."""

from __future__ import annotations

import random
from typing import Any

import pytest

from companion.domain import aggregates, stage
from companion.domain.vocabulary import KIND_STAGE
from companion.schema import validate
from tests.conftest import Companion, batch, tweet


def replies(handle: str, start: int, n: int, day: int = 20, user_id: str | None = None) -> dict[str, Any]:
    people = [{"handle": handle, "user_id": user_id}] if user_id else []
    return batch(observed_at=f"2026-11-{day:02d}T10:00:00Z", people=people, tweets=[
        tweet(str(start + i), handle, reply_to=["me"], created_at=f"2026-11-{day:02d}T09:{i % 60:02d}:00Z")
        for i in range(n)])


def stored(service: Any, handle: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    person_id = service.store.find_handle(handle)
    return service.store.person(person_id), service.store.interactions_of(person_id)


def evidence_of(history: list[dict[str, Any]]) -> list[tuple[int, int, list[str]]]:
    """Per stage with evidence, highest first: how many, and when its newest few were (from the whole history)."""
    by_stage: dict[int, list[str]] = {}
    for item in history:
        if KIND_STAGE[item["kind"]]:
            by_stage.setdefault(KIND_STAGE[item["kind"]], []).append(item["at"])
    return [(s, len(ats), sorted(ats, reverse=True)[:stage.EVIDENCE_ITEMS]) for s, ats in sorted(by_stage.items(),
                                                                                                 reverse=True)]


def shown_evidence(card: dict[str, Any]) -> list[tuple[int, int, list[str]]]:
    return [(g["stage"], g["count"], [i["at"] for i in g["items"]]) for g in card["stage"]["evidence"]]


def test_writes_for_a_long_history_never_read_that_history(service: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(6):
        service.ingest(replies("busy_b", 1000 + n * 50, 50, day=1 + n))
    assert service.person("busy_b")["interactions_total"] == 300

    read = service.store.interactions_of

    def whole_history(person_id: int) -> list[dict[str, Any]]:
        if service.store.storage.in_transaction:  # answers may read it (the card); writes never
            raise AssertionError("a write read a person's whole history")
        return read(person_id)

    monkeypatch.setattr(service.store, "interactions_of", whole_history)
    service.ingest(replies("busy_b", 5000, 50, day=25))
    service.ingest(batch(observed_at="2026-11-26T10:00:00Z",
                         dm_conversations=[{"with": ["busy_b"], "last_message_at": "2026-11-26T09:00:00Z",
                                            "writers": ["me", "them"]}]))
    service.edit_person("busy_b", {"stage": {"stage": 4, "reason": "we met at a meetup"}})
    service.edit_person("busy_b", {"stage": None})
    service.log_event("busy_b", {"kind": "call", "at": "2026-11-27"})
    monkeypatch.undo()
    doc, history = stored(service, "busy_b")
    assert len(history) == 352
    assert doc["aggregates"] == aggregates.of(history)
    assert doc["stage"] == 3 and doc["last_interaction_at"] == "2026-11-27T12:00:00.000000Z"
    assert doc["aggregates"]["kind_counts"] == {"they_replied": 350, "dm": 1, "call": 1}


def test_the_aggregates_kept_on_each_write_equal_a_recomputation_whatever_happens(service: Any) -> None:
    rng = random.Random(7)
    handles = ["ann_a", "bob_b", "cat_c"]
    next_id = 10_000
    for step in range(120):
        handle = rng.choice(handles)
        day = 1 + step // 5
        action = rng.random()
        if action < 0.4:
            service.ingest(replies(handle, next_id, rng.randint(1, 5), day=min(day, 28)))
            next_id += 10
        elif action < 0.5:
            writers = rng.choice([["me"], ["them"], ["me", "them"]])
            service.ingest(batch(observed_at=f"2026-11-{min(day, 28):02d}T11:00:00Z", dm_conversations=[
                {"with": [handle], "last_message_at": f"2026-11-{min(day, 28):02d}T10:{step % 60:02d}:00Z",
                 "writers": writers}]))
        elif action < 0.6:
            service.ingest(batch(observed_at=f"2026-11-{min(day, 28):02d}T12:00:00Z", notifications=[
                {"type": "like", "actors": [handle], "status_id": str(next_id), "at": None}]))
            next_id += 1
        elif action < 0.7 and service.store.find_handle(handle) is not None:
            wanted = rng.choice([None, {"stage": rng.randint(0, 4), "reason": "by hand"}])
            service.edit_person(handle, {"stage": wanted})
        elif action < 0.8 and service.store.find_handle(handle) is not None:
            kind = rng.choice(["call", "meeting", "dm"])
            service.log_event(handle, {"kind": kind, "at": f"2026-10-{1 + step % 28:02d}"})
        elif action < 0.9 and service.store.find_handle(handle) is not None:
            logged = [i for i in service.person(handle, 500)["interactions"] if i["source"] == "manual"]
            if logged:
                service.delete_event(handle, rng.choice(logged)["id"])
        elif service.store.find_handle(handle) is not None:
            # The page shows the account's user id: a handle-only record and an id record become one.
            other = f"{handle}_old"
            service.ingest(replies(other, next_id, 2, day=min(day, 28), user_id=None))
            next_id += 10
            service.ingest(batch(observed_at=f"2026-11-{min(day, 28):02d}T13:00:00Z",
                                 people=[{"handle": other, "user_id": f"9{step}"}]))
            service.ingest(batch(observed_at=f"2026-11-{min(day, 28):02d}T13:30:00Z",
                                 people=[{"handle": handle, "user_id": f"9{step}"}]))
        for person_id in service.store.person_ids():
            doc = service.store.person(person_id)
            history = service.store.interactions_of(person_id)
            assert doc["aggregates"] == aggregates.of(history), (step, doc["handle"])
            if doc["handle"]:
                assert shown_evidence(service.person(doc["handle"])) == evidence_of(history), (step, doc["handle"])
            assert doc["stage"] == stage.current(doc["stage_manual"], history), (step, doc["handle"])
            assert doc["last_interaction_at"] == max((i["at"] for i in history), default=None)


def test_a_call_logged_long_before_thousands_of_replies_is_the_evidence_shown_and_a_deleted_one_gives_way(
        service: Any) -> None:
    service.create_person({"handle": "far_f"})
    for month in range(2, 8):
        service.log_event("far_f", {"kind": "call", "at": f"2025-0{month}-10"})
    for n in range(20):
        service.ingest(replies("far_f", 10_000 + n * 100, 100, day=1 + n))
    card = service.person("far_f")
    assert card["interactions_total"] == 2006
    _, history = stored(service, "far_f")
    assert shown_evidence(card) == evidence_of(history) and shown_evidence(card)[0][:2] == (3, 6)
    newest_call = card["stage"]["evidence"][0]["items"][0]
    assert newest_call["at"].startswith("2025-07-10")
    service.delete_event("far_f", newest_call["interaction_id"])
    card = service.person("far_f")
    _, history = stored(service, "far_f")
    assert shown_evidence(card) == evidence_of(history)
    assert [i["at"][:10] for i in card["stage"]["evidence"][0]["items"]] == [f"2025-0{m}-10" for m in (6, 5, 4, 3, 2)]


def test_people_stored_before_aggregates_existed_get_them_on_their_next_write(service: Any) -> None:
    service.ingest(replies("old_o", 1, 30))
    person_id = service.store.find_handle("old_o")
    service.store.update_person(person_id, {"aggregates": None})
    with service.store.transaction():  # as an older version stored them: no aggregates at all
        service.store.storage.table_data("people")[str(person_id)].pop("aggregates")
    assert "aggregates" not in service.store.person(person_id)
    assert service.person("old_o")["stage"]["evidence"][0]["count"] == 30  # reads work without them
    service.ingest(replies("old_o", 100, 5, day=21))
    doc, history = stored(service, "old_o")
    assert doc["aggregates"] == aggregates.of(history) and doc["aggregates"]["kind_counts"] == {"they_replied": 35}


def test_the_card_pages_through_interactions_and_keeps_the_evidence_complete(companion: Companion) -> None:
    for n in range(3):
        assert companion.post("/ingest", replies("long_l", 2000 + n * 40, 40, day=10 + n)).ok
    companion.post("/people/long_l/events", {"kind": "meeting", "at": "2026-11-05", "place": "Lisbon"})
    first = companion.get("/people/long_l")
    validate("person", first.json())
    card = first.json()
    assert len(card["interactions"]) == 50 and card["interactions_total"] == 121 and card["interactions_next"]
    assert [(g["stage"], g["count"], len(g["items"])) for g in card["stage"]["evidence"]] == [(4, 1, 1), (1, 120, 5)]
    seen = [i["id"] for i in card["interactions"]]
    cursor = card["interactions_next"]
    while cursor:
        page = companion.get("/people/long_l", params={"interactions_limit": 30, "before": cursor}).json()
        seen += [i["id"] for i in page["interactions"]]
        cursor = page["interactions_next"]
    everything = companion.get("/people/long_l", params={"interactions_limit": 500}).json()["interactions"]
    assert seen == [i["id"] for i in everything] and len(set(seen)) == 121
    assert [i["at"] for i in everything] == sorted((i["at"] for i in everything), reverse=True)
    for bad in ({"before": "not-a-cursor"}, {"interactions_limit": 0}, {"interactions_limit": 501}):
        answer = companion.get("/people/long_l", params=bad)
        assert answer.status_code == 400 and answer.json()["error"]["path"].startswith("/query/"), answer.text


def test_a_database_from_before_aggregates_is_converted_once_at_start_after_a_backup(
        data_dir: Any, caplog: pytest.LogCaptureFixture) -> None:
    from companion.domain.service import Rapport
    from companion.store.database import Store

    store = Store(data_dir)
    service = Rapport(store)
    service.ingest(replies("old_o", 1, 30))
    person_id = store.find_handle("old_o")
    with store.transaction():  # as an older version stored them: no aggregates at all
        store.storage.table_data("people")[str(person_id)].pop("aggregates")
        store.update_person(person_id, {"next_step": "say hi"})
    store.close()
    before = list((data_dir / "backups").glob("rapport-*.json"))
    with caplog.at_level("INFO", logger="rapport"):
        store = Store(data_dir)
        Rapport(store)
    try:
        doc = store.person(store.find_handle("old_o"))
        assert doc["aggregates"] == aggregates.of(store.interactions_of(store.find_handle("old_o")))
        assert len(list((data_dir / "backups").glob("rapport-*.json"))) == len(before) + 1
        assert "computed them once for 1 people" in caplog.text
    finally:
        store.close()
    caplog.clear()
    with caplog.at_level("INFO", logger="rapport"):
        store = Store(data_dir)
        Rapport(store)  # the next start has nothing to convert
        store.close()
    assert "computed them once" not in caplog.text
