"""A real `rapport serve` with seeded people, and Debian's Chromium (Playwright) signed in to its dashboard."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from companion.access.logins import DashboardLogins
from companion.http.sessions import cookie_name
from tests.conftest import ROOT, Companion
from tests.dashboard.seed import seed

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"


class Dashboard(Companion):
    """A companion with helpers for its dashboard."""

    @property
    def live_port(self) -> int:
        return requests.get(self.url("/health"), timeout=5).json()["live_port"]

    @property
    def cookie(self) -> str:
        return cookie_name(self.port)

    def login_link(self) -> str:
        # What `rapport dashboard` does: a new one-time link in the data folder the server reads.
        return f"{self.base}/login?token={DashboardLogins(self.data_dir).new_link_token()}"

    def session(self) -> requests.Session:
        """A signed-in requests session (no Bearer token), with the page's CSRF token at hand."""
        browser = requests.Session()
        assert browser.get(self.login_link(), timeout=5).status_code == 200
        page = browser.get(self.base + "/settings", timeout=5).text
        browser.csrf = page.split('data-csrf="', 1)[1].split('"', 1)[0]  # type: ignore[attr-defined]
        return browser


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    data_dir = tmp_path_factory.mktemp("dashboard") / "data"
    data_dir.mkdir()
    server = Dashboard(data_dir).start()
    try:
        seed(server)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        try:
            yield browser
        finally:
            browser.close()


class Browsing:
    """A signed-in browser context that records every request its pages make."""

    def __init__(self, chromium: Any, dashboard: Dashboard, color_scheme: str = "light") -> None:
        self.dashboard = dashboard
        self.context = chromium.new_context(viewport={"width": 1280, "height": 800}, color_scheme=color_scheme)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("websocket", lambda ws: self.requests.append(ws.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(dashboard.login_link())

    def open(self, path: str) -> Any:
        self.page.goto(self.dashboard.base + path)
        self.wait_live()
        return self.page

    def wait_live(self) -> None:
        self.page.wait_for_selector('#live[data-state="open"]', timeout=5000)

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()

    def check(self) -> None:
        """Nothing the dashboard did left this machine (every request went to this companion), and no page error."""
        port, live = self.dashboard.port, self.dashboard.live_port
        allowed = ("data:", *(f"{scheme}://{host}:{p}/" for host in ("127.0.0.1", "localhost")
                              for scheme, p in (("http", port), ("ws", live))))
        assert self.requests and [url for url in self.requests if not url.startswith(allowed)] == []
        assert self.errors == []


@pytest.fixture
def browsing(chromium: Any, dashboard: Dashboard) -> Iterator[Browsing]:
    session = Browsing(chromium, dashboard)
    try:
        yield session
    finally:
        session.close()
    session.check()
