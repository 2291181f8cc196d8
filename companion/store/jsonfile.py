"""A small JSON list in the data folder that the server and the CLI both change (tokens, pairing requests).

Changes are read-modify-write under an exclusive flock, and the file is replaced atomically.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from .errors import CorruptDatabase, WriteFailed
from .files import open_private, private_dir, write_atomically


class LockedJsonList:
    def __init__(self, path: Path, key: str, what: str) -> None:
        self.path = path
        self.key = key
        self.what = what
        private_dir(path.parent)

    def read(self) -> list[dict[str, Any]]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        try:
            items = orjson.loads(raw)[self.key]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            items = None
        if not isinstance(items, list):
            raise CorruptDatabase(self.path, f"not a Rapport {self.what}")
        return items

    @contextmanager
    def edit(self) -> Iterator[list[dict[str, Any]]]:
        """The list to change in place; written back when the block ends without an error."""
        try:
            lock = open_private(self.path.with_suffix(".lock"), os.O_RDWR)
        except OSError as exc:
            raise WriteFailed(f"could not change {self.path}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            items = self.read()
            yield items
            try:
                write_atomically(self.path, orjson.dumps({self.key: items}, option=orjson.OPT_INDENT_2))
            except OSError as exc:
                raise WriteFailed(f"could not write {self.path}: {exc.strerror or exc}") from exc
        finally:
            os.close(lock)

    def stamp(self) -> tuple[int, int] | None:
        """Changes whenever the file does: cheap to compare on every request."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_size
