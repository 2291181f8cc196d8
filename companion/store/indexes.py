"""In-memory indexes over the store, built at start-up as the file is read, and kept current by storage change
events.

They make every hot lookup (badge, ingest) a dict access instead of a scan.
"""

from __future__ import annotations

import re
from collections import defaultdict

from companion.schema import kind_stages

from .storage import Doc

PEOPLE, INTERACTIONS, SNAPSHOTS = "people", "interactions", "snapshots"
IMPORTS = "imports"  # archive imports (not indexed: a handful of documents)
SETTINGS = "settings"  # one document: the user's settings (keep-in-touch defaults)
POSTS = "posts"  # the recent posts of people you know (by person, by status id)
TRIPS, CONFERENCES = "trips", "conferences"  # meet-ups the user plans (not indexed: a few documents)
LABELS = "labels"  # the user's own labels: name and colour (people hold their ids; a few hundred at most)
MERGES = "merges"  # people merged by hand, with what undoing each needs (not indexed)
# The tables that grow with every page seen: their documents stay in the snapshot file (see packed.py). Posts
# are not: there are fewer of them, and Meet-ups reads all of them.
PACKED = frozenset({INTERACTIONS, SNAPSHOTS})


# Interaction keys are mostly "tweet:<status id>:<kind>": held as one int (the id, and a number for the rest) they
# take 36 bytes instead of 85, which for a heavy user's 400,000 interactions is some 20 MB.
_ID_KEY = re.compile(r"([a-z_]{1,32}):([1-9][0-9]{0,18}):([a-z_]{1,32})")
_SHAPES: dict[tuple[str, str], int] = {}  # (prefix, suffix) -> its number, as first seen (the index lives in memory)
_SHAPE_BITS = 10


def key_token(key: str) -> int | str:
    """What the index holds for an interaction key: the same for the same key, different for different ones."""
    parts = key.split(":")
    if len(parts) == 3:  # a shape seen before needs no pattern: its prefix and suffix matched it then
        shape = _SHAPES.get((parts[0], parts[2]))
        digits = parts[1]
        if shape is not None and digits.isascii() and digits.isdigit() and digits[0] != "0" and len(digits) <= 19:
            return int(digits) << _SHAPE_BITS | shape
    found = _ID_KEY.fullmatch(key)
    if found is None:
        return key
    shape = _SHAPES.setdefault((found[1], found[3]), len(_SHAPES))
    if shape >= 1 << _SHAPE_BITS:
        _SHAPES.pop((found[1], found[3]), None)
        return key
    return int(found[2]) << _SHAPE_BITS | shape


# Per person and stage, the newest interactions that are evidence of it: the card shows these few, and finding
# them by reading back through thousands of replies for the one call logged last year would cost milliseconds.
EVIDENCE_KEPT = 5
_KIND_STAGE = kind_stages()


