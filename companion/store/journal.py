"""Append-only write-ahead journal: one line per committed transaction, fsynced before it is acknowledged.

Line format: `<crc32 as 8 hex digits> <JSON>\n`. A last line without its final newline is a write that
was cut off (kill -9, power loss) and was therefore never acknowledged: it is set aside, not replayed.
A complete line (one that ends in a newline) was acknowledged: if it fails its checksum, anywhere, the
file is damaged.

A failed append (a full disk) leaves the journal exactly as it was: it is cut back to the last good
offset, and until that succeeds no further write is taken.
"""

from __future__ import annotations

import contextlib
import os
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from .errors import CorruptDatabase
from .files import open_private, write_private


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
        self._dirty = False  # a failed append may have left bytes after _size: cut them before writing

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
                raise CorruptDatabase(self.path, f"journal line {number} of {len(complete)} fails its checksum")
            good_bytes += len(line) + 1
            yield record
        if tail:
            self._set_aside(raw, good_bytes)

    def _set_aside(self, raw: bytes, good_bytes: int) -> None:
        aside = self.path.with_name(f"{self.path.name}.torn-{time.strftime('%Y%m%dT%H%M%S')}")
        write_private(aside, raw[good_bytes:], sync=True)
        fd = open_private(self.path, os.O_RDWR)
        try:
            os.ftruncate(fd, good_bytes)
            os.fsync(fd)
        finally:
            os.close(fd)
        self._size = None

    def _open(self) -> int:
        if self._fd is None:
            self._fd = open_private(self.path, os.O_WRONLY | os.O_APPEND)
        return self._fd

    def append(self, record: Any) -> None:
        """Write one record durably: when this returns, it survives kill -9 and power loss.

        On an OSError nothing of the record stays in the file (or, if even cutting it back failed,
        the next append cuts it back first and fails again until it can)."""
        fd = self._open()
        before = self.size()
        if self._dirty:
            self._cut_back(fd, before)
        data = encode(record)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except OSError:
            with contextlib.suppress(OSError):  # _dirty stays set: the next append tries again first
                self._cut_back(fd, before)
            raise
        self._size = before + len(data)

    def _cut_back(self, fd: int, size: int) -> None:
        self._dirty = True
        os.ftruncate(fd, size)
        os.fsync(fd)
        self._dirty = False

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
