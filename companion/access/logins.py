"""Dashboard access: one-time login links and browser sessions, in the data folder.

Both live in files (digests only) so that `rapport dashboard` can mint a link while the server runs,
and a signed-in browser stays signed in across restarts until its session expires.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from pathlib import Path

from companion.store.jsonfile import LockedJsonList

from .digests import Clock, DigestCache, digest

LOGIN_LINKS_FILE = "dashboard-logins.json"
SESSIONS_FILE = "dashboard-sessions.json"
LINK_VALID_S = 15 * 60
SESSION_VALID_S = 7 * 24 * 3600


def csrf_for(session_secret: str) -> str:
    """The CSRF token that goes with a session: derived, so it needs no storage of its own."""
    return hmac.new(session_secret.encode(), b"rapport-csrf", hashlib.sha256).hexdigest()


class DashboardLogins:
    def __init__(self, data_dir: Path, clock: Clock = time.time) -> None:
        self.links = LockedJsonList(Path(data_dir) / LOGIN_LINKS_FILE, "links", "login link list")
        self.sessions = LockedJsonList(Path(data_dir) / SESSIONS_FILE, "sessions", "dashboard session list")
        self.clock = clock
        self._sessions = DigestCache(self.sessions, "sha256")

    # -- login links ---------------------------------------------------------------------------------
    def new_link_token(self) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self.links.edit() as links:
            links[:] = [link for link in links if link["expires_at"] > now]
            links.append({"sha256": digest(token), "created_at": now, "expires_at": now + LINK_VALID_S})
        return token

    def redeem(self, token: str) -> str | None:
        """A login link's token → a new session secret; the link is used up. None if unknown or expired."""
        wanted = digest(token)
        now = self.clock()
        with self.links.edit() as links:
            found = next((link for link in links if hmac.compare_digest(link["sha256"], wanted)), None)
            links[:] = [link for link in links if link is not found and link["expires_at"] > now]
        if found is None or found["expires_at"] <= now:
            return None
        secret = secrets.token_urlsafe(32)
        with self.sessions.edit() as sessions:
            sessions[:] = [s for s in sessions if s["expires_at"] > now]
            sessions.append({"sha256": digest(secret), "created_at": now, "expires_at": now + SESSION_VALID_S})
        return secret

    # -- sessions ------------------------------------------------------------------------------------
    def session_valid(self, secret: str | None) -> bool:
        """Cheap: one stat() per call, the file is re-read only when it changed."""
        if not secret:
            return False
        found = self._sessions.get(digest(secret))
        return found is not None and found["expires_at"] > self.clock()

    def end_session(self, secret: str) -> None:
        wanted = digest(secret)
        with self.sessions.edit() as sessions:
            sessions[:] = [s for s in sessions if s["sha256"] != wanted]
