"""Who gets into the dashboard, over plain HTTP: one-time links, sessions, CSRF, strict headers, the live server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import requests
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from companion.access.logins import LINK_VALID_S, DashboardLogins
from tests.conftest import ROOT
from tests.dashboard.conftest import Dashboard

PAGES = ("/", "/pipeline", "/people/grace", "/insights", "/settings")


def test_the_banner_link_signs_in_once_with_a_strict_cookie(dashboard: Dashboard) -> None:
    links = re.findall(r"^(http://127\.0\.0\.1:\d+/login\?token=\S+)$", dashboard.log.read_text(), re.M)
    assert len(links) == 1, "rapport serve prints the link on a line of its own"
    first = requests.get(links[0], allow_redirects=False, timeout=5)
    assert first.status_code == 303 and first.headers["Location"] == "/"
    cookie = first.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    again = requests.get(links[0], allow_redirects=False, timeout=5)
    assert again.status_code == 403 and "Set-Cookie" not in again.headers
    assert "used already or has expired" in again.text and "Grace" not in again.text
    signed_in = requests.get(dashboard.base + "/", cookies=first.cookies, timeout=5)
    assert signed_in.status_code == 200 and "Grace Hopper" in signed_in.text


def test_rapport_dashboard_prints_a_fresh_link_while_the_server_runs(dashboard: Dashboard) -> None:
    made = subprocess.run([sys.executable, "-m", "companion", "dashboard", "--port", str(dashboard.port),
                           "--data-dir", str(dashboard.data_dir)], capture_output=True, text=True, cwd=ROOT,
                          timeout=30, check=True)
    link = made.stdout.strip()
    assert link.startswith(f"{dashboard.base}/login?token=") and "nothing answers" not in made.stderr
    assert "Grace Hopper" in requests.get(link, timeout=5).text


def test_an_expired_or_made_up_link_is_refused(dashboard: Dashboard) -> None:
    old = DashboardLogins(dashboard.data_dir, clock=lambda: time.time() - LINK_VALID_S - 1).new_link_token()
    for token in (old, "made-up", ""):
        answer = requests.get(f"{dashboard.base}/login?token={token}", allow_redirects=False, timeout=5)
        assert answer.status_code == 403 and "Set-Cookie" not in answer.headers


def test_without_a_session_pages_show_only_how_to_sign_in_and_the_api_refuses(dashboard: Dashboard) -> None:
    for cookies in ({}, {dashboard.cookie: "forged"}):
        for path in PAGES:
            answer = requests.get(dashboard.base + path, cookies=cookies, timeout=5)
            assert answer.status_code == 401, path
            assert "rapport dashboard" in answer.text and "Grace" not in answer.text and "<script" not in answer.text
        assert requests.get(dashboard.url("/people"), cookies=cookies, timeout=5).status_code == 401


def test_changes_need_the_csrf_token_and_reads_do_not(dashboard: Dashboard) -> None:
    browser = dashboard.session()
    assert browser.get(dashboard.url("/people/barbara"), timeout=5).status_code == 200
    change = {"next_step": "ask about CLU"}
    for headers in ({}, {"X-CSRF-Token": "wrong"}, {"X-CSRF-Token": ""}):
        answer = browser.patch(dashboard.url("/people/barbara"), json=change, headers=headers, timeout=5)
        assert answer.status_code == 403 and answer.json()["error"]["type"] == "csrf"
    assert dashboard.get("/people/barbara").json()["next_step"] is None
    # With the token: fine; from another web origin: refused before the session is even looked at.
    csrf = {"X-CSRF-Token": browser.csrf}  # type: ignore[attr-defined]
    assert browser.patch(dashboard.url("/people/barbara"), json=change, headers=csrf, timeout=5).status_code == 200
    evil = browser.patch(dashboard.url("/people/barbara"), json=change, timeout=5,
                         headers={**csrf, "Origin": "https://evil.example"})
    assert evil.status_code == 403 and evil.json()["error"]["type"] == "forbidden_origin"
    # An extension origin does not get to use the dashboard's cookie: it has its own token.
    ext = browser.get(dashboard.url("/people"), headers={"Origin": "chrome-extension://abc"}, timeout=5)
    assert ext.status_code == 401
    dashboard.patch("/people/barbara", {"next_step": None})


def test_pages_send_a_strict_csp_and_carry_no_inline_script_or_style(dashboard: Dashboard) -> None:
    browser = dashboard.session()
    live = dashboard.live_port
    for path in (*PAGES, "/login", "/assets/dashboard.css", "/stages.css"):
        answer = browser.get(dashboard.base + path, timeout=5)
        csp = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src 'self';" in csp and "'unsafe-inline'" not in csp
        assert f"connect-src 'self' ws://127.0.0.1:{live} ws://localhost:{live};" in csp
        assert "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "no-referrer"
        if answer.headers["Content-Type"].startswith("text/html"):
            assert inline_code(answer.text) == [], path


def inline_code(html: str) -> list[str]:
    """What a strict CSP would block: inline scripts, style elements and attributes, event handler attributes."""
    found: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            names = dict(attrs)
            if tag == "script" and "src" not in names and names.get("type") != "application/json":
                found.append("inline script")
            if tag == "style":
                found.append("style element")
            found.extend(f"{tag} {name}" for name in names if name == "style" or name.startswith("on"))

    Tags().feed(html)
    return found


def test_sign_out_ends_the_session_and_its_live_connection(dashboard: Dashboard) -> None:
    browser = dashboard.session()
    cookie = f"{dashboard.cookie}={browser.cookies[dashboard.cookie]}"
    with connect(f"ws://127.0.0.1:{dashboard.live_port}/", origin=dashboard.base, open_timeout=5,
                 additional_headers={"Cookie": cookie}) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "ready"
        assert browser.post(dashboard.base + "/logout", data={"csrf_token": "wrong"}, timeout=5).status_code == 403
        out = browser.post(dashboard.base + "/logout", allow_redirects=False, timeout=5,
                           data={"csrf_token": browser.csrf})  # type: ignore[attr-defined]
        assert out.status_code == 303
        assert browser.get(dashboard.base + "/", timeout=5).status_code == 401
        dashboard.patch("/people/ada", {"next_step": "after sign-out"})  # nothing of it reaches the ended session
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
        assert closed.value.rcvd.code == 4401
    dashboard.patch("/people/ada", {"next_step": None})


def _session_cookie(dashboard: Dashboard) -> str:
    answer = requests.get(dashboard.login_link(), allow_redirects=False, timeout=5)
    cookie = SimpleCookie(answer.headers["Set-Cookie"])
    return f"{dashboard.cookie}={cookie[dashboard.cookie].value}"


def test_the_live_server_takes_the_session_cookie_only_from_the_dashboard(dashboard: Dashboard) -> None:
    cookie = _session_cookie(dashboard)
    url = f"ws://127.0.0.1:{dashboard.live_port}/"
    own = f"http://127.0.0.1:{dashboard.port}"
    with connect(url, origin=own, additional_headers={"Cookie": cookie}, open_timeout=5) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "ready"  # no auth message needed
        dashboard.patch("/people/ada", {"next_step": "send the paper"})
        assert json.loads(ws.recv(timeout=5))["key"] == "1001"
    dashboard.patch("/people/ada", {"next_step": None})
    # The same cookie from elsewhere, or a forged one: nothing but the close.
    for origin, header in (("chrome-extension://abc", cookie), (own, f"{dashboard.cookie}=forged"), (None, cookie)):
        with connect(url, origin=origin, additional_headers={"Cookie": header}, open_timeout=5) as ws:
            ws.send("{}")
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=5)
            assert closed.value.rcvd.code == 4401
    with pytest.raises(InvalidStatus) as refused:
        connect(url, origin="https://evil.example", additional_headers={"Cookie": cookie}, open_timeout=5)
    assert refused.value.response.status_code == 403


def test_rapport_dashboard_open_hands_the_link_to_the_browser(dashboard: Dashboard, tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    # webbrowser runs $BROWSER with the link in place of %s: here, a script that writes it down.
    browser = f"{sys.executable} -c \"import sys, pathlib; pathlib.Path(sys.argv[1]).write_text(sys.argv[2])\" " \
              f"{opened} %s"
    subprocess.run([sys.executable, "-m", "companion", "dashboard", "--open", "--port", str(dashboard.port),
                    "--data-dir", str(dashboard.data_dir)], capture_output=True, text=True, cwd=ROOT, timeout=30,
                   check=True, env={**os.environ, "BROWSER": browser})
    link = opened.read_text()
    assert link.startswith(f"{dashboard.base}/login?token=")
    assert requests.get(link, allow_redirects=False, timeout=5).status_code == 303


def test_rapport_dashboard_says_when_no_companion_answers(tmp_path: Path) -> None:
    made = subprocess.run([sys.executable, "-m", "companion", "dashboard", "--port", "1", "--data-dir",
                           str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=30, check=True)
    assert made.stdout.startswith("http://127.0.0.1:1/login?token=")
    assert "nothing answers on port 1" in made.stderr


def test_two_companions_on_one_machine_keep_their_own_sessions(dashboard: Dashboard, tmp_path: Path) -> None:
    # Browsers keep cookies per host, not per port: one browser signed in to both stays signed in to both.
    other = Dashboard(tmp_path).start()
    try:
        browser = requests.Session()
        for server in (dashboard, other):
            assert browser.get(server.login_link(), timeout=5).status_code == 200
        assert browser.get(dashboard.base + "/", timeout=5).status_code == 200
        assert browser.get(other.base + "/", timeout=5).status_code == 200
    finally:
        other.stop()


@pytest.mark.parametrize(("days", "said"), [(0, "today"), (1, "yesterday"), (5, "5 days ago"), (7, "1 week ago"),
                                            (20, "2 weeks ago"), (45, "1 month ago"), (800, "2 years ago")])
def test_last_interactions_read_as_people_say_them(days: int, said: str) -> None:
    from datetime import UTC, datetime, timedelta

    from companion.http.dashboard import ago

    assert ago((datetime.now(UTC) - timedelta(days=days)).isoformat().replace("+00:00", "Z")) == said
