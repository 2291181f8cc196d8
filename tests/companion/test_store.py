"""The store keeps acknowledged writes, never half-writes a file, and refuses to start on a damaged one."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from tinydb import TinyDB

from companion.store import database
from companion.store.database import Store
from companion.store.errors import CorruptDatabase, DataDirInUse, WriteFailed
from companion.store.journal import encode


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_writes_survive_reopening_without_a_clean_close(data_dir: Path) -> None:
    store = Store(data_dir)
    pid = store.insert_person({"handle": "alice", "handle_lc": "alice", "user_id": None})
    store.update_person(pid, {"note": "x"})
    store.storage.journal.close()  # simulate a crash: no compaction, lock released by the OS
    os.close(store._lock_fd)
    reopened = Store(data_dir)
    assert reopened.person(pid) == {"handle": "alice", "handle_lc": "alice", "user_id": None, "note": "x"}
    assert reopened.find_handle("ALICE") == pid


def test_a_failed_transaction_leaves_memory_indexes_and_disk_unchanged(data_dir: Path) -> None:
    store = Store(data_dir)
    keep = store.insert_person({"handle": "keep", "handle_lc": "keep", "user_id": "1"})
    journal_before = store.storage.journal.path.read_bytes()
    with pytest.raises(RuntimeError), store.transaction():
        store.insert_person({"handle": "ghost", "handle_lc": "ghost", "user_id": "2"})
        store.update_person(keep, {"handle_lc": "renamed"})
        raise RuntimeError("boom")
    assert store.find_handle("ghost") is None and store.find_user_id("2") is None
    assert store.find_handle("keep") == keep and store.person(keep)["handle_lc"] == "keep"
    assert store.storage.journal.path.read_bytes() == journal_before
    store.close()


def test_a_journal_write_error_rolls_back_and_says_so(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(data_dir)

    def disk_full(record: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.storage.journal, "append", disk_full)
    with pytest.raises(WriteFailed, match="No space left"):
        store.insert_person({"handle": "alice", "handle_lc": "alice", "user_id": None})
    assert store.find_handle("alice") is None and store.person_ids() == []


def test_the_snapshot_is_an_ordinary_tinydb_file(data_dir: Path) -> None:
    store = Store(data_dir)
    store.insert_person({"handle": "alice", "handle_lc": "alice", "user_id": None})
    store.close()
    assert not (data_dir / "rapport.journal").read_bytes()
    assert TinyDB(data_dir / "rapport.json").table("people").all() == [
        {"handle": "alice", "handle_lc": "alice", "user_id": None}]


def test_a_torn_last_journal_line_is_set_aside_and_the_rest_replayed(data_dir: Path) -> None:
    store = Store(data_dir)
    store.insert_person({"handle": "alice", "handle_lc": "alice", "user_id": None})
    store.storage.journal.close()
    os.close(store._lock_fd)
    journal = data_dir / "rapport.journal"
    torn = encode([["people", "2", {"handle": "bob", "handle_lc": "bob", "user_id": None}]])[:-7]
    with open(journal, "ab") as handle:
        handle.write(torn)
    store = Store(data_dir)
    assert store.find_handle("alice") is not None and store.find_handle("bob") is None
    aside = list(data_dir.glob("rapport.journal.torn-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == torn
    store.insert_person({"handle": "carol", "handle_lc": "carol", "user_id": None})
    store.close()
    assert Store(data_dir).find_handle("carol") is not None


def test_a_damaged_database_file_is_refused_named_and_left_untouched(data_dir: Path) -> None:
    db = data_dir / "rapport.json"
    db.write_text('{"people": {"1": {"handle": "alice"}')  # cut off mid-document
    before = _sha(db)
    with pytest.raises(CorruptDatabase) as caught:
        Store(data_dir)
    assert str(db) in str(caught.value) and "backups" in str(caught.value)
    assert _sha(db) == before
    with pytest.raises(CorruptDatabase):  # and the lock was released: the next try says the same
        Store(data_dir)


def test_a_damaged_line_inside_the_journal_is_refused(data_dir: Path) -> None:
    (data_dir / "rapport.json").write_text("{}")
    journal = data_dir / "rapport.journal"
    journal.write_bytes(encode([["people", "1", {"a": 1}]]) + b"deadbeef {}\n" + encode([["people", "2", {"b": 2}]]))
    before = _sha(journal)
    with pytest.raises(CorruptDatabase, match="journal line 2"):
        Store(data_dir)
    assert _sha(journal) == before


def test_a_database_that_is_json_but_not_tinydb_is_refused(data_dir: Path) -> None:
    (data_dir / "rapport.json").write_text('["not", "tables"]')
    with pytest.raises(CorruptDatabase, match="not a TinyDB document layout"):
        Store(data_dir)


def test_two_processes_cannot_share_a_data_folder(data_dir: Path) -> None:
    store = Store(data_dir)
    with pytest.raises(DataDirInUse, match=str(data_dir)):
        Store(data_dir)
    store.close()
    Store(data_dir).close()


def test_a_large_journal_is_folded_into_the_snapshot(data_dir: Path) -> None:
    store = Store(data_dir, compact_at_bytes=2_000)
    for n in range(40):
        with store.transaction():
            store.insert_person({"handle": f"p{n}", "handle_lc": f"p{n}", "user_id": str(n), "pad": "x" * 100})
    assert store.storage.journal.size() < 2_000
    assert len(TinyDB(data_dir / "rapport.json").table("people")) >= 10
    store.close()
    assert len(Store(data_dir).person_ids()) == 40


def test_backups_rotate_and_keep_the_newest(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "KEEP_BACKUPS", 3)
    store = Store(data_dir)
    made = []
    for n in range(5):
        store.insert_person({"handle": f"p{n}", "handle_lc": f"p{n}", "user_id": None})
        made.append(store.backup())
    kept = sorted((data_dir / "backups").glob("rapport-*.json"))
    assert kept == sorted(made[-3:])
    assert len(TinyDB(kept[-1]).table("people")) == 5


def test_a_document_changed_several_times_in_one_transaction_is_journaled_once(data_dir: Path) -> None:
    import orjson

    store = Store(data_dir)
    pid = store.insert_person({"handle": "alice", "handle_lc": "alice", "user_id": None, "n": 0})
    journal = data_dir / "rapport.journal"
    size = len(journal.read_bytes())
    with store.transaction():
        for n in range(1, 4):
            store.update_person(pid, {"n": n})
    record = orjson.loads(journal.read_bytes()[size:].split(b" ", 1)[1])
    assert record == [["people", str(pid), {"=": {"n": 3}}, "patch"]]  # only what changed, once
    with pytest.raises(RuntimeError), store.transaction():
        store.update_person(pid, {"n": 4, "handle_lc": "x"})
        store.update_person(pid, {"n": 5})
        raise RuntimeError
    assert store.person(pid)["n"] == 3 and store.find_handle("alice") == pid and store.find_handle("x") is None


def test_compaction_waits_for_the_outermost_transaction(data_dir: Path) -> None:
    store = Store(data_dir, compact_at_bytes=1)
    with store.transaction():  # committed, and folded into a snapshot at once
        keep = store.insert_person({"handle": "keep", "handle_lc": "keep", "user_id": None})
    assert "keep" in (data_dir / "rapport.json").read_text()
    store.update_person(keep, {"n": 1})  # committed to the journal, not folded yet
    with pytest.raises(RuntimeError), store.transaction():
        store.insert_person({"handle": "ghost", "handle_lc": "ghost", "user_id": None})
        with store.transaction():  # an inner transaction ending must not snapshot the outer one's changes
            store.update_person(keep, {"handle_lc": "changed"})
        raise RuntimeError("the outer transaction fails")
    assert "ghost" not in (data_dir / "rapport.json").read_text()
    store.close()
    reopened = Store(data_dir)
    assert reopened.find_handle("ghost") is None and reopened.person(keep)["handle_lc"] == "keep"
    assert reopened.person(keep)["n"] == 1


def test_the_journal_knows_its_size_without_asking_the_disk(data_dir: Path) -> None:
    store = Store(data_dir)
    for n in range(5):
        store.insert_person({"handle": f"p{n}", "handle_lc": f"p{n}", "user_id": None})
        assert store.storage.journal.size() == (data_dir / "rapport.journal").stat().st_size
    store.compact()
    assert store.storage.journal.size() == 0 == (data_dir / "rapport.journal").stat().st_size


def test_an_update_journals_only_what_it_changed_and_reopening_gives_the_whole_documents(data_dir: Path) -> None:
    import orjson

    store = Store(data_dir)
    profile = {"bio": "x" * 500, "location": "Lisbon"}
    pid = store.insert_person({"handle": "alice", "handle_lc": "alice", "user_id": None, "profile": profile,
                               "stage": 1, "notes": {"books": "Dune"}})
    other = store.insert_person({"handle": "bob", "handle_lc": "bob", "user_id": None, "n": 0})
    journal = data_dir / "rapport.journal"
    size = len(journal.read_bytes())
    with store.transaction():
        store.update_people({pid: {"stage": 2}, other: {"n": 1, "handle": "Bob", "handle_lc": "bob2"}})
    record = orjson.loads(journal.read_bytes()[size:].split(b" ", 1)[1])
    assert ["people", str(pid), {"=": {"stage": 2}}, "patch"] in record  # the 500-character bio is not written again
    assert ["people", str(other), store.person(other)] in record  # most of it changed: written whole
    store.people.update({"gone": 1}, doc_ids=[pid])  # TinyDB's own updater, which changes copies in place
    store.people.update(lambda doc: doc.pop("notes"), doc_ids=[pid])  # a field removed
    expected = {person: store.person(person) for person in (pid, other)}
    assert "notes" not in expected[pid] and expected[pid]["gone"] == 1 and expected[pid]["profile"] == profile
    store.storage.journal.close()  # a crash: nothing folded into the snapshot
    os.close(store._lock_fd)
    reopened = Store(data_dir)
    assert {person: reopened.person(person) for person in (pid, other)} == expected
    assert reopened.find_handle("bob2") == other and reopened.find_handle("bob") is None


def test_a_journal_patch_for_a_document_that_is_not_there_is_damage(data_dir: Path) -> None:
    store = Store(data_dir)
    store.insert_person({"handle": "alice", "handle_lc": "alice", "user_id": None})
    store.close()
    with (data_dir / "rapport.journal").open("ab") as journal:
        journal.write(encode([["people", "999", {"=": {"stage": 2}}, "patch"]]))
    with pytest.raises(CorruptDatabase, match="unknown shape"):
        Store(data_dir)


def test_a_patch_of_any_copy_on_write_change_rebuilds_the_new_document_from_the_old() -> None:
    import random

    from companion.store.storage import patch, patched

    rng = random.Random(11)

    def changed(doc: dict, depth: int) -> dict:
        """A new document along the paths it changes, sharing the rest (as every change in the store makes)."""
        new = dict(doc)
        for key in rng.sample(sorted(doc), k=min(len(doc), rng.randint(0, 3))):
            what = rng.random()
            if isinstance(doc[key], dict) and depth < 5 and what < 0.5:
                new[key] = changed(doc[key], depth + 1)
            elif what < 0.7:
                del new[key]
            else:
                new[key] = rng.choice([None, 0, rng.randint(1, 10**6), "x", [1, 2], {"k": 1}])
        for _ in range(rng.randint(0, 2)):
            new[f"k{rng.randrange(40)}"] = rng.randint(0, 9)
        # A new key in order, as the dated totals are kept: the rest move behind it.
        return dict(sorted(new.items())) if rng.random() < 0.2 else new

    def made(depth: int) -> dict:
        return {f"k{n}": made(depth + 1) if depth < 4 and rng.random() < 0.3 else rng.randint(0, 99)
                for n in range(rng.randint(1, 12))}

    def keys_in_order(doc: object) -> object:
        return [(key, keys_in_order(value)) for key, value in doc.items()] if isinstance(doc, dict) else None

    for _ in range(1000):
        old = made(0)
        new = changed(old, 0)
        change = patch(old, new)
        rebuilt = new if change is None else patched(old, change)
        assert rebuilt == new and keys_in_order(rebuilt) == keys_in_order(new)  # the order too: readers rely on it
    months = {f"m{n}": {f"d{d}": {"x": d} for d in range(30)} for n in range(7)}
    nested = {"a": months, **{f"f{n}": n for n in range(9)}}
    new = {**nested, "a": {**nested["a"], "m6": {**nested["a"]["m6"], "d29": {"x": 0}}}}
    assert patch(nested, new) == {"~": {"a": {"~": {"m6": {"=": {"d29": {"x": 0}}}}}}}  # one day, not the months


def test_a_journal_entry_of_another_length_is_damage(data_dir: Path) -> None:
    store = Store(data_dir)
    store.insert_person({"handle": "alice", "handle_lc": "alice", "user_id": None})
    store.close()
    with (data_dir / "rapport.journal").open("ab") as journal:
        journal.write(encode([["people", "1", {"handle": "x"}, "patch", "more"]]))
    with pytest.raises(CorruptDatabase, match="unknown shape"):
        Store(data_dir)
