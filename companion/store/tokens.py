"""Per-client API tokens in <data dir>/tokens.json, shared by the CLI and a running server.

Only SHA-256 digests are stored. The server re-reads the file when it changes, so a token made or
revoked with the CLI takes effect at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from .errors import CorruptDatabase, StoreError
from .storage import write_atomically

TOKENS_FILE = "tokens.json"
LAST_SEEN_EVERY_S = 60


class TokenError(StoreError):
    pass


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class TokenStore:
    def __init__(self, data_dir: Path) -> None:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        self.path = Path(data_dir) / TOKENS_FILE
        self._cache_stamp: tuple[int, int] | None = None
        self._by_digest: dict[str, dict[str, Any]] = {}
        self._seen_flushed: dict[str, float] = {}
        self._mutex = threading.Lock()

    @contextmanager
    def _locked(self) -> Iterator[list[dict[str, Any]]]:
        """Read-modify-write under an exclusive lock; the file is replaced atomically."""
        with open(self.path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            clients = self._read()
            yield clients
            write_atomically(self.path, orjson.dumps({"clients": clients}, option=orjson.OPT_INDENT_2))
            os.chmod(self.path, 0o600)

    def _read(self) -> list[dict[str, Any]]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        try:
            clients = orjson.loads(raw)["clients"]
            assert isinstance(clients, list)
            return clients
        except (orjson.JSONDecodeError, KeyError, TypeError, AssertionError):
            raise CorruptDatabase(self.path, "not a Rapport token list") from None

    def create(self, name: str) -> tuple[dict[str, Any], str]:
        name = name.strip()
        if not 1 <= len(name) <= 64 or not name.isprintable():
            raise TokenError("a client name is 1 to 64 printable characters")
        token = secrets.token_urlsafe(32)
        with self._locked() as clients:
            if any(c["name"] == name and not c["revoked_at"] for c in clients):
                raise TokenError(f"a client named {name!r} exists already: revoke it first, or pick another name")
            client = {"id": f"c_{secrets.token_hex(4)}", "name": name, "token_sha256": digest(token),
                      "created_at": _now(), "revoked_at": None, "last_seen_at": None}
            clients.append(client)
        return _public(client), token

    def list(self) -> list[dict[str, Any]]:
        return [_public(c) for c in self._read()]

    def revoke(self, name_or_id: str) -> dict[str, Any]:
        with self._locked() as clients:
            active = [c for c in clients if not c["revoked_at"] and name_or_id in (c["id"], c["name"])]
            if not active:
                raise TokenError(f"no active client named {name_or_id!r} (see `rapport token list`)")
            for client in active:
                client["revoked_at"] = _now()
        return _public(active[0])

    def verify(self, token: str) -> dict[str, Any] | None:
        """The active client this token belongs to, or None. Cheap: one stat() per call."""
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            stamp = None
        with self._mutex:
            if stamp != self._cache_stamp:
                clients = self._read() if stamp else []
                self._by_digest = {c["token_sha256"]: c for c in clients if not c["revoked_at"]}
                self._cache_stamp = stamp
            client = self._by_digest.get(digest(token))
        if client is not None:
            self._note_seen(client)
        return client

    def _note_seen(self, client: dict[str, Any]) -> None:
        # Last-seen is for the user's information: written at most once a minute per client.
        now = time.monotonic()
        if now - self._seen_flushed.get(client["id"], -LAST_SEEN_EVERY_S) < LAST_SEEN_EVERY_S:
            return
        self._seen_flushed[client["id"]] = now
        with self._locked() as clients:
            for stored in clients:
                if stored["id"] == client["id"]:
                    stored["last_seen_at"] = _now()


def _public(client: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in client.items() if k != "token_sha256"}
