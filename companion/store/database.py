"""The store: TinyDB tables on a DurableStorage, with indexes, a data-folder lock and rotating backups.

The domain talks to this class only. Every write happens inside `transaction()`, which holds the
store lock (Flask is threaded) and commits to the journal once, or not at all.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from tinydb.table import Document

from . import snapshot
from .errors import CorruptDatabase, DataDirInUse, StoreError, WriteFailed
from .files import backups_in, copy_atomically, open_private, private_dir, secure_own_files, sync_dir, write_private
from .indexes import (
    CONFERENCES,
    IMPORTS,
    INTERACTIONS,
    LABELS,
    MERGES,
    PACKED,
    PEOPLE,
    POSTS,
    SETTINGS,
    SNAPSHOTS,
    TRIPS,
    Indexes,
    key_token,
)
from .storage import LAYOUT_VERSION, Doc, DurableStorage
from .table import JournaledTinyDB

log = logging.getLogger("rapport")

DB_FILE = "rapport.json"
LOCK_FILE = "rapport.lock"
BACKUP_DIR = "backups"
KEEP_BACKUPS = 7
# The names of the files Rapport keeps in the data folder start so (the database and its journal,
# the token, pairing and dashboard login lists, their locks, a server log).
OWN_FILES = ("rapport", "tokens", "pairing", "dashboard-", "serve-")
BACKUP_EVERY_S = 3600
# How often threads take turns during a bulk load (Python's default is 5 ms).
BULK_SWITCH_INTERVAL_S = 0.0005
# Fold the journal into a fresh snapshot once it passes this size.
COMPACT_AT_BYTES = 32 * 1024 * 1024


class Store:
    def __init__(self, data_dir: Path, compact_at_bytes: int = COMPACT_AT_BYTES) -> None:
        self.data_dir = Path(data_dir)
        try:
            private_dir(self.data_dir)
            secure_own_files(self.data_dir, OWN_FILES, (BACKUP_DIR,))
        except OSError as exc:
            if exc.errno not in NOT_WRITABLE:
                raise
            raise DataDirNotWritable(self.data_dir, exc) from None
        self.path = self.data_dir / DB_FILE
        self.backup_dir = self.data_dir / BACKUP_DIR
        self.compact_at_bytes = compact_at_bytes
        self._bulk = False  # during a bulk load the journal is folded once, at its end
        # How many people have been deleted or merged away: a caller that remembers person ids (an ingest resolves
        # each person once) checks them again only when this moved.
        self.people_removed = 0
        try:
            self._lock_fd = _lock_data_dir(self.data_dir)
        except OSError as exc:
            if exc.errno not in NOT_WRITABLE:
                raise
            raise DataDirNotWritable(self.data_dir, exc) from None
        # Built as the file is read (and kept current by every change after).
        self.index = Indexes()
        try:
            self.db = JournaledTinyDB(self.path, storage=DurableStorage, backups=self.backup_dir, packed=PACKED,
                                      listener=self.index.on_change)
        except OSError as exc:
            os.close(self._lock_fd)
            if exc.errno not in NOT_WRITABLE:
                raise
            raise DataDirNotWritable(self.data_dir, exc) from None
        except BaseException:
            os.close(self._lock_fd)
            raise
        self.storage: DurableStorage = self.db.storage  # type: ignore[assignment]
        self.lock = self.storage.lock
        self.people = self.db.table(PEOPLE)
        self.interactions = self.db.table(INTERACTIONS)
        self.snapshots = self.db.table(SNAPSHOTS)
        self.imports = self.db.table(IMPORTS)
        self.settings_table = self.db.table(SETTINGS)
        self.posts = self.db.table(POSTS)
        self.plans = {TRIPS: self.db.table(TRIPS), CONFERENCES: self.db.table(CONFERENCES)}
        self.labels_table = self.db.table(LABELS)
        self.merges = self.db.table(MERGES)
        if not self.storage.in_line_layout and any(self.storage.read().values()):
            self._to_line_layout()
        elif self.storage.journal.size() > compact_at_bytes:
            self.compact()

    def _to_line_layout(self) -> None:
        """A snapshot an older version wrote (on one line) is written again one document per line, once, after a
        copy of it goes to backups/. Until that succeeds (a full disk) it is simply read whole at each start."""
        try:
            with self.lock:
                kept = self._copy_to_backups()
                self.storage.snapshot()
                write_private(self.storage.marker, LAYOUT_VERSION, sync=True)
        except OSError as exc:
            log.warning("could not rewrite %s one document per line (%s); will try again", self.path, exc.strerror)
            return
        log.info("rewrote %s one document per line, so it is read and written a line at a time; the file as it "
                 "was is kept as %s", self.path, kept)

    # -- lifecycle ---------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.storage.transaction():
            yield
        # Only after the outermost commit: a snapshot taken inside a transaction would write
        # changes that may still be rolled back. The change is durable in the journal already: a
        # snapshot that cannot be written (a full disk) is tried again later, it never fails the write.
        if not self.storage.in_transaction and not self._bulk and self.storage.journal.size() > self.compact_at_bytes:
            self._compact_quietly()

    def _compact_quietly(self) -> None:
        try:
            self.compact()
        except OSError as exc:
            log.warning("could not fold the journal into %s (%s); will try again", self.path, exc.strerror)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A long bulk load (an archive import) while the companion keeps answering.

        Python's cyclic collector would rescan every live document again and again as the load adds
        hundreds of thousands (pauses of a few hundred ms, which stall every request): it waits until
        the end, and what the load made is then frozen out of its view, as at start-up. Threads also
        take turns more often, so a badge request is not kept waiting behind the load's own work. The journal
        is folded into the snapshot once, at the end, not each time it passes its size on the way (each
        fold writes everything under the lock)."""
        interval = sys.getswitchinterval()
        was_enabled = gc.isenabled()
        gc.disable()
        sys.setswitchinterval(BULK_SWITCH_INTERVAL_S)
        self._bulk = True
        try:
            yield
        finally:
            self._bulk = False
            sys.setswitchinterval(interval)
            gc.collect(0)
            gc.freeze()
            if was_enabled:
                gc.enable()
            if self.storage.journal.size() > self.compact_at_bytes:
                self._compact_quietly()

    def compact(self) -> None:
        """Fold the journal into the snapshot; keep a copy of it in backups/ now and then."""
        with self.lock:
            self.storage.snapshot()
            newest = max((p.stat().st_mtime for p in backups_in(self.backup_dir)), default=0)
            if time.time() - newest >= BACKUP_EVERY_S:
                self._copy_to_backups()

    def backup(self) -> Path:
        """A backup of everything as of now (before an import that replaces all, say)."""
        with self.lock:
            try:
                self.storage.snapshot()
                return self._copy_to_backups()
            except OSError as exc:
                raise WriteFailed(f"could not write a backup in {self.backup_dir}: {exc.strerror or exc}") from exc

    def list_backups(self) -> list[dict[str, Any]]:
        """The backup files, newest first: name, path, size and when it was made (UTC)."""
        out = []
        for path in reversed(backups_in(self.backup_dir)):
            stat = path.stat()
            at = datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
            out.append({"name": path.name, "path": str(path), "bytes": stat.st_size, "at": at})
        return out

    def _copy_to_backups(self) -> Path:
        private_dir(self.backup_dir)
        target = self.backup_dir / f"rapport-{_stamp()}.json"
        copy_atomically(self.path, target)
        for old in backups_in(self.backup_dir)[:-KEEP_BACKUPS]:
            old.unlink()
        return target

    def close(self, compact: bool = True) -> None:
        with self.lock:
            if compact and self.storage.journal.size() > 0:
                try:
                    self.compact()
                except OSError as exc:
                    # Nothing is lost: the journal holds every change and is replayed at the next start.
                    log.warning("could not fold the journal into %s (%s); it is replayed at the next start",
                                self.path, exc.strerror)
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

    def find_other_account(self, handle: str) -> int | None:
        """The person whose other account (merged by hand) goes by `handle`, for its badge; never for identity."""
        return self.index.alias_handles.get(handle.lower())

    def find_user_id(self, user_id: str) -> int | None:
        found = self.index.by_user_id.get(user_id)
        return found if found is not None else self.index.aliases.get(user_id)

    def insert_person(self, doc: Doc) -> int:
        return self.people.insert(doc)

    def update_person(self, person_id: int, fields: Doc) -> None:
        self.people.replace_fields({person_id: fields})

    def update_people(self, fields_of: dict[int, Doc], changed: bool = False) -> None:
        """Set fields of many people in one write. `changed`: the caller knows each one changes something, so
        nothing is compared (comparing a person's totals costs more than writing them)."""
        self.people.replace_fields(fields_of, changed)

    def delete_person(self, person_id: int) -> None:
        with self.transaction():
            self.interactions.remove(doc_ids=list(self.index.interactions.get(person_id, {}).values()))
            self.snapshots.remove(doc_ids=list(self.index.snapshots.get(person_id, {})))
            self.posts.remove(doc_ids=list(self.index.posts.get(person_id, {}).values()))
            self.people.remove(doc_ids=[person_id])
            self.people_removed += 1

    # -- interactions ------------------------------------------------------------------------------
    def interaction_id(self, person_id: int, key: str) -> int | None:
        """The id of this person's interaction of that key, if they have one."""
        return self.index.interactions.get(person_id, {}).get(key_token(key))

    def interaction_ids(self, person_id: int) -> list[int]:
        return list(self.index.interactions.get(person_id, {}).values())

    def interaction_count(self, person_id: int) -> int:
        return len(self.index.interactions.get(person_id, ()))

    def interaction_ids_in_order(self, person_id: int) -> list[int]:
        """This person's interaction ids, oldest first (by when, then by key): put in order here when something
        arrived out of it since the last read (read every one once, then only the ones wanted)."""
        mine = self.index.interactions.get(person_id)
        if not mine:
            return []
        if person_id in self.index.unsorted:
            table = self.storage.read()[INTERACTIONS]
            docs = sorted(((table[str(i)], token, i) for token, i in mine.items()),
                          key=lambda d: (d[0]["at"], d[0]["key"]))
            self.index.interactions[person_id] = mine = {token: i for _doc, token, i in docs}
            self.index.newest[person_id] = (docs[-1][0]["at"], docs[-1][0]["key"])
            self.index.unsorted.discard(person_id)
        return list(mine.values())

    def evidence_ids(self, person_id: int) -> dict[int, list[int]]:
        """Per stage 1-4 this person has evidence of: the ids of its newest few interactions (EVIDENCE_KEPT), newest
        first. After a removal took one of them, found again from this person's interactions (this once)."""
        index = self.index
        if person_id in index.evidence_stale:
            index.evidence.pop(person_id, None)
            for i in index.interactions.get(person_id, {}).values():
                index.add_evidence(person_id, self.interaction(i), i)
            index.evidence_stale.discard(person_id)
        return {stage: [i for _at, i in newest] for stage, newest in index.evidence.get(person_id, {}).items()
                if newest}

    def interaction(self, interaction_id: int) -> Doc:
        """One interaction: read it, never change it."""
        return self.storage.read()[INTERACTIONS][str(interaction_id)]

    def interactions_of(self, person_id: int) -> list[Doc]:
        """Every interaction of this person, in no particular order (interaction_ids_in_order gives one)."""
        return [self.interaction(i) for i in self.interaction_ids(person_id)]

    def insert_interactions(self, docs: Iterable[Doc]) -> list[int]:
        # Stored without null fields (readers use .get): with at most 10 keys each of the 100k
        # documents fits Python's smaller dict table, which saves about a fifth of the memory.
        return self.interactions.insert_multiple({k: v for k, v in doc.items() if v is not None} for doc in docs)

    def remove_interactions(self, ids: list[int]) -> None:
        self.interactions.remove(doc_ids=ids)

    def move_history(self, from_person: int, to_person: int) -> None:
        """Give `to_person` the interactions and snapshots of `from_person` (a merge)."""
        existing = set(self.index.interactions.get(to_person, {}))
        moving = dict(self.index.interactions.get(from_person, {}))
        duplicates = [i for key, i in moving.items() if key in existing]
        self.interactions.remove(doc_ids=duplicates)
        self.interactions.update({"person": to_person}, doc_ids=[i for k, i in moving.items() if k not in existing])
        have = {_snapshot_identity(s) for s in self.snapshots_of(to_person)}
        table = self.storage.read().get(SNAPSHOTS, {})
        moving_snapshots = list(self.index.snapshots.get(from_person, {}))
        same = [i for i in moving_snapshots if _snapshot_identity(table[str(i)]) in have]
        self.snapshots.remove(doc_ids=same)
        self.snapshots.update({"person": to_person}, doc_ids=[i for i in moving_snapshots if i not in same])
        have_posts = self.index.posts.get(to_person, {})
        moving_posts = dict(self.index.posts.get(from_person, {}))
        self.posts.remove(doc_ids=[i for sid, i in moving_posts.items() if sid in have_posts])
        self.posts.update({"person": to_person},
                          doc_ids=[i for sid, i in moving_posts.items() if sid not in have_posts])

    # -- snapshots ---------------------------------------------------------------------------------
    def snapshots_of(self, person_id: int) -> list[Doc]:
        table = self.storage.read().get(SNAPSHOTS, {})
        return [table[str(i)] for i in self.index.snapshots.get(person_id, {})]

    def insert_snapshot(self, doc: Doc) -> int:
        return self.snapshots.insert(doc)

    def insert_snapshots(self, docs: Iterable[Doc]) -> list[int]:
        return self.snapshots.insert_multiple(docs)

    # -- posts: what people you know posted lately -----------------------------------------------
    def post_ids(self, person_id: int) -> dict[str, int]:
        """status id -> post id."""
        return self.index.posts.get(person_id, {})

    def posts_of(self, person_id: int) -> list[Doc]:
        table = self.storage.read().get(POSTS, {})
        return [table[str(i)] for i in self.post_ids(person_id).values()]

    def all_posts(self) -> dict[str, Doc]:
        """Every kept post, by post id: read it, never change it."""
        return self.storage.read().get(POSTS, {})

    def insert_posts(self, docs: Iterable[Doc]) -> list[int]:
        return self.posts.insert_multiple(docs)

    def update_post(self, post_id: int, fields: Doc) -> None:
        self.posts.replace_fields({post_id: fields})

    def remove_posts(self, ids: list[int]) -> None:
        if ids:
            self.posts.remove(doc_ids=ids)

    # -- trips and conferences: meet-ups the user plans ------------------------------------------------
    def plans_of(self, kind: str) -> dict[int, Doc]:
        return {int(k): v for k, v in self.storage.read().get(kind, {}).items()}

    def insert_plan(self, kind: str, doc: Doc) -> int:
        return self.plans[kind].insert(doc)

    def update_plan(self, kind: str, plan_id: int, fields: Doc) -> None:
        self.plans[kind].replace_fields({plan_id: fields})

    def remove_plan(self, kind: str, plan_id: int) -> None:
        self.plans[kind].remove(doc_ids=[plan_id])

    # -- the user's own labels ---------------------------------------------------------------------------
    def labels(self) -> dict[int, Doc]:
        """label id -> {name, colour, created_at}: read them, never change them."""
        return {int(k): v for k, v in self.storage.read().get(LABELS, {}).items()}

    def insert_label(self, doc: Doc) -> int:
        return self.labels_table.insert(doc)

    def update_label(self, label_id: int, fields: Doc) -> None:
        self.labels_table.replace_fields({label_id: fields})

    def remove_label(self, label_id: int) -> None:
        self.labels_table.remove(doc_ids=[label_id])

    # -- merges by hand, and what undoing each needs ----------------------------------------------------
    def merges_done(self) -> dict[int, Doc]:
        return {int(k): v for k, v in self.storage.read().get(MERGES, {}).items()}

    def record_merge(self, doc: Doc) -> int:
        return self.merges.insert(doc)

    def update_merge(self, merge_id: int, fields: Doc) -> None:
        self.merges.replace_fields({merge_id: fields})

    def remove_merges(self, ids: list[int]) -> None:
        if ids:
            self.merges.remove(doc_ids=ids)

    def history_docs(self, table: str, ids: Iterable[int]) -> dict[int, Doc]:
        """Interactions, snapshots or posts by id (for a merge's undo): read them, never change them."""
        data = self.storage.read().get(table, {})
        return {int(i): data[str(i)] for i in ids if str(i) in data}

    def restore_person(self, person_id: int, doc: Doc) -> int:
        """A person merged away, back: under their old id while no one has it (ids are never reused otherwise)."""
        if self.person(person_id) is None:
            return self.people.insert(Document(doc, doc_id=person_id))
        return self.people.insert(doc)

    def hand_back(self, table: str, rows: list[Doc], from_person: int, to_person: int) -> None:
        """History rows ({id, doc, dropped}) of a merge undone: the ones it moved to `from_person` go back to
        `to_person` while each is still the row it was (gone if deleted since; its id may have been reused
        after a restart); the ones it dropped as already known come back as new rows."""
        tables = {INTERACTIONS: self.interactions, SNAPSHOTS: self.snapshots, POSTS: self.posts}
        live = self.storage.read().get(table, {})

        def same(row: Doc) -> bool:
            now = live.get(str(row["id"]))
            return now is not None and now.get("person") == from_person and \
                _history_identity(table, now) == _history_identity(table, row["doc"])

        tables[table].update({"person": to_person}, doc_ids=[r["id"] for r in rows if not r["dropped"] and same(r)])
        tables[table].insert_multiple({**r["doc"], "person": to_person} for r in rows if r["dropped"])

    # -- archive imports: what was imported when, and how far an import got ----------------------
    def record_import(self, doc: Doc) -> int:
        return self.imports.insert(doc)

    def update_import(self, import_id: int, fields: Doc) -> None:
        self.imports.replace_fields({import_id: fields})

    def archive_imports_by_id(self) -> dict[int, Doc]:
        return {int(doc_id): doc for doc_id, doc in self.storage.read().get(IMPORTS, {}).items()}

    def archive_imports(self) -> list[Doc]:
        """Every archive import, newest first."""
        found = self.storage.read().get(IMPORTS, {}).values()
        return sorted(found, key=lambda d: d["started_at"], reverse=True)

    # -- settings ------------------------------------------------------------------------------------
    def settings(self) -> Doc:
        """The user's settings ({} until one is saved)."""
        return self.storage.read().get(SETTINGS, {}).get("1", {})

    def update_settings(self, fields: Doc) -> None:
        if "1" in self.storage.read().get(SETTINGS, {}):
            self.settings_table.replace_fields({1: fields})
        else:
            self.settings_table.insert(fields)

    # -- whole database ----------------------------------------------------------------------------
    def clear(self) -> None:
        for table in (self.interactions, self.snapshots, self.posts, self.people, *self.plans.values(),
                      self.labels_table, self.merges):
            table.truncate()


