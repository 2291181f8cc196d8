"""Per-client API tokens in <data dir>/tokens.json, shared by the CLI and a running server.

Only SHA-256 digests are stored. The server re-reads the file when it changes, so a token made or
revoked with the CLI takes effect at once.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from pathlib import Path
from typing import Any

from companion.store.errors import StoreError
from companion.store.jsonfile import LockedJsonList

from .digests import Clock, DigestCache, digest, iso

log = logging.getLogger("rapport")

TOKENS_FILE = "tokens.json"
LAST_SEEN_EVERY_S = 60


class TokenError(StoreError):
    pass


class TokenStore:
    def __init__(self, data_dir: Path, clock: Clock = time.time) -> None:
        self.file = LockedJsonList(Path(data_dir) / TOKENS_FILE, "clients", "token list")
        self.path = self.file.path
        self.clock = clock
        self._active = DigestCache(self.file, "token_sha256", keep=lambda c: not c["revoked_at"])
        self._seen_flushed: dict[str, float] = {}
        self._mutex = threading.Lock()

    def create(self, name: str, unique: bool = False) -> tuple[dict[str, Any], str]:
        """A new client and its token. `unique`: take "name (2)" if the name is in use, instead of failing."""
        name = name.strip()
        if not 1 <= len(name) <= 64 or not name.isprintable():
            raise TokenError("a client name is 1 to 64 printable characters")
        token = secrets.token_urlsafe(32)
        with self.file.edit() as clients:
            active = {c["name"] for c in clients if not c["revoked_at"]}
            if unique:
                base, n = name, 1
                while name in active:
                    n += 1
                    name = f"{base} ({n})"
            if name in active:
                raise TokenError(f"a client named {name!r} exists already: revoke it first, or pick another name")
            client = {"id": f"c_{secrets.token_hex(4)}", "name": name, "token_sha256": digest(token),
                      "created_at": iso(self.clock()), "revoked_at": None, "last_seen_at": None}
            clients.append(client)
        return _public(client), token

    def list(self) -> list[dict[str, Any]]:
        return [_public(c) for c in self.file.read()]

    def revoke(self, name_or_id: str) -> dict[str, Any]:
        with self.file.edit() as clients:
            active = [c for c in clients if not c["revoked_at"] and name_or_id in (c["id"], c["name"])]
            if not active:
                raise TokenError(f"no active client named {name_or_id!r} (see `rapport token list`)")
            for client in active:
                client["revoked_at"] = iso(self.clock())
        return _public(active[0])

    def forget(self, client_id: str) -> None:
        """Remove a client altogether (a one-off token of the CLI's own, once its work is done)."""
        with self.file.edit() as clients:
            clients[:] = [c for c in clients if c["id"] != client_id]

    def verify(self, token: str) -> dict[str, Any] | None:
        """The active client this token belongs to, or None. Cheap: one stat() per call."""
        client = self._active.get(digest(token))
        if client is not None:
            self._note_seen(client)
        return client

    def _note_seen(self, client: dict[str, Any]) -> None:
        # Last-seen is for the user's information: written at most once a minute per client.
        now = self.clock()
        with self._mutex:
            if now - self._seen_flushed.get(client["id"], -LAST_SEEN_EVERY_S) < LAST_SEEN_EVERY_S:
                return
            self._seen_flushed[client["id"]] = now
        try:
            with self.file.edit() as clients:
                for stored in clients:
                    if stored["id"] == client["id"]:
                        stored["last_seen_at"] = iso(now)
        except (OSError, StoreError) as exc:
            # Bookkeeping: a full disk or a read-only folder must never fail the request it came with.
            log.warning("could not note when %s was last seen: %s", client["name"], exc)


def _public(client: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in client.items() if k != "token_sha256"}
