"""People as CSV (a spreadsheet opens it: UTF-8, quoted, one row each, no formulas) and as vCard 4.0 (parsed
back with vobject), of everyone or of a People filter, from the API and from `rapport export --format`."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import vobject

from tests.companion.test_cli import rapport
from tests.conftest import Companion, batch, tweet


def seed(service_or_http: Any) -> None:
    service_or_http.ingest(batch(people=[
        {"handle": "ana", "display_name": "Ana Lovelace", "location": "Boston, MA"},
        {"handle": "bo", "display_name": "=HYPERLINK(\"http://evil\")", "location": "Lisboa 🇵🇹"}],
        tweets=[tweet("1900000000000000001", "ana", reply_to=["me"]),
                tweet("1900000000000000002", "bo", reply_to=["me"])]))
    service_or_http.edit_person("ana", {"tags": ["customer", "friend"], "next_step": "send the deck",
                                        "notes": {"books": "Dune, \"Children of Dune\"\nand more", "wine": "Barolo"},
                                        "cadence_days": 30, "labels": ["SXSW 2026", "investor"]})


def test_csv_has_a_row_per_person_quoted_in_utf8_with_no_formula(service: Any) -> None:
    seed(service)
    data = service.export_people("csv")
    assert data.startswith("\ufeff".encode())  # a spreadsheet reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 2
    ana = next(r for r in rows if r["handle"] == "ana")
    assert ana["books"] == 'Dune, "Children of Dune"\nand more' and ana["wine"] == "Barolo"
    assert ana["outcome_tags"] == "Customer; Friend" and ana["place"] == "Boston, MA"
    assert ana["labels"] == "investor; SXSW 2026"
    assert ana["cadence_days"] == "30" and ana["next_step"] == "send the deck"
    assert ana["profile_url"] == "https://x.com/ana" and ana["stage_name"] == "Casual conversation"
    bo = next(r for r in rows if r["handle"] == "bo")
    assert bo["name"] == "'=HYPERLINK(\"http://evil\")"  # kept as text, never run
    assert bo["place"] == "Lisbon, Portugal" and bo["location"] == "Lisboa 🇵🇹"


def test_vcards_parse_back_with_the_same_notes_tags_and_place(service: Any) -> None:
    seed(service)
    cards = {c.nickname.value: c for c in vobject.readComponents(service.export_people("vcard").decode())}
    ana = cards["@ana"]
    assert ana.version.value == "4.0" and ana.fn.value == "Ana Lovelace" and ana.url.value == "https://x.com/ana"
    assert ana.categories.value == ["Customer", "Friend", "investor", "SXSW 2026"]
    assert "Books: Dune, \"Children of Dune\"\nand more" in ana.note.value
    assert "Next step: send the deck" in ana.note.value
    assert ana.adr.value.city == "Boston" and ana.adr.value.region == "MA" and ana.adr.value.country == "United States"
    assert cards["@bo"].adr.value.city == "Lisbon"


def test_the_export_follows_a_people_filter(service: Any) -> None:
    seed(service)
    rows = list(csv.DictReader(io.StringIO(service.export_people("csv", tag="customer").decode("utf-8-sig"))))
    assert [r["handle"] for r in rows] == ["ana"]


def test_the_api_and_the_cli_export_csv_and_vcard(data_dir: Path) -> None:
    server = Companion(data_dir).start()
    try:
        server.post("/ingest", batch(people=[{"handle": "cy", "location": "Berlin"}],
                                     tweets=[tweet("1900000000000000003", "cy", reply_to=["me"])]))
        server.patch("/people/cy", {"tags": ["vendor"]})
        answer = server.get("/people.csv", params={"tag": "vendor"})
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/csv")
        assert 'filename="rapport-people.csv"' in answer.headers["Content-Disposition"]
        assert "cy" in answer.content.decode("utf-8-sig")
        vcf = server.get("/people.vcf")
        assert vcf.status_code == 200 and vcf.text.startswith("BEGIN:VCARD")
        assert server.get("/people.csv", params={"stage": "nine"}).status_code == 400
    finally:
        server.stop()
    done = rapport("export", "--format", "vcard", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    assert next(vobject.readComponents(done.stdout)).categories.value == ["Vendor"]
    as_csv = rapport("export", "--format", "csv", "--data-dir", str(data_dir))
    assert as_csv.returncode == 0 and "cy" in as_csv.stdout
