"""Inputs at the edges of what the schemas allow: each is a 400 that names the field, never a 500."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from companion.schema import validate
from tests.conftest import Companion, batch, tweet

EDGES = ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+01:00"]


def refused(answer: Any, path: str | None) -> None:
    assert answer.status_code == 400, answer.text
    validate("error", answer.json())
    assert answer.json()["error"].get("path") == path, answer.text


@pytest.mark.parametrize("edge", EDGES)
def test_a_date_no_utc_moment_can_hold_is_a_400_naming_the_field(companion: Companion, edge: str) -> None:
    refused(companion.post("/ingest", batch(tweets=[tweet("1", "alice", reply_to=["me"], created_at=edge)])),
            "/tweets/0/created_at")
    refused(companion.post("/ingest", batch(observed_at=edge, tweets=[tweet("1", "alice")])), "/page/observed_at")
    refused(companion.post("/ingest", batch(dm_conversations=[{"with": ["bob"], "last_message_at": edge}])),
            "/dm_conversations/0/last_message_at")
    refused(companion.post("/ingest", batch(notifications=[{"type": "like", "actors": ["bob"], "status_id": "1",
                                                              "at": edge}])), "/notifications/0/at")
    assert companion.post("/people", {"handle": "carol"}).status_code == 201
    refused(companion.post("/people/carol/events", {"kind": "call", "at": edge}), "/at")
    refused(companion.get("/people", params={"last_after": edge}), "/query/last_after")
    refused(companion.get("/people", params={"last_before": edge}), "/query/last_before")
    export = companion.get("/export").json()
    export["people"][0]["created_at"] = edge
    refused(companion.post("/import", export), "/people/0/created_at")
    # And nothing of those was kept.
    assert [p["handle"] for p in companion.get("/people").json()["people"]] == ["carol"]


def test_huge_query_numbers_and_urls_no_parser_takes_are_400s(companion: Companion) -> None:
    refused(companion.get("/people", params={"offset": "1" * 20}), "/query/offset")
    refused(companion.get("/people", params={"limit": "9" * 20}), "/query/limit")
    refused(companion.get("/people", params={"offset": "1" * 5000}), "/query/offset")
    answer = companion.post("/ingest", batch(page_type="profile", url="https://[x/",
                                             tweets=[tweet("1", "alice", reply_to=["me"])]))
    assert answer.status_code == 200, answer.text  # a page address that is no URL names no profile; the rest counts
    assert companion.get("/people/alice").status_code == 200


def test_the_dashboard_takes_a_huge_page_number_as_a_page_past_the_end(data_dir: Path) -> None:
    from tests.dashboard.conftest import Dashboard

    dashboard = Dashboard(data_dir).start()
    try:
        answer = dashboard.session().get(dashboard.base + "/", params={"page": "9" * 30}, timeout=10)
        assert answer.status_code == 200 and "Traceback" not in answer.text
    finally:
        dashboard.stop()
