"""A TinyDB Table whose writes cost O(documents changed), not O(table size).

TinyDB's Table._update_table copies the whole table into a new dict, lets the operation change it,
and hands the whole database to Storage.write. Here the operation runs on a thin view of the live
table that remembers the documents it touched (with their previous versions), and only those go to
DurableStorage.record. Reads (get, search, all, iteration) are TinyDB's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from .packed import PackedTable
from .storage import ABSENT, Doc, DurableStorage, copy_doc


class _TouchTracker(MutableMapping[int, Doc]):
    """The int-keyed table TinyDB's updaters expect, over the str-keyed live table."""

    def __init__(self, raw: dict[str, Doc]) -> None:
        self._raw = raw
        self.before: dict[str, Any] = {}
        # A packed table hands out copies: the ones updaters may change in place are stored back at the end.
        self._handed: dict[str, Doc] | None = {} if isinstance(raw, PackedTable) else None

    def _touch(self, key: str) -> None:
        if key not in self.before:
            doc = self._raw.get(key, ABSENT)
            # Updaters may change a document in place, so remember a copy of it (a packed table's is one).
            self.before[key] = doc if doc is ABSENT or self._handed is not None else copy_doc(doc)

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
            old = None if before is ABSENT else before
            new = self._raw.get(key)
            if old != new:
                found[key] = (old, new)
        return found

    def restore(self) -> None:
        for key, before in self.before.items():
            if before is ABSENT:
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

    def insert(self, document: Mapping[str, Any]) -> int:
        return self.insert_multiple([document])[0]

    def insert_multiple(self, documents: Iterable[Mapping[str, Any]]) -> list[int]:
        """TinyDB's insert_multiple (a Document keeps its doc_id), without its updater's per-document bookkeeping:
        new documents have nothing before them to remember or compare."""
        with self._storage.lock:
            raw = self._storage.table_data(self.name)
            added: dict[str, tuple[Doc | None, Doc | None]] = {}
            try:
                for document in documents:
                    if not isinstance(document, Mapping):
                        raise ValueError("Document is not a Mapping")
                    if isinstance(document, self.document_class):
                        doc_id = document.doc_id
                        self._next_id = None  # as TinyDB does: the next free id is worked out again
                    else:
                        doc_id = self._get_next_id()
                    key = str(doc_id)
                    if key in raw or key in added:
                        raise ValueError(f"Document with ID {doc_id} already exists")
                    doc = dict(document)
                    raw[key] = doc
                    added[key] = (None, doc)
            except BaseException:
                for key in added:  # nothing of a refused insert stays
                    raw.pop(key, None)
                self._next_id = None
                raise
            if added:
                self._storage.record(self.name, added)
        self.clear_cache()
        return [int(key) for key in added]

    def replace_fields(self, fields_of: dict[int, Doc], changed: bool = False) -> None:
        """Set fields of some documents ({doc id: fields}), in one change: a new document replaces each old one,
        which stays as it was (for rollback and listeners), so nothing needs copying. Documents are never
        changed in place. `changed`: every one changes, so none is compared with what it was."""
        with self._storage.lock:
            raw = self._storage.table_data(self.name)
            changes: dict[str, tuple[Doc | None, Doc | None]] = {}
            for doc_id, fields in fields_of.items():  # every one found before any is changed
                key = str(doc_id)
                old = raw[key]
                new = {**old, **fields}
                if changed or new != old:
                    changes[key] = (old, new)
            if not changes:
                return
            for key, (_old, new) in changes.items():
                raw[key] = new  # type: ignore[assignment]
            self._storage.record(self.name, changes)
        self.clear_cache()


class JournaledTinyDB(TinyDB):
    table_class = JournaledTable