def _history_identity(table: str, doc: Doc) -> Any:
    """What makes a history row the same row, whatever was filled in since (a post read, say)."""
    if table == INTERACTIONS:
        return doc["key"]
    if table == POSTS:
        return doc["status_id"]
    return _snapshot_identity(doc)


def _snapshot_identity(snap: Doc) -> bytes:
    return orjson.dumps([snap["at"], snap["profile"]], option=orjson.OPT_SORT_KEYS)


NOT_WRITABLE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


class DataDirNotWritable(StoreError):
    def __init__(self, data_dir: Path, exc: OSError) -> None:
        self.data_dir = data_dir
        where = f" ({exc.filename})" if exc.filename else ""
        super().__init__(
            f"Rapport cannot write to its data folder {data_dir}{where}: {exc.strerror or exc}. Give your user "
            f"write access to it (or choose another with --data-dir / RAPPORT_DATA_DIR)."
        )


def restore_backup(data_dir: Path, backup: Path) -> dict[str, Any]:
    """Make `backup` the database again. The files it replaces are kept aside, never deleted.

    Refused while a companion uses the data folder, and for a file that is not a readable Rapport
    database (nothing is changed then)."""
    data_dir = Path(data_dir)
    lock_fd = _lock_data_dir(data_dir)
    try:
        try:
            raw = backup.read_bytes()
        except OSError as exc:
            raise StoreError(f"cannot read the backup {backup}: {exc.strerror or exc}") from None
        try:
            tables, _ = snapshot.load(backup, PACKED)
        except CorruptDatabase as exc:
            raise StoreError(f"{backup} is not a usable backup ({exc.reason}); nothing was changed") from None
        if not raw.strip():
            raise StoreError(f"{backup} is empty, not a usable backup; nothing was changed")
        path = data_dir / DB_FILE
        journal = path.with_suffix(".journal")
        # The backup goes in beside first: when that fails (a full disk), nothing was moved yet.
        incoming = path.with_name(f".{path.name}.restoring")
        try:
            write_private(incoming, raw, sync=True)
        except OSError as exc:
            incoming.unlink(missing_ok=True)
            raise StoreError(f"cannot write the restored database in {data_dir}: {exc.strerror or exc}; "
                             f"nothing was changed") from None
        stamp = _stamp()  # two restores never share a name
        moved: list[tuple[Path, Path]] = []
        try:
            for current in (path, journal):
                if current.exists() and (current == path or current.stat().st_size > 0):
                    aside = current.with_name(f"{current.name}.replaced-{stamp}")
                    os.replace(current, aside)
                    moved.append((current, aside))
            journal.unlink(missing_ok=True)
            os.replace(incoming, path)
            sync_dir(data_dir)
        except OSError as exc:
            for current, aside in reversed(moved):
                os.replace(aside, current)
            incoming.unlink(missing_ok=True)
            raise StoreError(f"cannot restore {backup} in {data_dir}: {exc.strerror or exc}; "
                             f"nothing was changed") from None
        kept = [str(aside) for _current, aside in moved]
        people = len(tables.get(PEOPLE, {}))
        return {"restored": str(backup), "database": str(path), "kept_aside": kept, "people": people}
    finally:
        os.close(lock_fd)


def _stamp() -> str:
    """The time now, to the nanosecond, for a file's name: names made later sort later (both parts are read
    from one clock reading, or a second could turn between them)."""
    now = time.time_ns()
    return f"{time.strftime('%Y%m%dT%H%M%S', time.localtime(now // 10**9))}-{now % 10**9:09d}"


def _lock_data_dir(data_dir: Path) -> int:
    fd = open_private(data_dir / LOCK_FILE, os.O_RDWR)
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
