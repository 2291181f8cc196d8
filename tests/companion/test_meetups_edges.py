"""Meet-ups and kept posts at their edges: imports that carry odd or doubled data, posts whose person is gone,
keys that change, dates far away, a second click, long text. None of them may answer 500 or lose a thing."""

from __future__ import annotations

from typing import Any

import pytest

from companion.domain import places, posts
from companion.domain.errors import Invalid
from companion.schema import SchemaViolation, validate
from tests.conftest import batch, tweet

pytestmark = pytest.mark.usefixtures("clock_at_scene")


def known(service: Any, handle: str, location: str | None = None) -> None:
    service.ingest(batch(people=[{"handle": handle, "location": location}],
                         tweets=[tweet(f"{abs(hash(handle)) % 10**12}", handle, reply_to=["me"], text="hi")]))


def exported_with(service: Any, handle: str, post_text: str) -> dict[str, Any]:
    known(service, handle, "Boston")
    service.ingest(batch(tweets=[tweet("1900000000000000900", handle, text=post_text)]))
    return service.export()


def test_an_import_with_a_post_twice_keeps_it_once_and_deleting_the_person_leaves_no_orphan(service: Any) -> None:
    document = exported_with(service, "ana", "Just landed in Boston")
    service.delete_person("ana")
    person = next(p for p in document["people"] if p["handle"] == "ana")
    person["posts"] = person["posts"] + [dict(person["posts"][-1])]  # the same post twice
    service.import_(document)
    assert sorted(p["status_id"] for p in service.person("ana")["posts"]) == sorted(
        {p["status_id"] for p in person["posts"]})
    service.delete_person("ana")
    assert service.posts_setting()["posts_kept"] == 0
    assert service.near("Boston")["people"] == []  # and every answer that reads posts still answers


def test_a_post_replaced_while_it_was_being_read_is_not_given_the_old_posts_findings(service: Any) -> None:
    known(service, "bo")
    service.ingest(batch(tweets=[tweet("1900000000000000901", "bo", text="lunch")]))
    store = service.store
    post_id = next(int(i) for i, p in store.all_posts().items() if p["status_id"] == "1900000000000000901")
    stale = {post_id: ("1900000000000000000", [{"field": "books", "value": "Dune", "words": "reading Dune"}], [])}
    with store.lock, store.transaction():
        assert posts.apply(store, stale, "2026-11-20T10:00:00Z") == 0
    assert store.all_posts()[str(post_id)]["mentions"] is None


@pytest.mark.parametrize(("where", "bad"), [
    ("trips", [{"name": "x"}]),
    ("settings", {"keep_in_touch": "nope"}),
    ("settings", {"keep_posts": "no"}),
])
def test_an_export_with_broken_meetup_data_is_refused_whole(service: Any, where: str, bad: Any) -> None:
    document = {**service.export(), where: bad}
    with pytest.raises(SchemaViolation):
        validate("export", document)


def test_imported_whereabouts_place_corrections_and_post_links_are_checked(service: Any) -> None:
    document = exported_with(service, "cy", "Greetings from Lisbon")
    person = next(p for p in document["people"] if p["handle"] == "cy")
    for field, value in (("whereabouts", [{"geonameid": "abc"}]), ("place_fix", {"at": "2026-11-20T10:00:00Z"}),
                         ("posts", [{**person["posts"][0], "url": "javascript:alert(1)"}])):
        broken = {**document, "people": [{**person, field: value}]}
        with pytest.raises(SchemaViolation):
            validate("export", broken)
    unknown_city = {**document, "people": [{**person, "place_fix": {"geonameid": 99999998,
                                                                     "at": "2026-11-20T10:00:00Z"}}]}
    validate("export", unknown_city)
    with pytest.raises(Invalid) as refused:
        service.import_(unknown_city)
    assert refused.value.path == "/people/0/place_fix/geonameid"


def test_a_trip_in_year_one_is_a_clear_error_and_nothing_is_stored(service: Any) -> None:
    with pytest.raises(Invalid):
        service.create_plan("trip", {"place": "Boston", "start": "0001-01-01", "end": "0001-01-02"})
    assert service.plans("trip") == []


def test_merging_the_same_person_twice_keeps_each_whereabouts_once(service: Any) -> None:
    document = exported_with(service, "dee", "Greetings from Lisbon")
    service.import_(document)
    service.import_(document)
    assert len(service.person("dee")["whereabouts"]) == 1


def test_a_region_outside_the_us_asks_for_a_city_or_the_country(service: Any) -> None:
    known(service, "eve", "Munich")
    with pytest.raises(Invalid, match="ask for a city in it, or for Germany"):
        service.near("Bayern")


def test_a_marked_person_whose_user_id_arrives_later_is_on_the_trip_once(service: Any) -> None:
    known(service, "fay", "Boston")
    trip = service.create_plan("trip", {"place": "Boston", "start": "2026-03-03", "end": "2026-03-05"})
    service.mark_for_trip(trip["id"], "fay", True, "lunch")
    service.ingest(batch(people=[{"handle": "fay", "user_id": "424242", "location": "Boston"}]))
    listed = service.plan("trip", trip["id"])["people"]
    assert [(p["key"], p["mark"]["note"]) for p in listed] == [("424242", "lunch")]
    service.mark_for_trip(trip["id"], "424242", True, "dinner instead")
    listed = service.plan("trip", trip["id"])["people"]
    assert [(p["key"], p["mark"]["note"]) for p in listed] == [("424242", "dinner instead")]


def test_we_met_twice_logs_one_meeting(service: Any) -> None:
    known(service, "gus", "Boston")
    trip = service.create_plan("trip", {"place": "Boston", "start": "2026-03-03", "end": "2026-03-05"})
    service.mark_for_trip(trip["id"], "gus", True, None)
    service.met_on_trip(trip["id"], "gus")
    service.met_on_trip(trip["id"], "gus")  # a second click, a retry
    meetings = [i for i in service.person("gus")["interactions"] if i["kind"] == "meeting"]
    assert len(meetings) == 1


def test_a_long_location_names_no_place() -> None:
    assert places.resolve("@" * 5000) is None and places.resolve("a@b.c " * 100) is None


@pytest.mark.parametrize(("text", "city"), [
    ("nyc", "New York City"), ("bcn", "Barcelona"), ("NYC", "New York City"), ("ATL", "Atlanta"),
    ("the", None), ("was", None), ("can", None), ("sea", None), ("spy", None), ("mrs", None), ("str", None),
    ("bts", None), ("sfo", "San Francisco"),
])
def test_a_city_code_in_lowercase_counts_only_for_the_few_people_write_so(text: str, city: str | None) -> None:
    found = places.resolve(text)
    assert (found.place.name if found else None) == city


def test_an_import_with_the_keeping_of_posts_off_brings_no_posts(service: Any) -> None:
    document = exported_with(service, "hal", "Greetings from Tokyo")
    service.delete_person("hal")
    service.set_posts_setting(False)
    service.import_({**document, "settings": {}})
    assert service.posts_setting() == {"keep_posts": False, "posts_kept": 0}
