"""The Keep in touch page, a person's cadence and the default cadences, in Debian's Chromium."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from icalendar import Calendar
from playwright.sync_api import expect

from tests.conftest import batch, recently, tweet
from tests.dashboard.conftest import Browsing, Dashboard


def test_the_page_lists_whom_to_get_back_to_and_the_buttons_work(browsing: Browsing, dashboard: Dashboard,
                                                                 tmp_path: Path) -> None:
    # Seeded: Grace (customer, DMs on 30 September) and Margaret (friend, met in October) are due monthly by the
    # defaults Rapport starts with; Linus (a call: stage 3) has no default. Margaret replied a day ago, by the
    # real clock, so she is due but not overdue whatever the date the suite runs on.
    answer = dashboard.post("/ingest", batch(observed_at=recently(0), tweets=[
        tweet("199", "margaret", reply_to=["me"], text="Still rope memory", created_at=recently(24))]))
    assert answer.status_code == 200, answer.text
    page = browsing.open("/keep-in-touch")
    overdue = page.locator("#overdue .reminder")
    expect(overdue).to_have_count(1)
    grace_days = (date.today() - date(2026, 9, 30)).days - 30
    expect(overdue.nth(0)).to_contain_text(f"Overdue by {grace_days} days")
    expect(overdue.nth(0)).to_contain_text("every 30 days (default for customer)")
    assert overdue.nth(0).get_attribute("data-key") == "1002"
    margaret = page.locator('.reminder[data-key="1005"]')
    expect(margaret).to_contain_text("Margaret Hamilton")
    expect(margaret).to_contain_text("every 30 days (default for friend)")
    browsing.shot("keep-in-touch-light")

    # "I reached out" starts Grace's clock again today; a week's snooze moves Margaret to Snoozed.
    overdue.nth(0).get_by_role("button", name="I reached out").click()
    expect(page.locator('#upcoming .reminder[data-key="1002"]')).to_contain_text("last in touch today")
    expect(page.locator("#overdue .reminder")).to_have_count(0)
    margaret.get_by_role("button", name="Snooze a week").click()
    expect(page.locator('#snoozed .reminder[data-key="1005"]')).to_contain_text("Snoozed until")
    assert dashboard.get("/people/1002").json()["interactions"][0]["kind"] == "reached_out"
    assert dashboard.get("/people/1002").json()["stage"]["current"] == 2  # reaching out changes no stage

    # The calendar file parses, one all-day reminder per person.
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to your calendar (.ics)").click()
    saved = tmp_path / "reminders.ics"
    download.value.save_as(saved)
    events = [c for c in Calendar.from_ical(saved.read_bytes()).walk("VEVENT")]
    # Grace is due again in 30 days; Margaret is snoozed, so not in the calendar.
    assert {str(e["summary"]) for e in events} == {"Get back to @grace"}
    assert str(events[0]["url"]) == "https://x.com/grace" and "every 30 days" in str(events[0]["description"])
    browsing.shot("keep-in-touch-after")


def test_a_persons_cadence_and_the_defaults_are_set_in_one_place_each(browsing: Browsing,
                                                                    dashboard: Dashboard) -> None:
    page = browsing.open("/people/1003")  # Linus: no default for stage 3
    expect(page.locator("#keep-status")).to_contain_text("No cadence")
    page.locator("#cadence-form select").select_option(label="Every 2 weeks")
    expect(page.locator("#keep-status")).to_contain_text("every 14 days (your own)")
    assert dashboard.get("/people/1003").json()["keep_in_touch"]["cadence_days"] == 14
    page.locator("#cadence-form select").select_option(label="Every … days")
    page.locator("#cadence-form input[name=days]").fill("45")
    page.locator("#cadence-form input[name=days]").dispatch_event("change")
    expect(page.locator("#keep-status")).to_contain_text("every 45 days (your own)")
    page.locator("#keep-in-touch").screenshot(path=str(Path("tests/artifacts/dashboard-person-keep-in-touch.png")))

    page = browsing.open("/settings")
    page.locator("#defaults-form input[name=stage-3]").fill("60")
    page.locator("#defaults-form input[name=tag-friend]").fill("")
    page.get_by_role("button", name="Save the defaults").click()
    expect(page.locator("#defaults-form .saved")).to_have_text("Saved")
    assert dashboard.get("/settings/keep-in-touch").json() == {"by_stage": {"3": 60, "4": 91},
                                                                "by_tag": {"customer": 30}}
    page = browsing.open("/keep-in-touch")
    # Margaret is a friend no longer due monthly: her stage (met in person) gives every 91 days.
    expect(page.locator('li.reminder[data-key="1005"]')).to_contain_text("every 91 days (default for met in person)")