class Indexes:
    def __init__(self) -> None:
        self.by_handle: dict[str, int] = {}
        self.by_user_id: dict[str, int] = {}
        self.aliases: dict[str, int] = {}  # another account's user id -> the person it was merged into
        self.alias_handles: dict[str, int] = {}  # that account's handle (lower case) -> the same person
        # person id -> {interaction key's token (see key_token) -> interaction id}, oldest first (by when, then
        # key) unless the person is in `unsorted`: most interactions arrive newest last, and the others are put
        # in order when the person is next read (Store.interaction_ids_in_order), so a page of the newest few
        # reads those few, not the whole history.
        self.interactions: defaultdict[int, dict[int | str, int]] = defaultdict(dict)
        self.newest: dict[int, tuple[str, str]] = {}  # person id -> (at, key) of the newest interaction added
        self.unsorted: set[int] = set()
        # person id -> {stage 1-4 -> [(at, interaction id)], newest first, at most EVIDENCE_KEPT}; a person in
        # `evidence_stale` lost one of theirs, and older ones may belong in it (Store.evidence_ids finds them).
        self.evidence: dict[int, dict[int, list[tuple[str, int]]]] = {}
        self.evidence_stale: set[int] = set()
        # person id -> snapshot ids, in insertion order
        self.snapshots: defaultdict[int, dict[int, None]] = defaultdict(dict)
        # person id -> {status id -> post id}
        self.posts: defaultdict[int, dict[str, int]] = defaultdict(dict)

    def on_change(self, table: str, doc_id: int, old: Doc | None, new: Doc | None) -> None:
        if table == PEOPLE:
            self._person(doc_id, old, new)
        elif table == INTERACTIONS:
            if old is not None:
                self.interactions[old["person"]].pop(key_token(old["key"]), None)
                self._drop_evidence(old, doc_id)
            if new is not None:
                person, when = new["person"], (new["at"], new["key"])
                self.interactions[person][key_token(new["key"])] = doc_id
                if when >= self.newest.get(person, when):
                    self.newest[person] = when
                else:
                    self.unsorted.add(person)
                self.add_evidence(person, new, doc_id)
        elif table == SNAPSHOTS:
            if old is not None:
                self.snapshots[old["person"]].pop(doc_id, None)
            if new is not None:
                self.snapshots[new["person"]][doc_id] = None
        elif table == POSTS:
            if old is not None:
                self.posts[old["person"]].pop(old["status_id"], None)
            if new is not None:
                self.posts[new["person"]][new["status_id"]] = doc_id

    def add_evidence(self, person: int, doc: Doc, doc_id: int) -> None:
        stage = _KIND_STAGE.get(doc["kind"], 0)
        if not stage:
            return
        newest = self.evidence.setdefault(person, {}).setdefault(stage, [])
        entry = (doc["at"], doc_id)
        if not newest or entry > newest[0]:  # most arrive newest
            newest.insert(0, entry)
        elif len(newest) < EVIDENCE_KEPT or entry > newest[-1]:
            newest.insert(next((n for n, kept in enumerate(newest) if entry > kept), len(newest)), entry)
        else:
            return
        del newest[EVIDENCE_KEPT:]

    def _drop_evidence(self, doc: Doc, doc_id: int) -> None:
        newest = self.evidence.get(doc["person"], {}).get(_KIND_STAGE.get(doc["kind"], 0))
        if newest and any(i == doc_id for _at, i in newest):
            if len(newest) == EVIDENCE_KEPT:
                self.evidence_stale.add(doc["person"])  # an older one may take its place
            newest[:] = [kept for kept in newest if kept[1] != doc_id]

    def _person(self, doc_id: int, old: Doc | None, new: Doc | None) -> None:
        for field, index in (("handle_lc", self.by_handle), ("user_id", self.by_user_id)):
            before = old.get(field) if old else None
            after = new.get(field) if new else None
            if before == after:
                continue
            if before is not None and index.get(before) == doc_id:
                del index[before]
            if after is not None:
                index[after] = doc_id
        if old is not None and new is not None and old.get("other_user_ids") is new.get("other_user_ids") and (
                old.get("other_handles") is new.get("other_handles")):
            return  # most changes leave these as they were (a changed document shares what it did not change)
        # Other accounts of one person (merged by hand): their user ids find this record too, after the
        # records whose own id it is (in their own index, so the order of changes never matters).
        before_ids = set(old.get("other_user_ids") or ()) if old else set()
        after_ids = set(new.get("other_user_ids") or ()) if new else set()
        for user_id in before_ids - after_ids:
            if self.aliases.get(user_id) == doc_id:
                del self.aliases[user_id]
        for user_id in after_ids - before_ids:
            self.aliases[user_id] = doc_id
        before_handles = {h.lower() for h in (old.get("other_handles") or {}).values()} if old else set()
        after_handles = {h.lower() for h in (new.get("other_handles") or {}).values()} if new else set()
        for handle in before_handles - after_handles:
            if self.alias_handles.get(handle) == doc_id:
                del self.alias_handles[handle]
        for handle in after_handles - before_handles:
            self.alias_handles[handle] = doc_id
        if new is None:
            self.interactions.pop(doc_id, None)
            self.evidence.pop(doc_id, None)
            self.evidence_stale.discard(doc_id)
            self.newest.pop(doc_id, None)
            self.unsorted.discard(doc_id)
            self.snapshots.pop(doc_id, None)
            self.posts.pop(doc_id, None)
