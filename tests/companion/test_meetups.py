"""Meet-ups: where people you know are (their profile, as you corrected it, or a recent post), who is near a
place, trips that keep their list and ask to log what happened, and conferences with their evidence."""

from __future__ import annotations

from typing import Any

import pytest

from companion.domain import posts
from companion.domain.errors import Invalid, NotFound
from companion.domain.places import distance_km
from companion.schema import validate
from tests.conftest import SCENE_NOW, batch, tweet

NOW = SCENE_NOW
pytestmark = pytest.mark.usefixtures("clock_at_scene")


def person(service: Any, handle: str, location: str | None, stage_reply: bool = True,
           at: str = "2026-11-20T09:00:00Z") -> None:
    """Someone you know (they replied to you), with a profile location."""
    parts: dict[str, Any] = {"people": [{"handle": handle, "location": location}]}
    if not stage_reply:
        service.create_person({"handle": handle})
    else:
        parts["tweets"] = [tweet(f"{abs(hash(handle)) % 10**12}", handle, reply_to=["me"], created_at=at)]
    service.ingest(batch(**parts))


def near(service: Any, place: str, **kw: Any) -> list[str]:
    return [p["handle"] for p in service.near(place, now=kw.pop("now", NOW), **kw)["people"]]


def test_who_is_near_reads_profile_locations_and_sorts_by_stage_then_recency(service: Any) -> None:
    person(service, "ana", "Boston, MA", at="2026-11-01T09:00:00Z")
    person(service, "bo", "Cambridge, MA", at="2026-11-10T09:00:00Z")
    person(service, "cy", "Somerville, Massachusetts 🇺🇸", at="2026-11-05T09:00:00Z")
    person(service, "dee", "Berlin / Remote")
    person(service, "eve", "🌍 the internet")
    service.log_event("cy", {"kind": "call", "at": "2026-10-01T10:00:00Z"})  # stage 3 beats recency
    found = service.near("Boston")
    assert found["place"]["name"] == "Boston" and found["place"]["country"] == "US" and found["km"] == 50
    assert [p["handle"] for p in found["people"]] == ["cy", "bo", "ana"]
    row = found["people"][1]
    assert row["why"] == "profile" and 0 < row["distance_km"] < 10 and row["stage"] >= 1
    assert {"notes_summary", "tags", "last_interaction_at", "next_step"} <= set(row)
    assert near(service, "Berlin") == ["dee"]
    assert near(service, "Boston", km=1) == ["ana"]


def test_people_you_do_not_know_are_not_listed(service: Any) -> None:
    person(service, "stranger", "Boston", stage_reply=False)
    assert near(service, "Boston") == []
    service.edit_person("stranger", {"tags": ["prospect"]})  # tagged: now someone you know
    assert near(service, "Boston") == ["stranger"]


def test_an_ambiguous_location_needs_its_hint(service: Any) -> None:
    person(service, "uk", "Cambridge")  # the English city or the one in Massachusetts: no answer
    person(service, "pdx", "Portland, OR")
    person(service, "me_", "Portland, Maine")
    card = service.person("uk")
    assert card["place"]["raw"] == "Cambridge" and card["place"]["resolved"] is None
    assert near(service, "Portland, ME") == ["me_"] and near(service, "Portland, OR") == ["pdx"]
    assert service.person("pdx")["place"]["resolved"]["confidence"] == "high"


def test_a_correction_wins_and_survives_a_profile_refresh_and_a_move_stays_in_the_history(service: Any) -> None:
    person(service, "ana", "Cambridge")
    cambridge_ma = next(p for p in service.place_suggestions("Cambridge") if p["country"] == "US")
    service.edit_person("ana", {"place": {"geonameid": cambridge_ma["geonameid"]}})
    assert near(service, "Boston") == ["ana"]
    service.ingest(batch(people=[{"handle": "ana", "location": "Cambridge ✨", "bio": "new bio"}],
                         observed_at="2026-11-21T10:00:00Z"))
    card = service.person("ana")
    assert card["place"]["corrected"]["name"] == "Cambridge" and card["place"]["corrected"]["confidence"] == "yours"
    assert near(service, "Boston") == ["ana"]
    service.ingest(batch(people=[{"handle": "ana", "location": "Lisbon"}], observed_at="2026-11-22T10:00:00Z"))
    history = [s["profile"]["location"] for s in service.person("ana")["profile_history"]]
    assert history[-3:] == ["Cambridge", "Cambridge ✨", "Lisbon"]
    assert near(service, "Boston") == ["ana"]  # still your correction
    service.edit_person("ana", {"place": None})  # back to what the profile says
    assert near(service, "Boston") == [] and near(service, "Lisbon") == ["ana"]
    service.edit_person("ana", {"place": {"none": True}})
    assert near(service, "Lisbon") == [] and service.person("ana")["place"]["corrected"]["none"] is True


