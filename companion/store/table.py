"""A TinyDB Table whose writes cost O(documents changed), not O(table size).

TinyDB's Table._update_table copies the whole table into a new dict, lets the operation change it,
and hands the whole database to Storage.write. Here the operation runs on a thin view of the live
table that remembers the documents it touched (with their previous versions), and only those go to
DurableStorage.record. Reads (get, search, all, iteration) are TinyDB's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from .packed import PackedTable
from .storage import Doc, DurableStorage, copy_doc

_ABSENT: Any = object()


class _TouchTracker(MutableMapping[int, Doc]):
    """The int-keyed table TinyDB's updaters expect, over the str-keyed live table."""

    def __init__(self, raw: dict[str, Doc]) -> None:
        self._raw = raw
        self.before: dict[str, Any] = {}
        # A packed table hands out copies: the ones updaters may change in place are stored back at the end.
        self._handed: dict[str, Doc] | None = {} if isinstance(raw, PackedTable) else None

    def _touch(self, key: str) -> None:
        if key not in self.before:
            doc = self._raw.get(key, _ABSENT)
            # Updaters may change a document in place, so remember a copy of it (a packed table's is one).
            self.before[key] = doc if doc is _ABSENT or self._handed is not None else copy_doc(doc)

    def __getitem__(self, doc_id: int) -> Doc:
        key = str(doc_id)
        self._touch(key)
        if self._handed is None:
            return self._raw[key]
        if key not in self._handed:
            self._handed[key] = self._raw[key]
        return self._handed[key]

    def __setitem__(self, doc_id: int, doc: Doc) -> None:
        key = str(doc_id)
        self._touch(key)
        self._raw[key] = doc
        if self._handed is not None:
            self._handed.pop(key, None)

    def __delitem__(self, doc_id: int) -> None:
        key = str(doc_id)
        self._touch(key)
        del self._raw[key]
        if self._handed is not None:
            self._handed.pop(key, None)

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(key) for key in list(self._raw))

    def __len__(self) -> int:
        return len(self._raw)

    def changes(self) -> dict[str, tuple[Doc | None, Doc | None]]:
        for key, doc in (self._handed or {}).items():
            self._raw[key] = doc
        found = {}
        for key, before in self.before.items():
            old = None if before is _ABSENT else before
            new = self._raw.get(key)
            if old != new:
                found[key] = (old, new)
        return found

    def restore(self) -> None:
        for key, before in self.before.items():
            if before is _ABSENT:
                self._raw.pop(key, None)
            else:
                self._raw[key] = before


class JournaledTable(Table):
    _storage: DurableStorage

    def _update_table(self, updater: Callable[[dict[int, Doc]], None]) -> None:
        # Under the storage's lock from the first change: a snapshot being written (in another thread) walks
        # the tables, and must never see one change size or a document half-way.
        with self._storage.lock:
            tracker = _TouchTracker(self._storage.table_data(self.name))
            try:
                updater(tracker)  # type: ignore[arg-type]
            except BaseException:
                tracker.restore()
                raise
            self._storage.record(self.name, tracker.changes())
        self.clear_cache()


    def replace_fields(self, doc_id: int, fields: Doc) -> None:
        """Set `fields` of one document: a new document replaces the old one, which stays as it was (for
        rollback and listeners), so nothing needs copying. Documents are never changed in place."""
        with self._storage.lock:
            raw = self._storage.table_data(self.name)
            key = str(doc_id)
            old = raw[key]
            new = {**old, **fields}
            if new == old:
                return
            raw[key] = new
            self._storage.record(self.name, {key: (old, new)})
        self.clear_cache()


class JournaledTinyDB(TinyDB):
    table_class = JournaledTable
