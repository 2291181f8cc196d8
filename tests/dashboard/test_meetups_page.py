"""The Meet-ups page in Debian's Chromium: who is near a place, the offline map, a trip (mark, then log what
happened), a conference with its evidence, and a person's place corrected on their page. Nothing leaves
127.0.0.1 (Browsing.check)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import expect

from tests.conftest import batch, tweet
from tests.dashboard.conftest import Browsing, Dashboard

# Seeded: Margaret Hamilton lives in Boston (stage 4), Mallory in Berlin, Barbara in "Cambridge" (which one?).


def recent(dashboard: Dashboard) -> None:
    """Ada posts that she has just landed in Boston, and about #KubeCon: posts of someone you know are kept."""
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")  # a post counts for 2 weeks
    answer = dashboard.post("/ingest", batch(observed_at=yesterday, tweets=[
        tweet("201", "ada", text="Just landed in Boston, here all week. Coffee?", created_at=yesterday),
        tweet("202", "ada", text="Slides ready for #KubeCon", created_at="2026-11-28T09:00:00Z")]))
    assert answer.status_code == 200, answer.text


def pick_place(page: Any, field: Any, typed: str, label: str) -> None:
    field.fill(typed)
    page.wait_for_selector(f'#place-suggestions option[value="{label}"]', state="attached")
    field.fill(label)
    field.dispatch_event("input")


def test_who_is_near_the_map_and_a_bubble_click(browsing: Browsing, dashboard: Dashboard) -> None:
    recent(dashboard)
    page = browsing.open("/meetups")
    expect(page.locator("#people-map[data-drawn]")).to_have_count(1)
    browsing.shot("meetups-map")

    pick_place(page, page.locator(".near-form .place-input"), "Bost", "Boston, MA")
    page.locator(".near-form").get_by_role("button", name="Find").click()
    expect(page.locator("#near-title")).to_contain_text("within 50 km of Boston, MA")
    rows = page.locator("#near-list .meetup")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Margaret Hamilton")  # stage 4 first
    expect(rows.nth(0)).to_contain_text("Profile Boston, MA")
    expect(rows.nth(1)).to_contain_text("Ada Lovelace")
    expect(rows.nth(1)).to_contain_text("“Just landed in Boston")
    browsing.shot("meetups-near-boston")
    assert rows.nth(0).get_by_role("link", name="Before you meet").get_attribute("href") == "/people/1005/brief"

    # A bubble on the map filters the list to its city: click Berlin's.
    page.goto(dashboard.base + "/meetups")
    expect(page.locator("#people-map[data-drawn]")).to_have_count(1)
    spot = page.evaluate("""() => {
        const chart = Chart.getChart(document.getElementById('people-map'));
        const i = chart.data.labels.indexOf('Berlin, Germany');
        const point = chart.getDatasetMeta(0).data[i];
        const box = chart.canvas.getBoundingClientRect();
        return {x: box.left + point.x, y: box.top + point.y};
    }""")
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_url("**/meetups?geonameid=*")
    expect(page.locator("#near-title")).to_contain_text("Berlin, Germany")
    expect(page.locator("#near-list .meetup")).to_have_count(1)
    expect(page.locator("#near-list .meetup").nth(0)).to_contain_text("Mallory")
    assert page.evaluate("window.pwned") is None


def test_a_trip_marks_whom_to_meet_then_logs_the_meeting(browsing: Browsing, dashboard: Dashboard) -> None:
    page = browsing.open("/meetups")
    form = page.locator("#trip-form")
    pick_place(page, form.locator(".place-input"), "Bost", "Boston, MA")
    form.locator("input[name=start]").fill("2026-03-03")
    form.locator("input[name=end]").fill("2026-03-05")
    form.locator("input[name=name]").fill("Boston in March")
    form.get_by_role("button", name="Add the trip").click()
    page.wait_for_url("**/meetups/trips/*")
    browsing.wait_live()
    expect(page.locator("h1")).to_have_text("Boston in March")
    margaret = page.locator('#trip-people .meetup[data-key="1005"]')
    expect(margaret).to_contain_text("Margaret Hamilton")
    margaret.locator("input[name=note]").fill("lunch at the Aquarium")
    margaret.locator("input[name=meet]").check()
    expect(margaret.locator(".saved")).to_have_text("Saved")

    page.reload()
    browsing.wait_live()  # the trip is over: Rapport asks which meetings happened
    ask = page.locator("#log-meetings")
    expect(ask).to_contain_text("Your trip ended on 2026-03-05")
    expect(ask).to_contain_text("lunch at the Aquarium")
    browsing.shot("meetups-trip-ask")
    ask.get_by_role("button", name="We met").click()
    expect(page.locator("#log-meetings")).to_have_count(0)
    expect(page.locator('#trip-people .meetup[data-key="1005"] .tag', has_text="met 2026-03-05")).to_have_count(1)
    timeline = dashboard.get("/people/1005").json()["interactions"]
    assert any(i["kind"] == "meeting" and i["at"].startswith("2026-03-05") and i["place"] == "Boston, MA"
               for i in timeline)
    browsing.shot("meetups-trip-logged")


def test_a_conference_lists_posts_and_people_in_its_city(browsing: Browsing, dashboard: Dashboard) -> None:
    recent(dashboard)
    page = browsing.open("/meetups")
    form = page.locator("#conference-form")
    form.locator("input[name=name]").fill("KubeCon EU")
    form.locator("input[name=hashtags]").fill("#KubeCon")
    pick_place(page, form.locator(".place-input"), "Berl", "Berlin, Germany")
    form.locator("input[name=start]").fill("2027-03-23")
    form.locator("input[name=end]").fill("2027-03-26")
    form.get_by_role("button", name="Add the conference").click()
    page.wait_for_url("**/meetups/conferences/*")
    browsing.wait_live()
    people = page.locator("#conference-people .meetup")
    ada = people.filter(has_text="Ada Lovelace")
    expect(ada).to_contain_text("Slides ready for #KubeCon")
    expect(people.filter(has_text="Mallory")).to_contain_text("In the city: Profile Berlin, Germany")
    browsing.shot("meetups-conference")


def test_correcting_a_persons_place_on_their_page(browsing: Browsing, dashboard: Dashboard) -> None:
    page = browsing.open("/people/1007")  # Barbara: "Cambridge" is two cities
    expect(page.locator("#place-now")).to_contain_text("“Cambridge” names no place Rapport can be sure of")
    pick_place(page, page.locator("#place-form .place-input"), "Cambr", "Cambridge, MA")
    page.locator("#place-form").get_by_role("button", name="Set the place").click()
    expect(page.locator("#place-now")).to_contain_text("Cambridge, MA")
    expect(page.locator("#place-now")).to_contain_text("your correction")
    expect(page.locator("#also-here")).to_contain_text("Also in Cambridge:")
    browsing.shot("person-place-corrected")
    page.get_by_role("button", name="Use what the profile says").click()
    expect(page.locator("#place-now")).to_contain_text("names no place")
