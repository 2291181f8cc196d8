"""The security baseline: loopback only, exact Host, tokens, an exact CORS allow-list."""

from __future__ import annotations

import socket
import subprocess
import sys

import requests

from tests.conftest import ROOT, Companion, batch, tweet


def raw_request(port: int, host_header: str | None) -> str:
    head = "GET /api/v1/health HTTP/1.1\r\n" + (f"Host: {host_header}\r\n" if host_header is not None else "")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall((head + "Connection: close\r\n\r\n").encode())
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks).decode(errors="replace")


def test_it_listens_on_loopback_only(companion: Companion) -> None:
    out = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout if _has_ss() else ""
    listening = [line.split()[3] for line in out.splitlines() if line.split()[3].endswith(f":{companion.port}")]
    if out:
        assert listening == [f"127.0.0.1:{companion.port}"]
    with open("/proc/net/tcp") as table:  # always available: local address of every listening socket
        rows = [r.split() for r in table.read().splitlines()[1:]]
    ours = [r[1] for r in rows if r[3] == "0A" and int(r[1].split(":")[1], 16) == companion.port]
    assert ours == [f"0100007F:{companion.port:04X}"]


def _has_ss() -> bool:
    from shutil import which

    return which("ss") is not None


def test_a_foreign_or_empty_host_is_refused(companion: Companion) -> None:
    assert raw_request(companion.port, f"127.0.0.1:{companion.port}").startswith("HTTP/1.1 200")
    assert raw_request(companion.port, f"localhost:{companion.port}").startswith("HTTP/1.1 200")
    for host in ("evil.example", f"evil.example:{companion.port}", "127.0.0.1", "localhost:1", ""):
        reply = raw_request(companion.port, host)
        assert reply.startswith("HTTP/1.1 403"), (host, reply[:80])
        assert "forbidden_host" in reply
    assert raw_request(companion.port, None).split(" ")[1] in {"400", "403"}


def test_every_route_but_health_needs_a_valid_token(companion: Companion) -> None:
    routes = [("get", "/people"), ("post", "/ingest"), ("post", "/badges"), ("get", "/export"),
              ("get", "/people/x"), ("post", "/import"), ("patch", "/people/x"), ("delete", "/people/x")]
    for auth in (None, "Bearer wrong-token", f"Basic {companion.token}", "Bearer "):
        headers = {"Authorization": auth} if auth else {}
        for method, path in routes:
            answer = requests.request(method, companion.url(path), headers=headers, timeout=5)
            assert answer.status_code == 401, (auth, path)
            assert answer.json()["error"]["type"] == "unauthorized"


def test_a_revoked_token_stops_working_at_once(companion: Companion) -> None:
    made = subprocess.run([sys.executable, "-m", "companion", "token", "new", "laptop", "--data-dir",
                           str(companion.data_dir)], capture_output=True, text=True, cwd=ROOT, check=True)
    token = made.stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(companion.url("/people"), headers=headers, timeout=5).status_code == 200
    subprocess.run([sys.executable, "-m", "companion", "token", "revoke", "laptop", "--data-dir",
                    str(companion.data_dir)], capture_output=True, check=True, cwd=ROOT)
    assert requests.get(companion.url("/people"), headers=headers, timeout=5).status_code == 401


def test_cors_allows_exactly_the_dashboard_and_refused_origins_change_nothing(companion: Companion) -> None:
    own = f"http://127.0.0.1:{companion.port}"
    preflight = requests.options(companion.url("/people"), timeout=5, headers={
        "Origin": own, "Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "authorization"})
    assert preflight.headers.get("Access-Control-Allow-Origin") == own
    for origin in ("https://evil.example", f"http://127.0.0.1:{companion.port + 1}", "null",
                   f"http://127.0.0.1:{companion.port}.evil.example"):
        answer = companion.post("/ingest", batch(tweets=[tweet("1", "alice", reply_to=["me"])]),
                                headers={"Origin": origin})
        assert answer.status_code == 403 and answer.json()["error"]["type"] == "forbidden_origin"
        assert "Access-Control-Allow-Origin" not in answer.headers
        assert "*" not in answer.headers.get("Access-Control-Allow-Origin", "")
    assert companion.get("/people/alice").status_code == 404
    # The extension's own origin (random per install in Firefox) still needs its token.
    ext = companion.post("/badges", {"handles": []}, headers={"Origin": "moz-extension://0d7b-uuid"})
    assert ext.status_code == 200
    assert requests.post(companion.url("/badges"), json={"handles": []}, timeout=5,
                         headers={"Origin": "chrome-extension://abc"}).status_code == 401


def test_errors_never_show_a_debugger_or_stack_trace(companion: Companion) -> None:
    answer = requests.get(companion.base + "/console", timeout=5)
    assert answer.status_code in (401, 404) and "Werkzeug" not in answer.text and "Traceback" not in answer.text
