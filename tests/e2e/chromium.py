"""Debian's Chromium with the built extension, driven by Playwright: shared by the Chromium end-to-end tests.

x.com is answered from saved pages by request interception, so the content scripts run as on the
real site; the extension's background worker talks to the companion on 127.0.0.1.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Companion
from tests.e2e.scenario import ARTIFACTS, SCENARIO, page_html, wait_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EXTENSION = ROOT / "extension" / "dist" / "chrome"

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed "
                                "(make test installs it)")


def launch(playwright: Any, profile: Path, pages: dict[str, str] | None = None) -> Any:
    """Chromium with the built extension, x.com answered from saved pages (default: scenario.json's)."""
    assert (EXTENSION / "manifest.json").exists(), "build the extension first (make build)"
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True,
        args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}", "--no-sandbox",
              "--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run"])

    def answer(route: Any) -> None:
        html = page_html(route.request.url, pages if pages is not None else SCENARIO["pages"])
        if html is None:
            route.fulfill(status=404, body=b"")
        else:
            route.fulfill(status=200, body=html, headers={"content-type": "text/html; charset=utf-8"})

    context.route("https://x.com/**", answer)
    return context


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
    options.locator("html[data-ready]").wait_for(state="attached")  # the page has filled in its form
    options.fill("#companion-url", companion.base)
    options.locator("#settings button[type=submit]").click()
    wait_for("the new address to be saved", lambda: worker.evaluate(
        "chrome.storage.local.get('companion_url').then(s => s.companion_url)") == companion.base)
    options.click("#pair-start")
    options.locator("#pairing .code, #pairing .outcome").first.wait_for(timeout=30_000)
    codes = options.locator("#pairing .code").all_inner_texts()
    assert codes, f"no pairing code; the options page says: {options.locator('main').inner_text()}"
    code = codes[0].strip()
    assert code in rapport("pair", "list", "--data-dir", str(companion.data_dir))
    rapport("pair", "approve", code, "--data-dir", str(companion.data_dir))
    options.locator("#pairing .outcome.good").wait_for(timeout=15_000)
    options.locator("#status").get_by_text("Connected").wait_for(timeout=15_000)
    ARTIFACTS.mkdir(exist_ok=True)
    options.screenshot(path=str(ARTIFACTS / "chromium-options-paired.png"), full_page=True)
    return options


def paired_page(context: Any, companion: Companion, errors: list[str]) -> Any:
    """Pair the extension as a user does, then a page for x.com whose errors from our code go to `errors`."""
    extension_id = extension_worker(context).url.split("/")[2]
    pair(context, companion)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    watch_extension_errors(page, extension_id, errors)
    return page


def watch_extension_errors(page: Any, extension_id: str, errors: list[str]) -> None:
    """Errors from our code (content scripts, options page). The saved pages' own scripts and their links to
    other people's extensions fail too; those are not ours."""
    def seen(message: Any) -> None:
        if message.type == "error" and message.location.get("url", "").startswith(f"chrome-extension://{extension_id}/"):
            errors.append(f"{message.location['url']}: {message.text}")

    page.on("console", seen)
