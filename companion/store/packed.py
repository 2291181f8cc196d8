"""A table whose documents stay in the snapshot file, read from it by offset when asked for.

A person you talk to daily has thousands of interactions, and a heavy user hundreds of thousands in all.
As Python dicts each costs about a kilobyte (the dict, and a str object per field); as the JSON text it is
read from, about a third of that; as a place in the snapshot file, one int. So a document the snapshot
holds is only where it lies in that file (read with one pread and decoded: a few microseconds), and one
written since, until the next snapshot, is its compact JSON text in memory. Either goes into the journal
and the next snapshot as the JSON it is.

Every read hands out a fresh document: changing it changes nothing stored (documents are replaced, never
changed in place, everywhere in the store).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import IO, Any

import orjson

from .errors import CorruptDatabase

Doc = dict[str, Any]
# A document in the file: offset << 25 | length << 1 | slot (which of the two files it is in, see SnapshotFiles).
# Under 2**64, so a fold's new places fit an array of unsigned 64-bit ints: files up to 512 GB, documents up
# to 16 MiB (a request body is at most 4 MiB).
Place = int
_LENGTH_BITS = 24
_CHUNK = 1 << 20  # read at a time when reading a table through


def pack(doc: Doc) -> bytes:
    # orjson writes into a 1 KiB buffer and shrinks it: kept as it is, each document would hold on to most of
    # a kilobyte of the C heap (and filling one at a time is ten times slower). A copy is exactly its size.
    return memoryview(orjson.dumps(doc)).tobytes()


def place(offset: int, length: int, slot: int) -> Place:
    if length >> _LENGTH_BITS:
        raise ValueError(f"a document of {length} bytes is more than a packed table keeps")
    return (offset << (_LENGTH_BITS + 1)) | (length << 1) | slot


def _spans(where: Place) -> tuple[int, int]:
    """(offset, length) of the document at `where`."""
    return where >> (_LENGTH_BITS + 1), (where >> 1) & ((1 << _LENGTH_BITS) - 1)


class SnapshotFiles:
    """The snapshot file the places point into, open for reading, shared by every packed table of a store.

    There are two slots. A new snapshot goes in the other slot, every place is moved to it, and only then is
    the old file let go: a read that took an old place a moment before finds its file still there (or, once
    let go, takes the place again), and a file is closed only when no read holds it, so a read never reads
    another file that happened to get the same descriptor."""

    __slots__ = ("current", "files")

    def __init__(self) -> None:
        self.files: list[IO[bytes] | None] = [None, None]
        self.current = 0

    def read(self, where: Place) -> bytes | None:
        """The JSON at `where`, or None when that file was just let go (take the place again)."""
        file = self.files[where & 1]
        if file is None:
            return None
        offset, length = _spans(where)
        return _checked(file, os.pread(file.fileno(), length, offset), length)

    def read_in_order(self, places: Iterator[bytes | Place]) -> Iterator[bytes]:
        """The JSON of each of `places` (or the JSON itself, for a document in memory), for places that mostly
        follow each other in the file (a table in its own order, as a fold writes it): read a megabyte at a
        time, not with a call each."""
        file: IO[bytes] | None = None
        start, chunk = 0, b""
        for where in places:
            if where.__class__ is bytes:
                yield where  # type: ignore[misc]
                continue
            assert isinstance(where, int)
            wanted = self.files[where & 1]
            assert wanted is not None  # read under the store's lock: no fold can let it go meanwhile
            offset, length = _spans(where)
            if wanted is not file or not (start <= offset and offset + length <= start + len(chunk)):
                file, start = wanted, offset
                chunk = os.pread(file.fileno(), max(length, _CHUNK), offset)
            yield _checked(file, chunk[offset - start:offset - start + length], length)

    def open_next(self, file: IO[bytes]) -> int:
        """Hold `file` in the slot not in use; the slot, for the places in it."""
        slot = 1 - self.current
        self.files[slot] = file
        return slot

    def moved_to(self, slot: int) -> None:
        """Every place now points into `slot`: let the other file go."""
        self.current = slot
        self.files[1 - slot] = None

    def hold(self, file: IO[bytes]) -> int:
        """The file a store was loaded from: its slot."""
        self.files[self.current] = file
        return self.current


def _checked(file: IO[bytes], raw: bytes, length: int) -> bytes:
    if len(raw) != length or raw[:1] != b"{" or raw[-1:] != b"}":
        # Only something else writing over the file in place (an editor, a sync tool) does this.
        raise CorruptDatabase(Path(file.name), "it was changed in place while Rapport was using it: stop Rapport "
                                               "before editing it")
    return raw


class PackedTable(MutableMapping[str, Doc]):
    """TinyDB's {str doc id -> document}, over {int doc id -> place in the file, or JSON}: an int is half the
    size of its str, and the indexes hold the very same int objects."""

    __slots__ = ("files", "packed")

    def __init__(self, files: SnapshotFiles | None = None, packed: dict[int, bytes | Place] | None = None) -> None:
        self.files = files if files is not None else SnapshotFiles()
        self.packed: dict[int, bytes | Place] = packed if packed is not None else {}

    @classmethod
    def of(cls, docs: dict[str, Doc], files: SnapshotFiles | None = None) -> PackedTable:
        """From documents (an older snapshot, a whole-database write), emptying `docs` as it goes so the
        dicts are freed one by one rather than all at the end."""
        table = cls(files)
        for doc_id in list(docs):
            table.packed[int(doc_id)] = pack(docs.pop(doc_id))
        return table

    def raw(self, number: int) -> bytes | None:
        """The stored JSON of one document (None when absent)."""
        while True:
            value = self.packed.get(number)
            if value is None or value.__class__ is bytes:
                return value  # type: ignore[return-value]
            found = self.files.read(value)  # type: ignore[arg-type]
            if found is not None:
                return found

    def items_raw(self) -> Iterator[tuple[int, bytes]]:
        """(doc id, JSON) of every document, in the table's order, for writing them out (under the store's lock)."""
        return zip(self.packed, self.files.read_in_order(iter(self.packed.values())), strict=True)

    def __getitem__(self, doc_id: str) -> Doc:
        raw = self.raw(int(doc_id))
        if raw is None:
            raise KeyError(doc_id)
        return orjson.loads(raw)  # type: ignore[no-any-return]

    def get(self, doc_id: str, default: Any = None) -> Any:  # type: ignore[override]
        raw = self.raw(int(doc_id))
        return default if raw is None else orjson.loads(raw)

    def __setitem__(self, doc_id: str, doc: Doc) -> None:
        self.packed[int(doc_id)] = pack(doc)

    def __delitem__(self, doc_id: str) -> None:
        del self.packed[int(doc_id)]

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and doc_id.isdigit() and int(doc_id) in self.packed

    def __iter__(self) -> Iterator[str]:
        return (str(doc_id) for doc_id in self.packed)

    def __len__(self) -> int:
        return len(self.packed)

    def fragment(self, doc_id: str) -> orjson.Fragment | None:
        """The stored JSON of one document, for orjson to write as it is (None when absent)."""
        raw = self.raw(int(doc_id))
        return None if raw is None else orjson.Fragment(raw)
