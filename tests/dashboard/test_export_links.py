"""The People page exports what it lists, as CSV and vCard, in Debian's Chromium."""

from __future__ import annotations

import csv
from pathlib import Path

import vobject

from tests.dashboard.conftest import Browsing


def test_the_people_page_exports_its_filter_as_csv_and_vcard(browsing: Browsing, tmp_path: Path) -> None:
    page = browsing.open("/?tag=customer")  # seeded: Grace is the customer
    with page.expect_download() as download:
        page.locator("#export-csv").click()
    saved = tmp_path / "people.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["handle"], r["wine"], r["outcome_tags"]) for r in rows] == [("grace", "Barolo", "Customer")]
    with page.expect_download() as download:
        page.locator("#export-vcf").click()
    saved = tmp_path / "people.vcf"
    download.value.save_as(saved)
    [card] = list(vobject.readComponents(saved.read_text(encoding="utf-8")))
    assert card.fn.value == "Grace Hopper" and card.categories.value == ["Customer"]
