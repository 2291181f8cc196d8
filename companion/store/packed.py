"""A table kept as one compact JSON text per document, decoded when read.

A person you talk to daily has thousands of interactions, and a heavy user hundreds of thousands in all.
As Python dicts each costs about a kilobyte (the dict, and a str object per field); as the JSON bytes
it is read from, about a third of that. Decoding one costs half a microsecond, so reading a person's
whole history stays a few milliseconds, and the bytes go into the journal and the snapshot as they are.

Every read hands out a fresh document: changing it changes nothing stored (documents are replaced,
never changed in place, everywhere in the store).
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

import orjson

Doc = dict[str, Any]


def pack(doc: Doc) -> bytes:
    # orjson writes into a 1 KiB buffer and shrinks it: kept as it is, each document would hold on to most of
    # a kilobyte of the C heap (and filling one at a time is ten times slower). A copy is exactly its size.
    return memoryview(orjson.dumps(doc)).tobytes()


class PackedTable(MutableMapping[str, Doc]):
    """TinyDB's {str doc id -> document}, over {int doc id -> JSON}: an int is half the size of its str, and the
    indexes hold the very same int objects."""

    __slots__ = ("packed",)

    def __init__(self, packed: dict[int, bytes] | None = None) -> None:
        self.packed: dict[int, bytes] = packed if packed is not None else {}

    @classmethod
    def of(cls, docs: dict[str, Doc]) -> PackedTable:
        """From documents (an older snapshot, a whole-database write), emptying `docs` as it goes so the
        dicts are freed one by one rather than all at the end."""
        table = cls()
        for doc_id in list(docs):
            table.packed[int(doc_id)] = pack(docs.pop(doc_id))
        return table

    def __getitem__(self, doc_id: str) -> Doc:
        return orjson.loads(self.packed[int(doc_id)])

    def get(self, doc_id: str, default: Any = None) -> Any:  # type: ignore[override]
        raw = self.packed.get(int(doc_id))
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
        raw = self.packed.get(int(doc_id))
        return None if raw is None else orjson.Fragment(raw)
