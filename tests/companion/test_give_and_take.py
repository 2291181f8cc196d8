"""Give-and-take and the core circle, from the per-person totals kept on every write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import batch, tweet


def ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat().replace("+00:00", "Z")


def reply(sid: str, author: str, to: str, days: float) -> dict[str, Any]:
    return tweet(sid, author, reply_to=[to], created_at=ago(days))


def test_who_starts_warming_and_the_months_explain_themselves(service: Any) -> None:
    service.ingest(batch(observed_at=ago(1), tweets=[
        reply("1", "me", "ana", 5), reply("2", "me", "ana", 6), reply("3", "ana", "me", 7),
        reply("4", "me", "ana", 120)]))
    service.log_event("ana", {"kind": "dm", "at": ago(10)})
    service.ingest(batch(notifications=[{"type": "like", "actors": ["ana"], "at": ago(2), "status_id": "9"}]))
    gt = service.person("ana")["give_and_take"]
    assert gt["recent"] == {"total": 4, "explained": "4 interactions in 90 days: 2 replies from you, 1 reply from "
                                                     "them, 1 DM"}  # the like is not talk
    assert gt["before"] == {"total": 1, "explained": "1 interaction in the 90 days before: 1 reply from you"}
    assert gt["trend"] == "warming"
    assert gt["starts"] == {"you": 3, "them": 1, "who": "you, mostly",
                            "explained": "3 of your replies and mentions, 1 of theirs"}
    months = gt["months"]
    assert len(months) == 13 and months[-1]["month"] == datetime.now(UTC).strftime("%Y-%m")
    assert sum(m["count"] for m in months) == 6  # likes count in the chart: everything that happened


def test_a_quiet_relationship_and_one_cooling(service: Any) -> None:
    service.create_person({"handle": "bo"})
    assert service.person("bo")["give_and_take"]["trend"] == "quiet"
    for days in (100, 110, 120, 130, 10):  # four calls in the 90 days before, one since
        service.log_event("bo", {"kind": "call", "at": ago(days)})
    assert service.person("bo")["give_and_take"]["trend"] == "cooling"


def test_the_core_circle_weights_by_stage_and_the_engaged_are_their_side(service: Any) -> None:
    # Cy: five replies from me. Di: two DMs and a call (2 + 2 + 3 = 7). Ed: they reply and like, I never do.
    service.ingest(batch(observed_at=ago(1), tweets=[reply(str(n), "me", "cy", 3 + n) for n in range(5)]
                         + [reply("50", "ed", "me", 4), reply("51", "ed", "me", 5)]))
    service.ingest(batch(notifications=[{"type": "like", "actors": ["ed"], "at": ago(2), "status_id": "77"}]))
    service.create_person({"handle": "di"})
    service.log_event("di", {"kind": "dm", "at": ago(3)})
    service.log_event("di", {"kind": "dm", "at": ago(4)})
    service.log_event("di", {"kind": "call", "at": ago(5)})
    service.create_person({"handle": "old"})
    service.log_event("old", {"kind": "meeting", "at": ago(200)})  # outside the 90 days
    circles = service.circles()
    assert [(p["handle"], p["score"]) for p in circles["core"]] == [("di", 7), ("cy", 5), ("ed", 2)]
    assert circles["core"][0]["explained"] == "3 interactions in 90 days: 2 DMs, 1 call"
    assert [(p["handle"], p["count"]) for p in circles["engaged"]] == [("ed", 3)]
    assert circles["engaged"][0]["explained"] == "3 interactions in 90 days: 2 replies from them, 1 like from them"
    core = service.list_people(core=True)
    assert sorted(p["handle"] for p in core["people"]) == ["cy", "di", "ed"] and core["total"] == 3
    assert service.insights()["circles"]["core"][0]["handle"] == "di"


def test_people_stored_by_an_older_version_get_their_months_once(data_dir: Any) -> None:
    from companion.domain import aggregates
    from companion.domain.service import Rapport
    from companion.store.database import Store

    store = Store(data_dir)
    service = Rapport(store)
    service.create_person({"handle": "ana"})
    service.log_event("ana", {"kind": "dm", "at": ago(3)})
    pid = store.find_handle("ana")
    old = {k: v for k, v in store.person(pid)["aggregates"].items() if k not in ("version", "days", "months")}
    with store.transaction():
        store.update_person(pid, {"aggregates": old})
    store.close()
    store = Store(data_dir)
    try:
        upgraded = Rapport(store).person("ana")
        assert store.person(pid)["aggregates"]["version"] == aggregates.VERSION
        assert upgraded["give_and_take"]["recent"]["total"] == 1
    finally:
        store.close()


def test_the_circle_follows_each_write_without_a_pass_over_everyone(service: Any) -> None:
    service.create_person({"handle": "fa"})
    service.create_person({"handle": "gi"})
    service.log_event("fa", {"kind": "dm", "at": ago(3)})
    assert [p["handle"] for p in service.circles()["core"]] == ["fa"]
    service.log_event("gi", {"kind": "meeting", "at": ago(2)})  # 4 against 2
    assert [p["handle"] for p in service.circles()["core"]] == ["gi", "fa"]
    service.delete_person("gi")
    assert [p["handle"] for p in service.circles()["core"]] == ["fa"]
    service.delete_event("fa", service.person("fa")["interactions"][0]["id"])
    assert service.circles()["core"] == []
