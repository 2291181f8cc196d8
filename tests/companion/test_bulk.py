"""Bulk actions on People (POST /api/v1/people/bulk) against a real `rapport serve` holding 1,000 people:
each action applied to a selection by keys or by filter, in one transaction, answering how many changed; a bad
request changes nobody; a delete needs the count the user confirmed. The export takes a selection of keys."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.conftest import Companion, batch, tweet

PEOPLE = 1000
HANDLES = [f"p{n:04d}" for n in range(PEOPLE)]


@pytest.fixture
def thousand(companion: Companion) -> Companion:
    answer = companion.post("/ingest", batch(
        people=[{"handle": h, "user_id": str(5000 + n), "display_name": f"Person {n}"} for n, h in enumerate(HANDLES)],
        tweets=[tweet(str(1900000000000000000 + n), h, reply_to=["me"]) for n, h in enumerate(HANDLES)]))
    assert answer.status_code == 200 and answer.json()["people_created"] == PEOPLE, answer.text
    return companion


def bulk(companion: Companion, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    answer = companion.post("/people/bulk", body)
    assert answer.status_code == status, answer.text
    return answer.json()


def total(companion: Companion, **filters: str) -> int:
    return companion.get("/people", params={**filters, "limit": 1}).json()["total"]


def person(companion: Companion, key: str) -> dict[str, Any]:
    return companion.get(f"/people/{key}", params={"interactions_limit": 1}).json()


def cadence(companion: Companion, key: str) -> int | None:
    return person(companion, key)["keep_in_touch"]["cadence_days"]


def test_each_action_applies_to_a_thousand_selected_people_in_one_go(thousand: Companion) -> None:
    assert bulk(thousand, {"keys": HANDLES, "action": "add_tag", "value": "customer"}) == {
        "action": "add_tag", "selected": PEOPLE, "changed": PEOPLE}
    assert total(thousand, tag="customer") == PEOPLE
    # Again: everyone has it already, so nobody changes (and a user id names the same person as a handle).
    again = bulk(thousand, {"keys": [*HANDLES, "5000"], "action": "add_tag", "value": "customer"})
    assert again == {"action": "add_tag", "selected": PEOPLE, "changed": 0}
    # Acknowledged means durable: the tags survive kill -9 the next instant.
    thousand.kill9()
    thousand.start()
    assert total(thousand, tag="customer") == PEOPLE

    # By filter, the same filters as GET /people: the first hundred handles.
    assert bulk(thousand, {"filter": {"q": "p00", "tag": "customer"}, "action": "remove_tag",
                           "value": "customer"})["changed"] == 100
    assert total(thousand, tag="customer") == PEOPLE - 100
    assert person(thousand, "p0042")["tags"] == [] and person(thousand, "p0100")["tags"] == ["customer"]

    assert bulk(thousand, {"keys": HANDLES, "action": "set_cadence", "value": 30})["changed"] == PEOPLE
    assert cadence(thousand, "p0999") == 30
    assert bulk(thousand, {"keys": HANDLES[:10], "action": "set_cadence", "value": None})["changed"] == 10
    assert cadence(thousand, "p0000") is None and cadence(thousand, "p0010") == 30

    # Delete asks for the count; everyone the filter selects goes, with their history.
    assert bulk(thousand, {"filter": {"tag": "customer"}, "action": "delete", "confirm_count": 900}) == {
        "action": "delete", "selected": 900, "changed": 900}
    assert total(thousand) == 100
    assert thousand.get("/people/p0500").status_code == 404
    assert bulk(thousand, {"keys": HANDLES[:100], "action": "delete", "confirm_count": 100})["changed"] == 100
    assert total(thousand) == 0


def test_a_label_is_added_to_and_taken_off_a_thousand_people_by_its_name(thousand: Companion) -> None:
    # A name not used yet makes the label; another case of it is the same label.
    assert bulk(thousand, {"keys": HANDLES, "action": "add_label", "value": "SXSW 2026"})["changed"] == PEOPLE
    labels = thousand.get("/labels").json()["labels"]
    assert [(label["name"], label["people"]) for label in labels] == [("SXSW 2026", PEOPLE)]
    assert bulk(thousand, {"filter": {"q": "p00"}, "action": "remove_label", "value": "sxsw 2026"})["changed"] == 100
    assert total(thousand, label=str(labels[0]["id"])) == PEOPLE - 100
    assert person(thousand, "p0999")["labels"] == [{"id": labels[0]["id"], "name": "SXSW 2026", "colour": "blue"}]
    # A person at the most labels there are: nobody gets the new one.
    thousand.patch("/people/p0500", {"labels": [f"l{n}" for n in range(20)]})
    error = bulk(thousand, {"keys": HANDLES, "action": "add_label", "value": "investor"}, 409)["error"]
    assert "p0500 has 20 labels already" in error["message"]
    assert "investor" not in [label["name"] for label in thousand.get("/labels").json()["labels"]]
    assert bulk(thousand, {"keys": HANDLES, "action": "remove_label", "value": "nothing like it"}, 404)


@pytest.mark.parametrize(("body", "status", "path"), [
    ({"keys": [*HANDLES, "nobody_here"], "action": "add_tag", "value": "friend"}, 404, "/keys"),
    ({"keys": HANDLES, "action": "add_tag", "value": "best-friend"}, 400, "/value"),
    ({"keys": HANDLES, "action": "set_cadence", "value": 99999}, 400, "/value"),
    ({"keys": HANDLES, "action": "add_tag"}, 400, None),
    ({"keys": HANDLES, "action": "rename", "value": "x"}, 400, "/action"),
    ({"keys": HANDLES, "filter": {}, "action": "add_tag", "value": "friend"}, 400, None),
    ({"filter": {"sort": "name"}, "action": "add_tag", "value": "friend"}, 400, "/filter"),
    ({"filter": {"last_after": "yesterday"}, "action": "add_tag", "value": "friend"}, 400, "/filter/last_after"),
    ({"filter": {}, "action": "delete"}, 400, None),
    ({"keys": HANDLES, "action": "delete", "confirm_count": 999}, 409, "/confirm_count"),
    ({"filter": {"q": "p0"}, "action": "delete", "confirm_count": 1}, 409, "/confirm_count"),
])
def test_a_bad_bulk_request_changes_nobody(thousand: Companion, body: dict[str, Any], status: int,
                                           path: str | None) -> None:
    before = thousand.get("/export").json()
    error = bulk(thousand, body, status)["error"]
    assert error["message"]
    if path is not None:
        assert error.get("path", "").startswith(path), error
    assert thousand.get("/export").json()["people"] == before["people"]
    assert total(thousand) == PEOPLE


def test_a_delete_confirmed_for_fewer_people_than_the_filter_now_matches_deletes_nobody(thousand: Companion) -> None:
    # The user saw 10 people with the tag and confirmed 10; meanwhile someone else got it too.
    bulk(thousand, {"keys": HANDLES[:10], "action": "add_tag", "value": "vendor"})
    bulk(thousand, {"keys": ["p0500"], "action": "add_tag", "value": "vendor"})
    error = bulk(thousand, {"filter": {"tag": "vendor"}, "action": "delete", "confirm_count": 10}, 409)["error"]
    assert "11 people now, not the 10 you confirmed" in error["message"]
    assert total(thousand, tag="vendor") == 11


def test_the_export_takes_a_selection_of_keys_in_its_order(thousand: Companion) -> None:
    answer = thousand.get("/people.csv", params={"keys": "p0007,5003,p0999"})
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [r["handle"] for r in rows] == ["p0007", "p0003", "p0999"]
    assert thousand.get("/people.vcf", params={"keys": ",".join(HANDLES)}).text.count("BEGIN:VCARD") == PEOPLE
    missing = thousand.get("/people.csv", params={"keys": "p0001,ghost"})
    assert missing.status_code == 404 and "'ghost'" in missing.json()["error"]["message"]
