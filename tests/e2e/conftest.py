"""Fixtures of the Chromium end-to-end tests: Playwright, and Chromium with the built extension."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.chromium import launch


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
