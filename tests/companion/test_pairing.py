"""Pairing: the extension asks, the user approves the code, the extension collects its own token once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from companion.access.pairing import MAX_PENDING, PENDING_FOR_S, Pairing
from companion.access.tokens import TokenStore
from companion.domain.errors import Conflict, Invalid, NotFound
from companion.schema import validate
from tests.conftest import ROOT, Companion

EXTENSION = {"Origin": "chrome-extension://abcdefghijklmnopabcdefghijklmnop"}


def rapport(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


def test_pair_approve_with_the_cli_and_collect_the_token_once(companion: Companion) -> None:
    asked = requests.post(companion.url("/pair"), json={"client_name": "Chrome on laptop"}, headers=EXTENSION,
                          timeout=5)
    assert asked.status_code == 201
    validate("pair-started", asked.json())
    request_id, code = asked.json()["request_id"], asked.json()["code"]
    poll = companion.url(f"/pair/{request_id}")
    assert requests.get(poll, timeout=5).json() == {"state": "pending", "code": code}

    waiting = rapport("pair", "list", "--data-dir", str(companion.data_dir))
    assert code in waiting.stdout and "Chrome on laptop" in waiting.stdout and EXTENSION["Origin"] in waiting.stdout
    listed = companion.get("/pairing")
    validate("pairing-list", listed.json())
    assert [r["code"] for r in listed.json()["requests"]] == [code]

    approved = rapport("pair", "approve", code.lower().replace("-", ""), "--data-dir", str(companion.data_dir))
    assert approved.returncode == 0 and "Chrome on laptop" in approved.stdout

    first = requests.get(poll, timeout=5).json()
    validate("pair-status", first)
    assert first["state"] == "approved" and len(first["token"]) >= 40
    assert requests.get(poll, timeout=5).json() == {"state": "delivered", "code": code}
    works = requests.post(companion.url("/badges"), json={"handles": []}, timeout=5,
                          headers={**EXTENSION, "Authorization": f"Bearer {first['token']}"})
    assert works.status_code == 200
    assert "Chrome on laptop" in rapport("token", "list", "--data-dir", str(companion.data_dir)).stdout
    again = rapport("pair", "approve", code, "--data-dir", str(companion.data_dir))
    assert again.returncode == 2 and "delivered already" in again.stderr


def test_a_rejected_request_never_gets_a_token(companion: Companion) -> None:
    asked = requests.post(companion.url("/pair"), json={"client_name": "Firefox"}, timeout=5).json()
    rejected = companion.post(f"/pairing/{asked['code']}/reject")
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    answer = requests.get(companion.url(f"/pair/{asked['request_id']}"), timeout=5).json()
    assert answer == {"state": "rejected", "code": asked["code"]}
    assert companion.post(f"/pairing/{asked['code']}/approve").status_code == 409


def test_pairing_is_refused_to_web_pages_and_approving_needs_a_token(companion: Companion) -> None:
    refused = requests.post(companion.url("/pair"), json={"client_name": "evil"}, timeout=5,
                            headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert requests.get(companion.url("/pairing"), timeout=5).status_code == 401
    assert requests.post(companion.url("/pairing/ABCD-EFGH/approve"), timeout=5).status_code == 401
    assert requests.get(companion.url("/pair/not-a-real-request-id"), timeout=5).status_code == 404
    bad = requests.post(companion.url("/pair"), json={"client_name": "   "}, timeout=5)
    assert bad.status_code == 400 and bad.json()["error"]["path"] == "/client_name"
    assert companion.post("/pairing/0000-0000/approve").json()["error"]["type"] == "invalid"


def test_requests_expire_and_a_new_one_pushes_out_the_oldest_waiting(data_dir: Path) -> None:
    now = [1_000_000.0]
    pairing = Pairing(data_dir, TokenStore(data_dir), clock=lambda: now[0])
    first = pairing.request("Chrome", None)
    for n in range(MAX_PENDING - 1):
        now[0] += 1
        pairing.request(f"extra {n}", None)
    now[0] += 1
    newest = pairing.request("one more", None)  # never locked out: the oldest waiting one goes
    assert len(pairing.pending()) == MAX_PENDING
    assert pairing.status(first["request_id"])["state"] == "expired"
    assert newest["code"] in [r["code"] for r in pairing.pending()]
    now[0] += PENDING_FOR_S + 1
    assert pairing.status(newest["request_id"])["state"] == "expired"
    with pytest.raises(Conflict, match="expired"):
        pairing.approve(first["code"])
    assert pairing.pending() == []
    pairing.request("room again", None)
    now[0] += 10 * PENDING_FOR_S
    with pytest.raises(NotFound):
        pairing.status(first["request_id"])  # long finished requests are forgotten
    with pytest.raises(Invalid):
        pairing.approve("not a code")


def test_two_extensions_with_the_same_name_get_distinct_clients(data_dir: Path) -> None:
    pairing = Pairing(data_dir, TokenStore(data_dir))
    names = []
    for _ in range(2):
        asked = pairing.request("Chrome", None)
        names.append(pairing.approve(asked["code"])["client"]["name"])
    assert names == ["Chrome", "Chrome (2)"]


def test_a_flood_of_requests_never_blocks_pairing_and_the_dashboard_rejects_them_all(companion: Companion) -> None:
    flood = [requests.post(companion.url("/pair"), json={"client_name": f"spam {n}"}, timeout=5) for n in range(20)]
    assert all(answer.status_code == 201 for answer in flood)
    mine = requests.post(companion.url("/pair"), json={"client_name": "Firefox on the laptop"}, timeout=5).json()
    waiting = companion.get("/pairing").json()["requests"]
    assert len(waiting) == MAX_PENDING and mine["code"] in [r["code"] for r in waiting]
    assert companion.post(f"/pairing/{mine['code']}/approve").json()["state"] == "approved"
    rejected = companion.post("/pairing/reject-all").json()["rejected"]
    assert len(rejected) == MAX_PENDING - 1 and companion.get("/pairing").json()["requests"] == []
    assert requests.get(companion.url(f"/pair/{mine['request_id']}"), timeout=5).json()["state"] == "approved"
    last_spam = flood[-1].json()["request_id"]
    assert requests.get(companion.url(f"/pair/{last_spam}"), timeout=5).json()["state"] == "rejected"


def test_the_cli_rejects_every_waiting_request_at_once(data_dir: Path) -> None:
    pairing = Pairing(data_dir, TokenStore(data_dir))
    for n in range(3):
        pairing.request(f"spam {n}", None)
    run = subprocess.run([sys.executable, "-m", "companion", "pair", "reject", "--all", "--data-dir", str(data_dir)],
                         capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert run.returncode == 0 and run.stdout.startswith("rejected 3: ")
    assert pairing.pending() == []
