"""Meet-ups over a real `rapport serve`: GET /near, the place suggestions, the map, trips and conferences,
the posts setting, and `rapport near` with and without a running companion."""

from __future__ import annotations

from pathlib import Path

from companion.schema import validate
from tests.companion.test_cli import rapport
from tests.conftest import Companion, batch, recently, tweet


def seed(companion: Companion) -> None:
    companion.post("/ingest", batch(
        people=[{"handle": "ana", "location": "Boston, MA"}, {"handle": "bo", "location": "Somerville, MA"},
                {"handle": "cy", "location": "Lisbon 🇵🇹"}],
        tweets=[tweet("1900000000000000001", "ana", reply_to=["me"]),
                tweet("1900000000000000002", "bo", reply_to=["me"]),
                tweet("1900000000000000003", "cy", reply_to=["me"]),
                tweet("1900000000000000004", "cy", text="Just landed in Boston, here all week",
                      created_at=recently())]))
    companion.patch("/people/ana", {"notes": {"books": "Project Hail Mary"}, "next_step": "coffee"})


def test_near_answers_the_place_and_the_people_with_why(companion: Companion) -> None:
    seed(companion)
    answer = companion.get("/near", params={"place": "Boston", "km": 50})
    assert answer.status_code == 200
    body = answer.json()
    assert {"name", "country", "lat", "lon"} <= set(body["place"]) and body["place"]["name"] == "Boston"
    by_handle = {p["handle"]: p for p in body["people"]}
    assert set(by_handle) == {"ana", "bo", "cy"}
    assert by_handle["ana"]["why"] == "profile" and by_handle["ana"]["distance_km"] < 1
    assert by_handle["ana"]["notes_summary"] == "Reading: Project Hail Mary"
    assert by_handle["ana"]["next_step"] == "coffee"
    assert by_handle["cy"]["why"] == "post" and by_handle["cy"]["post"]["url"].endswith("/1900000000000000004")
    for row in body["people"]:
        assert {"key", "handle", "stage", "distance_km", "why"} <= set(row)


def test_near_refuses_bad_queries_with_a_clear_error(companion: Companion) -> None:
    for params, status, path in (({"place": "Boston", "km": "far"}, 400, "/query/km"),
                                 ({"place": "Boston", "km": "0"}, 400, "/query/km"),
                                 ({"place": "Boston", "km": "1e400"}, 400, "/query/km"),
                                 ({"place": "Boston", "km": "nan"}, 400, "/query/km"),
                                 ({}, 400, "/query/place"),
                                 ({"place": "Nowhere-on-earth"}, 404, None),
                                 ({"geonameid": "9" * 25}, 404, None)):
        answer = companion.get("/near", params=params)
        assert answer.status_code == status, (params, answer.text)
        error = answer.json()["error"]
        assert error["message"] and error.get("path") == path


def test_place_suggestions_and_the_map(companion: Companion) -> None:
    seed(companion)
    suggestions = companion.get("/places", params={"q": "bost"}).json()["places"]
    assert suggestions[0]["label"] == "Boston, MA" and suggestions[0]["geonameid"]
    assert companion.get("/places", params={"q": ""}).json()["places"] == []
    bubbles = {b["label"]: b for b in companion.get("/map").json()["bubbles"]}
    assert bubbles["Boston, MA"]["people"] == 1 and bubbles["Lisbon, Portugal"]["people"] == 1


def test_trips_and_conferences_over_http(companion: Companion) -> None:
    seed(companion)
    made = companion.post("/trips", {"place": "Boston", "start": "2026-03-03", "end": "2026-03-05"})
    assert made.status_code == 201
    trip = made.json()
    marked = companion.put(f"/trips/{trip['id']}/people/ana", {"meet": True, "note": "lunch"})
    assert marked.status_code == 200 and any(p["mark"] for p in marked.json()["people"])
    met = companion.post(f"/trips/{trip['id']}/met/ana")
    assert met.status_code == 200 and met.json()["ask_to_log"] is False
    person = companion.get("/people/ana").json()
    validate("person", person)
    assert person["stage"]["current"] == 4
    assert companion.post("/trips", {"place": "Boston", "start": "2026-03-05", "end": "2026-03-03"}).status_code == 400
    assert companion.post("/trips", {"place": "Boston", "start": "2026-03-05", "end": "2026-03-07",
                                     "extra": 1}).status_code == 400
    assert companion.get("/trips/" + "9" * 30).status_code == 404
    conference = companion.post("/conferences", {"name": "PyCon US", "hashtags": ["pycon"], "place": "Pittsburgh",
                                                 "start": "2026-05-13", "end": "2026-05-19"})
    assert conference.status_code == 201 and conference.json()["people"] == []
    assert companion.post("/conferences", {"name": "X", "hashtags": ["no spaces allowed"], "start": "2026-05-13",
                                           "end": "2026-05-19"}).status_code == 400
    listed = companion.get("/conferences").json()["conferences"]
    assert [c["name"] for c in listed] == ["PyCon US"]
    assert companion.delete(f"/conferences/{listed[0]['id']}").status_code == 204
    assert companion.get("/conferences").json()["conferences"] == []


def test_the_posts_setting_turns_keeping_off_and_deletes_what_was_kept(companion: Companion) -> None:
    seed(companion)
    assert companion.get("/settings/posts").json() == {"keep_posts": True, "posts_kept": 4}
    off = companion.put("/settings/posts", {"keep_posts": False}).json()
    assert off == {"keep_posts": False, "posts_kept": 0, "posts_removed": 4}
    assert companion.get("/people/cy").json()["whereabouts"] == []
    assert companion.put("/settings/posts", {"keep_posts": "no"}).status_code == 400


def test_rapport_near_prints_the_list_with_or_without_a_companion(data_dir: Path) -> None:
    server = Companion(data_dir).start()
    try:
        seed(server)
        live = rapport("near", "Boston", "--data-dir", str(data_dir), "--port", str(server.port))
        assert live.returncode == 0, live.stderr
        lines = live.stdout.splitlines()
        assert lines[0] == "3 people you know within 50 km of Boston, MA:"
        assert any(line.strip().startswith("@ana") and "profile: Boston, MA" in line for line in lines)
        assert any("Reading: Project Hail Mary · next: coffee" in line for line in lines)
        assert any(line.strip().startswith("@cy") and "landed in Boston" in line for line in lines)
    finally:
        server.stop()
    offline = rapport("near", "Boston", "--km", "1", "--data-dir", str(data_dir))
    assert offline.returncode == 0, offline.stderr
    assert offline.stdout.splitlines()[0] == "2 people you know within 1 km of Boston, MA:"
    unknown = rapport("near", "Nowhere-on-earth", "--data-dir", str(data_dir))
    assert unknown.returncode == 2 and "not a place Rapport knows" in unknown.stderr
