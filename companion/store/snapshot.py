"""The snapshot file: an ordinary TinyDB JSON file, written one document per line.

    {
    "people":{
    "1":{"handle":"ada",...},
    "2":{"handle":"grace",...}
    },
    "interactions":{
    ...
    }
    }

Written so, it is read and written a line at a time: starting the companion or folding the journal never
holds the whole file in memory beside the data (a heavy user's file passes 150 MB). A file in any other
layout (what versions before this one wrote, on one line, or a file edited by hand) is read whole, as any
JSON is.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import orjson

from .errors import CorruptDatabase
from .files import write_atomically
from .packed import PackedTable, SnapshotFiles, place

Doc = dict[str, Any]
Tables = dict[str, Any]  # table name -> {doc id -> document} (a dict, or a PackedTable)
Each = Callable[[str, int, Doc], None]  # (table, doc id, document): told of every document loaded

_OPEN = b"{\n"


class _NotLines(Exception):
    """The file is not in the line layout (it may still be valid JSON)."""


def write(path: Path, data: Mapping[str, Mapping[str, Doc]], files: SnapshotFiles | None = None) -> None:
    """Replace the snapshot atomically: a crash leaves the old file or the new one. With `files` (those the
    packed tables read from), every packed document is then read from the new file."""
    slot = 1 - files.current if files is not None else 0
    places: dict[str, array[int]] = {}
    write_atomically(path, _lines(data, slot, places))
    if files is None:
        return
    files.open_next(open(path, "rb"))  # noqa: SIM115 (held for reading, closed once no table points into it)
    for name, moved in places.items():
        table = data[name]
        assert isinstance(table, PackedTable)
        table.files = files
        for number, where in zip(table.packed, moved, strict=True):
            table.packed[number] = where
    files.moved_to(slot)


def _lines(data: Mapping[str, Mapping[str, Doc]], slot: int, places: dict[str, array[int]]) -> Iterator[bytes]:
    """The file's lines; where each packed document goes, in `places` (in the order of its table)."""
    at = 0

    def out(piece: bytes) -> bytes:
        nonlocal at
        at += len(piece)
        return piece

    yield out(_OPEN)
    names = list(data)
    for n, name in enumerate(names):
        table = data[name]
        yield out(orjson.dumps(name) + b":{\n")
        last = len(table) - 1
        if isinstance(table, PackedTable):
            moved = places[name] = array("Q")
            for i, (doc_id, body) in enumerate(table.items_raw()):
                head = b'"%d":' % doc_id
                moved.append(place(at + len(head), len(body), slot))
                yield out(head + body + (b",\n" if i < last else b"\n"))
        else:
            for i, (key, doc) in enumerate(table.items()):
                yield out(orjson.dumps(key) + b":" + orjson.dumps(doc) + (b",\n" if i < last else b"\n"))
        yield out(b"},\n" if n < len(names) - 1 else b"}\n")
    yield out(b"}\n")


def load(path: Path, packed: frozenset[str] = frozenset(), each: Each | None = None,
         files: SnapshotFiles | None = None) -> tuple[Tables, bool]:
    """The tables (those named in `packed` as PackedTables reading from `files`), and whether the file was in
    the line layout (then the packed documents stay in the file, which `files` holds open).

    ({}, True) for a missing or empty file: the caller tells whether that is damage. `each` hears of every
    document as it is read, each once: a file that turns out damaged raises CorruptDatabase, so what it
    heard is never used. A file in the line layout from its start that leaves it after its first document
    is damaged (Rapport wrote it so, and no document is ever split over lines)."""
    each = each or _ignore
    files = files if files is not None else SnapshotFiles()
    handle: IO[bytes] | None
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below, or held by `files`)
    except FileNotFoundError:
        return {}, True
    try:
        if handle.read(len(_OPEN)) == _OPEN:
            reader = _LineReader(packed, each, files)
            try:
                tables = reader.read(handle)
            except _NotLines as exc:
                if reader.documents:
                    raise CorruptDatabase(path, f"line {reader.line_number} is not one document of the "
                                                f"layout Rapport writes ({exc})") from None
            else:
                files.hold(handle)
                handle = None
                return tables, True
        handle.seek(0)
        tables = _whole(path, handle.read(), packed, files)
    finally:
        if handle is not None:
            handle.close()
    for name, table in tables.items():
        if isinstance(table, PackedTable):
            for number, body in table.items_raw():
                each(name, number, orjson.loads(body))
        else:
            for doc_id, doc in table.items():
                each(name, int(doc_id), doc)
    return tables, False


