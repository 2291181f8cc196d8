"""Conversation starters end to end, in real Chromium with the built extension and a real companion: a page the
extension reads yields suggestions on the card; accepting one fills the note; a dismissed one stays dismissed
after a reload; the "before you meet" brief renders and prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from companion.access.logins import DashboardLogins
from tests.conftest import Companion
from tests.e2e.chromium import launch, needs_chromium, paired_page
from tests.e2e.scenario import ARTIFACTS, seed, wait_for
from tests.e2e.test_chromium_overlay import CHIPS, panel

pytestmark = needs_chromium

PAGES = {"https://x.com/home": "synthetic:synthetic-starters-home.html"}
KNOWN = [{"create": {"handle": "carol_sings", "notes": {"music": "Radiohead"}},
          "stage": {"stage": 3, "reason": "a call about the tour"}},
         {"create": {"handle": "alice_reads", "notes": {"books": "Dune"}}}]


def starters(frame: Any) -> list[str]:
    return frame.locator("#starter-list li[data-suggestion]").all_inner_texts()


def open_card(page: Any, handle: str) -> Any:
    page.locator(f'{CHIPS}[data-handle="{handle}"][data-state="shown"]').first.click()
    frame = panel(page)
    frame.locator("#starters:not([hidden])").wait_for(timeout=10_000)
    return frame


def test_a_post_read_on_x_becomes_a_suggestion_that_fills_the_note_and_the_brief_prints(
        playwright: Any, data_dir: Path, tmp_path: Path) -> None:
    companion = Companion(data_dir).start()
    seed(companion, KNOWN)
    context = launch(playwright, tmp_path / "profile", pages=PAGES)
    errors: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page = paired_page(context, companion, errors)
        page.goto("https://x.com/home")
        wait_for("Carol's posts read", lambda: {s["value"] for s in companion.get(
            "/people/carol_sings/suggestions").json()} == {"Project Hail Mary", "Barolo"})

        frame = open_card(page, "carol_sings")
        wait_for("the suggestions on the card", lambda: len(starters(frame)) == 2)
        book = frame.locator("#starter-list li", has_text="Mentioned reading Project Hail Mary")
        assert "Nov" in book.inner_text() and "(post)" in book.inner_text()
        assert book.locator("a").get_attribute("href") == "https://x.com/carol_sings/status/5501"
        assert frame.locator("#note-books").input_value() == ""  # nothing is written without a click
        page.screenshot(path=str(ARTIFACTS / "chromium-card-starters.png"))

        # Accepting fills the books note, with the post as its source.
        book.get_by_role("button", name="Add to books").click()
        wait_for("the note", lambda: frame.locator("#note-books").input_value().startswith(
            "Project Hail Mary (from a post, 2026-11-28: https://x.com/carol_sings/status/5501)"))
        assert companion.get("/people/carol_sings").json()["notes"]["books"].startswith("Project Hail Mary")
        # Dismissing hides the wine for good: not after a reload either, nor in the companion.
        frame.locator("#starter-list li", has_text="Barolo").get_by_role("button", name="Dismiss").click()
        wait_for("the wine dismissed", lambda: companion.get("/people/carol_sings/suggestions").json() == [])
        page.reload()
        frame = open_card(page, "carol_sings")
        frame.locator("#starter-list li.muted").wait_for(timeout=10_000)
        assert starters(frame) == [] and companion.get("/people/carol_sings").json()["notes"]["wine"] is None
        brief_href = frame.locator("#brief-link").get_attribute("href")
        assert brief_href == f"{companion.base}/people/carol_sings/brief"

        # The brief, in the dashboard (signed in as `rapport dashboard` would), on screen and in print.
        dashboard = context.new_page()
        dashboard.goto(f"{companion.base}/login?token={DashboardLogins(data_dir).new_link_token()}")
        dashboard.goto(brief_href)
        dashboard.get_by_role("heading", name="Before you meet Carol").wait_for(timeout=10_000)
        body = dashboard.locator("article.brief").inner_text()
        assert "Phone call" in body and "Project Hail Mary" in body and "Radiohead" in body
        dashboard.screenshot(path=str(ARTIFACTS / "chromium-brief.png"), full_page=True)
        dashboard.emulate_media(media="print")
        assert dashboard.locator("header.top").is_hidden() and dashboard.locator("#brief-copy").is_hidden()
        dashboard.screenshot(path=str(ARTIFACTS / "chromium-brief-print.png"), full_page=True)
        pdf = dashboard.pdf()
        assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
        assert errors == []
    finally:
        context.close()
        companion.stop()
