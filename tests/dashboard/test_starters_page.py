"""Conversation starters on a person's page, and the brief's Markdown copy, in Debian's Chromium."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import batch, tweet
from tests.dashboard.conftest import Browsing, Dashboard


def test_a_starter_is_added_to_the_note_or_dismissed_from_the_person_page(browsing: Browsing,
                                                                          dashboard: Dashboard) -> None:
    answer = dashboard.post("/ingest", batch(observed_at="2026-11-29T10:00:00Z", tweets=[
        tweet("301", "ada", text="currently reading The Left Hand of Darkness 📚", created_at="2026-11-28T09:00:00Z"),
        tweet("302", "ada", text="a glass of Riesling and the sea, perfect evening 🍷",
              created_at="2026-11-29T09:00:00Z")]))
    assert answer.status_code == 200, answer.text
    page = browsing.open("/people/1001")
    starters = page.locator("#starters li")
    expect(starters).to_have_count(2)
    expect(starters.nth(0)).to_contain_text("Mentioned drinking Riesling")
    expect(starters.nth(1)).to_contain_text("Mentioned reading The Left Hand of Darkness")
    browsing.shot("person-starters")
    starters.nth(1).get_by_role("button", name="Add to Books").click()
    expect(page.locator('#notes-form textarea[name="books"]')).to_have_value(
        "The Left Hand of Darkness (from a post, 2026-11-28: https://x.com/ada/status/301)")
    page.locator("#starters li", has_text="Riesling").get_by_role("button", name="Dismiss").click()
    expect(page.locator("#starters li")).to_have_count(0)
    page.reload()
    browsing.wait_live()
    expect(page.locator("#starters li")).to_have_count(0)
    assert dashboard.get("/people/1001").json()["notes"]["wine"] is None


def test_the_brief_copies_as_markdown(browsing: Browsing, dashboard: Dashboard) -> None:
    browsing.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=dashboard.base)
    page = browsing.open("/people/1005/brief")  # Margaret: a meeting in Boston, notes and tags
    expect(page.get_by_role("heading", name="Before you meet Margaret Hamilton")).to_be_visible()
    expect(page.locator("article.brief")).to_contain_text("Met in person")
    page.get_by_role("button", name="Copy as Markdown").click()
    expect(page.locator(".brief .saved")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("# Before you meet Margaret Hamilton (@margaret)")
    assert "- **Music**: Bach" in copied and "- Meeting: 2026-10-10 (Boston)" in copied
    browsing.shot("brief")
