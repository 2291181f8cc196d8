"""What the dashboard asks of the domain: the People filters, and the insights (no HTTP here)."""

from __future__ import annotations

from typing import Any

import pytest

from companion.domain.errors import Invalid
from tests.conftest import batch, tweet


def handles(result: dict[str, Any]) -> list[str]:
    return sorted(p["handle"] for p in result["people"])


@pytest.fixture
def known(service: Any) -> Any:
    service.ingest(batch(people=[{"handle": "ana", "location": "Lisbon, Portugal"},
                                 {"handle": "bo", "location": "Berlin"}],
                         tweets=[tweet("1", "ana", reply_to=["me"], created_at="2026-11-20T09:00:00Z"),
                                 tweet("2", "bo", reply_to=["me"], created_at="2026-03-01T09:00:00Z")]))
    service.create_person({"handle": "cy", "notes": {"wine": "Rioja"}, "tags": ["friend"]})
    service.log_event("bo", {"kind": "call", "at": "2026-04-01"})
    return service


def test_people_filter_by_location_notes_and_last_interaction(known: Any) -> None:
    assert handles(known.list_people(location="lisbon")) == ["ana"]
    assert handles(known.list_people(has_notes=True)) == ["cy"]
    assert handles(known.list_people(has_notes=False)) == ["ana", "bo"]
    assert handles(known.list_people(last_after="2026-11-01")) == ["ana"]
    assert handles(known.list_people(last_before="2026-11-01")) == ["bo"]  # people never met are not "before"
    assert handles(known.list_people(never_interacted=True)) == ["cy"]
    assert handles(known.list_people(q="rioja", tag="friend")) == ["cy"]
    with pytest.raises(Invalid) as bad:
        known.list_people(last_after="last tuesday")
    assert bad.value.path == "/query/last_after"


def test_insights_count_stages_weeks_outcomes_and_who_is_going_cold(clock_at_scene: None, known: Any) -> None:
    found = known.insights(now="2026-11-22T12:00:00Z")
    assert [f["count"] for f in found["funnel"]] == [1, 1, 0, 1, 0]  # cy; ana; bo (call)
    assert found["people"] == 3 and found["interactions"] == 3
    assert len(found["weeks"]) == 52 and found["weeks"][-1]["start"] == "2026-11-16"
    assert found["weeks"][-1]["by_stage"] == [0, 1, 0, 0, 0]  # ana's reply on 2026-11-20
    assert sum(sum(w["by_stage"]) for w in found["weeks"]) == 3
    friend = next(o for o in found["outcomes"] if o["tag"] == "friend")
    assert friend["label"] == "Friend" and friend["by_stage"] == [1, 0, 0, 0, 0]
    # bo: called in April, nothing since: going cold. ana is only at stage 1, so not listed.
    assert [p["handle"] for p in found["going_cold"]["people"]] == ["bo"]
    assert found["places"] == [{"location": "Lisbon, Portugal", "count": 1}, {"location": "Berlin", "count": 1}]


def test_api_rejects_a_bad_has_notes_value(companion: Any) -> None:
    answer = companion.get("/people", params={"has_notes": "maybe"})
    assert answer.status_code == 400 and answer.json()["error"]["path"] == "/query/has_notes"
    assert companion.get("/people", params={"has_notes": "true", "location": "x"}).json()["total"] == 0
