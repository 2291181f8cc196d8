"""What a hostile page or a careless script sends, against a real `rapport serve` (waitress)."""

from __future__ import annotations

import signal
import socket
import time

import requests

from tests.conftest import Companion, batch, tweet


def chunked(companion: Companion, path: str, parts: list[bytes]) -> requests.Response:
    return companion.http.post(companion.url(path), data=iter(parts), timeout=30,
                               headers={"Content-Type": "application/json"})


def test_a_chunked_body_over_the_limit_is_a_413_not_cut_and_parsed(companion: Companion) -> None:
    answer = chunked(companion, "/badges", [b'{"handles": ["alice"]}', b" " * (5 * 1024 * 1024)])
    assert answer.status_code == 413, answer.text[:200]
    assert answer.json()["error"]["type"] == "too_large"
    # Far over it, the server itself stops reading.
    far = chunked(companion, "/ingest", [b'{"page": ', *([b" " * (1024 * 1024)] * 12), b"}"])
    assert far.status_code == 413
    small = chunked(companion, "/badges", [b'{"handles": ', b'["alice"]}'])
    assert small.status_code == 200  # chunked bodies within the limit are fine


def test_huge_arrays_are_refused_by_their_size_with_a_short_answer(companion: Companion) -> None:
    cases = [
        ("/badges", {"handles": [f"h{n}" for n in range(50_000)]}, "/handles", "50000 items"),
        ("/badges", {"handles": [7] * 1_000_000}, "/handles", "1000000 items"),  # 3 MB: under the body limit
        ("/ingest", batch(tweets=[{"status_id": "x"}] * 20_000), "/tweets", "20000 items"),
    ]
    for path, body, pointer, says in cases:
        answer = companion.post(path, body)
        assert answer.status_code == 400, answer.text[:200]
        assert answer.json()["error"]["path"] == pointer and says in answer.json()["error"]["message"]
        assert len(answer.content) < 1000
    # Many bad items within the limits: the first problem, and how many more.
    answer = companion.post("/ingest", batch(tweets=[{"status_id": "x"}] * 500))
    assert answer.status_code == 400 and "more)" in answer.json()["error"]["message"] and len(answer.content) < 1000


def test_answers_name_no_server_software_or_version(companion: Companion) -> None:
    for answer in (requests.get(companion.url("/health"), timeout=5), companion.get("/nowhere"),
                   requests.get(companion.url("/people"), timeout=5)):
        assert "Server" not in answer.headers, answer.headers
        assert "Werkzeug" not in answer.text and "Python" not in answer.text and "waitress" not in answer.text


def test_slow_clients_hold_no_worker_others_are_answered(companion: Companion) -> None:
    stalled = []
    try:
        for _ in range(150):
            conn = socket.create_connection(("127.0.0.1", companion.port), timeout=5)
            conn.sendall(b"POST /api/v1/ingest HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: 1000\r\n\r\n{"
                         % companion.port)
            stalled.append(conn)
        for n in range(20):
            answer = companion.post("/ingest", batch(tweets=[tweet(str(100 + n), f"fan_{n}", reply_to=["me"])]))
            assert answer.status_code == 200
    finally:
        for conn in stalled:
            conn.close()
    assert companion.get("/people").json()["total"] == 20


def test_sigterm_while_writing_stops_cleanly_and_keeps_every_acknowledged_write(companion: Companion) -> None:
    acknowledged = []
    deadline = time.monotonic() + 1.5
    n = 0
    while time.monotonic() < deadline:
        if companion.post("/ingest", batch(tweets=[tweet(str(500 + n), f"p_{n}", reply_to=["me"])])).ok:
            acknowledged.append(f"p_{n}")
        n += 1
    assert companion.proc is not None
    companion.proc.send_signal(signal.SIGTERM)
    assert companion.proc.wait(timeout=20) == 0
    assert "everything is saved" in companion.log.read_text() and "Traceback" not in companion.log.read_text()
    companion.start()
    stored: set[str] = set()
    while len(stored) < companion.get("/people", params={"limit": 1}).json()["total"]:
        page = companion.get("/people", params={"limit": 500, "offset": len(stored)}).json()["people"]
        stored |= {p["handle"] for p in page}
    assert set(acknowledged) <= stored and acknowledged
