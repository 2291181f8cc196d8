"""Duplicates in Debian's Chromium, as a user fixes them: the People page says how many, the Duplicates page
merges a pair (either way round) and undoes it, a person's page merges with someone you name, and a pair that
is two people is not suggested again."""

from __future__ import annotations

from tests.dashboard.conftest import Browsing


def test_a_likely_duplicate_is_merged_undone_and_merged_again_from_the_person_page(browsing: Browsing) -> None:
    for body in ({"handle": "ada_lovelace_old", "display_name": "Ada Lovelace", "notes": {"wine": "Madeira"}},
                 {"handle": "turing_fan", "display_name": "Alan Turing"},
                 {"handle": "alan_t", "display_name": "Alan Turing"}):
        assert browsing.dashboard.post("/people", body).status_code == 201
    page = browsing.open("/")
    page.locator("#duplicates-link").click()
    page.wait_for_url("**/duplicates")
    browsing.wait_live()
    pair = page.locator('.pair:has-text("Ada Lovelace")')
    assert "the same display name" in pair.inner_text()
    browsing.shot("duplicates")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    pair.locator('button.merge[data-keep="1001"]').click()  # keep the record with the account (seeded Ada)
    page.locator('.merge-done:has-text("Ada Lovelace")').wait_for()
    assert asked and asked[-1].startswith("Merge \u2068Ada Lovelace\u2069 into \u2068Ada Lovelace\u2069?")
    assert page.locator('.pair:has-text("Ada Lovelace")').count() == 0
    ada = browsing.dashboard.get("/people/1001").json()
    assert ada["notes"]["wine"] == "Madeira" and browsing.dashboard.get("/people/ada_lovelace_old").status_code == 404

    page.locator('.merge-done:has-text("Ada Lovelace") .undo-merge').click()
    page.locator('.pair:has-text("Ada Lovelace")').wait_for()  # both are back, and a likely pair again
    assert browsing.dashboard.get("/people/ada_lovelace_old").json()["notes"]["wine"] == "Madeira"
    assert browsing.dashboard.get("/people/1001").json()["notes"]["wine"] is None

    page.locator('.pair:has-text("Alan Turing") .not-same').click()
    page.locator('.pair:has-text("Alan Turing")').wait_for(state="detached")

    page = browsing.open("/people/1001")
    page.fill("#merge-form input[name=other]", "@ada_lovelace_old")
    page.click("#merge-form button[type=submit]")
    page.locator('#notes-form textarea[name=wine]:text-is("Madeira")').wait_for()
    browsing.shot("person-merged")
    assert browsing.dashboard.get("/people/ada_lovelace_old").status_code == 404
