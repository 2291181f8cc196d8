"""What the access files share: SHA-256 digests (never the secrets), one clock, and a cache of a
file's entries by digest that re-reads the file only when it changed (one stat() per lookup)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any

from companion.store.jsonfile import LockedJsonList

Clock = Callable[[], float]  # epoch seconds; time.time unless a test pins it


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def iso(seconds: float) -> str:
    """Epoch seconds as people read them in the access files and answers: 2026-12-02T01:02:03Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


class DigestCache:
    """The entries of `file` by their digest field, kept while the file is unchanged."""

    def __init__(self, file: LockedJsonList, field: str,
                 keep: Callable[[dict[str, Any]], bool] = lambda entry: True) -> None:
        self.file = file
        self.field = field
        self.keep = keep
        self._mutex = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._by_digest: dict[str, dict[str, Any]] = {}

    def get(self, wanted: str) -> dict[str, Any] | None:
        stamp = self.file.stamp()
        with self._mutex:
            if stamp != self._stamp:
                entries = self.file.read() if stamp else []
                self._by_digest = {e[self.field]: e for e in entries if self.keep(e)}
                self._stamp = stamp
            return self._by_digest.get(wanted)
