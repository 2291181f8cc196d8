"""Your own labels: made by naming them on a person, renamed and recoloured everywhere at once, deleted off
everyone, found by filter and by search, kept by export and import, and merged with their people."""

from __future__ import annotations

import pytest

from companion.domain.errors import Conflict, Invalid, NotFound
from companion.schema import validate
from tests.conftest import Companion


def test_naming_a_label_on_a_person_makes_it_once_whatever_the_case(service) -> None:
    alice, _ = service.create_person({"handle": "alice", "labels": ["SXSW 2026", "investor"]})
    service.create_person({"handle": "bob"})
    bob = service.edit_person("bob", {"labels": ["INVESTOR", " climbing   partner "]})
    assert [label["name"] for label in alice["labels"]] == ["investor", "SXSW 2026"]
    assert [label["name"] for label in bob["labels"]] == ["climbing partner", "investor"]
    listed = service.labels()["labels"]
    validate("labels-list", {"labels": listed})
    assert [(label["name"], label["people"]) for label in listed] == [
        ("climbing partner", 1), ("investor", 2), ("SXSW 2026", 1)]
    # New labels take the colours fewest labels have, so they look apart without anyone choosing.
    assert len({label["colour"] for label in listed}) == 3


def test_a_rename_or_a_new_colour_shows_on_everyone_and_a_delete_takes_it_off_everyone(service) -> None:
    service.create_person({"handle": "alice", "labels": ["investor"]})
    service.create_person({"handle": "bob", "labels": ["investor", "friend of Ann"]})
    investor = next(label["id"] for label in service.labels()["labels"] if label["name"] == "investor")
    assert service.change_label(investor, {"name": "Angel investor", "colour": "red"}) == {
        "id": investor, "name": "Angel investor", "colour": "red"}
    badges = service.badges(["alice", "bob"])["badges"]
    assert badges["alice"]["labels"] == [{"id": investor, "name": "Angel investor", "colour": "red"}]
    assert [label["name"] for label in badges["bob"]["labels"]] == ["Angel investor", "friend of Ann"]
    assert service.delete_label(investor) == {"ok": True, "people": 2}
    assert service.person("alice")["labels"] == []
    assert [label["name"] for label in service.person("bob")["labels"]] == ["friend of Ann"]
    with pytest.raises(NotFound):
        service.change_label(investor, {"colour": "blue"})


def test_names_are_unique_whatever_the_case_and_bad_names_are_refused(service) -> None:
    service.create_label({"name": "Investor"})
    with pytest.raises(Conflict):
        service.create_label({"name": "investor"})
    other = service.create_label({"name": "VC"})
    with pytest.raises(Conflict):
        service.change_label(other["id"], {"name": "INVESTOR"})
    assert service.change_label(other["id"], {"name": "vc"})["name"] == "vc"  # its own case may change
    for bad in ["", "   ", "a\u0007b", "x" * 41]:
        with pytest.raises(Invalid):
            service.create_label({"name": bad})
    with pytest.raises(Invalid):
        service.create_person({"handle": "alice", "labels": [f"label {n}" for n in range(21)]})
    assert [label["name"] for label in service.labels()["labels"]] == ["Investor", "vc"]  # nothing half-made


def test_people_are_found_by_label_filter_and_by_searching_its_name(service) -> None:
    service.create_person({"handle": "alice", "labels": ["climbing partner"]})
    service.create_person({"handle": "bob"})
    climbing = service.labels()["labels"][0]["id"]
    assert [p["handle"] for p in service.list_people(label=climbing)["people"]] == ["alice"]
    assert [p["handle"] for p in service.list_people(q="CLIMBING")["people"]] == ["alice"]
    assert service.list_people(label=climbing + 1)["total"] == 0


