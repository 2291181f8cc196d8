"""People → Import CSV in Debian's Chromium: a file's dry run shows the columns it found, the preview and the bad
rows by number; a column's field changes from its select; the import applies it, and the People page lists them."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.dashboard.conftest import Browsing

SHEET = ("Twitter,Full name,Tags,Fav book,Stage\n"
         "@grace,Grace Hopper,Customer; Advocate,Cobol for all,3\n"  # seeded already: an update
         "https://x.com/hedy_l,Hedy Lamarr,Friend,\"Ecstasy, and me\",1\n"
         "joan,Joan Clarke,Custmer,,\n")


def test_a_spreadsheet_is_previewed_fixed_and_imported_from_the_people_page(browsing: Browsing, tmp_path: Path) -> None:
    sheet = tmp_path / "people.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    page = browsing.open("/")
    page.locator("#import-csv").click()
    page.wait_for_url("**/import-csv")
    browsing.wait_live()
    page.locator("#csv-file").set_input_files(str(sheet))
    page.wait_for_selector("#csv-result:not([hidden])")
    columns = page.locator("#csv-columns select")
    assert [columns.nth(n).input_value() for n in range(5)] == ["handle", "name", "tags", "ignore", "ignore"]
    errors = page.locator("#csv-errors tbody tr")
    assert errors.count() == 1 and errors.first.locator("td").nth(0).inner_text() == "4"
    assert '"Custmer" is not an outcome tag' in errors.first.inner_text()
    assert page.locator("#csv-import").is_disabled()
    # "Fav book" is the books note: chosen here, the preview follows.
    columns.nth(3).select_option("books")
    expect(page.locator("#csv-preview tbody")).to_contain_text("Cobol for all")
    browsing.shot("import-csv-preview")
    preview = page.locator("#csv-preview tbody tr")
    assert preview.count() == 2
    assert preview.nth(0).locator("td").nth(1).inner_text() == "Update"
    assert preview.nth(1).locator("td").nth(2).inner_text() == "@hedy_l"
    # The bad row fixed in the sheet and the file chosen again: the choice of column starts over, so map it again.
    fixed = tmp_path / "people-fixed.csv"
    fixed.write_text(SHEET.replace("Custmer", "Customer"), encoding="utf-8")
    page.locator("#csv-file").set_input_files(str(fixed))
    expect(page.locator("#csv-errors-box")).to_be_hidden()
    page.locator("#csv-columns select").nth(3).select_option("books")
    expect(page.locator("#csv-import")).to_have_text("Import 3 people")
    page.locator("#csv-import").click()
    page.wait_for_selector("#csv-done:not([hidden])")
    assert "Imported: 2 people added, 1 updated, 0 unchanged." in page.locator("#csv-done").inner_text()
    browsing.shot("import-csv-done")
    grace = browsing.dashboard.get("/people/grace").json()
    assert grace["notes"]["books"] == "Cobol for all" and grace["tags"] == ["customer", "advocate"]
    assert grace["notes"]["wine"] == "Barolo"  # what the sheet leaves empty stays as it was
    page.locator("#csv-done a").click()
    page.wait_for_selector("tr[data-key='hedy_l']")
    assert "Hedy Lamarr" in page.locator("tr[data-key='hedy_l']").inner_text()


def test_a_file_that_is_not_utf8_is_refused_on_the_page(browsing: Browsing, tmp_path: Path) -> None:
    sheet = tmp_path / "latin.csv"
    sheet.write_bytes("Handle,Name\nzoe,Zoë\n".encode("cp1252"))
    page = browsing.open("/import-csv")
    page.locator("#csv-file").set_input_files(str(sheet))
    page.wait_for_selector("#csv-problem:not([hidden])")
    assert 'Save it as "CSV UTF-8"' in page.locator("#csv-problem").inner_text()
    assert page.locator("#csv-result").is_hidden()
    assert browsing.dashboard.get("/people/zoe").status_code == 404
    # The refusal is a 400, which Chromium logs on its console; nothing else may be there.
    assert browsing.errors == ["Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"]
    browsing.errors.clear()