def test_a_correction_must_be_a_real_city(service: Any) -> None:
    person(service, "ana", "Boston")
    with pytest.raises(Invalid) as refused:
        service.edit_person("ana", {"place": {"geonameid": 99999998}})
    assert refused.value.path == "/place/geonameid"


def test_a_post_saying_where_they_are_counts_for_two_weeks_with_its_evidence(service: Any) -> None:
    person(service, "ana", "Berlin")
    service.ingest(batch(tweets=[tweet("1900000000000000001", "ana", text="Just landed in Lisbon! Who's around?",
                                       created_at="2026-11-20T08:00:00Z")]))
    found = service.near("Lisbon", now=NOW)["people"]
    assert [p["handle"] for p in found] == ["ana"]
    assert found[0]["why"] == "post" and found[0]["post"]["url"].endswith("/ana/status/1900000000000000001")
    assert found[0]["post"]["at"] == "2026-11-20T08:00:00.000000Z" and "landed in Lisbon" in found[0]["post"]["words"]
    assert near(service, "Berlin") == ["ana"]  # the profile place still holds
    assert near(service, "Lisbon", now="2026-12-03T12:00:00Z") == ["ana"]
    assert near(service, "Lisbon", now="2026-12-05T12:00:00Z") == []  # more than 14 days later
    card = service.person("ana")
    assert card["whereabouts"][0]["label"] == "Lisbon, Portugal"


@pytest.mark.parametrize(("text", "city"), [
    ("in Boston all week for meetings, ping me", "Boston"),
    ("Greetings from Tokyo 🇯🇵", "Tokyo"),
    ("Heading to Austin for SXSW", "Austin"),
    ("I'm in Paris until Friday", "Paris"),
    ("Anyone in Toronto want to grab coffee?", "Toronto"),
])
def test_posts_that_say_where_someone_is(text: str, city: str) -> None:
    from companion.domain.whereabouts import places_in

    assert [r.place.name for r, _ in places_in(text)] == [city]


@pytest.mark.parametrize("text", [
    "I wish I were in Lisbon right now",
    "never been to Paris, sadly",
    "landed in a meeting that could have been an email",
    "back in the day we used IRC",
    "Boston is overrated",
    "in Reading mode all week",
])
def test_posts_that_do_not_say_where_someone_is(text: str) -> None:
    from companion.domain.whereabouts import places_in

    assert places_in(text) == []


def test_radius_queries_work_across_the_antimeridian_and_near_the_poles() -> None:
    suva, apia = (-18.14, 178.44), (-13.83, -171.77)
    assert 1100 < distance_km(*suva, *apia) < 1200  # not 38,000 km the long way round
    assert distance_km(89.9, 0, 89.9, 180) == pytest.approx(22.2, abs=0.2)  # across the pole
    assert distance_km(-89.9, -90, -89.9, 90) == pytest.approx(22.2, abs=0.2)


def test_near_across_the_antimeridian(service: Any) -> None:
    person(service, "fiji", "Suva, Fiji")
    person(service, "samoa", "Apia, Samoa")
    assert near(service, "Suva", km=1200) == ["fiji", "samoa"] or near(service, "Suva", km=1200) == ["samoa", "fiji"]
    assert near(service, "Suva", km=500) == ["fiji"]


def test_regions_and_countries_list_who_is_in_them(service: Any) -> None:
    person(service, "ana", "Munich")
    person(service, "bo", "Deutschland")
    person(service, "cy", "Austin, TX")
    assert sorted(near(service, "Germany")) == ["ana", "bo"]
    assert near(service, "Texas") == ["cy"]
    assert near(service, "Munich") == ["ana"]  # a country-wide place is in no city


def test_a_place_nobody_can_find_is_a_clear_not_found(service: Any) -> None:
    with pytest.raises(NotFound, match="not a place"):
        service.near("Atlantis under the sea")
    with pytest.raises(Invalid):
        service.near("Boston", km=0)
    with pytest.raises(Invalid):
        service.near(" ")


