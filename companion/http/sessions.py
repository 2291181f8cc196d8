"""The dashboard's browser session: an HttpOnly SameSite=Strict cookie, plus a CSRF token for changes.

The cookie alone is not enough to change anything: every POST/PATCH/DELETE made with it must also
carry the session's CSRF token (header X-CSRF-Token, or field csrf_token of a form).
"""

from __future__ import annotations

import hmac

from flask import Request, Response

from companion.store.logins import SESSION_VALID_S, DashboardLogins, csrf_for

from .responses import ApiError

COOKIE = "rapport_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_secret(request: Request, logins: DashboardLogins) -> str | None:
    """The request's session secret when it names a live session, else None."""
    secret = request.cookies.get(COOKIE)
    return secret if logins.session_valid(secret) else None


def check_csrf(request: Request, secret: str) -> None:
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.mimetype == "application/x-www-form-urlencoded":
        sent = request.form.get("csrf_token")
    sent = sent or ""
    if not hmac.compare_digest(sent, csrf_for(secret)):
        raise ApiError(403, "csrf", f"this change needs the dashboard's {CSRF_HEADER}; reload the page")


def set_cookie(response: Response, secret: str) -> None:
    response.set_cookie(COOKIE, secret, max_age=SESSION_VALID_S, path="/", httponly=True, samesite="Strict")


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="Strict")
