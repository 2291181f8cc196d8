"""What must never be lost, at the edges: a full disk, an emptied database file, a damaged last
journal line, files other users could read, a read-only data folder. Against a real `rapport serve`;
the disk cases on a small real tmpfs (root only: mounting needs it, as in CI)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from companion.store.journal import encode
from tests.conftest import ROOT, Companion, batch, tweet

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root (CI runs as root)")


@contextmanager
def tmpfs(where: Path, size: str = "2m") -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> Path:
    """Take every free byte of the file system (what a full disk looks like)."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 512, 64, 1):  # and the last few bytes
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


def replies(n: int, start: int = 0, pad: int = 400) -> dict:
    """A batch of n replies to me from n people (each a few hundred bytes in the journal)."""
    return batch(tweets=[tweet(str(9000 + start + i), f"fan_{start + i}", reply_to=["me"], text="x" * pad)
                         for i in range(n)])


def serve(data_dir: Path, log: Path) -> Companion:
    companion = Companion(data_dir)
    companion.log = log  # outside the small disk: the log must not be what fills it
    return companion.start()


@contextmanager
def served_on_a_small_disk(tmp_path: Path) -> Iterator[tuple[Path, Path, Companion]]:
    """A companion whose data folder is on its own 2 MiB tmpfs: (the disk, the data folder, the companion)."""
    with tmpfs(tmp_path / "disk") as disk:
        data_dir = disk / "data"
        data_dir.mkdir()
        companion = serve(data_dir, tmp_path / "serve.log")
        try:
            yield disk, data_dir, companion
        finally:
            companion.stop()


