"""Applying an X archive to the store: everyone I replied to, mentioned, reposted, quoted or wrote to,
and who follows whom, merged by numeric user id with what the extension has already seen.

The archive is first read to its end (companion/archive/reader.py), so a damaged one writes nothing.
It is then applied in small transactions, so badges keep answering during a long import; each one
also moves the import's checkpoint. Every interaction has a key that is the same at each import, so an
import that was cut short (the machine went down) is finished by importing the same archive again, and
re-importing it, or a newer one, never duplicates anything.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from companion.archive.container import Archive, ArchiveError
from companion.archive.reader import Reading, read
from companion.archive.rules import DM_KEY, Touch
from companion.store.database import Store

from . import clock, people, views
from .derive import Observation, PersonRef

# Touches per transaction: small enough that a badge lookup never waits long for the store lock.
CHUNK = 400
# The summary lists this many of the people whose stage rose (the count is complete).
LISTED_RAISES = 200
SOURCE = "archive"
# The kinds of a one-to-one conversation's day.
ONE_TO_ONE_KINDS = frozenset({"dm", "i_messaged", "they_messaged"})

# progress(what, data file, bytes of it read, items of it read): as each post file is streamed.
Progress = Callable[[str, Any, int, int], None]


class _DryRun(Exception):
    """Rolls a chunk back: a dry run goes through every write and keeps none."""


@dataclass
class _Tally:
    created: set[str] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)
    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # identity -> (stage, person id)
    interactions: int = 0
    follows_me: int = 0
    i_follow: int = 0
    ids_of_handles: dict[str, str] = field(default_factory=dict)
    looked_up: set[str] = field(default_factory=set)  # identities whose record before the import was looked for

    def identity(self, ref: PersonRef) -> str:
        """One name per person across the import (a dry run keeps no records to tell them by): the user
        id, also for a handle-only reference to a handle this import has seen with an id."""
        handle = (ref.handle or "").lower()
        if ref.user_id:
            if handle and handle not in self.ids_of_handles:
                self.ids_of_handles[handle] = ref.user_id
                self._fold(f"@{handle}", ref.user_id)
            return ref.user_id
        return self.ids_of_handles.get(handle) or f"@{handle}"

    def _fold(self, by_handle: str, user_id: str) -> None:
        """Someone counted by handle alone (from a quote) turns out to be this id, as the store merges them:
        counted once, in whichever order the files name them."""
        for names in (self.created, self.touched):
            if by_handle in names:
                names.discard(by_handle)
                names.add(user_id)
        if by_handle in self.before:  # a record this import made had stage 0 before it: the other one's counts
            was = self.before.pop(by_handle)
            self.before[user_id] = max(was, self.before.get(user_id, was))
        if by_handle in self.after:
            stage, person_id = self.after.pop(by_handle)
            kept_stage, kept_id = self.after.get(user_id, (stage, person_id))
            self.after[user_id] = (max(stage, kept_stage), kept_id if kept_id is not None else person_id)


def archived_day(store: Store, person_id: int, item: dict[str, Any]) -> bool:
    """Whether an archive already recorded the day of this one-to-one DM interaction the extension saw (as a
    conversation, or as one side's messages when this is one side's too): the day counts once."""
    if item["kind"] not in ONE_TO_ONE_KINDS:
        return False
    day = f"{DM_KEY}{item['at'][:10]}:"
    kinds = ("dm",) if item["kind"] == "dm" else ("dm", item["kind"])
    return any(store.interaction_id(person_id, day + kind) is not None for kind in kinds)


def _doc(touch: Touch) -> dict[str, Any]:
    # No observed_at: the evidence dates from when it happened, so an old archive never outranks a
    # stage the user set by hand since.
    return {"key": touch.key, "kind": touch.kind, "at": touch.at, "source": SOURCE, "status_id": touch.status_id,
            "url": touch.url, "text": touch.text}


def _chunks(touches: Iterable[list[Touch]], size: int = CHUNK) -> Iterator[list[Touch]]:
    chunk: list[Touch] = []
    for group in touches:
        chunk.extend(group)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class ArchiveImport:
    """One import of one archive reading; run() applies it (or, dry, only counts what it would change)."""

    def __init__(self, store: Store, reading: Reading, dry_run: bool = False,
                 progress: Progress | None = None, label: str | None = None) -> None:
        self.store = store
        self.reading = reading
        self.dry_run = dry_run
        self.progress = progress
        self.label = label or reading.archive.path.name
        self.tally = _Tally()
        self.import_id: int | None = None
        self.done = 0

    def run(self) -> dict[str, Any]:
        started = clock.now()
        reading = self.reading
        if not self.dry_run:
            with self.store.transaction():
                self.import_id = self.store.record_import({
                    "id": uuid.uuid4().hex, "archive": self.label, "owner": self._owner(),
                    "generated_at": reading.generated_at, "started_at": started, "finished_at": None,
                    "state": "applying", "touches_done": 0, "summary": None})
        for chunk in _chunks(reading.post_touches(self.progress)):
            self._apply(chunk, {})
        for chunk in _chunks([list(group) for _who, group in groupby(reading.dm_touches, key=lambda t: t.who)]):
            self._apply(chunk, {})
        flags = self._follow_flags()
        ids = list(flags)
        for start in range(0, len(ids), CHUNK):
            self._apply([], {i: flags[i] for i in ids[start:start + CHUNK]})
        summary = self._summary(started)
        if not self.dry_run:
            with self.store.transaction():
                self.store.update_import(self.import_id, {  # type: ignore[arg-type]
                    "state": "done", "finished_at": summary["finished_at"], "touches_done": self.done,
                    "summary": {k: v for k, v in summary.items() if k != "raised"}})  # the counts, not the list
                self._close_cut_short(summary["finished_at"])
        return summary

    def _close_cut_short(self, at: str) -> None:
        """Imports of this account cut short before, that this one finished: the same archive, or a newer one
        (it holds all they held). They are no longer to be imported again."""
        imports = self.store.archive_imports_by_id()
        mine = imports[self.import_id]  # type: ignore[index]
        for import_id, earlier in imports.items():
            if (import_id == self.import_id or earlier["state"] != "applying"
                    or earlier["owner"]["user_id"] != mine["owner"]["user_id"]):
                continue
            newer = bool(earlier.get("generated_at") and mine.get("generated_at")
                         and mine["generated_at"] >= earlier["generated_at"])
            if earlier["archive"] == mine["archive"] or newer:
                self.store.update_import(import_id, {"state": "finished_later", "finished_at": at,
                                                     "finished_by": mine["id"]})

    def _dm_days(self, person_id: int, items: list[Touch], at: str) -> tuple[list[Touch], int]:
        """A day of one-to-one messages counts once, whoever recorded it. A day already recorded as a conversation
        (live or from an archive) is not added again; a one-sided day is not added next to any record of that
        day; and a conversation replaces the one-sided days an older archive recorded (one side had not answered
        yet). Returns the touches to add, and how many records they replace."""
        if not any(t.kind in ONE_TO_ONE_KINDS for t in items):
            return items, 0
        recorded: dict[str, list[tuple[str, str, int]]] = {}  # day -> (kind, key, id) of what is stored
        for interaction_id in self.store.interaction_ids(person_id):
            doc = self.store.interaction(interaction_id)
            if doc["kind"] in ONE_TO_ONE_KINDS:
                recorded.setdefault(doc["at"][:10], []).append((doc["kind"], doc["key"], interaction_id))
        kept: list[Touch] = []
        stale: list[int] = []
        for touch in items:
            there = recorded.get(touch.at[:10], []) if touch.kind in ONE_TO_ONE_KINDS else []
            if any(kind == "dm" for kind, _key, _id in there) or (touch.kind != "dm" and there):
                continue
            if touch.kind == "dm":
                stale += [i for kind, key, i in there if key.startswith(DM_KEY) and key != touch.key]
            kept.append(touch)
        if stale:
            self.store.remove_interactions(stale)
            people.refresh_stage(self.store, person_id, at)  # the totals, from what is left
        return kept, len(stale)

    def _owner(self) -> dict[str, Any]:
        owner = self.reading.owner
        return {"user_id": owner.user_id, "handle": owner.handle, "display_name": owner.display_name}

    def _follow_flags(self) -> dict[str, dict[str, bool]]:
        """True for everyone the files name; a missing file writes nothing (it means unknown, not false)."""
        flags: dict[str, dict[str, bool]] = {}
        me = self.reading.owner.user_id
        for name, found in (("follows_me", self.reading.follows_me), ("i_follow", self.reading.i_follow)):
            for user_id in sorted(found or ()):
                if user_id.isdigit() and user_id != me:
                    flags.setdefault(user_id, {})[name] = True
        return flags

    def _apply(self, touches: list[Touch], flags: dict[str, dict[str, bool]]) -> None:
        at = clock.now()
        try:
            with self.store.transaction():
                by_ref: dict[PersonRef, list[Touch]] = {}
                for touch in touches:
                    by_ref.setdefault(touch.who, []).append(touch)
                for ref, items in by_ref.items():
                    person_id = self._person(ref, at)
                    items, replaced = self._dm_days(person_id, items, at)
                    added = people.add_interactions(self.store, {person_id: [_doc(t) for t in items]}, at)[person_id]
                    self.tally.interactions += added - replaced
                    if added:
                        self.tally.touched.add(self.tally.identity(ref))
                    self._after(ref, person_id)
                for user_id, profile in flags.items():
                    ref = PersonRef(None, user_id)
                    person_id = self._person(ref, at)
                    doc = self.store.person(person_id)
                    assert doc is not None
                    changed = {k: v for k, v in profile.items() if doc["profile"].get(k) != v}
                    if changed and self.tally.identity(ref) in self.tally.created:
                        # Someone new from a follow list: no profile snapshot, there was no profile before.
                        self.store.update_person(person_id, {"profile": {**doc["profile"], **changed}})
                    elif changed:
                        people.observe(self.store, person_id, Observation("", profile=changed), at)
                        self.tally.touched.add(self.tally.identity(ref))
                    self.tally.follows_me += int(changed.get("follows_me", False))
                    self.tally.i_follow += int(changed.get("i_follow", False))
                    self._after(ref, person_id)
                self.done += len(touches) + len(flags)
                if self.import_id is not None:
                    self.store.update_import(self.import_id, {"touches_done": self.done})
                if self.dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        time.sleep(0)  # between transactions, a request waiting for the lock or the interpreter goes first

    def _person(self, ref: PersonRef, at: str) -> int:
        tally = self.tally
        identity = tally.identity(ref)
        if identity not in tally.looked_up:  # the stage before this import first touched them
            tally.looked_up.add(identity)
            found = people.find(self.store, ref.user_id or ref.handle or "")
            doc = self.store.person(found) if found is not None else None
            stage = doc["stage"] if doc else 0
            tally.before[identity] = max(stage, tally.before.get(identity, stage))
            if doc is not None:
                # Stored before: not added, even when a record this import made by handle is folded into it.
                tally.created.discard(identity)
        person_id, created = people.resolve_archived(self.store, ref, at)
        if created:
            self.tally.created.add(identity)
        return person_id

    def _after(self, ref: PersonRef, person_id: int) -> None:
        doc = self.store.person(person_id)
        if doc is not None:
            identity = self.tally.identity(ref)
            old = self.tally.after.get(identity, (0, None))[0]
            self.tally.after[identity] = (max(old, doc["stage"]), person_id)

    def _summary(self, started: str) -> dict[str, Any]:
        tally, reading = self.tally, self.reading
        raised = []
        for identity, (stage, person_id) in tally.after.items():
            before = tally.before.get(identity, 0)
            if stage > before:
                doc = self.store.person(person_id) if person_id is not None and not self.dry_run else None
                raised.append({"key": views.person_key(doc) if doc else identity.lstrip("@"),
                               "handle": doc["handle"] if doc else (identity[1:] if identity[0] == "@" else None),
                               "display_name": doc["profile"].get("display_name") if doc else None,
                               "from": before, "to": stage})
        raised.sort(key=lambda r: (-r["to"], r["handle"] or "", r["key"]))
        skipped = reading.skipped
        return {
            "ok": True, "dry_run": self.dry_run, "archive": self.label, "owner": self._owner(),
            "generated_at": reading.generated_at, "started_at": started, "finished_at": clock.now(),
            "people_added": len(tally.created), "people_updated": len(tally.touched - tally.created),
            "stages_raised": len(raised), "raised": raised[:LISTED_RAISES],
            "raised_to": {str(s): sum(1 for r in raised if r["to"] == s) for s in sorted({r["to"] for r in raised})},
            "interactions_added": tally.interactions,
            "follows_me_set": tally.follows_me, "i_follow_set": tally.i_follow,
            "follows_known": {"follows_me": reading.follows_me is not None, "i_follow": reading.i_follow is not None},
            "files": [{"path": path, "items": n} for path, n in sorted(reading.items_by_file.items())],
            "missing_files": reading.missing,
            "groups_counted": reading.groups_counted,
            "skipped": {"handle_changed_hands": skipped.handle_changed_hands, "no_account": skipped.no_account,
                        "self_conversations": skipped.self_conversations,
                        "silent_groups": skipped.silent_groups, "silent_group_members": skipped.silent_group_members,
                        "empty_conversations": skipped.empty_conversations,
                        "deleted_posts": skipped.deleted_posts, "likes": skipped.likes},
        }


@dataclass
class ImportProgress:
    """How far an import is: the phase ("checking" reads every file once, "importing" streams the posts
    again and applies everything), the file being read, and the fraction of all the work done."""

    phase: str = "opening"
    file: str | None = None
    file_done: int = 0
    file_size: int = 0
    file_items: int = 0
    checked: int = 0
    check_total: int = 0
    imported: int = 0
    import_total: int = 0
    listener: Callable[[ImportProgress], None] | None = None
    _finished_bytes: int = 0

    def begin(self, phase: str, total: int) -> None:
        self.phase, self.file, self.file_done, self.file_size, self.file_items = phase, None, 0, 0, 0
        self._finished_bytes = 0
        if phase == "checking":
            self.check_total = total
        else:
            self.import_total = total
        self._tell()

    def on_file(self, what: str, file: Any, done: int, items: int) -> None:
        if file.path != self.file:
            self._finished_bytes += self.file_size
            self.file, self.file_size = file.path, file.size
        self.file_done, self.file_items = done, items
        total = self._finished_bytes + done
        if self.phase == "checking":
            self.checked = total
        else:
            self.imported = total
        self._tell()

    @property
    def fraction(self) -> float:
        # Checking reads a little more than importing (every file, not just the posts) at about the same speed.
        work = self.check_total + self.import_total
        return 1.0 if self.phase == "done" else min(1.0, (self.checked + self.imported) / work) if work else 0.0

    def finish(self) -> None:
        self.phase = "done"
        self._tell()

    def _tell(self) -> None:
        if self.listener is not None:
            self.listener(self)

    def as_dict(self) -> dict[str, Any]:
        """Bytes: of the file being read, and of all the work (every file once, then the posts again)."""
        return {"phase": self.phase, "file": self.file, "file_done": self.file_done, "file_size": self.file_size,
                "file_items": self.file_items, "done": self.checked + self.imported,
                "total": self.check_total + self.import_total, "fraction": round(self.fraction, 4)}


def _same_owner(store: Store, reading: Reading) -> None:
    """One Rapport keeps one account's relationships: "me" in an archive of another account is someone else."""
    for earlier in store.archive_imports():
        owner = earlier["owner"]
        if owner["user_id"] != reading.owner.user_id:
            theirs = f"@{owner['handle']} ({owner['user_id']})" if owner.get("handle") else owner["user_id"]
            ours = reading.owner
            this = f"@{ours.handle} ({ours.user_id})" if ours.handle else ours.user_id
            raise ArchiveError(f"{reading.archive.shown} is the archive of {this}, but this Rapport keeps the "
                               f"relationships of {theirs} (imported {earlier['started_at'][:10]}): keep another "
                               f"account's in its own data folder (--data-dir)")


def import_archive(store: Store, path: Any, me: str | None = None, dry_run: bool = False,
                   include_deleted: bool = False, progress: ImportProgress | None = None,
                   label: str | None = None) -> dict[str, Any]:
    """Read the archive at `path` (a zip or a folder) to its end, then apply it (see the module's doc)."""
    progress = progress or ImportProgress()
    with Archive(path, label) as archive, store.bulk():
        progress.begin("checking", sum(f.size for f in archive.files))
        reading = read(archive, me=me, include_deleted=include_deleted, progress=progress.on_file)
        _same_owner(store, reading)
        progress.begin("importing", reading.post_bytes)
        summary = ArchiveImport(store, reading, dry_run=dry_run, progress=progress.on_file, label=label).run()
    progress.finish()
    return summary
