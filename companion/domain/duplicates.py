"""Two records of one person: likely duplicates to review, a merge by hand, and its undo.

Rapport merges records by itself when X shows they are one account (people.resolve). What it cannot know is
left to you: a handle-only record (from a quote, a CSV) beside an id record under a new handle, or two accounts
of one person. Suggestions: the same display name, or a handle one record had that another holds now.

A merge keeps everything (people.merge) and records what undoing it needs: both records as they were and the
history of the one merged away. Undo puts back what the merge changed and keeps what you changed since.
Every function here runs inside a store transaction opened by the service, except the read-only ones.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from typing import Any

from companion.store.database import Store

from . import labels, people
from .errors import Conflict, Invalid, NotFound
from .vocabulary import NOTE_FIELDS, NOTE_LABEL

KEEP_MERGES = 50  # the newest merges can be undone; older records go
MIN_NAME = 3  # shorter display names ("Al", "JD") say too little to suggest a merge
# What a merge joins must still fit where the API lets you write it (notes.schema.json, person-patch next_step).
MAX_NOTE, MAX_NEXT_STEP = 5000, 1000


def _name_key(name: str | None) -> str | None:
    if not name:
        return None
    folded = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    return folded if len(folded) >= MIN_NAME else None


def _pair(a: int, b: int) -> list[int]:
    return sorted((a, b))


def not_duplicates(store: Store) -> list[list[int]]:
    return store.settings().get(people.NOT_DUPLICATES) or []


def candidates(store: Store) -> list[tuple[int, int, str]]:
    """(person id, person id, why) for records that look like one person, most telling first."""
    found: dict[tuple[int, int], str] = {}
    by_name: defaultdict[str, list[int]] = defaultdict(list)
    for person_id in store.person_ids():
        doc = store.person(person_id)
        assert doc is not None
        # A handle they had before, now someone else's record: the same person under a new handle.
        for entry in doc["handle_history"]:
            holder = store.find_handle(entry["handle"])
            if holder is None or holder == person_id or entry["handle"].lower() == (doc["handle_lc"] or ""):
                continue
            if doc["user_id"] and (store.person(holder) or {}).get("user_id"):
                continue  # another account took the handle they left: X gives freed handles to others
            found.setdefault(tuple(_pair(person_id, holder)), f"@{entry['handle']} was a handle of one of them")
        key = _name_key(doc["profile"].get("display_name"))
        if key:
            by_name[key].append(person_id)
    for ids in by_name.values():
        if 1 < len(ids) <= 5:  # a name a dozen people share is a common name, not a duplicate
            for n, a in enumerate(ids):
                for b in ids[n + 1:]:
                    found.setdefault(tuple(_pair(a, b)), "the same display name")  # type: ignore[arg-type]
    dismissed = {tuple(p) for p in not_duplicates(store)}
    return [(a, b, why) for (a, b), why in found.items() if (a, b) not in dismissed]


def dismiss(store: Store, a: int, b: int) -> None:
    """You said these two are different people: they are not suggested again."""
    if a == b:
        raise Invalid("these are one person: name two different people", "/people/1")
    pairs = not_duplicates(store)
    if _pair(a, b) not in pairs:
        store.update_settings({people.NOT_DUPLICATES: [*pairs, _pair(a, b)]})


def merge(store: Store, keep: int, gone: int, at: str) -> int:
    """Fold `gone` into `keep` by hand; returns the id of the record that undoes it."""
    if keep == gone:
        raise Invalid("choose two different people to merge", "/gone")
    a, b = store.person(keep), store.person(gone)
    assert a is not None and b is not None
    _fits(a, b)
    history = {
        "interactions": _docs(store, store.interaction_ids(gone), "interactions"),
        "snapshots": _docs(store, store.index.snapshots.get(gone, {}), "snapshots"),
        "posts": _docs(store, store.post_ids(gone).values(), "posts"),
    }
    people.merge(store, keep=keep, gone=gone, at=at)
    for table, rows in history.items():
        # The rows the merge dropped as already known to the kept one come back on undo; the others are only
        # handed back, and only while they are still the rows they were (an id may be reused after a restart).
        live = store.history_docs(table, (r["id"] for r in rows))
        for r in rows:
            r["dropped"] = r["id"] not in live
    merged = store.person(keep)
    merge_id = store.record_merge({"at": at, "keep": keep, "gone": gone, "keep_before": a, "gone_before": b,
                                   "merged": merged, "history": history, "undone_at": None})
    done = store.merges_done()
    store.remove_merges(sorted(done)[:-KEEP_MERGES])
    return merge_id


def _fits(a: dict[str, Any], b: dict[str, Any]) -> None:
    """A merge by hand never shortens what it joins: refuse it while the joined text or labels would not fit."""
    for field in NOTE_FIELDS:
        joined = people.join_text(a["notes"].get(field), b["notes"].get(field))
        if joined and len(joined) > MAX_NOTE:
            raise Conflict(f"their {NOTE_LABEL[field]} notes joined would be {len(joined):,} characters, over "
                           f"{MAX_NOTE:,}: shorten one of them first", f"/notes/{field}")
    step = people.join_text(a["next_step"], b["next_step"])
    if step and len(step) > MAX_NEXT_STEP:
        raise Conflict(f"their next steps joined would be {len(step):,} characters, over {MAX_NEXT_STEP:,}: "
                       "shorten one of them first", "/next_step")
    both = {*(a.get("labels") or ()), *(b.get("labels") or ())}
    if len(both) > labels.MAX_PER_PERSON:
        raise Conflict(f"together they have {len(both)} labels, over {labels.MAX_PER_PERSON}: take some off one "
                       "of them first", "/labels")


def _docs(store: Store, ids: Any, table: str) -> list[dict[str, Any]]:
    found = store.history_docs(table, ids)
    return [{"id": i, "doc": doc} for i, doc in found.items()]


def undo(store: Store, merge_id: int, at: str) -> int:
    """Put both records back as they were before merge `merge_id`, keeping what changed since on the kept
    one (a note you edited stays), and its new history. Returns the id of the record brought back."""
    record = store.merges_done().get(merge_id)
    if record is None:
        raise NotFound(f"no merge {merge_id} to undo (only the newest {KEEP_MERGES} are kept)")
    if record["undone_at"]:
        raise Conflict("this merge was undone already")
    keep, before, merged = record["keep"], record["gone_before"], record["merged"]
    now = store.person(keep)
    if now is None:
        raise Conflict("the person they were merged into was deleted since: there is nothing to undo")
    for field, taken in (("user_id", before["user_id"]), ("handle", before["handle"])):
        holder = (store.find_user_id(taken) if field == "user_id" else store.find_handle(taken)) if taken else None
        if holder is not None and holder != keep:
            raise Conflict(f"{'user id ' if field == 'user_id' else '@'}{taken} belongs to another record now: "
                           "merge that one first, or leave this merge as it is")
    restored = dict(before)
    if before["handle"] and store.find_handle(before["handle"]) == keep and now["handle_lc"] == before["handle_lc"]:
        # The kept one goes by that handle now: it stays theirs, and the record brought back keeps it in its history.
        restored.update(handle=None, handle_lc=None)
    fields = _unmerged(record["keep_before"], merged, now)
    # The accounts of the record brought back are its own again, whatever happened to the kept one since.
    theirs = {before["user_id"], *(before.get("other_user_ids") or ())}
    aliases = [u for u in fields.get("other_user_ids", now.get("other_user_ids")) or () if u not in theirs]
    handles = {u: h for u, h in (fields.get("other_handles", now.get("other_handles")) or {}).items()
               if u not in theirs}
    store.update_person(keep, {**fields, "other_user_ids": aliases, "other_handles": handles, "updated_at": at})
    gone = store.restore_person(record["gone"], restored)
    for table, rows in record["history"].items():
        store.hand_back(table, rows, keep, gone)
    people.refresh_stage(store, keep, at)
    people.refresh_stage(store, gone, at)
    store.update_merge(merge_id, {"undone_at": at, "restored": gone})
    return gone


def _unmerged(before: dict[str, Any], merged: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    """The kept record's fields as they were before the merge, where nothing changed them since (field by
    field, and note by note): a note you wrote after the merge stays."""
    restore: dict[str, Any] = {}
    for field in {*before, *merged} - {"updated_at"}:
        was, then, current = before.get(field), merged.get(field), now.get(field)
        if isinstance(was, dict) and isinstance(then, dict) and isinstance(current, dict):
            back = {k: was.get(k) for k in {*was, *then} if current.get(k) == then.get(k)}
            if {**current, **back} != current:
                restore[field] = {**current, **back}
        elif current == then and current != was:
            restore[field] = was
    return restore


def recent(store: Store) -> list[tuple[int, dict[str, Any]]]:
    """The merges that can still be undone, newest first."""
    return sorted(((i, r) for i, r in store.merges_done().items() if not r["undone_at"]),
                  key=lambda item: (item[1]["at"], item[0]), reverse=True)
