"""The store's layout for long histories: interactions and snapshots kept packed in memory, a snapshot file
read and written a line at a time (and still an ordinary TinyDB file), interactions read in order."""

from __future__ import annotations

import json
import os
import random
import threading
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from tinydb import TinyDB

from companion.domain import aggregates, insights
from companion.domain.vocabulary import KIND_STAGE
from companion.store.database import Store
from companion.store.errors import CorruptDatabase
from companion.store.indexes import key_token
from companion.store.packed import PackedTable
from tests.conftest import batch, pin_clock, tweet


def _person(handle: str) -> dict[str, Any]:
    return {"handle": handle, "handle_lc": handle.lower(), "user_id": None}


def _interaction(person: int, n: int, at: str, kind: str = "they_replied") -> dict[str, Any]:
    return {"key": f"tweet:{1000 + n}:{kind}", "kind": kind, "at": at, "source": "scrape", "person": person,
            "text": f"line one\nand \"two\" {n}"}


def _filled(data_dir: Path) -> tuple[Store, int, list[int]]:
    store = Store(data_dir)
    with store.transaction():
        pid = store.insert_person(_person("Ada"))
        store.insert_person(_person("grace"))
        ids = store.insert_interactions([_interaction(pid, n, f"2026-11-{10 + n:02d}T10:00:00.000Z") for n in range(5)])
        store.insert_snapshot({"person": pid, "at": "2026-11-10T10:00:00.000Z", "profile": {"bio": "hi"}})
    return store, pid, ids


def test_the_snapshot_is_one_document_per_line_an_ordinary_tinydb_file_and_reads_back_the_same(data_dir: Path) -> None:
    store, pid, ids = _filled(data_dir)
    assert isinstance(store.storage.read()["interactions"], PackedTable)
    before = {i: store.interaction(i) for i in ids}
    store.close()
    raw = (data_dir / "rapport.json").read_bytes()
    lines = raw.split(b"\n")
    assert lines[0] == b"{" and lines[-2:] == [b"}", b""]
    assert sum(1 for line in lines if line.startswith(b'"') and b'":{"' in line) == 5 + 2 + 1
    assert json.loads(raw)["interactions"][str(ids[0])] == before[ids[0]]
    assert len(TinyDB(data_dir / "rapport.json").table("interactions")) == 5
    again = Store(data_dir)
    try:
        assert {i: again.interaction(i) for i in ids} == before
        assert again.find_handle("ADA") == pid and again.interaction_count(pid) == 5
        assert again.interaction_id(pid, "tweet:1002:they_replied") == ids[2]
        assert [s["profile"] for s in again.snapshots_of(pid)] == [{"bio": "hi"}]
    finally:
        again.close()


