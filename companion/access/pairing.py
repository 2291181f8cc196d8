"""Pairing an extension with the companion (Joplin's clipper handshake, hardened).

The extension asks to pair and shows a short code; the user approves that code in the dashboard or
with `rapport pair approve CODE`; the extension, polling with its secret request id, receives its own
token once. Requests expire after a few minutes; at most a handful wait at once: a new one pushes
out the oldest (any local program can ask, so asking must never lock the user out), and the user can
reject them all at once.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path
from typing import Any

from companion.domain.errors import Conflict, Invalid, NotFound
from companion.domain.events import EventBus
from companion.store.jsonfile import LockedJsonList

from .digests import Clock, iso
from .tokens import TokenStore

PAIRING_FILE = "pairing.json"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand
CODE_LENGTH = 8
PENDING_FOR_S = 600
FORGET_AFTER_S = 3600  # how long a finished request still answers its poll
MAX_PENDING = 5
POLL_INTERVAL_MS = 1500


def _digest(request_id: str) -> str:
    return hashlib.sha256(request_id.encode()).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    return code.replace("-", "").replace(" ", "").upper()


def shown_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


class Pairing:
    def __init__(self, data_dir: Path, tokens: TokenStore, clock: Clock = time.time,
                 bus: EventBus | None = None) -> None:
        self.file = LockedJsonList(Path(data_dir) / PAIRING_FILE, "requests", "pairing list")
        self.tokens = tokens
        self.clock = clock
        self.bus = bus

    def _tidy(self, requests: list[dict[str, Any]]) -> None:
        now = self.clock()
        for item in requests:
            if item["state"] == "pending" and item["expires_at"] <= now:
                item["state"] = "expired"
                item["ended_at"] = item["expires_at"]
        requests[:] = [r for r in requests if r["state"] == "pending" or now - r["ended_at"] < FORGET_AFTER_S]

    def request(self, client_name: str, origin: str | None) -> dict[str, Any]:
        request_id = secrets.token_urlsafe(24)
        now = self.clock()
        with self.file.edit() as requests:
            self._tidy(requests)
            waiting = sorted((r for r in requests if r["state"] == "pending"), key=lambda r: r["created_at"])
            for old in waiting[:max(0, len(waiting) - MAX_PENDING + 1)]:
                old.update(state="expired", ended_at=now)  # its extension is told to ask again
            taken = {r["code"] for r in requests}
            code = _new_code()
            while code in taken:
                code = _new_code()
            requests.append({"id_sha256": _digest(request_id), "code": code, "client_name": client_name.strip(),
                             "origin": origin, "created_at": now, "expires_at": now + PENDING_FOR_S,
                             "state": "pending", "ended_at": None, "token": None, "client_id": None})
        if self.bus is not None:
            self.bus.publish([{"type": "pairing.requested", "at": iso(now), "code": shown_code(code),
                               "client_name": client_name.strip()}])
        return {"request_id": request_id, "code": shown_code(code), "expires_at": iso(now + PENDING_FOR_S),
                "poll_interval_ms": POLL_INTERVAL_MS}

    def status(self, request_id: str) -> dict[str, Any]:
        """Poll a request; an approved one hands over its token exactly once."""
        digest = _digest(request_id)
        with self.file.edit() as requests:
            self._tidy(requests)
            found = next((r for r in requests if r["id_sha256"] == digest), None)
            if found is None:
                raise NotFound("no such pairing request (it may have expired long ago): ask to pair again")
            answer: dict[str, Any] = {"state": found["state"], "code": shown_code(found["code"])}
            if found["state"] == "approved":
                answer.update(token=found["token"], client_id=found["client_id"])
                found["state"], found["token"] = "delivered", None
            return answer

    def pending(self) -> list[dict[str, Any]]:
        with self.file.edit() as requests:
            self._tidy(requests)
            return [{"code": shown_code(r["code"]), "client_name": r["client_name"], "origin": r["origin"],
                     "created_at": iso(r["created_at"]), "expires_at": iso(r["expires_at"])}
                    for r in requests if r["state"] == "pending"]

    def _decide(self, code: str, approve: bool) -> dict[str, Any]:
        wanted = normalize_code(code)
        if len(wanted) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in wanted):
            raise Invalid(f"a pairing code looks like ABCD-EFGH; {code!r} is not one", "/code")
        with self.file.edit() as requests:
            self._tidy(requests)
            found = next((r for r in requests if r["code"] == wanted), None)
            if found is None:
                raise NotFound(f"no pairing request with code {shown_code(wanted)}")
            if found["state"] != "pending":
                raise Conflict(f"the pairing request {shown_code(wanted)} is {found['state']} already")
            found["ended_at"] = self.clock()
            if not approve:
                found["state"] = "rejected"
                return {"code": shown_code(wanted), "state": "rejected", "client": None}
            client, token = self.tokens.create(found["client_name"] or "extension", unique=True)
            found.update(state="approved", token=token, client_id=client["id"])
            return {"code": shown_code(wanted), "state": "approved", "client": client}

    def reject_all(self) -> dict[str, Any]:
        """Reject every waiting request (a flood of them, or none of them is yours)."""
        with self.file.edit() as requests:
            self._tidy(requests)
            now = self.clock()
            rejected = []
            for item in requests:
                if item["state"] == "pending":
                    item.update(state="rejected", ended_at=now)
                    rejected.append(shown_code(item["code"]))
        return {"rejected": rejected}

    def approve(self, code: str) -> dict[str, Any]:
        return self._decide(code, approve=True)

    def reject(self, code: str) -> dict[str, Any]:
        return self._decide(code, approve=False)
