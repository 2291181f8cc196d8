"""The shared browsing scenario (scenario.json): pages, steps and what the companion must hold afterwards."""

from __future__ import annotations

import functools
import json
import re
import time
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, Companion

HERE = Path(__file__).resolve().parent
SCENARIO: dict[str, Any] = json.loads((HERE / "scenario.json").read_text())
SPA_NAVIGATE = (HERE / "spa_navigate.js").read_text()
ARTIFACTS = ROOT / "tests" / "artifacts"
SOURCES = {"x-dom": ROOT.parent / "shared" / "x-dom",
           "synthetic": ROOT / "extension" / "tests" / "fixtures" / "synthetic"}


# X's own stylesheets (react-native-web's atomic classes), from the one full-page capture that kept them.
# Fragments saved without styles use the same class names: with these they render as on x.com, so
# screenshots show badges and the overlay in X's real layout. That capture is in X's dark theme
# ("Lights out"), whose text colours need its black background too.
DARK_BODY = b"<style>html body { background-color: rgb(0, 0, 0) !important; }</style>"
STYLE_SOURCE = SOURCES["x-dom"] / "home-timeline-fullpage__ibbi_twooter__Home_X.html"


@functools.cache
def x_styles() -> bytes:
    html = STYLE_SOURCE.read_text(encoding="utf-8")
    return "".join(re.findall(r"<style\b[^>]*>.*?</style>", html, flags=re.S)).encode() + DARK_BODY


def page_html(url: str, pages: dict[str, str] | None = None) -> bytes | None:
    """The saved page that answers `url` (from `pages`, default scenario.json's), or None (x.com's other
    requests get a 404). Pages saved without X's stylesheets get them (x_styles)."""
    name = (SCENARIO["pages"] if pages is None else pages).get(url.split("?")[0].split("#")[0])
    if name is None:
        return None
    source, file = name.split(":", 1)
    html = (SOURCES[source] / file).read_bytes()
    if source == "x-dom" and b"<style" not in html:
        html = x_styles() + html
    return html


def stored(companion: Companion) -> dict[str, dict[str, Any]]:
    """What the companion holds, in the shape of scenario.json's expectations."""
    people = companion.get("/people", params={"limit": 500}).json()["people"]
    out = {}
    for summary in people:
        card = companion.get(f"/people/{summary['key']}").json()
        out[card["handle"]] = {"user_id": card["user_id"], "stage": card["stage"]["current"],
                               "kinds": sorted(i["kind"] for i in card["interactions"]),
                               "location": card["profile"]["location"]}
    return out


def expected() -> dict[str, dict[str, Any]]:
    return {handle: {"location": None, **want} for handle, want in SCENARIO["expect"]["people"].items()}


def wait_for(what: str, check: Any, timeout: float = 30.0, shown: Any = None) -> Any:
    """`check()` once it is truthy; `shown()`, if given, says what the page showed when it never was."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}" + (f"; the page showed: {shown()!r}" if shown else ""))
        time.sleep(0.2)


OVERLAY: dict[str, Any] = json.loads((HERE / "overlay.json").read_text())


def seed(companion: Companion, steps: list[dict[str, Any]] = OVERLAY["seed"]) -> None:
    """What the companion knows before the browser opens (overlay.json 'seed')."""
    for step in steps:
        handle = step["create"]["handle"]
        assert companion.post("/people", step["create"]).status_code == 201
        if "stage" in step:
            assert companion.patch(f"/people/{handle}", {"stage": step["stage"]}).ok
        if "profile" in step:
            seen = {"page": {"url": f"https://x.com/{handle}", "type": "profile", "observed_at": "2026-11-01T10:00:00Z",
                             "me": None, "profile_handle": handle}, "people": [step["profile"]]}
            assert companion.post("/ingest", seen).json()["snapshots_added"] == 1


def badges(companion: Companion, handles: list[str]) -> dict[str, dict[str, Any]]:
    return companion.post("/badges", {"handles": handles}).json()["badges"]
