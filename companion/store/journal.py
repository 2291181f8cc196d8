"""Append-only write-ahead journal: one line per committed transaction, fsynced before it is acknowledged.

Line format: `<crc32 as 8 hex digits> <JSON>\n`. A damaged *last* line is a write that was cut off
(kill -9, power loss) and was therefore never acknowledged: it is set aside, not replayed. A damaged
line anywhere else means the file itself is corrupt.
"""

from __future__ import annotations

import os
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from .errors import CorruptDatabase


def encode(record: Any) -> bytes:
    body = orjson.dumps(record)
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def _decode(line: bytes) -> Any | None:
    if len(line) < 10 or line[8:9] != b" ":
        return None
    body = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(body):
            return None
        return orjson.loads(body)
    except ValueError:
        return None


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._size: int | None = None  # known after the first size() or write

    def replay(self) -> Iterator[Any]:
        """Yield committed records in order; set aside a torn tail; raise CorruptDatabase otherwise."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        lines = raw.split(b"\n")
        # A complete file ends with "\n", so the final split element is empty.
        complete, tail = lines[:-1], lines[-1]
        good_bytes = 0
        for number, line in enumerate(complete, start=1):
            record = _decode(line)
            if record is None:
                if number == len(complete) and not tail:
                    self._set_aside(raw, good_bytes)
                    return
                raise CorruptDatabase(self.path, f"journal line {number} fails its checksum")
            good_bytes += len(line) + 1
            yield record
        if tail:
            self._set_aside(raw, good_bytes)

    def _set_aside(self, raw: bytes, good_bytes: int) -> None:
        aside = self.path.with_name(f"{self.path.name}.torn-{time.strftime('%Y%m%dT%H%M%S')}")
        aside.write_bytes(raw[good_bytes:])
        with open(self.path, "r+b") as handle:
            handle.truncate(good_bytes)
            os.fsync(handle.fileno())
        self._size = None

    def _open(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return self._fd

    def append(self, record: Any) -> None:
        """Write one record durably: when this returns, it survives kill -9 and power loss."""
        fd = self._open()
        before = self.size()
        data = encode(record)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        self._size = before + len(data)

    def size(self) -> int:
        if self._size is None:
            try:
                self._size = self.path.stat().st_size
            except FileNotFoundError:
                self._size = 0
        return self._size

    def reset(self) -> None:
        """Empty the journal (its records are in a snapshot now)."""
        fd = self._open()
        os.ftruncate(fd, 0)
        os.fsync(fd)
        self._size = 0

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
