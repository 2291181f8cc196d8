"""The shared browsing scenario (scenario.json): pages, steps and what the companion must hold afterwards."""

from __future__ import annotations

import json
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


def page_html(url: str) -> bytes | None:
    """The saved page that answers `url`, or None (x.com's other requests get a 404)."""
    name = SCENARIO["pages"].get(url.split("?")[0].split("#")[0])
    if name is None:
        return None
    source, file = name.split(":", 1)
    return (SOURCES[source] / file).read_bytes()


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


def wait_for(what: str, check: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)
