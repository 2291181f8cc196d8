"""shared_schema/ is the contract: Python validates with it, and its enums match stages.json."""

from __future__ import annotations

import copy
import json
import subprocess

import pytest

from companion import schema
from companion.schema import SchemaViolation, schema_dir, validate
from tests.conftest import ROOT, Companion, batch, tweet

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
    ("people-bulk", {"keys": ["alice", "1001"], "action": "add_tag", "value": "friend"},
     {"keys": ["alice"], "filter": {}, "action": "add_tag", "value": "friend"}),
    ("people-bulk", {"filter": {"stage": [2]}, "action": "delete", "confirm_count": 3},
     {"filter": {"stage": [2]}, "action": "delete"}),
    ("people-bulk", {"keys": ["a"], "action": "set_cadence", "value": None},
     {"keys": [], "action": "set_cadence", "value": 7}),
    ("error", {"error": {"type": "invalid", "message": "x", "path": "/a"}},
     {"error": {"type": "oops", "message": "x"}}),
    ("error", {"error": {"type": "invalid", "message": "x", "errors": [{"row": 3, "column": "Tags", "message": "y"}]}},
     {"error": {"type": "invalid", "message": "x", "errors": [{"row": 0, "column": None, "message": "y"}]}}),
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


PATTERN_CASES = [
    "", "a", "kate", "kate\n", "\nkate", "kate\r", "kate\n\n", "Kate_1", "kate_the_great_reader_99", "1234567890",
    "12345678901234567890123456", "2026-03-02", "2026-03-02T10:15:00Z", "2026-03-02T10:15:00Z\n",
    "2026-03-02T10:15:00.123+01:00", "https://x.com/a", "https://x.com/a\n", "http://127.0.0.1:47600",
    "c_1a2b3c4d", "ABCD-EFGH", "ABCD-EFGH\n", " kate", "kate ", "#1D9BF0", "#1D9BF0\n", "friend", "friend\n",
    "tweet:1:they_replied", "line one\nline two",
]


def _patterns() -> list[str]:
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(schema_dir().glob("*.schema.json")):
        walk(json.loads(path.read_text()))
    return sorted(found)


def test_every_schema_pattern_means_the_same_to_both_python_validators_and_to_the_extensions_ajv() -> None:
    import jsonschema_rs
    from jsonschema import Draft202012Validator

    from companion.schema import python_pattern, validator

    patterns = _patterns()
    assert len(patterns) >= 5
    reference = validator("common")  # the extended class: its pattern keyword is the one under test
    ours = {p: [not list(type(reference)({"type": "string", "pattern": p}).iter_errors(c)) for c in PATTERN_CASES]
            for p in patterns}
    fast = {p: [jsonschema_rs.validator_for({"type": "string", "pattern": p}).is_valid(c) for c in PATTERN_CASES]
            for p in patterns}
    node = subprocess.run(
        ["node", "--input-type=module", "-e", """
            import Ajv2020 from "ajv/dist/2020.js";
            const {patterns, cases} = JSON.parse(await new Response(process.stdin).text());
            const ajv = new Ajv2020({strict: false});
            const out = {};
            for (const p of patterns) {
              const v = ajv.compile({type: "string", pattern: p});
              out[p] = cases.map((c) => v(c));
            }
            console.log(JSON.stringify(out));
        """], input=json.dumps({"patterns": patterns, "cases": PATTERN_CASES}), capture_output=True, text=True,
        cwd=ROOT / "extension", timeout=60)
    assert node.returncode == 0, node.stderr
    ajv = json.loads(node.stdout)
    for p in patterns:
        assert ours[p] == fast[p] == ajv[p], (p, [c for c, a, b, d in zip(PATTERN_CASES, ours[p], fast[p], ajv[p],
                                                                       strict=True) if not a == b == d])
    # What the plain Python validator got wrong, and the reason this test exists.
    assert Draft202012Validator({"type": "string", "pattern": "^[a-z]+$"}).is_valid("kate\n")
    assert python_pattern("^[a-z]+$") == "^[a-z]+\\Z"


def test_a_handle_with_a_trailing_newline_is_refused_everywhere(companion: Companion) -> None:
    for path, body in [("/badges", {"handles": ["kate\n"]}), ("/people", {"handle": "kate\n"}),
                       ("/ingest", batch(people=[{"handle": "kate\n", "user_id": "1\n"}]))]:
        answer = companion.post(path, body)
        assert answer.status_code == 400, (path, answer.text)
    assert companion.get("/people").json()["total"] == 0


def test_counts_beyond_any_real_follower_count_are_refused_not_stored_as_floats(companion: Companion) -> None:
    answer = companion.post("/ingest", batch(page_type="profile", url="https://x.com/alice",
                                             people=[{"handle": "alice", "followers": 10**30}]))
    assert answer.status_code == 400 and "/people/0/followers" in answer.text
    ok = companion.post("/ingest", batch(page_type="profile", url="https://x.com/alice",
                                         people=[{"handle": "alice", "followers": 10_000_000_000}]))
    assert ok.status_code == 200
    assert companion.get("/people/alice").json()["profile"]["followers"] == 10_000_000_000


def test_x_facts_and_the_api_contract_are_read_by_both_sides_from_one_file() -> None:
    from companion.domain.derive import RESERVED_PATHS
    from companion.schema import api_contract, x_facts

    facts = x_facts()
    assert frozenset(facts["reserved_paths"]) == RESERVED_PATHS and "home" in RESERVED_PATHS
    assert facts["handle_pattern"] == schema.load_schema("common")["$defs"]["handle"]["pattern"]
    assert facts["handle_pattern"] == f"^{facts['handle_chars']}$"
    extension_copy = (ROOT / "extension" / "src" / "common" / "x.js").read_text()
    assert json.dumps(facts["reserved_paths"], separators=(",", ":")) in extension_copy
    assert f"export const API_VERSION = {api_contract()['version']};" in (
        ROOT / "extension" / "src" / "common" / "api.js").read_text()
