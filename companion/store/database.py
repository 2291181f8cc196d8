"""The store: TinyDB tables on a DurableStorage, with indexes, a data-folder lock and rotating backups.

The domain talks to this class only. Every write happens inside `transaction()`, which holds the
store lock (Flask is threaded) and commits to the journal once, or not at all.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from .errors import DataDirInUse
from .indexes import INTERACTIONS, PEOPLE, SNAPSHOTS, Indexes
from .storage import Doc, DurableStorage
from .table import JournaledTinyDB

DB_FILE = "rapport.json"
LOCK_FILE = "rapport.lock"
BACKUP_DIR = "backups"
KEEP_BACKUPS = 7
BACKUP_EVERY_S = 3600
# Fold the journal into a fresh snapshot once it passes this size.
COMPACT_AT_BYTES = 32 * 1024 * 1024


class Store:
    def __init__(self, data_dir: Path, compact_at_bytes: int = COMPACT_AT_BYTES) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / DB_FILE
        self.backup_dir = self.data_dir / BACKUP_DIR
        self.compact_at_bytes = compact_at_bytes
        self._lock_fd = _lock_data_dir(self.data_dir)
        try:
            self.db = JournaledTinyDB(self.path, storage=DurableStorage, backups=self.backup_dir)
        except BaseException:
            os.close(self._lock_fd)
            raise
        self.storage: DurableStorage = self.db.storage  # type: ignore[assignment]
        self.lock = self.storage.lock
        self.people = self.db.table(PEOPLE)
        self.interactions = self.db.table(INTERACTIONS)
        self.snapshots = self.db.table(SNAPSHOTS)
        self.index = Indexes()
        self.index.rebuild(self.storage.read())
        self.storage.add_listener(self.index.on_change)
        if self.storage.journal.size() > compact_at_bytes:
            self.compact()

    # -- lifecycle ---------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.storage.transaction():
            yield
        # Only after the outermost commit: a snapshot taken inside a transaction would write
        # changes that may still be rolled back.
        if not self.storage.in_transaction and self.storage.journal.size() > self.compact_at_bytes:
            self.compact()

    def compact(self) -> None:
        """Fold the journal into the snapshot; keep a copy of it in backups/ now and then."""
        with self.lock:
            self.storage.snapshot()
            newest = max((p.stat().st_mtime for p in self.backup_dir.glob("rapport-*.json")), default=0)
            if time.time() - newest >= BACKUP_EVERY_S:
                self._copy_to_backups()

    def backup(self) -> Path:
        """A backup of everything as of now (before an import that replaces all, say)."""
        with self.lock:
            self.storage.snapshot()
            return self._copy_to_backups()

    def _copy_to_backups(self) -> Path:
        self.backup_dir.mkdir(exist_ok=True)
        target = self.backup_dir / f"rapport-{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}.json"
        try:
            # The snapshot is only ever replaced by rename, never changed in place: a hard link is a
            # full, instant copy of it.
            os.link(self.path, target)
        except OSError:
            shutil.copy2(self.path, target)
        for old in sorted(self.backup_dir.glob("rapport-*.json"))[:-KEEP_BACKUPS]:
            old.unlink()
        return target

    def close(self, compact: bool = True) -> None:
        with self.lock:
            if compact and self.storage.journal.size() > 0:
                self.compact()
            self.storage.close()
            if self._lock_fd >= 0:
                os.close(self._lock_fd)
                self._lock_fd = -1

    # -- people ------------------------------------------------------------------------------------
    def person(self, person_id: int) -> Doc | None:
        """The live document: read it, never change it (use update_person)."""
        return self.storage.read().get(PEOPLE, {}).get(str(person_id))

    def person_ids(self) -> list[int]:
        return [int(key) for key in self.storage.read().get(PEOPLE, {})]

    def find_handle(self, handle: str) -> int | None:
        return self.index.by_handle.get(handle.lower())

    def find_user_id(self, user_id: str) -> int | None:
        return self.index.by_user_id.get(user_id)

    def insert_person(self, doc: Doc) -> int:
        return self.people.insert(doc)

    def update_person(self, person_id: int, fields: Doc) -> None:
        self.people.update(fields, doc_ids=[person_id])

    def delete_person(self, person_id: int) -> None:
        with self.transaction():
            self.interactions.remove(doc_ids=list(self.index.interactions.get(person_id, {}).values()))
            self.snapshots.remove(doc_ids=list(self.index.snapshots.get(person_id, {})))
            self.people.remove(doc_ids=[person_id])

    # -- interactions ------------------------------------------------------------------------------
    def interaction_keys(self, person_id: int) -> dict[str, int]:
        return self.index.interactions.get(person_id, {})

    def interactions_of(self, person_id: int) -> list[Doc]:
        table = self.storage.read().get(INTERACTIONS, {})
        return [table[str(i)] for i in self.interaction_keys(person_id).values()]

    def insert_interactions(self, docs: Iterable[Doc]) -> list[int]:
        # Stored without null fields (readers use .get): with at most 10 keys each of the 100k
        # documents fits Python's smaller dict table, which saves about a fifth of the memory.
        return self.interactions.insert_multiple({k: v for k, v in doc.items() if v is not None} for doc in docs)

    def remove_interactions(self, ids: list[int]) -> None:
        self.interactions.remove(doc_ids=ids)

    def move_history(self, from_person: int, to_person: int) -> None:
        """Give `to_person` the interactions and snapshots of `from_person` (a merge)."""
        existing = set(self.interaction_keys(to_person))
        moving = dict(self.interaction_keys(from_person))
        duplicates = [i for key, i in moving.items() if key in existing]
        self.interactions.remove(doc_ids=duplicates)
        self.interactions.update({"person": to_person}, doc_ids=[i for k, i in moving.items() if k not in existing])
        have = {_snapshot_identity(s) for s in self.snapshots_of(to_person)}
        table = self.storage.read().get(SNAPSHOTS, {})
        moving_snapshots = list(self.index.snapshots.get(from_person, {}))
        same = [i for i in moving_snapshots if _snapshot_identity(table[str(i)]) in have]
        self.snapshots.remove(doc_ids=same)
        self.snapshots.update({"person": to_person}, doc_ids=[i for i in moving_snapshots if i not in same])

    # -- snapshots ---------------------------------------------------------------------------------
    def snapshots_of(self, person_id: int) -> list[Doc]:
        table = self.storage.read().get(SNAPSHOTS, {})
        return [table[str(i)] for i in self.index.snapshots.get(person_id, {})]

    def insert_snapshot(self, doc: Doc) -> int:
        return self.snapshots.insert(doc)

    # -- whole database ----------------------------------------------------------------------------
    def clear(self) -> None:
        for table in (self.interactions, self.snapshots, self.people):
            table.truncate()


def _snapshot_identity(snapshot: Doc) -> bytes:
    return orjson.dumps([snapshot["at"], snapshot["profile"]], option=orjson.OPT_SORT_KEYS)


def _lock_data_dir(data_dir: Path) -> int:
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DataDirInUse(data_dir) from None
    return fd


def describe(data_dir: Path) -> dict[str, Any]:
    """Where things live, for `rapport serve` and the README's troubleshooting."""
    return {
        "data_dir": str(data_dir),
        "database": str(data_dir / DB_FILE),
        "journal": str((data_dir / DB_FILE).with_suffix(".journal")),
        "backups": str(data_dir / BACKUP_DIR),
    }
