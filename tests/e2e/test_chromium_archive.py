"""The X archive imported from the dashboard in real Chromium, then its people's badges on x.com, and keeping
in touch with them from x.com (toolbar, chips, card) and the dashboard, with the built extension and a real
companion."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from companion.access.logins import DashboardLogins
from tests.archive_factory import ArchiveBuilder, Person
from tests.conftest import ROOT, Companion
from tests.e2e.chromium import extension_worker, launch, needs_chromium, pair, watch_extension_errors
from tests.e2e.scenario import ARTIFACTS, wait_for
from tests.e2e.test_chromium_overlay import CHIPS, chips, chips_match_companion, panel

pytestmark = needs_chromium

HOME = {"https://x.com/home": "x-dom:home-timeline-fullpage__ibbi_twooter__Home_X.html"}
NIKITA = Person("nikitabier", "6253282")
BGATES = Person("BGatesIsaPyscho", "1386373425386975232")
START = datetime(2023, 5, 1, 9, 0, tzinfo=UTC)

# Every status line the import showed, in order (the page replaces one line as it goes).
WATCH_PHASES = """() => { window.phases = []; const line = document.getElementById('archive-phase');
  new MutationObserver(() => {
    const t = line.textContent;
    if (t && window.phases.at(-1) !== t) window.phases.push(t);
  }).observe(line, { childList: true, characterData: true, subtree: true }); }"""


def archive(tmp_path: Path) -> Path:
    """Two people who post on the saved home timeline (one replied to, one a two-way DM conversation),
    thousands of others, and a media folder the browser must not read."""
    b = ArchiveBuilder(Person("me_e2e", "1500000001"))
    b.post("@nikitabier great launch", START, mentions=[NIKITA], reply_to=("1650000000000000000", NIKITA))
    b.post("thanks @BGatesIsaPyscho", START + timedelta(days=1), mentions=[BGATES])
    b.dm(BGATES, [(True, START + timedelta(days=2)), (False, START + timedelta(days=3))])
    for n in range(20_000):
        other = Person(f"friend{n}", str(2_000_000 + n))
        b.post(f"@{other.handle} reply number {n}", START + timedelta(minutes=n), mentions=[other],
               reply_to=(str(1_600_000_000_000_000_000 + n), other))
    b.followers = [NIKITA.user_id]
    return b.write_zip(tmp_path / "twitter-2026-03-01.zip", media_bytes=32 << 20)


def test_the_dashboard_imports_an_archive_and_its_people_get_badges_on_x(playwright: Any, data_dir: Path,
                                                                         tmp_path: Path) -> None:
    companion = Companion(data_dir).start()
    context = launch(playwright, tmp_path / "profile", pages=HOME)
    errors: list[str] = []
    try:
        extension_id = extension_worker(context).url.split("/")[2]
        pair(context, companion)
        page = context.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{companion.base}/login?token={DashboardLogins(data_dir).new_link_token()}")
        page.goto(f"{companion.base}/settings")
        page.evaluate(WATCH_PHASES)
        page.set_input_files("#archive-form input[name=zip]", str(archive(tmp_path)))
        page.click("#archive-form button[type=submit]")
        page.locator("#archive-progress progress").wait_for()
        page.locator("#archive").screenshot(path=str(ARTIFACTS / "dashboard-archive-progress.png"))
        page.locator("#archive-summary h3").wait_for(timeout=120_000)
        summary = page.locator("#archive-summary")
        assert summary.locator("h3").inner_text() == "Imported the archive of \u2068@me_e2e\u2069, made 2026-03-01"
        facts = dict(zip(summary.locator("dt").all_inner_texts(), summary.locator("dd").all_inner_texts(), strict=True))
        assert facts["People added"] == "20,002" and facts["Interactions added"] == "20,004"
        assert facts["Stages raised"].startswith("20,002 (1 to Direct messages, 20,001 to Casual conversation)")
        phases = page.evaluate("() => window.phases")
        assert any(p.startswith("Sending data/tweets.js") for p in phases), phases
        assert phases[-1] == "Imported."
        page.locator("#archive").screenshot(path=str(ARTIFACTS / "dashboard-archive-summary.png"))
        # The stage links open the person page, whose evidence says where it came from.
        summary.get_by_role("link", name="@BGatesIsaPyscho: Not yet → Direct messages").click()
        page.locator("ul.evidence").get_by_text("from your X archive").first.wait_for()
        assert page.url == f"{companion.base}/people/{BGATES.user_id}"

        # On x.com, the two people the archive named wear their archive stage.
        x = context.new_page()
        x.set_viewport_size({"width": 1280, "height": 900})
        watch_extension_errors(x, extension_id, errors)
        x.goto("https://x.com/home")
        want = {"nikitabier": 1, "BGatesIsaPyscho": 2}
        wait_for("the archive's badges", lambda: chips_match_companion(x, companion, want))
        assert {c["handle"]: c["stage"] for c in chips(x) if c["shown"]} == want
        x.screenshot(path=str(ARTIFACTS / "chromium-chips-after-archive.png"))
        assert errors == []
    finally:
        context.close()
        companion.stop()


def test_a_zip_made_on_windows_with_backslashes_in_its_paths_imports_from_the_dashboard(
        playwright: Any, data_dir: Path, tmp_path: Path) -> None:
    """Its data files travel under their "/" paths; its media folder, even with a .js inside, never does."""
    b = ArchiveBuilder(Person("me_win", "1500000002"))
    b.post("@nikitabier hello from windows", START, mentions=[NIKITA], reply_to=("1650000000000000001", NIKITA))
    b.post("thanks @BGatesIsaPyscho", START + timedelta(days=1), mentions=[BGATES])
    files = b.files()
    files["data/tweets_media/decoy.js"] = 'window.YTD.tweets.part9 = [{"tweet": {"id_str": "1"}}]'
    path = tmp_path / "twitter-windows.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            z.writestr(name.replace("/", "\\"), content)
    companion = Companion(data_dir).start()
    context = launch(playwright, tmp_path / "profile")
    try:
        page = context.new_page()
        page.goto(f"{companion.base}/login?token={DashboardLogins(data_dir).new_link_token()}")
        page.goto(f"{companion.base}/settings")
        page.evaluate(WATCH_PHASES)
        page.set_input_files("#archive-form input[name=zip]", str(path))
        page.click("#archive-form button[type=submit]")
        page.locator("#archive-summary h3").wait_for(timeout=60_000)
        summary = page.locator("#archive-summary")
        assert summary.locator("h3").inner_text() == "Imported the archive of \u2068@me_win\u2069, made 2026-03-01"
        facts = dict(zip(summary.locator("dt").all_inner_texts(), summary.locator("dd").all_inner_texts(), strict=True))
        assert facts["People added"] == "2" and facts["Interactions added"] == "2"
        phases = page.evaluate("() => window.phases")
        assert any(p.startswith("Sending data/tweets.js") for p in phases), phases
        assert not any("tweets_media" in p for p in phases), phases
        page.locator("#archive").screenshot(path=str(ARTIFACTS / "dashboard-archive-windows-zip.png"))
    finally:
        context.close()
        companion.stop()


TOOLBAR_TEXT = "() => chrome.action.getBadgeText({})"


def test_keep_in_touch_on_x_the_toolbar_count_the_due_mark_and_the_card(playwright: Any, data_dir: Path,
                                                                        tmp_path: Path) -> None:
    """After the archive: an overdue person is counted on the toolbar, marked on their chip, and "I reached
    out" and a snooze on their card reach the dashboard's Keep in touch page live."""
    companion = Companion(data_dir).start()
    b = ArchiveBuilder(Person("me_e2e", "1500000001"))
    b.post("@nikitabier great launch", START, mentions=[NIKITA], reply_to=("1650000000000000000", NIKITA))
    b.post("thanks @BGatesIsaPyscho", START, mentions=[BGATES])
    b.dm(BGATES, [(True, START + timedelta(days=2)), (False, START + timedelta(days=3))])
    folder = b.write_folder(tmp_path / "archive")
    done = subprocess.run([sys.executable, "-m", "companion", "import-archive", str(folder), "--data-dir",
                           str(data_dir), "--port", str(companion.port)], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert companion.patch(f"/people/{BGATES.user_id}", {"cadence_days": 30}).status_code == 200
    context = launch(playwright, tmp_path / "profile", pages=HOME)
    errors: list[str] = []
    try:
        worker = extension_worker(context)
        extension_id = worker.url.split("/")[2]
        pair(context, companion)
        wait_for("the toolbar to count one overdue person", lambda: worker.evaluate(TOOLBAR_TEXT) == "1")
        board = context.new_page()
        board.goto(f"{companion.base}/login?token={DashboardLogins(data_dir).new_link_token()}")
        board.goto(f"{companion.base}/keep-in-touch")
        board.locator(f'#overdue li[data-key="{BGATES.user_id}"]').wait_for()

        x = context.new_page()
        x.set_viewport_size({"width": 1280, "height": 900})
        watch_extension_errors(x, extension_id, errors)
        x.goto("https://x.com/home")
        chip = x.locator(f'{CHIPS}[data-handle="BGatesIsaPyscho"][data-state="shown"]').first
        chip.wait_for()
        assert int(chip.get_attribute("data-due")) > 900  # years since the last DM
        nikita = x.locator(f'{CHIPS}[data-handle="nikitabier"][data-state="shown"]').first
        assert nikita.get_attribute("data-due") is None
        x.screenshot(path=str(ARTIFACTS / "chromium-chips-due.png"))
        chip.click()
        card = panel(x)
        card.locator("#keep-status").get_by_text("Overdue by").wait_for(timeout=10_000)
        x.screenshot(path=str(ARTIFACTS / "chromium-overlay-keep-in-touch.png"))
        card.locator("#reached-out").click()
        card.locator("#keep-status").get_by_text("last in touch today").wait_for(timeout=10_000)
        # The dashboard page follows live, and the toolbar says ON again.
        board.locator(f'#upcoming li[data-key="{BGATES.user_id}"]').wait_for(timeout=10_000)
        wait_for("the toolbar to say ON", lambda: worker.evaluate(TOOLBAR_TEXT) == "ON")
        card.locator("#snooze").click()
        board.locator(f'#snoozed li[data-key="{BGATES.user_id}"]').wait_for(timeout=10_000)
        card.locator("#snooze-end").wait_for()
        assert companion.get(f"/people/{BGATES.user_id}").json()["keep_in_touch"]["snooze_until"]
        card.locator("#cadence-select").select_option(label="Every quarter")
        wait_for("the quarterly cadence", lambda: companion.get(f"/people/{BGATES.user_id}").json()
                 ["keep_in_touch"]["cadence_days"] == 91)
        board.screenshot(path=str(ARTIFACTS / "dashboard-keep-in-touch-live.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
        companion.stop()
