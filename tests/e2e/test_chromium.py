"""The built extension in real Chromium (Debian's, driven by Playwright) against a real companion.

x.com is answered from saved pages by request interception, so the content scripts run as on the
real site; the extension's background worker talks to the companion on 127.0.0.1.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Companion
from tests.e2e.scenario import ARTIFACTS, SCENARIO, SPA_NAVIGATE, expected, page_html, stored, wait_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EXTENSION = ROOT / "extension" / "dist" / "chrome"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed "
                                "(make test installs it)")


def launch(playwright: Any, profile: Path) -> Any:
    """Chromium with the built extension, x.com answered from the saved pages of scenario.json."""
    assert (EXTENSION / "manifest.json").exists(), "build the extension first (make build)"
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True,
        args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}", "--no-sandbox",
              "--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run"])

    def answer(route: Any) -> None:
        html = page_html(route.request.url)
        if html is None:
            route.fulfill(status=404, body=b"")
        else:
            route.fulfill(status=200, body=html, headers={"content-type": "text/html; charset=utf-8"})

    context.route("https://x.com/**", answer)
    return context


@pytest.fixture
def playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture
def browser(playwright: Any, tmp_path: Path) -> Iterator[Any]:
    context = launch(playwright, tmp_path / "profile")
    try:
        yield context
    finally:
        context.close()


def extension_worker(context: Any) -> Any:
    wait_for("the extension's service worker", lambda: context.service_workers)
    return context.service_workers[0]


def rapport(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True, check=True,
                          cwd=ROOT, timeout=60).stdout


def pair(context: Any, companion: Companion) -> Any:
    """As a user does: the options page, the companion's address, 'Pair', approve the code in a terminal."""
    worker = extension_worker(context)
    extension_id = worker.url.split("/")[2]
    options = context.new_page()
    options.goto(f"chrome-extension://{extension_id}/options/options.html")
    options.fill("#companion-url", companion.base)
    options.locator("#settings button[type=submit]").click()
    wait_for("the new address to be saved", lambda: worker.evaluate(
        "chrome.storage.local.get('companion_url').then(s => s.companion_url)") == companion.base)
    options.click("#pair-start")
    code = options.locator("#pairing .code").inner_text(timeout=10_000).strip()
    assert code in rapport("pair", "list", "--data-dir", str(companion.data_dir))
    rapport("pair", "approve", code, "--data-dir", str(companion.data_dir))
    options.locator("#pairing .outcome.good").wait_for(timeout=15_000)
    options.locator("#status").get_by_text("Connected").wait_for(timeout=15_000)
    ARTIFACTS.mkdir(exist_ok=True)
    options.screenshot(path=str(ARTIFACTS / "chromium-options-paired.png"), full_page=True)
    return options


def watch_extension_errors(page: Any, extension_id: str, errors: list[str]) -> None:
    """Errors from our code (content scripts, options page). The saved pages' own scripts and their links to
    other people's extensions fail too; those are not ours."""
    def seen(message: Any) -> None:
        if message.type == "error" and message.location.get("url", "").startswith(f"chrome-extension://{extension_id}/"):
            errors.append(f"{message.location['url']}: {message.text}")

    page.on("console", seen)


def test_pairing_browsing_spa_navigation_and_an_outage_reach_the_companion_once(browser: Any, data_dir: Path) -> None:
    companion = Companion(data_dir).start()
    errors: list[str] = []
    try:
        extension_id = extension_worker(browser).url.split("/")[2]
        watch_extension_errors(pair(browser, companion), extension_id, errors)
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
        assert [i["kind"] for i in companion.get("/people/bob_wines").json()["interactions"]] == ["dm"]
    finally:
        context.close()
        companion.stop()
