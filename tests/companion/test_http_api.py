"""The REST API of a real `rapport serve`, answers checked against shared_schema/."""

from __future__ import annotations

from companion.schema import validate
from tests.conftest import Companion, batch, tweet


def test_health_needs_no_token_and_identifies_rapport(companion: Companion) -> None:
    import requests

    answer = requests.get(companion.url("/health"), timeout=5)
    assert answer.status_code == 200
    validate("health", answer.json())
    assert answer.json()["name"] == "rapport" and answer.json()["api"] == 1


def test_ingest_then_badges_then_the_person_card(companion: Companion) -> None:
    sent = batch(batch_id="q-1", tweets=[tweet("1", "alice", reply_to=["me"]), tweet("2", "stranger")],
                 people=[{"handle": "alice", "user_id": "42", "display_name": "Alice", "bio": "<img src=x onerror=1>"}])
    result = companion.post("/ingest", sent)
    assert result.status_code == 200
    validate("ingest-result", result.json())
    assert result.json()["batch_id"] == "q-1" and result.json()["interactions_added"] == 1

    badges = companion.post("/badges", {"handles": ["Alice", "stranger"]})
    validate("badges-response", badges.json())
    assert badges.json()["badges"]["Alice"]["stage"] == 1 and badges.json()["badges"]["stranger"]["known"] is False

    card = companion.get("/people/42")
    validate("person", card.json())
    assert card.json()["profile"]["bio"] == "<img src=x onerror=1>"  # stored as text, untouched
    assert card.json()["interactions"][0]["url"] == "https://x.com/alice/status/1"


def test_people_list_create_patch_events_and_delete(companion: Companion) -> None:
    created = companion.post("/people", {"handle": "bob", "display_name": "Bob", "tags": ["vendor"]})
    assert created.status_code == 201
    assert companion.post("/people", {"handle": "BOB"}).status_code == 200  # known already
    patched = companion.patch("/people/@bob", {"notes": {"music": "Radiohead"}, "stage": {"stage": 2, "reason": "DMs"}})
    validate("person", patched.json())
    assert patched.json()["stage"]["current"] == 2
    event = companion.post("/people/bob/events",
                           {"kind": "meeting", "at": "2026-11-04T18:30:00+01:00", "place": "Porto"})
    assert event.status_code == 201
    validate("interaction", event.json())
    assert event.json()["at"] == "2026-11-04T17:30:00.000000Z"
    listing = companion.get("/people", params={"q": "radiohead", "stage": "4", "tag": "vendor"})
    validate("people-list", listing.json())
    assert [p["handle"] for p in listing.json()["people"]] == ["bob"]
    assert companion.delete(f"/people/bob/events/{event.json()['id']}").status_code == 204
    assert companion.get("/people/bob").json()["stage"]["current"] == 2
    assert companion.delete("/people/bob").status_code == 204
    assert companion.get("/people/bob").status_code == 404


def test_export_and_import_over_http_round_trip(companion: Companion, tmp_path) -> None:
    companion.post("/ingest", batch(tweets=[tweet("1", "alice", reply_to=["me"])]))
    companion.patch("/people/alice", {"notes": {"wine": "Barolo"}})
    exported = companion.get("/export")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    validate("export", exported.json())
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other = Companion(other_dir).start()
    try:
        result = other.post("/import", exported.json())
        validate("import-result", result.json())
        again = other.get("/export").json()
        assert {**again, "exported_at": None} == {**exported.json(), "exported_at": None}
        assert other.post("/import?mode=everything", exported.json()).status_code == 400
    finally:
        other.stop()


def test_bad_input_gets_a_clear_json_error_and_changes_nothing(companion: Companion) -> None:
    before = companion.get("/export").json()["people"]
    cases = [
        (companion.http.post(companion.url("/ingest"), data=b"{not json", timeout=5), 400, "malformed_json", None),
        (companion.http.post(companion.url("/ingest"), data=b"", timeout=5), 400, "malformed_json", None),
        (companion.post("/ingest", {"page": {"url": "https://x.com/", "type": "home", "observed_at": "now",
                                             "me": None}}), 400, "invalid", "/page/observed_at"),
        (companion.post("/ingest", batch(tweets=[tweet("1", "alice", reply_to=["me"]), tweet("x", "bob")])),
         400, "invalid", "/tweets/1/status_id"),
        (companion.post("/badges", {"handles": "alice"}), 400, "invalid", "/handles"),
        (companion.patch("/people/nobody", {"notes": {"books": "x"}}), 404, "not_found", None),
        (companion.post("/people/nobody/events", {"kind": "call", "at": "2026-01-01"}), 404, "not_found", None),
        # The shape of a date, but no such day: refused, never a 500 (the overlay drops such an edit).
        (companion.post("/ingest", batch(tweets=[tweet("1", "alice", created_at="2026-02-30T10:00:00Z")])),
         400, "invalid", "/tweets/0/created_at"),
        (companion.get("/people", params={"limit": "lots"}), 400, "invalid", "/query/limit"),
        (companion.get("/nowhere"), 404, "not_found", None),
        (companion.http.put(companion.url("/ingest"), json={}, timeout=5), 405, "method_not_allowed", None),
    ]
    for answer, status, kind, path in cases:
        assert answer.status_code == status, answer.text
        body = answer.json()
        validate("error", body)
        assert body["error"]["type"] == kind
        assert body["error"].get("path") == path
        assert "Traceback" not in answer.text
    assert companion.get("/export").json()["people"] == before == []


def test_a_body_over_the_limit_is_refused_with_413(companion: Companion) -> None:
    huge = batch(tweets=[tweet(str(n), "alice", text="x" * 5000, reply_to=["me"]) for n in range(1000)])
    answer = companion.post("/ingest", huge)
    assert answer.status_code == 413 and answer.json()["error"]["type"] == "too_large"
    assert companion.get("/people/alice").status_code == 404