def test_the_card_says_who_else_you_know_there(service: Any) -> None:
    for handle in ("ana", "bo", "cy"):
        person(service, handle, "Boston")
    person(service, "dee", "Cambridge, MA")
    card = service.person("ana")
    validate("person", card)
    assert card["place"]["also_here"] == {"geonameid": card["place"]["resolved"]["geonameid"],
                                          "label": "Boston, MA", "name": "Boston", "people": 3}


def test_trip_keeps_its_list_and_asks_to_log_meetings_after_it_ends(service: Any) -> None:
    person(service, "ana", "Boston")
    person(service, "bo", "Boston")
    trip = service.create_plan("trip", {"place": "Boston", "start": "2026-03-03", "end": "2026-03-05",
                                        "note": "Conference week"})
    assert trip["place"] == "Boston, MA" and {p["handle"] for p in trip["people"]} == {"ana", "bo"}
    trip = service.mark_for_trip(trip["id"], "ana", True, "coffee on Tuesday")
    row = next(p for p in trip["people"] if p["handle"] == "ana")
    assert row["mark"] == {"meet": True, "note": "coffee on Tuesday", "met_at": None}
    service.ingest(batch(people=[{"handle": "ana", "location": "Denver"}], observed_at="2026-11-23T10:00:00Z"))
    trip = service.plan("trip", trip["id"])  # she moved: the trip keeps her, marked
    assert {p["handle"] for p in trip["people"]} == {"ana", "bo"}
    assert trip["when"] == "past" and trip["ask_to_log"] is True and trip["to_log"] == [service.person("ana")["key"]]
    trip = service.met_on_trip(trip["id"], "ana")
    assert trip["ask_to_log"] is False
    card = service.person("ana")
    assert card["stage"]["current"] == 4
    meeting = next(i for i in card["interactions"] if i["kind"] == "meeting")
    assert meeting["at"].startswith("2026-03-05") and meeting["place"] == "Boston, MA"
    assert [t["id"] for t in service.plans("trip")] == [trip["id"]]
    service.delete_plan("trip", trip["id"])
    assert service.plans("trip") == []


def test_a_trip_needs_a_city_and_dates_in_order(service: Any) -> None:
    with pytest.raises(Invalid):
        service.create_plan("trip", {"start": "2026-03-03", "end": "2026-03-05"})
    with pytest.raises(Invalid):
        service.create_plan("trip", {"place": "Boston", "start": "2026-03-05", "end": "2026-03-03"})
    with pytest.raises(Invalid, match="city"):
        service.create_plan("trip", {"place": "Germany", "start": "2026-03-03", "end": "2026-03-05"})


def test_a_conference_lists_posts_bios_and_people_in_its_city_with_the_evidence(service: Any) -> None:
    person(service, "ana", "Berlin")
    person(service, "bo", "Lisbon")
    person(service, "cy", "Amsterdam")
    person(service, "stranger", "Amsterdam", stage_reply=False)
    service.ingest(batch(people=[{"handle": "bo", "bio": "Speaker at KubeCon EU · SRE"}],
                         tweets=[tweet("1900000000000000010", "ana", text="Slides ready for #KubeCon, see you there"),
                                 tweet("1900000000000000011", "stranger", text="#KubeCon here I come")]))
    conference = service.create_plan("conference", {
        "name": "KubeCon EU", "hashtags": ["#KubeCon"], "handles": ["@kubecon_"], "place": "Amsterdam",
        "start": "2026-03-23", "end": "2026-03-26"})
    by_handle = {p["handle"]: p["reasons"] for p in conference["people"]}
    assert set(by_handle) == {"ana", "bo", "cy"}  # never the stranger, whose post was not kept
    assert by_handle["ana"][0]["why"] == "post" and "#KubeCon" in by_handle["ana"][0]["post"]["text"]
    assert by_handle["bo"][0] == {"why": "bio", "text": "Speaker at KubeCon EU · SRE"}
    assert by_handle["cy"][0]["why"] == "city_profile"
    assert conference["hashtags"] == ["KubeCon"] and conference["handles"] == ["kubecon_"]


def test_the_map_has_a_bubble_per_city_sized_by_people_with_their_highest_stage(service: Any) -> None:
    person(service, "ana", "Boston")
    person(service, "bo", "Boston, MA")
    person(service, "cy", "Lisbon")
    service.log_event("bo", {"kind": "meeting", "at": "2026-10-01T10:00:00Z"})
    bubbles = {b["label"]: b for b in service.people_map()["bubbles"]}
    assert bubbles["Boston, MA"]["people"] == 2 and bubbles["Boston, MA"]["top_stage"] == 4
    assert bubbles["Lisbon, Portugal"]["people"] == 1