def test_a_one_line_snapshot_of_an_older_version_is_rewritten_once_after_a_copy_to_backups(
        data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    old = orjson.dumps({"people": {"1": _person("ada")},
                        "interactions": {"1": _interaction(1, 1, "2026-11-01T10:00:00.000Z")}})
    (data_dir / "rapport.json").write_bytes(old)
    with caplog.at_level("INFO", logger="rapport"):
        store = Store(data_dir)
    try:
        assert store.find_handle("ada") == 1 and store.interaction(1)["text"] == 'line one\nand "two" 1'
        assert [p.read_bytes() for p in (data_dir / "backups").glob("rapport-*.json")] == [old]
        assert (data_dir / "rapport.json").read_bytes().startswith(b"{\n") and "one document per line" in caplog.text
    finally:
        store.close()
    caplog.clear()
    with caplog.at_level("INFO", logger="rapport"):
        Store(data_dir).close()
    assert "one document per line" not in caplog.text and len(list((data_dir / "backups").iterdir())) == 1


def test_a_snapshot_someone_pretty_printed_is_read_whole(data_dir: Path) -> None:
    data = {"people": {"1": _person("ada")}, "interactions": {"7": _interaction(1, 7, "2026-11-01T10:00:00.000Z")}}
    (data_dir / "rapport.json").write_text(json.dumps(data, indent=2))
    store = Store(data_dir)
    try:
        assert store.interaction_ids_in_order(1) == [7] and store.interaction(7)["person"] == 1
    finally:
        store.close()


@pytest.mark.parametrize("damage", [
    lambda line: line[:-5],  # a document cut short
    lambda line: line.replace(b":{", b":[", 1),  # not an object
    lambda line: b'"x' + line[1:],  # not a document id
])
def test_a_damaged_line_is_refused_as_damage_naming_the_line(data_dir: Path, damage: Any) -> None:
    store, _pid, _ids = _filled(data_dir)
    store.close()
    path = data_dir / "rapport.json"
    lines = path.read_bytes().split(b"\n")
    target = next(n for n, line in enumerate(lines) if b'"kind":' in line and n > 5)
    lines[target] = damage(lines[target])
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(CorruptDatabase, match=rf"line {target + 1}\b|not valid JSON"):
        Store(data_dir)


def _open_snapshots(data_dir: Path) -> list[str]:
    """The snapshot files of `data_dir` this process holds open (a let-go one shows as "(deleted)")."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(data_dir / "rapport.json")):
            found.append(target)
    return found


def test_documents_the_snapshot_holds_stay_in_the_file_and_new_ones_join_them_at_the_next_fold(data_dir: Path) -> None:
    store, pid, ids = _filled(data_dir)
    store.close()
    store = Store(data_dir)
    try:
        packed = store.storage.read()["interactions"].packed
        assert all(isinstance(where, int) for where in packed.values())  # a place in the file, not its text
        assert [store.interaction(i)["key"] for i in ids] == [f"tweet:{1000 + n}:they_replied" for n in range(5)]
        [new] = store.insert_interactions([_interaction(pid, 9, "2026-11-20T10:00:00.000Z")])
        assert isinstance(packed[new], bytes)  # written since the snapshot: in memory, and in the journal
        store.compact()
        assert all(isinstance(where, int) for where in packed.values())
        assert store.interaction(new)["at"] == "2026-11-20T10:00:00.000Z" and store.interaction(ids[4])["key"] == (
            "tweet:1004:they_replied")
        assert _open_snapshots(data_dir) == [str(data_dir / "rapport.json")]  # the file before the fold was let go
    finally:
        store.close()


def test_reads_in_another_thread_while_the_journal_is_folded_again_and_again_always_get_the_right_document(
        data_dir: Path) -> None:
    store = Store(data_dir, compact_at_bytes=4096)  # a fold every few writes
    pid = store.insert_person(_person("ada"))
    first = store.insert_interactions([_interaction(pid, n, f"2026-10-{1 + n:02d}T10:00:00.000Z") for n in range(20)])
    expected = {i: store.interaction(i) for i in first}
    wrong: list[Any] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            for i, doc in expected.items():
                got = store.interaction(i)
                if got != doc:
                    wrong.append((i, got))

    files = set()
    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(120):
            with store.transaction():  # folded at its end once the journal passes its size
                store.insert_interactions([_interaction(pid, 100 + n, "2026-11-01T10:00:00.000Z")])
            files.add((data_dir / "rapport.json").stat().st_mtime_ns)  # a fold writes a new file
    finally:
        done.set()
        reader.join()
    try:
        assert wrong == [] and len(files) > 5
        assert store.interaction_count(pid) == 140 and len(_open_snapshots(data_dir)) == 1
    finally:
        store.close()


def test_a_packed_document_changed_in_place_by_an_update_is_stored_and_rolled_back(data_dir: Path) -> None:
    store, _pid, ids = _filled(data_dir)
    store.interactions.update({"note": "kept"}, doc_ids=[ids[0]])
    assert store.interaction(ids[0])["note"] == "kept"
    with pytest.raises(RuntimeError), store.transaction():
        store.interactions.update({"note": "gone"}, doc_ids=[ids[0]])
        raise RuntimeError("boom")
    assert store.interaction(ids[0])["note"] == "kept"
    store.close()
    again = Store(data_dir)
    try:
        assert again.interaction(ids[0])["note"] == "kept"
    finally:
        again.close()


def test_interactions_stored_out_of_order_are_read_in_order_and_stay_so(data_dir: Path) -> None:
    store = Store(data_dir)
    pid = store.insert_person(_person("ada"))
    days = list(range(1, 29))
    random.Random(3).shuffle(days)
    for n, day in enumerate(days):
        store.insert_interactions([_interaction(pid, n, f"2026-11-{day:02d}T10:00:00.000Z")])

    def ats() -> list[str]:
        return [store.interaction(i)["at"] for i in store.interaction_ids_in_order(pid)]

    assert ats() == sorted(ats()) and len(ats()) == 28
    store.insert_interactions([_interaction(pid, 99, "2026-11-30T10:00:00.000Z"),  # newest: stays in order
                               _interaction(pid, 98, "2026-10-01T10:00:00.000Z")])  # oldest: put in order on read
    assert ats()[0].startswith("2026-10-01") and ats()[-1].startswith("2026-11-30") and ats() == sorted(ats())
    store.close()
    again = Store(data_dir)
    try:
        order = [again.interaction(i)["at"] for i in again.interaction_ids_in_order(pid)]
        assert order == sorted(order) and len(order) == 30
    finally:
        again.close()


def test_interaction_keys_get_tokens_that_never_collide() -> None:
    keys = ["tweet:123:they_replied", "tweet:123:i_replied", "tweet:1234:they_replied", "dm:123:they_replied",
            "tweet:0123:they_replied", "event:2026-11-01:call", "tweet:9999999999999999999:they_liked"]
    tokens = [key_token(k) for k in keys]
    assert len(set(tokens)) == len(keys) and tokens == [key_token(k) for k in keys]
    assert isinstance(tokens[0], int) and tokens[4] == "tweet:0123:they_replied"


def test_the_insights_weekly_chart_counts_what_a_pass_over_every_interaction_counts(
        service: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(11)
    today = date(2026, 11, 30)
    pin_clock(monkeypatch, f"{today.isoformat()}T12:00:00Z")  # the weeks kept are counted back from today
    for n in range(40):
        day = today - timedelta(days=rng.randrange(0, 420))
        handle = f"p{rng.randrange(8)}"
        service.ingest(batch(observed_at=f"{today.isoformat()}T12:00:00Z", tweets=[
            tweet(str(10_000 + n), handle, reply_to=["me"] if n % 3 else [], mentions=[] if n % 3 else ["me"],
                  created_at=f"{day.isoformat()}T08:00:00Z")]))
    summary = insights.summarize(service.store, f"{today.isoformat()}T12:00:00Z")
    first = date.fromisoformat(summary["weeks"][0]["start"])
    expected: Counter[tuple[int, int]] = Counter()
    total = 0
    for person_id in service.store.person_ids():
        for item in service.store.interactions_of(person_id):
            total += 1
            week = (date.fromisoformat(item["at"][:10]) - first).days // 7
            if 0 <= week < aggregates.WEEKS:
                expected[(week, KIND_STAGE[item["kind"]])] += 1
    got = Counter({(w, s): n for w, entry in enumerate(summary["weeks"]) for s, n in enumerate(entry["by_stage"]) if n})
    assert got == expected and sum(got.values()) < total == summary["interactions"]


def test_a_snapshot_written_over_in_place_while_in_use_is_refused_as_damage_not_misread(data_dir: Path) -> None:
    store, _pid, ids = _filled(data_dir)
    store.close()
    store = Store(data_dir)
    try:
        path = data_dir / "rapport.json"
        raw = path.read_bytes()
        with open(path, "r+b") as edited:  # as an editor that saves in place would, shorter and shifted
            edited.write(b"{\n" + raw[len(b"{\n") + 40:])
            edited.truncate()
        with pytest.raises(CorruptDatabase, match="changed in place while Rapport was using it"):
            [store.interaction(i) for i in ids]
    finally:
        store.close()


def test_a_fold_reading_megabytes_of_documents_from_the_file_writes_each_one_back_whole(data_dir: Path) -> None:
    store = Store(data_dir)
    pid = store.insert_person(_person("ada"))
    docs = [{**_interaction(pid, n, "2026-11-01T10:00:00.000Z"), "text": f"{n} " + "x" * (n % 700)}
            for n in range(6000)]  # about 2 MB: read back in several chunks, some documents across their edges
    ids = store.insert_interactions(docs)
    store.compact()
    store.interactions.update({"note": "changed"}, doc_ids=ids[::500])  # some in memory, the rest in the file
    store.compact()
    store.close()
    again = Store(data_dir)
    try:
        got = [again.interaction(i) for i in ids]
        assert [g["text"] for g in got] == [d["text"] for d in docs]
        assert [i for i, g in zip(ids, got, strict=True) if g.get("note")] == ids[::500]
    finally:
        again.close()


def test_the_newest_evidence_per_stage_is_kept_whatever_order_interactions_arrive_in() -> None:
    from companion.store.indexes import EVIDENCE_KEPT, Indexes

    rng = random.Random(11)
    for _ in range(50):
        index = Indexes()
        days = rng.sample(range(1, 29), rng.randint(1, 12))
        for n, day in enumerate(days):
            index.add_evidence(7, {"kind": "call", "at": f"2026-11-{day:02d}T12:00:00.000000Z"}, n)
        kept = [at[8:10] for at, _ in index.evidence[7][KIND_STAGE["call"]]]
        assert kept == [f"{d:02d}" for d in sorted(days, reverse=True)[:EVIDENCE_KEPT]], days
