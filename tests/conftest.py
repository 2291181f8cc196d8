"""Fixtures that run Rapport the way a user does: a real `rapport serve` process on a real data folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from companion.access.tokens import TokenStore

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PortTaken(RuntimeError):
    """The port chosen for a companion was taken before it could bind it."""


class Companion:
    """A `rapport serve` subprocess with an authenticated requests session."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = data_dir
        self.port_given = port  # a test that names its port wants that one, taken or not
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = TokenStore(data_dir).create(f"tests-{self.port}-{time.time_ns()}")[1]
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {self.token}"
        self.proc: subprocess.Popen[str] | None = None
        self.log = data_dir / f"serve-{self.port}.log"

    def start(self) -> Companion:
        for _attempt in range(3):
            try:
                return self._start()
            except PortTaken:
                # Another process took the free port between choosing it and the server binding it.
                self._move(free_port())
        return self._start()

    def _move(self, port: int) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = self.data_dir / f"serve-{port}.log"

    def _start(self) -> Companion:
        with open(self.log, "w") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "companion", "serve", "--port", str(self.port), "--live-port", "0",
                 "--data-dir", str(self.data_dir)],
                stdout=log, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                output = self.log.read_text()
                if self.port_given is None and "Address already in use" in output:
                    raise PortTaken(output)
                raise RuntimeError(f"rapport serve exited {self.proc.returncode}:\n{output}")
            try:
                if requests.get(self.base + "/api/v1/health", timeout=0.5).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.02)
        raise RuntimeError(f"rapport serve did not answer:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=20)

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    @property
    def live_url(self) -> str:
        """The live-event websocket server, as /health tells it."""
        port = requests.get(self.url("/health"), timeout=5).json()["live_port"]
        return f"ws://127.0.0.1:{port}/"

    def url(self, path: str) -> str:
        return self.base + "/api/v1" + path

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.http.get(self.url(path), timeout=30, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.http.post(self.url(path), json=body, timeout=30, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.http.put(self.url(path), json=body, timeout=30, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.http.patch(self.url(path), json=body, timeout=30, **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        return self.http.delete(self.url(path), timeout=30, **kw)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def companion(data_dir: Path) -> Iterator[Companion]:
    server = Companion(data_dir).start()
    try:
        yield server
    finally:
        server.stop()


# The moment the helpers' default dates sit around (posts at 09:00, pages seen at 10:00).
SCENE_NOW = "2026-11-20T12:00:00Z"


@pytest.fixture
def clock_at_scene(monkeypatch: pytest.MonkeyPatch) -> None:
    """The companion's clock reads SCENE_NOW, for domain tests of what expires by that clock (whereabouts older
    than two weeks are dropped as they are written): on the real clock their dated posts expire as the
    calendar moves on. Over HTTP, tests date their posts from the real clock instead (`recently`)."""
    pin_clock(monkeypatch, SCENE_NOW)


def pin_clock(monkeypatch: pytest.MonkeyPatch, moment: str) -> None:
    """The companion's clock reads `moment` for the rest of the test."""
    from companion.domain import clock

    monkeypatch.setattr(clock, "now", lambda: clock.normalize(moment))


def recently(hours: float = 1) -> str:
    """A moment `hours` before the real now, as the extension would date a post it just saw."""
    from datetime import UTC, datetime, timedelta

    return (datetime.now(UTC) - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def batch(me: str | None = "me", page_type: str = "home", url: str = "https://x.com/home",
          observed_at: str = "2026-11-20T10:00:00Z", **parts: Any) -> dict[str, Any]:
    """A scrape batch as the extension sends it."""
    return {"page": {"url": url, "type": page_type, "observed_at": observed_at, "me": me}, **parts}


def tweet(status_id: str, author: str, **fields: Any) -> dict[str, Any]:
    return {"status_id": status_id, "author": author, "text": fields.pop("text", f"post {status_id}"),
            "created_at": fields.pop("created_at", "2026-11-20T09:00:00Z"), "reply_to": fields.pop("reply_to", []),
            "mentions": fields.pop("mentions", []), "social_context": fields.pop("social_context", None),
            "quoted_status_id": fields.pop("quoted_status_id", None), **fields}


@pytest.fixture
def service(data_dir: Path) -> Iterator[Any]:
    """The domain service over a real store on disk, without HTTP (for rule-level tests)."""
    from companion.domain.service import Rapport
    from companion.store.database import Store

    store = Store(data_dir)
    try:
        yield Rapport(store)
    finally:
        store.close()
