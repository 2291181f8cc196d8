"""`rapport import-archive` as a user types it, with and without a companion running on the data folder,
and the upload API the dashboard and the command use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

from companion.access.tokens import TokenStore
from tests.archive_factory import ArchiveBuilder, Person
from tests.companion.test_archive_eras import ALICE, ME, START, network
from tests.companion.test_archive_samples import SAMPLES
from tests.companion.test_cli import rapport
from tests.conftest import Companion


def test_import_archive_without_a_companion_prints_a_summary(data_dir: Path) -> None:
    done = rapport("import-archive", str(SAMPLES / "milahu-2026"), "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Imported the X archive of @milahu104 (1964312974236991488), made 2026-03-06:"
    assert "  people added        1,214" in lines
    # As many raised as the store holds people above stage 0: someone a quote named by handle before a reply
    # named them by id is counted once.
    assert "  people updated      0" in lines
    assert "  stages raised       1,084 (4 to direct messages, 1,080 to casual conversation)" in lines
    assert "  interactions added  2,656" in lines
    assert "Traceback" not in done.stderr
    again = rapport("import-archive", str(SAMPLES / "milahu-2026"), "--data-dir", str(data_dir))
    assert "  interactions added  0" in again.stdout.splitlines()


def test_a_dry_run_writes_nothing(data_dir: Path) -> None:
    done = rapport("import-archive", str(SAMPLES / "milahu-2026"), "--dry-run", "--data-dir", str(data_dir))
    assert done.returncode == 0 and done.stdout.startswith("Would import")
    assert done.stdout.rstrip().endswith("Dry run: nothing was written.")
    assert json.loads((data_dir / "rapport.json").read_bytes()) == {}  # the empty database a first start writes
    assert not (data_dir / "rapport.journal").exists() or (data_dir / "rapport.journal").stat().st_size == 0


def test_bad_archives_end_with_one_clear_line(data_dir: Path, tmp_path: Path) -> None:
    junk = tmp_path / "archive.zip"
    junk.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    for args, message in (((str(junk),), "was cut off"),
                          ((str(SAMPLES / "tobeofuse-2020"), "--me", "abc"), "--me must be your numeric user id"),
                          ((str(SAMPLES / "milahu-2026"), "--me", "42"), "--me 42 is not whose archive this is")):
        done = rapport("import-archive", *args, "--data-dir", str(data_dir))
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def test_with_a_companion_running_the_command_hands_it_the_import(companion: Companion, tmp_path: Path) -> None:
    path = network().write_zip(tmp_path / "twitter-2026.zip", media_bytes=8 << 20)
    done = rapport("import-archive", str(path), "--data-dir", str(companion.data_dir), "--port", str(companion.port))
    assert done.returncode == 0, done.stderr
    assert f"the companion on port {companion.port} holds" in done.stderr and "asking it" in done.stderr
    assert "  people added        6" in done.stdout.splitlines()
    alice = companion.get("/people/alice").json()
    assert alice["stage"]["current"] == 2 and alice["user_id"] == ALICE.user_id
    # Only the data files travelled, and the upload is gone; the one-off token too.
    assert not any((companion.data_dir / "rapport-uploads").rglob("*"))
    assert not any(c["name"].startswith("rapport command") for c in TokenStore(companion.data_dir).list())
    imports = companion.get("/archive/imports").json()["imports"]
    assert [(i["state"], i["archive"], i["owner"]["user_id"]) for i in imports] == [("done", path.name, ME.user_id)]
    refused = rapport("import-archive", str(SAMPLES / "milahu-2026"), "--data-dir", str(companion.data_dir),
                      "--port", str(companion.port))
    assert refused.returncode == 2 and "but this Rapport keeps the relationships of @me_now" in refused.stderr
    # Named as the user chose it, not as the companion's copy of its data files.
    assert "milahu-2026 is the archive of @milahu104" in refused.stderr and "rapport-uploads" not in refused.stderr


def test_a_data_folder_held_by_a_companion_on_another_port_is_explained(companion: Companion, tmp_path: Path) -> None:
    done = rapport("import-archive", str(SAMPLES / "dogsheep-2019"), "--data-dir", str(companion.data_dir),
                   "--port", "1")
    assert done.returncode == 2 and "does not answer on port 1: give its --port" in done.stderr


def _upload(companion: Companion, files: dict[str, bytes]) -> str:
    upload = companion.post("/archive/uploads", {}).json()["upload_id"]
    for path, data in files.items():
        answer = companion.http.post(companion.url(f"/archive/uploads/{upload}/files"),
                                     params={"path": path, "offset": 0}, data=data,
                                     headers={"Content-Type": "application/octet-stream"}, timeout=30)
        assert answer.status_code == 200, answer.text
    return upload


def _finish(companion: Companion, job: dict[str, Any]) -> dict[str, Any]:
    import time

    while job["state"] == "running":
        time.sleep(0.05)
        job = companion.get(f"/archive/jobs/{job['job_id']}").json()
    return job


def test_the_upload_api_refuses_paths_out_of_the_folder_and_pieces_out_of_order(companion: Companion) -> None:
    upload = companion.post("/archive/uploads", {}).json()["upload_id"]
    piece = companion.url(f"/archive/uploads/{upload}/files")
    for bad in ("../../rapport.json", "/etc/passwd.js", "data/../../x.js", "data/photo.jpg", ""):
        answer = companion.http.post(piece, params={"path": bad, "offset": 0}, data=b"x", timeout=10)
        assert answer.status_code == 400 and answer.json()["error"]["path"] == "/query/path", bad
    ok = companion.http.post(piece, params={"path": "data/tweets.js", "offset": 0}, data=b"window.YTD", timeout=10)
    assert ok.json() == {"path": "data/tweets.js", "size": 10}
    skipped = companion.http.post(piece, params={"path": "data/tweets.js", "offset": 99}, data=b"x", timeout=10)
    assert skipped.status_code == 409 and "has 10 bytes so far" in skipped.json()["error"]["message"]
    assert companion.post("/archive/uploads/nope/import", {}).status_code == 404
    assert requests.post(companion.url("/archive/uploads"), json={}, timeout=10).status_code == 401  # no token


def test_an_import_through_the_api_reports_progress_and_its_summary(companion: Companion) -> None:
    b = ArchiveBuilder(ME)
    for n in range(300):
        person = Person(f"p{n}", str(9000000 + n))
        b.post(f"@{person.handle} hi", START, mentions=[person], reply_to=(str(n + 1), person))
    upload = _upload(companion, {k: v.encode() for k, v in b.files().items()})
    dry = _finish(companion, companion.post(f"/archive/uploads/{upload}/import", {"dry_run": True}).json())
    assert dry["state"] == "done" and dry["summary"]["people_added"] == 300 and dry["progress"]["fraction"] == 1.0
    assert companion.get("/people", params={"limit": 1}).json()["total"] == 0
    upload = _upload(companion, {k: v.encode() for k, v in b.files().items()})
    job = _finish(companion, companion.post(f"/archive/uploads/{upload}/import", {"label": "my.zip"}).json())
    assert job["state"] == "done" and job["summary"]["archive"] == "my.zip"
    assert companion.get("/people", params={"limit": 1}).json()["total"] == 300
    assert companion.post("/badges", {"handles": ["p7"]}).json()["badges"]["p7"]["stage"] == 1


def test_a_bad_upload_fails_its_job_with_the_reason(companion: Companion) -> None:
    cut = b'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "created_at": "'
    upload = _upload(companion, {"data/tweets.js": cut})
    job = _finish(companion, companion.post(f"/archive/uploads/{upload}/import", {"me": "5"}).json())
    assert job["state"] == "failed" and "data/tweets.js is cut off" in job["error"]["message"]
    assert companion.get("/people", params={"limit": 1}).json()["total"] == 0


def test_rapport_due_lists_whom_to_get_back_to_with_or_without_a_companion(data_dir: Path) -> None:
    empty = rapport("due", "--data-dir", str(data_dir))
    assert empty.returncode == 0 and empty.stdout.startswith("Nobody has a keep-in-touch cadence yet")
    server = Companion(data_dir).start()
    try:
        server.post("/people", {"handle": "ana"})
        server.post("/people/ana/events", {"kind": "dm", "at": "2024-01-05"})
        server.patch("/people/ana", {"cadence_days": 30, "next_step": "ask about Lisbon"})
        live = rapport("due", "--data-dir", str(data_dir), "--port", str(server.port))
        assert live.returncode == 0, live.stderr
        assert "asking it" in live.stderr
        lines = live.stdout.splitlines()
        assert lines[0] == "Overdue (1)" and lines[1].startswith("  @ana") and "overdue by" in lines[1]
        assert lines[1].endswith("(your own); next: ask about Lisbon")
        as_json = rapport("due", "--json", "--data-dir", str(data_dir), "--port", str(server.port))
        assert '"overdue"' in as_json.stdout and '"counts"' in as_json.stdout
    finally:
        server.stop()
    offline = rapport("due", "--data-dir", str(data_dir))
    assert offline.returncode == 0 and offline.stdout.splitlines()[:2] == lines[:2]
