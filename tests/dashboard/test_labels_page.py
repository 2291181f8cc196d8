"""Your own labels in Debian's Chromium, as a user makes and uses them: added on a person's page, shown in their
colour on People and the Pipeline, filtered by, renamed and recoloured in Settings (everywhere at once), deleted."""

from __future__ import annotations

from tests.dashboard.conftest import Browsing


def test_labels_are_added_on_a_person_filtered_on_people_and_pipeline_renamed_and_deleted(browsing: Browsing) -> None:
    page = browsing.open("/people/ada")
    for name in ("SXSW 2026", "investor"):
        page.fill("#label-add-form input[name=label]", name)
        page.click("#label-add-form button[type=submit]")
        page.locator(f'#person-labels li[data-label="{name}"]').wait_for()
    assert page.locator("#person-labels li[data-label]").all_inner_texts()[0].startswith("investor")
    assert page.locator(".person-head .own-label").all_inner_texts() == ["investor", "SXSW 2026"]
    browsing.shot("person-labels")
    # Grace gets one of them by its name in another case: the same label, not a second one.
    page = browsing.open("/people/grace")
    page.fill("#label-add-form input[name=label]", "INVESTOR")
    page.click("#label-add-form button[type=submit]")
    page.locator('#person-labels li[data-label="investor"]').wait_for()

    page = browsing.open("/")
    investor = page.locator('select[name=label] option:text-is("investor")').get_attribute("value")
    page.select_option("select[name=label]", investor)
    page.wait_for_url(f"**/?label={investor}")
    page.locator('#people-count:has-text("2 people match")').wait_for()
    assert sorted(page.locator("table.people tbody .handle").all_inner_texts()) == ["@ada", "@grace"]
    # The dot and the border take the label's colour (from /stages.css: no inline styles).
    colour = page.locator("table.people .own-label").first.evaluate("e => getComputedStyle(e).borderTopColor")
    assert colour not in ("", "rgba(0, 0, 0, 0)")
    browsing.shot("people-label-filter")
    page = browsing.open(f"/pipeline?label={investor}")
    assert page.locator(".card").count() == 2
    assert sorted(page.locator(".card .own-label").all_inner_texts()) == ["SXSW 2026", "investor", "investor"]

    page = browsing.open("/settings#labels")
    row = page.locator(f'.label-form[data-label-id="{investor}"]')
    assert "2 people" in row.inner_text()
    row.locator("input[name=name]").fill("angel investor")
    row.locator("select[name=colour]").select_option("red")
    row.locator("button[type=submit]").click()
    page.locator('.label-form input[name=name][value="angel investor"]').wait_for()
    browsing.shot("settings-labels")
    page = browsing.open("/people/grace")
    assert page.locator("#person-labels li[data-label]").all_inner_texts()[0].startswith("angel investor")
    assert "label-red" in page.locator(".person-head .own-label").first.get_attribute("class")

    page = browsing.open("/settings#labels")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.locator(f'.label-delete[data-label-id="{investor}"]').click()
    page.locator(f'.label-form[data-label-id="{investor}"]').wait_for(state="detached")
    assert asked == ["Delete the label \u2068angel investor\u2069? It comes off 2 people."]  # the name isolated
    page = browsing.open("/people/grace")
    assert page.locator("#person-labels li[data-label]").count() == 0
