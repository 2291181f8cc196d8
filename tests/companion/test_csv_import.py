"""People from a spreadsheet (CSV): Rapport's own export reads back exactly; columns map by their headers or as
asked; every bad row is named with its row number and nothing of a refused file is applied; known people are
updated, not doubled. Over the service, a real `rapport serve` and the `rapport import-csv` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from companion.domain import csv_import
from companion.domain.errors import Invalid, TooLarge
from companion.domain.service import Rapport
from companion.domain.vocabulary import NOTE_FIELDS
from companion.schema import validate
from companion.store.database import Store
from tests.companion.test_cli import rapport
from tests.conftest import Companion, batch, tweet

TRICKY_NOTES = {
    "books": 'Dune, "Children of Dune"\nand, after that, Hyperion',
    "wine": "Grüner Veltliner — 2019 🍷",
    "music": "=HYPERLINK(\"http://evil\")",  # a formula: exported behind a quote, read back without it
    "movies": "-5 stars for Cats",
    "sports": "'=already quoted by hand",
    "other": "Line one\r\nline two; with a semicolon, and a comma",
}


def seed(service: Rapport) -> None:
    service.ingest(batch(people=[
        {"handle": "ana", "user_id": "111", "display_name": "Ana Łovelace, PhD"},
        {"handle": "bo", "display_name": "=cmd|' /C calc'!A0"}],
        tweets=[tweet("1900000000000000001", "ana", reply_to=["me"]),
                tweet("1900000000000000002", "bo", reply_to=["me"])]))
    service.edit_person("ana", {"tags": ["customer", "referral-partner"], "notes": TRICKY_NOTES,
                                "next_step": "send the deck, then call", "cadence_days": 30,
                                "labels": ["SXSW 2026", "investor, angel"]})
    service.edit_person("bo", {"tags": ["friend"], "notes": {"books": "日本語の本"}, "labels": ["climbing partner"]})
    service.create_person({"user_id": "424242", "notes": {"other": "known by id alone"}, "tags": ["vendor"]})
    service.create_person({"handle": "cy", "tags": ["prospect"]})  # no display name: the export names her "@cy"


def kept(service: Rapport) -> list[dict[str, Any]]:
    """What a CSV carries of everyone: who, the name they go by, notes, tags, next step, cadence."""
    people = service.export()["people"]
    return sorted(({"handle": p["handle"], "user_id": p["user_id"], "name": p["profile"]["display_name"],
                    "notes": p["notes"], "tags": p["tags"], "labels": p["labels"], "next_step": p["next_step"],
                    "cadence_days": p["cadence_days"]} for p in people), key=lambda p: p["handle"] or "")


def everything(service: Rapport) -> dict[str, Any]:
    return {k: v for k, v in service.export().items() if k != "exported_at"}


@pytest.fixture
def other(tmp_path: Path) -> Any:
    store = Store(tmp_path / "elsewhere")
    try:
        yield Rapport(store)
    finally:
        store.close()


def test_an_export_imported_into_an_empty_rapport_gives_the_same_people_notes_and_tags(
        service: Rapport, other: Rapport) -> None:
    seed(service)
    exported = service.export_people("csv")
    preview = other.import_people_csv(exported, dry_run=True)
    validate("csv-import", preview)
    assert preview["ok"] and preview["counts"] == {"created": 4, "updated": 0, "unchanged": 0}
    assert kept(other) == []  # a dry run writes nothing
    by_field = {c["header"]: c["field"] for c in preview["columns"]}
    assert by_field["handle"] == "handle" and by_field["outcome_tags"] == "tags" and by_field["stage"] is None
    done = other.import_people_csv(exported)
    validate("csv-import", done)
    assert done["applied"] and done["counts"]["created"] == 4
    assert kept(other) == kept(service)
    assert other.person("ana")["notes"] == TRICKY_NOTES
    assert other.person("cy")["profile"]["display_name"] is None  # "@cy" was the export's stand-in, not a name
    # And back into the Rapport it came from: everyone is known already, nothing changes.
    before = everything(service)
    again = service.import_people_csv(exported)
    assert again["counts"] == {"created": 0, "updated": 0, "unchanged": 4}
    assert everything(service) == before


def test_a_known_person_is_updated_by_handle_in_any_case_not_doubled(service: Rapport) -> None:
    service.ingest(batch(people=[{"handle": "Alice", "user_id": "77", "display_name": "Alice"}],
                         tweets=[tweet("1900000000000000009", "Alice", reply_to=["me"])]))
    service.edit_person("alice", {"notes": {"books": "Dune"}, "tags": ["friend"]})
    answer = service.import_people_csv(b"Twitter,Wine,Tags\n@ALICE,Barolo,Customer; friend\nhttps://x.com/i/user/77,,\n"
                                       b"newbie,,\n", dry_run=True)
    assert answer["errors"] == [{"row": 3, "column": None,
                                 "message": "is the same person as row 2: keep one row per person"}]
    answer = service.import_people_csv(b"Twitter,Wine,Tags\n@ALICE,Barolo,Customer; friend\nnewbie,,\n")
    assert answer["counts"] == {"created": 1, "updated": 1, "unchanged": 0}
    assert answer["preview"][0]["changes"] == ["wine", "tags"]
    alice = service.person("alice")
    assert alice["handle"] == "Alice" and alice["user_id"] == "77"  # a typed handle renames no one
    assert alice["notes"]["books"] == "Dune" and alice["notes"]["wine"] == "Barolo"  # an empty cell keeps a note
    assert alice["tags"] == ["customer", "friend"]
    assert service.list_people()["total"] == 2
    # By user id, from a profile link: the same person again.
    by_id = service.import_people_csv(b"Profile URL,Sports\nhttps://x.com/i/user/77,chess\n")
    assert by_id["counts"]["updated"] == 1 and service.person("77")["notes"]["sports"] == "chess"


@pytest.mark.parametrize(("cell", "handle"), [
    ("@alice", "alice"), ("alice", "alice"), ("https://x.com/alice", "alice"), ("x.com/alice?lang=en", "alice"),
    ("https://twitter.com/alice/status/1900000000000000001", "alice"), ("https://mobile.twitter.com/alice/", "alice"),
])
def test_a_handle_is_read_in_every_form_a_spreadsheet_holds_it(service: Rapport, cell: str, handle: str) -> None:
    answer = service.import_people_csv(f"Handle\n{cell}\n".encode(), dry_run=True)
    assert answer["ok"] and answer["preview"][0]["handle"] == handle


@pytest.mark.parametrize(("data", "row", "says"), [
    (b"Handle,Name\n,Ada\n", 2, "has no handle, profile URL or user id"),
    (b"Handle,Tags\nada,Customer\nbob,Custmer\n", 3, 'Tags: "Custmer" is not an outcome tag: the tags are Customer'),
    (b"Handle,Name\nada,Ada\nbob,Bob,Smith\n", 3, "has 3 cells but the header names 2 columns"),
    (b"Handle\nal ice\n", 2, '"al ice" is not an X handle'),
    (b"Handle\nhttps://x.com/home\n", 2, "links to no one's profile on X"),
    (b"Handle\nhttps://example.com/ada\n", 2, "is not a link to x.com or twitter.com"),
    (b"User ID\n1.23457E+18\n", 2, "is a number the spreadsheet rounded"),
    (b"Handle,Books\nada,\"" + b"x" * 5001 + b"\"\n", 2, "is 5,001 characters long; at most 5,000 fit"),
    (b"Handle,Profile URL\nada,https://x.com/bob\n", 2, "is not the handle the row gives in another column"),
    (b"Handle,Cadence\nada,weekly\n", 2, '"weekly" is not a number of days'),
])
def test_a_bad_row_is_named_with_its_row_number_and_nothing_is_imported(
        service: Rapport, data: bytes, row: int, says: str) -> None:
    seed(service)
    before = everything(service)
    preview = service.import_people_csv(data, dry_run=True)
    validate("csv-import", preview)
    assert not preview["ok"] and [e["row"] for e in preview["errors"]] == [row]
    assert says in preview["errors"][0]["message"]
    with pytest.raises(Invalid) as refused:
        service.import_people_csv(data)
    assert refused.value.message.startswith(f"nothing was imported: row {row}: ")
    assert refused.value.errors == preview["errors"]
    assert everything(service) == before


@pytest.mark.parametrize(("data", "says"), [
    ("Handle,Name\nada,Zoë\n".encode("latin-1"), "the file is not UTF-8: the byte at offset 18 (0xEB, on line 2)"),
    ("Handle\nada\n".encode("utf-16"), "the file is UTF-16"),
    (b"Name,Books\nAda,Dune\n", "no column says who each person is"),
    (b"\n\nHandle\nada\n", "row 1 is empty"),
    (b'Handle,Books\nada,"Dune\n', "is not valid CSV"),
])
def test_a_file_that_cannot_be_read_is_refused_whole_with_why(service: Rapport, data: bytes, says: str) -> None:
    seed(service)
    before = everything(service)
    for dry_run in (True, False):
        with pytest.raises(Invalid) as refused:
            service.import_people_csv(data, dry_run=dry_run)
        assert says in refused.value.message and refused.value.errors[0]["message"] == refused.value.message
    assert everything(service) == before


def test_a_file_over_the_limit_is_refused_by_its_size(service: Rapport) -> None:
    with pytest.raises(TooLarge) as refused:
        service.import_people_csv(b"Handle\n" + b"a\n" * (csv_import.MAX_BYTES // 2))
    assert "Rapport imports CSV files of up to 4 MiB" in refused.value.message
    many = b"Handle\n" + b"".join(f"p{n}\n".encode() for n in range(csv_import.MAX_ROWS + 1))
    with pytest.raises(Invalid, match="more than 10,000 rows"):
        service.import_people_csv(many)
    assert service.list_people()["total"] == 0


def test_a_mapping_overrides_the_headers(service: Rapport) -> None:
    data = b"Who,Fav book,Tags,Notes\n@ada,Dune,Friend,met at PyCon\n"
    with pytest.raises(Invalid, match="no column says who"):
        service.import_people_csv(data)
    answer = service.import_people_csv(data, csv_import.parse_mapping(["who=handle", "2=books", "Notes=ignore"]))
    assert [(c["field"], c["how"]) for c in answer["columns"]] == [
        ("handle", "mapped"), ("books", "mapped"), ("tags", "auto"), (None, "mapped")]
    ada = service.person("ada")
    assert ada["notes"]["books"] == "Dune" and ada["notes"]["other"] is None and ada["tags"] == ["friend"]
    for mapping, says in ([["Nope=handle"], 'the mapping names a column "Nope"'],
                          [["Who=cheese"], '"cheese" is not a field to import'],
                          [["Who=handle", "Fav book=handle"], "are both mapped to handle"],
                          [["Who"], "is not COLUMN=FIELD"]):
        with pytest.raises(Invalid, match=says):
            service.import_people_csv(data, csv_import.parse_mapping(mapping))


def test_labels_come_in_by_name_and_new_names_make_new_labels(service: Rapport) -> None:
    service.create_label({"name": "Investor", "colour": "red"})
    data = b"handle,labels\nana,investor; SXSW 2026\nbo,\"climbing partner, Alps\"\n"
    result = service.import_people_csv(data)
    assert result["counts"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert [label["name"] for label in service.person("ana")["labels"]] == ["Investor", "SXSW 2026"]
    assert [label["name"] for label in service.person("bo")["labels"]] == ["Alps", "climbing partner"]
    assert ("Investor", "red") in [(label["name"], label["colour"]) for label in service.labels()["labels"]]
    again = service.import_people_csv(data, dry_run=True)
    assert again["counts"]["unchanged"] == 2  # the same labels, whatever the case
    bad = service.import_people_csv("handle,labels\nana,\"ok; \u0007bell\"\n".encode(), dry_run=True)
    assert bad["errors"][0]["row"] == 2 and "control characters" in bad["errors"][0]["message"]


def test_semicolon_files_and_tags_by_label_or_id(service: Rapport) -> None:
    data = "\ufeffHandle;Outcome tags;Movies\nada;\"referral-partner, Advocate\";Amélie\n".encode()
    answer = service.import_people_csv(data)
    assert answer["delimiter"] == ";" and answer["counts"]["created"] == 1
    assert service.person("ada")["tags"] == ["referral-partner", "advocate"]
    assert service.person("ada")["notes"]["movies"] == "Amélie"


def test_the_api_previews_imports_and_refuses_with_every_bad_row(companion: Companion) -> None:
    companion.post("/ingest", batch(people=[{"handle": "ana", "display_name": "Ana"}],
                                    tweets=[tweet("1900000000000000001", "ana", reply_to=["me"])]))
    csv_body = "Username,Books\nANA,Dune\nzoë,x\n@bo,\n".encode()
    sent = {"headers": {"Content-Type": "text/csv"}}
    preview = companion.post("/people.csv?dry_run=1", data=csv_body, **sent)
    assert preview.status_code == 200
    validate("csv-import", preview.json())
    assert [e["row"] for e in preview.json()["errors"]] == [3]
    refused = companion.post("/people.csv", data=csv_body, **sent)
    assert refused.status_code == 400
    validate("error", refused.json())
    assert refused.json()["error"]["errors"][0]["row"] == 3
    assert companion.get("/people").json()["total"] == 1
    fixed = companion.post("/people.csv?map=Books=wine", data=csv_body.replace("zoë".encode(), b"zoe"), **sent)
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["counts"] == {"created": 2, "updated": 1, "unchanged": 0}
    assert companion.get("/people/ana").json()["notes"]["wine"] == "Dune"
    latin = companion.post("/people.csv", data="Handle\nzoë\n".encode("latin-1"), **sent)
    assert latin.status_code == 400 and "not UTF-8" in latin.json()["error"]["message"]
    too_big = companion.post("/people.csv", data=b"Handle\n" + b"a" * (5 * 1024 * 1024), **sent)
    assert too_big.status_code == 413 and "up to 4 MiB" in too_big.json()["error"]["message"]
    validate("error", too_big.json())
    huge = companion.post("/people.csv", data=b"Handle\n" + b"a" * (50 * 1024 * 1024), **sent)
    assert huge.status_code == 413  # (over twice the limit, waitress refuses it before it reaches Rapport)
    assert companion.post("/people.csv?dry_run=maybe", data=csv_body, **sent).status_code == 400
    assert companion.get("/people").json()["total"] == 3


def test_the_command_imports_offline_and_through_a_running_companion(data_dir: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "people.csv"
    sheet.write_text("Handle,Tags,Fav book\n@ada,Friend,Dune\nbo,Custmer,\n", encoding="utf-8")
    dry = rapport("import-csv", str(sheet), "--dry-run", "--data-dir", str(data_dir))
    assert dry.returncode == 2 and 'row 3: Tags: "Custmer" is not an outcome tag' in dry.stdout
    refused = rapport("import-csv", str(sheet), "--data-dir", str(data_dir))
    assert refused.returncode == 2 and "nothing was imported: row 3" in refused.stderr
    sheet.write_text("Handle,Tags,Fav book\n@ada,Friend,Dune\nbo,Customer,\n", encoding="utf-8")
    done = rapport("import-csv", str(sheet), "--map", "Fav book=books", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    assert "imported 2 rows: 2 created, 0 updated, 0 unchanged" in done.stdout
    big = tmp_path / "big.csv"
    with open(big, "wb") as out:
        out.truncate(50 * 1024 * 1024)  # 50 MB (sparse): refused by its size, never read
    too_big = rapport("import-csv", str(big), "--data-dir", str(data_dir))
    assert too_big.returncode == 2 and "the file is 50.0 MiB" in too_big.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Handle,Name\nzoe,Zoë\n".encode("cp1252"))
    not_utf8 = rapport("import-csv", str(latin), "--data-dir", str(data_dir))
    assert not_utf8.returncode == 2 and "not UTF-8" in not_utf8.stderr and 'Save it as "CSV UTF-8"' in not_utf8.stderr
    server = Companion(data_dir).start()
    try:
        sheet.write_text("Handle,Wine\nada,Barolo\ncy,\n", encoding="utf-8")
        through = rapport("import-csv", str(sheet), "--json", "--port", str(server.port), "--data-dir", str(data_dir))
        assert through.returncode == 0, through.stderr
        assert json.loads(through.stdout)["counts"] == {"created": 1, "updated": 1, "unchanged": 0}
        assert "asking it" in through.stderr
        assert server.get("/people/ada").json()["notes"] == {**dict.fromkeys(NOTE_FIELDS), "books": "Dune",
                                                            "wine": "Barolo"}
        latin_too = rapport("import-csv", str(latin), "--port", str(server.port), "--data-dir", str(data_dir))
        assert latin_too.returncode == 2 and "not UTF-8" in latin_too.stderr
        assert server.get("/people").json()["total"] == 3
    finally:
        server.stop()


def test_every_cell_the_export_writes_reads_back_as_it_was() -> None:
    from companion.domain.contacts import _cell, uncell

    for text in ("", "plain", "=1+1", "+1", "-", "@ada", "\tx", "'", "''", "'=x", "''=x", "'plain", "it's"):
        assert uncell(_cell(text)) == text, text
