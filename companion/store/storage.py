"""TinyDB storage that writes only what changed, durably.

TinyDB's JSONStorage rewrites the whole file in place on every insert: slow at 100k documents and
half-written if the process dies mid-write. This storage keeps the data in memory, appends each
committed transaction to a fsynced journal, and now and then writes a full snapshot with
write-to-temp + fsync + rename, so the snapshot file is always either the old or the new one. The
snapshot is an ordinary TinyDB JSON file (see snapshot.py). The tables that grow with history are kept
packed: their documents are read from the snapshot file by offset (see packed.py).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from . import snapshot
from .errors import CorruptDatabase, WriteFailed
from .files import backups_in, write_private
from .journal import Journal
from .packed import PackedTable, SnapshotFiles

log = logging.getLogger("rapport")

LAYOUT_VERSION = b"3\n"  # 3: the snapshot is written one document per line
PATCH = "patch"  # a journal entry that holds only what changed in a document (see `patch`)
ABSENT: Any = object()  # "no such key" where None is a value
_PATCH_DEPTH = 4  # person > aggregates > days > month: deeper, a value is written whole
_SMALL = 4  # a dict of at most this many keys is written whole rather than patched

Doc = dict[str, Any]
# (table, doc id, document before, document after); None means "absent".
ChangeListener = Callable[[str, int, Doc | None, Doc | None], None]
# Every change of one transaction, called once it is durable (never for a rolled-back one).
CommitListener = Callable[[list[tuple[str, int, Doc | None, Doc | None]]], None]


def copy_doc(doc: Doc) -> Doc:
    return orjson.loads(orjson.dumps(doc))


def patch(old: Doc, new: Doc, depth: int = 0) -> Doc | None:
    """What makes `old` into `new`: {"=": {key: value set}, "~": {key: patch of a dict in it}, "-": [key gone]},
    each part only when it has something; None when most of its values were set anew (the whole of `new` says it
    as well), or when its keys are in another order than the old ones followed by the new (readers of the dated
    totals rely on their order, and applying a patch adds keys at the end).

    Documents are never changed in place (a change makes new dicts along its path and shares the rest), so a value
    that is the very object it was is unchanged, and only the paths a change made are walked."""
    sets: Doc = {}
    subs: Doc = {}
    added = 0
    for key, value in new.items():
        was = old.get(key, ABSENT)
        if was is value:
            continue
        if (type(value) is dict and type(was) is dict and depth < _PATCH_DEPTH and len(value) > _SMALL
                and (sub := patch(was, value, depth + 1)) is not None):
            if sub:  # else a copy with nothing changed
                subs[key] = sub
        else:
            sets[key] = value
            added += was is ABSENT
    gone = [key for key in old if key not in new] if len(old) > len(new) - added else []
    if not subs and 2 * (len(sets) + len(gone)) > len(new) + 1:
        return None
    kept = [key for key in old if key in new] if gone else list(old)
    if list(new)[:len(kept)] != kept:  # not the old keys in their order, then the new ones
        return None
    change: Doc = {}
    if sets:
        change["="] = sets
    if subs:
        change["~"] = subs
    if gone:
        change["-"] = gone
    return change


def patched(old: Doc, change: Doc) -> Doc:
    """`old` with a `patch` applied (a new dict; `old` is not changed)."""
    if not isinstance(change, dict) or not change.keys() <= {"=", "~", "-"}:
        raise ValueError("not a patch")
    new = {**old, **change.get("=", {})}
    for key, sub in change.get("~", {}).items():
        new[key] = patched(old[key], sub)
    for key in change.get("-", ()):
        del new[key]
    return new


class DurableStorage(Storage):
    """In-memory TinyDB data + journal + atomic snapshots. Use with JournaledTable.

    `packed`: the tables kept as PackedTables. `listener` hears of every document as it is loaded (and then
    of every change): the indexes are built while the file is read, never by reading every document again."""

    def __init__(self, path: str | Path, backups: Path | None = None, packed: frozenset[str] = frozenset(),
                 listener: ChangeListener | None = None) -> None:
        self.path = Path(path)
        self.backups = backups
        self.packed = packed
        self.files = SnapshotFiles()  # the snapshot the packed tables read their documents from
        self._listeners: list[ChangeListener] = [listener] if listener else []
        self.journal = Journal(self.path.with_suffix(".journal"))
        # Written with the first snapshot. Versions before it wrote no snapshot until their first
        # compaction, so without it a journal alone is such a folder, not a lost snapshot.
        self.marker = self.path.with_suffix(".version")
        # Loading makes a few million objects that all live on: collecting while doing so is wasted
        # time, and moving them out of the collector's view afterwards keeps later pauses short.
        gc.disable()
        try:
            self._refuse_a_lost_snapshot()
            self._data, self.in_line_layout = snapshot.load(self.path, packed, self._loaded, self.files)
            for record in self.journal.replay():
                self._replay(record)
        except CorruptDatabase as exc:
            raise CorruptDatabase(exc.path, exc.reason, backups) from None
        finally:
            gc.enable()
        gc.freeze()
        if not self.path.exists():
            # The first start writes an empty snapshot (the journal holds the rest): from then on,
            # a missing one is damage.
            snapshot.write(self.path, {}, self.files)
        if not self.marker.exists():
            write_private(self.marker, LAYOUT_VERSION, sync=True)
        self.lock = threading.RLock()
        self._commit_listeners: list[CommitListener] = []
        self._depth = 0
        # Per (table, doc id) in the open transaction: the document before it, for rollback, and as it is now,
        # for the commit's listeners. The journal gets each changed document once, as it is at commit.
        self._before: dict[tuple[str, str], Doc | None] = {}
        self._after: dict[tuple[str, str], Doc | None] = {}

    def _refuse_a_lost_snapshot(self) -> None:
        """An empty or missing snapshot where one was written before lost its data (a crashed editor, a full disk)."""
        try:
            size = self.path.stat().st_size
            state = "it is empty" if size == 0 or (size < 64 and not self.path.read_bytes().strip()) else None
        except FileNotFoundError:
            state = "it is missing"
        if state is None:
            return
        # The marker, or backups (copies of a snapshot), say a snapshot was written once. Without
        # either, a journal alone is what an older version leaves before its first compaction.
        has_backups = bool(backups_in(self.backups))
        if has_backups or self.marker.exists():
            beside = "a journal of changes" if self.journal.size() > 0 else "backups" if has_backups else None
            reason = f"{state}, while {beside} exist" if beside else f"{state}, though one was written before"
            raise CorruptDatabase(self.path, reason, self.backups)

    def _loaded(self, table: str, doc_id: int, doc: Doc) -> None:
        for listener in self._listeners:
            listener(table, doc_id, None, doc)

    def _replay(self, record: Any) -> None:
        try:
            for entry in record:
                if len(entry) not in (3, 4):
                    raise ValueError(entry)
                table, doc_id, doc = entry[:3]
                target = self.table_data(table)
                old = target.get(doc_id)
                if len(entry) == 4:  # [table, id, patch, PATCH]: what changed on a document kept
                    if entry[3] != PATCH or old is None:
                        raise ValueError(entry[3])
                    doc = patched(old, doc)
                if doc is None:
                    target.pop(doc_id, None)
                else:
                    target[doc_id] = doc
                for listener in self._listeners:
                    listener(table, int(doc_id), old, doc)
        except (TypeError, ValueError, KeyError):
            raise CorruptDatabase(self.journal.path, "a journal record has an unknown shape") from None

    # -- TinyDB's Storage interface -------------------------------------------------------------
    def read(self) -> dict[str, dict[str, Doc]]:
        return self._data

    def write(self, data: dict[str, dict[str, Doc]]) -> None:
        # Only whole-database operations (drop_tables) come here; table edits go through record().
        with self.lock:
            self._data = {name: PackedTable.of(table, self.files)
                          if name in self.packed and not isinstance(table, PackedTable) else table
                          for name, table in data.items()}
            self.snapshot()

    def close(self) -> None:
        self.journal.close()

    # -- change tracking -------------------------------------------------------------------------
    def add_commit_listener(self, listener: CommitListener) -> None:
        self._commit_listeners.append(listener)

    def table_data(self, table: str) -> dict[str, Doc]:
        found = self._data.get(table)
        if found is None:
            found = self._data[table] = PackedTable(self.files) if table in self.packed else {}
        return found  # type: ignore[no-any-return]

    def record(self, table: str, changes: dict[str, tuple[Doc | None, Doc | None]]) -> None:
        """Called by JournaledTable after it changed documents in memory."""
        with self.lock:
            for doc_id, (old, new) in changes.items():
                self._before.setdefault((table, doc_id), old)
                self._after[table, doc_id] = new
                for listener in self._listeners:
                    listener(table, int(doc_id), old, new)
            if self._depth == 0:
                self._commit()

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All changes inside reach the journal as one record, or none do (memory is rolled back)."""
        with self.lock:
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self._rollback()
                raise
            self._depth -= 1
            if self._depth == 0:
                self._commit()

    def _commit(self) -> None:
        if not self._before:
            return
        record = [self._entry(table, doc_id, old) for (table, doc_id), old in self._before.items()]
        try:
            self.journal.append(record)
        except OSError as exc:
            self._rollback()
            raise WriteFailed(f"could not write {self.journal.path}: {exc.strerror}") from exc
        after = self._after
        committed = [(table, int(doc_id), old, after[table, doc_id]) for (table, doc_id), old in self._before.items()]
        self._before, self._after = {}, {}
        for listener in self._commit_listeners:
            try:
                listener(committed)
            except Exception:  # the write is durable: a listener's failure must not undo its answer
                log.exception("a commit listener failed")

    def _entry(self, table: str, doc_id: str, old: Doc | None) -> list[Any]:
        """A change for the journal: [table, id, document], a packed one as the bytes it is kept as; or, for a
        document that was there before and still is, [table, id, patch, PATCH] (see `patch`). A person touched
        by an ingest changes a few fields, and of their totals one day, one week and one month: the rest of the
        document need not be written again."""
        data = self._data[table]
        if isinstance(data, PackedTable):
            return [table, doc_id, data.fragment(doc_id)]
        new = data.get(doc_id)
        change = patch(old, new) if old is not None and new is not None and old is not new else None
        return [table, doc_id, new] if change is None else [table, doc_id, change, PATCH]

    def _rollback(self) -> None:
        for (table, doc_id), old in reversed(self._before.items()):
            target = self.table_data(table)
            new = target.get(doc_id)
            if old is None:
                target.pop(doc_id, None)
            else:
                target[doc_id] = old
            for listener in self._listeners:
                listener(table, int(doc_id), new, old)
        self._before, self._after = {}, {}

    # -- snapshots ---------------------------------------------------------------------------------
    def snapshot(self) -> None:
        """Write all data to the snapshot file atomically, then empty the journal."""
        with self.lock:
            snapshot.write(self.path, self._data, self.files)
            self.in_line_layout = True
            self.journal.reset()