def test_export_and_import_keep_labels_by_name_and_an_existing_label_keeps_its_colour(service, tmp_path) -> None:
    from companion.domain.service import Rapport
    from companion.store.database import Store

    service.create_person({"handle": "alice", "labels": ["SXSW 2026", "investor"]})
    service.change_label(service.labels()["labels"][0]["id"], {"colour": "purple"})
    exported = service.export()
    validate("export", exported)
    assert exported["people"][0]["labels"] == ["investor", "SXSW 2026"]
    store = Store(tmp_path / "other")
    try:
        other = Rapport(store)
        other.create_label({"name": "SXSW 2026", "colour": "grey"})
        other.import_(exported)
        assert [(label["name"], label["colour"], label["people"]) for label in other.labels()["labels"]] == [
            ("investor", "purple", 1), ("SXSW 2026", "grey", 1)]
        again = other.export()
        assert again["people"][0]["labels"] == exported["people"][0]["labels"]
    finally:
        store.close()


def test_merged_records_keep_both_sets_of_labels(service) -> None:
    from tests.conftest import batch, tweet

    service.create_person({"handle": "alice", "labels": ["investor"]})
    service.create_person({"user_id": "42", "labels": ["SXSW 2026"]})
    # The page shows @alice is account 42: the two records are one person.
    service.ingest(batch(tweets=[tweet("1", "alice", reply_to=["me"])],
                         people=[{"handle": "alice", "user_id": "42", "display_name": "Alice"}]))
    assert [label["name"] for label in service.person("42")["labels"]] == ["investor", "SXSW 2026"]


def test_labels_over_http_answer_by_the_schemas_and_errors_name_the_field(companion: Companion) -> None:
    made = companion.post("/labels", {"name": "investor", "colour": "teal"})
    assert made.status_code == 201 and made.json()["colour"] == "teal"
    assert companion.post("/labels", {"name": "Investor"}).status_code == 409
    bad = companion.post("/labels", {"name": "x", "colour": "#ff0000"})
    assert bad.status_code == 400 and "colour" in bad.text
    assert companion.post("/labels", {"colour": "red"}).status_code == 400
    person = companion.post("/people", {"handle": "alice", "labels": ["investor", "SXSW 2026"]}).json()
    validate("person", person)
    assert [label["name"] for label in person["labels"]] == ["investor", "SXSW 2026"]
    listing = companion.get("/people", params={"label": str(made.json()["id"])})
    validate("people-list", listing.json())
    assert [p["handle"] for p in listing.json()["people"]] == ["alice"]
    assert companion.get("/people", params={"label": "investor"}).status_code == 400
    labels = companion.get("/labels").json()
    validate("labels-list", labels)
    renamed = companion.patch(f"/labels/{made.json()['id']}", {"name": "angel"})
    assert renamed.status_code == 200
    badge = companion.post("/badges", {"handles": ["alice"]}).json()["badges"]["alice"]
    validate("badge", badge)
    assert [label["name"] for label in badge["labels"]] == ["angel", "SXSW 2026"]
    gone = companion.delete(f"/labels/{made.json()['id']}")
    assert gone.status_code == 200 and gone.json() == {"ok": True, "people": 1}
    assert companion.delete(f"/labels/{made.json()['id']}").status_code == 404


def test_a_rename_tells_live_listeners_the_new_badge_of_everyone_who_has_the_label(service) -> None:
    from companion.domain import events

    service.create_person({"handle": "alice", "labels": ["investor"]})
    service.create_person({"handle": "bob", "labels": ["investor"]})
    service.create_person({"handle": "carol"})
    bus = events.EventBus()
    events.connect(service.store, bus)
    heard: list[dict] = []
    bus.subscribe(heard.extend)
    service.change_label(service.labels()["labels"][0]["id"], {"name": "angel"})
    assert sorted(e["handle"] for e in heard if e["type"] == "person.updated") == ["alice", "bob"]
    for event in heard:
        validate("live-event", event)
        assert event["badge"]["labels"][0]["name"] == "angel"