def serve_refuses(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "companion", "serve", "--port", "0", "--data-dir", str(data_dir)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


@needs_root
def test_a_failed_write_on_a_full_disk_leaves_the_journal_as_it_was_and_later_writes_survive(tmp_path: Path) -> None:
    with served_on_a_small_disk(tmp_path) as (disk, data_dir, companion):
        assert companion.post("/ingest", replies(3)).status_code == 200
        journal = data_dir / "rapport.journal"
        good = journal.read_bytes()
        filler = fill(disk)
        # Big enough not to fit in what is left of the journal's last page: a partial write.
        refused = companion.post("/ingest", replies(30, start=100, pad=2000))
        assert refused.status_code == 507, refused.text
        assert "nothing was saved" in refused.json()["error"]["message"]
        assert journal.read_bytes() == good, "the failed write left bytes in the journal"
        assert companion.get("/people/fan_100").status_code == 404  # and nothing of it in memory
        filler.unlink()  # space comes back
        assert companion.post("/ingest", replies(5, start=200)).status_code == 200
        companion.kill9()
        companion.start()
        people = {p["handle"] for p in companion.get("/people", params={"limit": 500}).json()["people"]}
        assert people == {f"fan_{i}" for i in [0, 1, 2, 200, 201, 202, 203, 204]}
        assert not list(data_dir.glob("rapport.journal.torn-*"))


@needs_root
def test_bookkeeping_writes_never_fail_a_request_and_a_backup_on_a_full_disk_is_a_507(tmp_path: Path) -> None:
    with served_on_a_small_disk(tmp_path) as (disk, data_dir, companion):
        assert companion.post("/ingest", replies(2)).status_code == 200
        other = Companion(data_dir, port=companion.port)  # a fresh token, not used yet
        fill(disk)
        # Its first use writes last-seen to tokens.json, which cannot be written now.
        assert other.get("/people").status_code == 200
        backup = companion.post("/backups")
        assert backup.status_code == 507, backup.text
        assert "could not write a backup" in backup.json()["error"]["message"]
        assert not list(data_dir.glob("**/.*.tmp"))  # no half-written copy left behind
        assert "Traceback" not in (tmp_path / "serve.log").read_text()


def _made(data_dir: Path, log: Path) -> None:
    """A data folder with people, a backup, and changes after it in the journal."""
    companion = serve(data_dir, log)
    try:
        assert companion.post("/ingest", replies(3)).status_code == 200
        assert companion.post("/backups").status_code == 201
        assert companion.post("/ingest", replies(2, start=50)).status_code == 200
    finally:
        companion.kill9()


def test_an_empty_database_file_beside_backups_is_damage_and_rapport_restore_brings_the_backup_back(
        data_dir: Path, tmp_path: Path) -> None:
    _made(data_dir, tmp_path / "serve.log")
    database = data_dir / "rapport.json"
    database.write_bytes(b"")  # what a crashed editor or a full disk leaves
    run = serve_refuses(data_dir)
    assert run.returncode == 2, run.stdout + run.stderr
    newest = sorted((data_dir / "backups").glob("rapport-*.json"))[-1]
    assert "is empty" in run.stderr and f"rapport restore {newest}" in run.stderr and "Traceback" not in run.stderr
    assert database.read_bytes() == b""  # left as it was

    restore = subprocess.run([sys.executable, "-m", "companion", "restore", str(newest), "--data-dir", str(data_dir)],
                             capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert restore.returncode == 0, restore.stderr
    assert "3 people" in restore.stdout and "kept aside" in restore.stdout
    assert list(data_dir.glob("rapport.json.replaced-*")) and list(data_dir.glob("rapport.journal.replaced-*"))
    companion = Companion(data_dir).start()
    try:
        people = {p["handle"] for p in companion.get("/people").json()["people"]}
        assert people == {"fan_0", "fan_1", "fan_2"}  # as of the backup
    finally:
        companion.stop()


def test_a_missing_database_file_beside_a_journal_is_damage(data_dir: Path, tmp_path: Path) -> None:
    _made(data_dir, tmp_path / "serve.log")
    (data_dir / "rapport.json").unlink()
    run = serve_refuses(data_dir)
    assert run.returncode == 2 and "is missing" in run.stderr and "rapport restore" in run.stderr


def test_a_folder_of_an_older_version_with_only_a_journal_starts_and_keeps_its_people(data_dir: Path,
                                                                                    tmp_path: Path) -> None:
    # Older versions wrote no snapshot (and no marker) before their first compaction.
    companion = serve(data_dir, tmp_path / "serve.log")
    try:
        assert companion.post("/ingest", replies(3)).status_code == 200
    finally:
        companion.kill9()
    (data_dir / "rapport.json").unlink()
    (data_dir / "rapport.version").unlink()
    companion = Companion(data_dir).start()
    try:
        assert {p["handle"] for p in companion.get("/people").json()["people"]} == {"fan_0", "fan_1", "fan_2"}
    finally:
        companion.stop()
    assert (data_dir / "rapport.json").exists() and (data_dir / "rapport.version").exists()


def test_a_missing_snapshot_once_written_is_damage_even_without_journal_or_backups(data_dir: Path,
                                                                                   tmp_path: Path) -> None:
    companion = serve(data_dir, tmp_path / "serve.log")
    companion.stop()  # a clean stop folds everything into the snapshot: the journal is empty
    (data_dir / "rapport.json").unlink()
    run = serve_refuses(data_dir)
    assert run.returncode == 2 and "is missing" in run.stderr and f"move the folder {data_dir} aside" in run.stderr


def test_two_restores_in_the_same_second_keep_every_file_they_replaced(data_dir: Path, tmp_path: Path) -> None:
    _made(data_dir, tmp_path / "serve.log")
    original = (data_dir / "rapport.json").read_bytes()
    newest = sorted((data_dir / "backups").glob("rapport-*.json"))[-1]
    for _ in range(2):
        run = subprocess.run([sys.executable, "-m", "companion", "restore", str(newest), "--data-dir", str(data_dir)],
                             capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert run.returncode == 0, run.stderr
    aside = sorted(data_dir.glob("rapport.json.replaced-*"))
    assert len(aside) == 2 and original in [p.read_bytes() for p in aside]
    assert not list(data_dir.glob(".rapport.json.restoring"))


def test_restore_refuses_a_file_that_is_no_backup_and_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    _made(data_dir, tmp_path / "serve.log")
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"people": ')
    before = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}
    run = subprocess.run([sys.executable, "-m", "companion", "restore", str(bogus), "--data-dir", str(data_dir)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 2 and "not a usable backup" in run.stderr
    assert {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()} == before


def test_a_complete_last_journal_line_with_a_bad_checksum_is_damage_not_a_torn_write(data_dir: Path,
                                                                                     tmp_path: Path) -> None:
    _made(data_dir, tmp_path / "serve.log")
    journal = data_dir / "rapport.journal"
    lines = journal.read_bytes().split(b"\n")
    last = lines[-2]
    damaged = b"\n".join([*lines[:-2], last[:20] + (b"0" if last[20:21] != b"0" else b"1") + last[21:], b""])
    journal.write_bytes(damaged)
    run = serve_refuses(data_dir)
    assert run.returncode == 2, run.stdout
    assert "fails its checksum" in run.stderr and "damaged" in run.stderr
    assert journal.read_bytes() == damaged and not list(data_dir.glob("rapport.journal.torn-*"))


def test_only_a_last_line_without_its_newline_is_a_torn_write(data_dir: Path, tmp_path: Path) -> None:
    _made(data_dir, tmp_path / "serve.log")
    journal = data_dir / "rapport.journal"
    torn = encode([["people", "99", {"handle": "ghost"}]])[:-5]
    with open(journal, "ab") as handle:
        handle.write(torn)
    companion = Companion(data_dir).start()
    try:
        assert companion.get("/people/fan_50").status_code == 200
        assert [p.read_bytes() for p in data_dir.glob("rapport.journal.torn-*")] == [torn]
    finally:
        companion.stop()


def test_every_file_in_the_data_folder_is_private_whatever_the_umask(data_dir: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        os.chmod(data_dir, 0o755)
        _made(data_dir, tmp_path / "serve.log")
        os.chmod(data_dir / "tokens.json", 0o644)  # as an older version left it
        theirs = data_dir / "notes.txt"  # the user's own file in the folder they chose: not ours to change
        theirs.write_text("mine")
        os.chmod(theirs, 0o644)
        companion = Companion(data_dir).start()
        try:
            assert companion.post("/backups").status_code == 201
        finally:
            companion.stop()
    finally:
        os.umask(old)
    for folder, _dirs, files in os.walk(data_dir):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder
        for name in files:
            mode = stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode)
            if name == "notes.txt":
                assert mode == 0o644
            elif not name.startswith("serve-"):  # the test's own log of the server
                assert mode & 0o077 == 0, f"{name} is {oct(mode)}"


@needs_root
def test_a_read_only_data_folder_is_a_clear_message_not_a_traceback(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk") as disk:
        data_dir = disk / "data"
        data_dir.mkdir()
        _made(data_dir, tmp_path / "serve.log")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        run = serve_refuses(data_dir)
        assert run.returncode == 2, run.stdout + run.stderr
        assert "cannot write to its data folder" in run.stderr and "Traceback" not in run.stderr


@needs_root
def test_sigterm_when_the_last_snapshot_cannot_be_written_stops_cleanly_and_loses_nothing(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk") as disk:
        data_dir = disk / "data"
        data_dir.mkdir()
        log = tmp_path / "serve.log"
        companion = serve(data_dir, log)
        assert companion.post("/ingest", replies(2)).status_code == 200
        filler = fill(disk)  # stopping folds the journal into a snapshot: that cannot be written now
        companion.stop()
        assert companion.proc is not None and companion.proc.returncode == 0, log.read_text()
        assert "Traceback" not in log.read_text() and "replayed at the next start" in log.read_text()
        filler.unlink()
        companion.start()  # and everything acknowledged is there
        try:
            assert {p["handle"] for p in companion.get("/people").json()["people"]} == {"fan_0", "fan_1"}
        finally:
            companion.stop()


@needs_root
def test_a_fold_that_a_full_disk_stops_leaves_every_document_read_from_the_file_before_it(tmp_path: Path) -> None:
    from companion.store.database import Store  # the store itself: a fold is what it does between requests

    with tmpfs(tmp_path / "disk", size="4m") as disk:
        store = Store(disk / "data")
        pid = store.insert_person({"handle": "ada", "handle_lc": "ada", "user_id": None})
        docs = [{"key": f"tweet:{n}:they_replied", "kind": "they_replied", "at": "2026-11-01T10:00:00.000Z",
                 "source": "scrape", "person": pid, "text": "x" * 300} for n in range(2000)]
        ids = store.insert_interactions(docs)
        store.compact()  # now they are read from the file
        filler = fill(disk)
        with pytest.raises(OSError):
            store.compact()
        assert [store.interaction(i)["key"] for i in ids[::97]] == [docs[n]["key"] for n in range(0, 2000, 97)]
        filler.unlink()
        store.insert_interactions([{**docs[0], "key": "tweet:99999:they_replied"}])
        store.compact()
        assert [store.interaction(i)["key"] for i in ids[::97]] == [docs[n]["key"] for n in range(0, 2000, 97)]
        store.close()
        again = Store(disk / "data")
        try:
            assert again.interaction_count(pid) == 2001
        finally:
            again.close()
