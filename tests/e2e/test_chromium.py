"""The built extension in real Chromium (Debian's, driven by Playwright) against a real companion.

x.com is answered from saved pages by request interception, so the content scripts run as on the
real site; the extension's background worker talks to the companion on 127.0.0.1.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, Companion
from tests.e2e.chromium import extension_worker, launch, needs_chromium, pair, watch_extension_errors
from tests.e2e.scenario import ARTIFACTS, SCENARIO, SPA_NAVIGATE, expected, stored, wait_for

pytestmark = needs_chromium


def test_pairing_browsing_spa_navigation_and_an_outage_reach_the_companion_once(browser: Any, data_dir: Path) -> None:
    companion = Companion(data_dir).start()
    errors: list[str] = []
    try:
        extension_id = extension_worker(browser).url.split("/")[2]
        options = pair(browser, companion)
        watch_extension_errors(options, extension_id, errors)
        page = browser.new_page()
        watch_extension_errors(page, extension_id, errors)
        worker = extension_worker(browser)
        for step in SCENARIO["steps"]:
            if "go" in step or "spa" in step:
                # Stay on each page until the extension has read it, as a person would.
                before = accepted_batches(worker)
                if "go" in step:
                    page.goto(step["go"])
                else:
                    assert page.evaluate(SPA_NAVIGATE, step["spa"]) == step["spa"]
                wait_for(f"a batch from {page.url}", lambda before=before: accepted_batches(worker) > before)
            elif "wait_for_people" in step:
                wait_for(f"{step['wait_for_people']} in the companion",
                         lambda step=step: set(step["wait_for_people"]) <= set(stored(companion)))
            elif step.get("companion") == "stop":
                companion.stop()
            elif step.get("companion") == "start":
                assert "bob_wines" not in _people_on_disk(companion)  # what was seen while down is queued
                companion.start()
            if "screenshot" in step:
                page.screenshot(path=str(ARTIFACTS / f"chromium-{step['screenshot']}.png"))
        want = expected()
        try:
            wait_for("everything to arrive", lambda: stored(companion) == want)
        except AssertionError:
            state = pair_state(browser)
            assert stored(companion) == want, f"extension state: {state}"
        page.wait_for_timeout(2_000)  # and nothing arrives twice afterwards
        assert stored(companion) == want
        # The options page says what was read on each kind of page (counts only), nothing flagged.
        kinds = {"Home timeline", "Profiles", "Notifications", "Direct messages (chat)", "Posts and conversations"}
        rows = options.locator("#reading tbody th")
        wait_for("the reading counts on the options page", lambda: kinds <= {
            text.split("\n")[0].strip() for text in rows.all_inner_texts()}, timeout=30)
        assert options.locator("#reading .message.error").count() == 0
        options.screenshot(path=str(ARTIFACTS / "chromium-options-reading.png"), full_page=True)
        assert errors == [], "\n".join(errors)
    finally:
        companion.stop()


def accepted_batches(worker: Any) -> int:
    """How many batches the background worker has accepted from content scripts."""
    stats = worker.evaluate("chrome.storage.local.get('message_stats').then(s => s.message_stats || {})")
    return int(stats.get("accepted", 0))


def pair_state(context: Any) -> Any:
    return extension_worker(context).evaluate(
        "chrome.storage.local.get(['queue_status', 'message_stats', 'connection_state', 'me_handle'])")


def _people_on_disk(companion: Companion) -> set[str]:
    export = subprocess.run([sys.executable, "-m", "companion", "export", "--data-dir", str(companion.data_dir)],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    import json

    return {p["handle"] for p in json.loads(export.stdout)["people"]}


def test_what_was_queued_survives_a_browser_restart(playwright: Any, data_dir: Path, tmp_path: Path) -> None:
    companion = Companion(data_dir).start()
    profile = tmp_path / "profile"
    context = launch(playwright, profile)
    try:
        pair(context, companion)
        companion.stop()
        worker = extension_worker(context)
        before = accepted_batches(worker)
        page = context.new_page()
        page.goto("https://x.com/i/chat")  # two DM conversations, read while the companion is down
        wait_for("the batch to be queued", lambda: accepted_batches(worker) > before)
        queued = worker.evaluate("chrome.storage.local.get('queue_status').then(s => s.queue_status)")
        assert queued["length"] >= 1, queued
    finally:
        context.close()  # the browser quits with the batch still queued
    companion.start()
    context = launch(playwright, profile)
    try:
        wait_for("the queued batch to arrive after the restart",
                 lambda: {"alice_reads", "bob_wines"} <= set(stored(companion)))
        assert sorted(stored(companion)) == ["alice_reads", "bob_wines"]
        assert [i["kind"] for i in companion.get("/people/bob_wines").json()["interactions"]] == ["i_messaged"]
    finally:
        context.close()
        companion.stop()