def test_posts_are_kept_for_people_you_know_only_and_bounded(service: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(posts, "PER_PERSON", 5)
    person(service, "ana", "Boston", at="2026-10-01T09:00:00Z")  # her reply to you is a post too, and older
    person(service, "stranger", None, stage_reply=False)
    service.ingest(batch(tweets=[tweet(f"19000000000000001{n:02d}", "ana", text=f"post number {n} https://ex.am/p{n}",
                                       created_at=f"2026-11-{n + 1:02d}T10:00:00Z") for n in range(8)]
                         + [tweet("1900000000000000200", "stranger", text="hello world")]))
    kept = service.person("ana")["posts"]
    assert [p["text"].split()[2] for p in kept] == ["7", "6", "5", "4", "3"]  # the newest 5
    assert kept[0]["links"] == ["https://ex.am/p7"]
    assert service.person("stranger")["posts"] == []
    assert service.posts_setting()["posts_kept"] == 5


def test_deleting_a_person_or_turning_the_setting_off_deletes_their_posts(service: Any) -> None:
    person(service, "ana", "Boston")
    person(service, "bo", "Lisbon")
    service.ingest(batch(tweets=[tweet("1900000000000000301", "ana", text="in Boston all week"),
                                 tweet("1900000000000000302", "bo", text="Greetings from Tokyo")]))
    assert service.posts_setting()["posts_kept"] == 4  # with each one's reply to you
    service.delete_person("ana")
    assert service.posts_setting()["posts_kept"] == 2
    assert service.set_posts_setting(False) == {"keep_posts": False, "posts_kept": 0, "posts_removed": 2}
    assert service.person("bo")["whereabouts"] == [] and near(service, "Tokyo") == []
    service.ingest(batch(tweets=[tweet("1900000000000000303", "bo", text="Greetings from Tokyo again")]))
    assert service.posts_setting() == {"keep_posts": False, "posts_kept": 0}


def test_export_and_import_carry_posts_places_trips_and_conferences(service: Any, tmp_path: Any) -> None:
    from companion.domain.service import Rapport
    from companion.store.database import Store

    person(service, "ana", "Cambridge")
    geonameid = next(p for p in service.place_suggestions("Cambridge") if p["country"] == "US")["geonameid"]
    service.edit_person("ana", {"place": {"geonameid": geonameid}})
    service.ingest(batch(tweets=[tweet("1900000000000000401", "ana", text="Just landed in Lisbon")]))
    service.create_plan("trip", {"place": "Boston", "start": "2026-03-03", "end": "2026-03-05"})
    service.create_plan("conference", {"name": "KubeCon", "hashtags": ["KubeCon"], "start": "2026-03-23",
                                       "end": "2026-03-26"})
    exported = service.export()
    validate("export", exported)
    other = tmp_path / "other"
    other.mkdir()
    store = Store(other)
    try:
        fresh = Rapport(store)
        fresh.import_(exported)
        again = fresh.export()
        assert {**again, "exported_at": None} == {**exported, "exported_at": None}
        assert near(fresh, "Boston") == ["ana"] and near(fresh, "Lisbon") == ["ana"]
    finally:
        store.close()



def test_a_post_counts_for_a_trip_only_around_the_trips_days(service: Any) -> None:
    person(service, "ana", "Berlin")
    service.ingest(batch(tweets=[tweet("1900000000000000501", "ana", text="In Boston all week for a workshop",
                                       created_at="2026-11-20T08:00:00Z")]))
    during = service.create_plan("trip", {"place": "Boston", "start": "2026-11-24", "end": "2026-11-26"})
    later = service.create_plan("trip", {"place": "Boston", "start": "2027-02-01", "end": "2027-02-03"})
    before = service.create_plan("trip", {"place": "Boston", "start": "2026-11-01", "end": "2026-11-03"})
    assert [p["handle"] for p in during["people"]] == ["ana"] and during["people"][0]["why"] == "post"
    assert later["people"] == [] and before["people"] == []


def test_bali_is_the_indonesian_province_never_a_town_of_that_name_in_india() -> None:
    from companion.domain.places import resolve

    alone, hinted, town = resolve("Bali"), resolve("Bali, Indonesia"), resolve("Ubud, Bali")
    assert alone is None or alone.place.country == "ID"  # a province under a geographical unit is a region too
    assert hinted is not None and (hinted.place.kind, hinted.place.country) == ("region", "ID")
    assert town is not None and (town.place.name, town.place.country) == ("Ubud", "ID")