def _ignore(_table: str, _doc_id: int, _doc: Doc) -> None:
    pass


class _LineReader:
    def __init__(self, packed: frozenset[str], each: Each, files: SnapshotFiles) -> None:
        self.packed = packed
        self.each = each
        self.files = files
        self.slot = files.current
        self.line_number = 1
        self.documents = 0

    def read(self, handle: IO[bytes]) -> Tables:
        tables: Tables = {}
        name, table, target, packed = "", None, {}, False  # the table being read
        comma: bool | None = True  # the line before ended in a comma (the opening brace counts as one)
        ended = False
        at = len(_OPEN)  # where the line starts in the file
        for line in handle:
            start, at = at, at + len(line)
            self.line_number += 1
            if ended:
                if line.strip():
                    raise _NotLines("text after the end")
                continue
            if not line.endswith(b"\n"):
                raise _NotLines("the last line is cut short")
            line = line[:-1]
            if table is None:
                if line == b"}" and ((comma is True and not tables) or comma is False):
                    ended = True
                    continue
                if not comma or not line.endswith(b":{"):
                    raise _NotLines("not a table's first line")
                try:
                    name = orjson.loads(line[:-2])
                except orjson.JSONDecodeError:
                    raise _NotLines("not a table's name") from None
                if not isinstance(name, str) or name in tables:
                    raise _NotLines("not a table's name, or a second table of that name")
                table = tables[name] = PackedTable(self.files) if name in self.packed else {}
                target = table.packed if isinstance(table, PackedTable) else table  # documents, or their JSON
                packed = target is not table
                comma = None  # nothing read in this table yet
                continue
            if line in (b"}", b"},"):
                if comma:
                    raise _NotLines("a comma before the table's end")
                table, comma = None, line == b"},"
                continue
            if comma is False:
                raise _NotLines("no comma after the document before")
            comma = line.endswith(b",")
            if comma:
                line = line[:-1]
            # `"123":{...}`: TinyDB's document ids are numbers.
            sep = line.find(b'":')
            doc_id = line[1:sep].decode("ascii", "replace")
            if line[:1] != b'"' or not doc_id.isdigit():
                raise _NotLines("not a document id")
            number = int(doc_id)
            if (number if packed else doc_id) in target:
                raise _NotLines("a second document of that id")
            body = line[sep + 2:]
            try:
                doc = orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                raise _NotLines(f"not valid JSON: {exc}") from None
            if not isinstance(doc, dict):
                raise _NotLines("a document that is not an object")
            if packed:
                target[number] = place(start + sep + 2, len(body), self.slot)
            else:
                target[doc_id] = doc
            self.documents += 1
            self.each(name, number, doc)
        if not ended:
            raise _NotLines("the file ends before its last brace")
        return tables


def _whole(path: Path, raw: bytes, packed: frozenset[str], files: SnapshotFiles) -> Tables:
    if not raw.strip():
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise CorruptDatabase(path, f"not valid JSON: {exc}") from None
    del raw
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) and doc_id.isascii() and doc_id.isdigit()
                                        for doc_id, doc in table.items())
        for table in data.values()
    ):
        raise CorruptDatabase(path, "not a TinyDB document layout")
    return {name: PackedTable.of(table, files) if name in packed else table for name, table in data.items()}
