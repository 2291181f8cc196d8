"""shared_schema/ is the contract: Python validates with it, and its enums match stages.json."""

from __future__ import annotations

import copy
import json

import pytest

from companion import schema
from companion.schema import SchemaViolation, validate
from tests.conftest import batch, tweet

GOOD_BATCH = batch(
    batch_id="b-1",
    tweets=[tweet("1", "alice", reply_to=["me"], social_context={"type": "repost", "text": "Bob reposted",
                                                                   "handle": "bob"}, quoted_status_id="2")],
    people=[{"handle": "alice", "user_id": "42", "display_name": "Alice", "bio": None, "followers": 10,
             "following": 3, "follows_me": True, "i_follow": False}],
    dm_conversations=[{"with": ["carol", {"handle": "dan", "user_id": "7"}],
                       "last_message_at": "2026-11-01T10:00:00Z"}],
    notifications=[{"type": "like", "actors": ["erin"], "status_id": "5", "at": None}],
)


def test_a_realistic_scrape_batch_is_valid() -> None:
    validate("scrape-batch", GOOD_BATCH)


@pytest.mark.parametrize(("mutate", "path"), [
    (lambda b: b["tweets"][0].update(author="bad handle"), "/tweets/0/author"),
    (lambda b: b.pop("page"), "/"),
    (lambda b: b["page"].update(type="nope"), "/page/type"),
    (lambda b: b.update(surprise=1), "/"),
    (lambda b: b["people"][0].update(followers=-1), "/people/0/followers"),
    (lambda b: b["page"].update(observed_at="yesterday"), "/page/observed_at"),
    (lambda b: b["tweets"][0].update(status_id="abc"), "/tweets/0/status_id"),
    (lambda b: b["dm_conversations"][0].update({"with": []}), "/dm_conversations/0/with"),
    (lambda b: b["tweets"][0].update(reply_to="me"), "/tweets/0/reply_to"),
])
def test_scrape_batch_violations_name_the_field(mutate, path) -> None:
    bad = copy.deepcopy(GOOD_BATCH)
    mutate(bad)
    with pytest.raises(SchemaViolation) as caught:
        validate("scrape-batch", bad)
    assert caught.value.path == path


def test_nested_anyof_errors_point_at_the_deepest_field() -> None:
    bad = copy.deepcopy(GOOD_BATCH)
    bad["tweets"][0]["social_context"]["handle"] = "not a handle"
    with pytest.raises(SchemaViolation) as caught:
        validate("scrape-batch", bad)
    assert caught.value.path.startswith("/tweets/0/social_context")


@pytest.mark.parametrize(("name", "good", "bad"), [
    ("event", {"kind": "call", "at": "2026-03-02"}, {"kind": "call", "at": "March"}),
    ("event", {"kind": "meeting", "at": "2026-03-02T18:00:00+01:00", "place": "Lisbon"},
     {"kind": "lunch", "at": "2026-03-02"}),
    ("person-patch", {"notes": {"books": "Dune"}, "tags": ["friend"]}, {"notes": {"cheese": "Brie"}}),
    ("person-patch", {"stage": {"stage": 3, "reason": "we called"}}, {"stage": {"stage": 3}}),
    ("person-patch", {"stage": None}, {}),
    ("badges-request", {"handles": ["a", "B_c"]}, {"handles": ["no spaces"]}),
    ("person-create", {"handle": "alice"}, {"display_name": "no key"}),
    ("error", {"error": {"type": "invalid", "message": "x", "path": "/a"}},
     {"error": {"type": "oops", "message": "x"}}),
])
def test_api_schemas_accept_good_and_refuse_bad(name, good, bad) -> None:
    validate(name, good)
    with pytest.raises(SchemaViolation):
        validate(name, bad)


def test_enums_in_schemas_equal_the_constants_in_stages_json() -> None:
    constants = schema.constants()
    defs = schema.load_schema("common")["$defs"]
    assert defs["stage_id"]["enum"] == [s["id"] for s in constants["stages"]]
    assert defs["outcome_tag"]["enum"] == [t["id"] for t in constants["outcome_tags"]]
    assert defs["interaction_kind"]["enum"] == [k["id"] for k in constants["interaction_kinds"]]
    assert defs["page_type"]["enum"] == constants["page_types"]
    assert list(schema.load_schema("notes")["properties"]) == [f["id"] for f in constants["note_fields"]]
    assert [s["name"] for s in constants["stages"]] == [
        "Not yet", "Casual conversation", "Direct messages", "Phone call", "Met in person"]


def test_every_schema_file_is_a_valid_2020_12_schema() -> None:
    from jsonschema import Draft202012Validator

    for path in sorted(schema.schema_dir().glob("*.schema.json")):
        document = json.loads(path.read_text())
        Draft202012Validator.check_schema(document)
        assert document["$id"].endswith("/" + path.name)
