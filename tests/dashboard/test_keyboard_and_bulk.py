"""The dashboard's keyboard shortcuts and People's bulk selection, in real Chromium against a real `rapport serve`
(this module's own, since the bulk test deletes people)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.conftest import batch, tweet
from tests.dashboard.conftest import Browsing, Dashboard

SELECTED = "table.people tbody tr.selected"


def focused_key(page: Any) -> str | None:
    return page.evaluate("() => document.activeElement.closest('[data-row]')?.dataset.key ?? null")


def test_shortcuts_search_walk_the_rows_open_one_and_go_to_each_page(browsing: Browsing, dashboard: Dashboard) -> None:
    page = browsing.open("/")
    rows = page.locator("table.people tbody tr").evaluate_all("rows => rows.map(r => r.dataset.key)")
    assert len(rows) >= 5

    page.keyboard.press("/")
    search = page.locator('#people-filters input[name="q"]')
    expect(search).to_be_focused()
    page.keyboard.type("jk")  # while typing, j and k are letters, not shortcuts
    expect(search).to_have_value("jk")
    assert page.locator(SELECTED).count() == 0
    search.fill("")
    page.locator("h1").click()

    page.keyboard.press("j")
    expect(page.locator(SELECTED)).to_have_attribute("data-key", rows[0])
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(page.locator(SELECTED)).to_have_attribute("data-key", rows[1])
    assert focused_key(page) == rows[1]  # the focus ring is on that row's link
    page.keyboard.press("Control+j")  # with Ctrl (or Alt, Meta) held, the browser's own keys win
    expect(page.locator(SELECTED)).to_have_attribute("data-key", rows[1])
    browsing.shot("keys-row-selected")

    # The list is swapped in place by a live update: the same person stays selected.
    swapped = page.locator("table.people tbody").evaluate("b => { b.dataset.old = '1'; return 1; }")
    assert swapped == 1
    dashboard.patch(f"/people/{rows[1]}", {"tags": ["vendor"]})
    expect(page.locator(f'tr[data-key="{rows[1]}"]')).to_contain_text("Vendor", timeout=2000)
    expect(page.locator("table.people tbody[data-old]")).to_have_count(0)
    expect(page.locator(SELECTED)).to_have_attribute("data-key", rows[1])

    page.keyboard.press("Enter")
    page.wait_for_url(f"**/people/{rows[1]}")
    browsing.wait_live()

    page.keyboard.press("g")
    page.keyboard.press("l")
    page.wait_for_url("**/pipeline")
    browsing.wait_live()
    page.keyboard.press("j")
    expect(page.locator(".card.selected")).to_have_count(1)
    page.keyboard.press("g")
    page.keyboard.press("k")
    page.wait_for_url("**/keep-in-touch")
    page.keyboard.press("g")
    page.keyboard.press("p")
    page.wait_for_url(lambda url: url.endswith(":" + str(dashboard.port) + "/"))
    browsing.wait_live()

    page.keyboard.press("?")
    dialog = page.locator("#shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", name="Keyboard shortcuts")).to_be_visible()
    listed = dialog.locator("dt").all_text_contents()
    # Every page of the nav, from the nav itself, and the page's own "x".
    nav = page.locator("header nav a").all_text_contents()
    for label in nav:
        expect(dialog.locator("dd", has_text=f"Go to {label}")).to_have_count(1)
    assert {"/", "j", "k", "Enter", "?", "x", "g then p", "g then l", "g then s"} <= set(listed)
    browsing.shot("keys-help")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.keyboard.press("j")  # and the shortcuts work again
    expect(page.locator(SELECTED)).to_have_count(1)


def add_people(dashboard: Dashboard, count: int) -> list[str]:
    handles = [f"bulk{n:02d}" for n in range(count)]
    answer = dashboard.post("/ingest", batch(
        observed_at="2026-11-25T10:00:00Z",
        people=[{"handle": h, "user_id": str(7000 + n), "display_name": f"Bulk Person {n:02d}"}
                for n, h in enumerate(handles)],
        tweets=[tweet(str(1950000000000000000 + n), h, reply_to=["me"], created_at="2026-11-25T09:00:00Z")
                for n, h in enumerate(handles)]))
    assert answer.status_code == 200, answer.text
    return [str(7000 + n) for n in range(count)]


def test_bulk_selection_tags_exports_and_deletes_with_a_confirmation(browsing: Browsing, dashboard: Dashboard) -> None:
    keys = add_people(dashboard, 60)
    everyone = dashboard.get("/people", params={"limit": 1}).json()["total"]
    page = browsing.open("/?q=bulk+person")
    count = page.locator("#bulk-count")
    bar = page.locator("#bulk-bar")
    expect(bar).to_be_hidden()

    page.locator(f'tr[data-key="{keys[0]}"] input.pick').check()
    page.locator(f'tr[data-key="{keys[1]}"] input.pick').check()
    expect(count).to_have_text("2 selected")
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")  # the third row, ticked with x
    third = page.locator(SELECTED).get_attribute("data-key")
    page.keyboard.press("x")
    expect(count).to_have_text("3 selected")
    picked = sorted([keys[0], keys[1], third])

    page.locator("#bulk-tag").select_option("vendor")
    page.locator('#bulk-bar button[data-bulk="add_tag"]').click()
    expect(page.locator("#toast")).to_have_text("Tag added to 3 people")
    for key in picked:
        expect(page.locator(f'tr[data-key="{key}"]')).to_contain_text("Vendor")
        assert dashboard.get(f"/people/{key}").json()["tags"] == ["vendor"]
    # The list was refreshed in place, and the ticks stayed.
    expect(page.locator("input.pick:checked")).to_have_count(3)
    assert dashboard.get("/people", params={"tag": "vendor", "q": "bulk person"}).json()["total"] == 3

    page.locator("#bulk-label").fill("SXSW 2026")  # a new label, made for the three of them
    page.locator('#bulk-bar button[data-bulk="add_label"]').click()
    expect(page.locator("#toast")).to_have_text("Label added to 3 people")
    for key in picked:
        expect(page.locator(f'tr[data-key="{key}"] .own-label')).to_have_text("SXSW 2026")
    expect(page.locator("input.pick:checked")).to_have_count(3)

    export = page.request.get(dashboard.base + page.locator("#bulk-csv").get_attribute("href"))
    assert export.status == 200
    assert sorted(line.split(",")[0] for line in export.text().splitlines()[1:]) == picked

    page.locator("#bulk-cadence").select_option("30")
    page.locator('#bulk-bar button[data-bulk="set_cadence"]').click()
    expect(page.locator("#toast")).to_have_text("Cadence set for 3 people")
    assert dashboard.get(f"/people/{keys[0]}").json()["keep_in_touch"]["cadence_days"] == 30

    # The page, then everyone the filter matches (60, on two pages of 50).
    page.locator("#pick-page").check()
    expect(count).to_have_text("50 selected")
    expect(page.locator("#bulk-all")).to_have_text("Select all 60 people matching")
    page.locator("#bulk-all").click()
    expect(count).to_have_text("All 60 people matching selected")
    expect(page.locator("#bulk-all")).to_be_hidden()
    browsing.shot("bulk-all-matching")

    page.locator("#bulk-delete").click()
    dialog = page.locator("#bulk-delete-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Delete 60 people?")
    browsing.shot("bulk-delete-confirm")
    page.keyboard.press("Escape")  # changed their mind: nobody goes
    expect(dialog).to_be_hidden()
    assert dashboard.get("/people", params={"limit": 1}).json()["total"] == everyone

    page.locator("#bulk-delete").click()
    dialog.get_by_role("button", name="Delete 60 people").click()
    expect(page.locator("#toast")).to_have_text("Deleted 60 people")
    expect(page.locator(".empty-line")).to_contain_text("No one matches")
    expect(bar).to_be_hidden()
    assert dashboard.get("/people", params={"limit": 1}).json()["total"] == everyone - 60
    assert dashboard.get(f"/people/{keys[0]}").status_code == 404
