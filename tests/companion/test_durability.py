"""What must never be lost: acknowledged writes across kill -9, updates from parallel requests, damaged files."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import ROOT, Companion, batch, tweet


def test_an_acknowledged_write_survives_kill_9_the_next_instant(data_dir: Path) -> None:
    server = Companion(data_dir).start()
    for n in range(20):
        assert server.post("/ingest", batch(tweets=[tweet(str(n), f"friend{n}", reply_to=["me"])])).status_code == 200
    assert server.patch("/people/friend7", {"notes": {"wine": "Barolo"}}).status_code == 200
    server.kill9()  # no shutdown, no compaction: straight after the last answer
    again = Companion(data_dir, port=server.port).start()
    try:
        assert again.get("/people", params={"limit": 100}).json()["total"] == 20
        assert again.get("/people/friend7").json()["notes"]["wine"] == "Barolo"
    finally:
        again.stop()


def test_kill_9_during_a_stream_of_writes_keeps_every_acknowledged_one(data_dir: Path) -> None:
    server = Companion(data_dir).start()
    acknowledged: list[int] = []

    def writer() -> None:
        for n in range(10_000):
            try:
                answer = server.post("/ingest", batch(tweets=[tweet(str(n + 1), f"p{n}", reply_to=["me"])]))
            except Exception:
                return
            if answer.status_code == 200:
                acknowledged.append(n)

    thread = threading.Thread(target=writer)
    thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 50 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(acknowledged) >= 50, "the writer did not get going"
    server.kill9()
    thread.join()
    again = Companion(data_dir, port=server.port).start()
    try:
        stored = {p["handle"] for p in again.get("/people", params={"limit": 500}).json()["people"]}
        total = again.get("/people").json()["total"]
        assert {f"p{n}" for n in acknowledged} <= stored
        assert total in (len(acknowledged), len(acknowledged) + 1)  # at most the one in flight
    finally:
        again.stop()


def test_parallel_requests_lose_no_update(companion: Companion) -> None:
    companion.post("/people", {"handle": "shared"})
    errors: list[str] = []

    def worker(w: int) -> None:
        for n in range(15):
            tid = str(w * 1000 + n + 1)
            answers = [
                companion.post("/ingest", batch(tweets=[tweet(tid, "shared", reply_to=["me"])])),
                companion.post("/people/shared/events", {"kind": "call", "at": "2026-11-01"}),
                companion.post("/ingest", batch(tweets=[tweet(tid, f"w{w}n{n}", reply_to=["me"])])),
            ]
            errors.extend(a.text for a in answers if a.status_code not in (200, 201))

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    shared = companion.get("/people/shared").json()
    assert shared["interactions_total"] == 8 * 15 * 2
    assert companion.get("/people").json()["total"] == 1 + 8 * 15


def test_serve_refuses_a_damaged_database_names_it_and_never_overwrites_it(data_dir: Path) -> None:
    database = data_dir / "rapport.json"
    database.write_bytes(b'{"people": {"1": {"handle": "alice", "notes": {"wine": "Bar')
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    run = subprocess.run([sys.executable, "-m", "companion", "serve", "--port", "0", "--data-dir", str(data_dir)],
                         capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert run.returncode == 2
    assert str(database) in run.stderr and "damaged" in run.stderr and "Traceback" not in run.stderr
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["rapport.json", "rapport.lock"]
