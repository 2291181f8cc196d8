"""The dashboard's browser session: an HttpOnly SameSite=Strict cookie, plus a CSRF token for changes.

The cookie alone is not enough to change anything: every POST/PATCH/DELETE made with it must also
carry the session's CSRF token (header X-CSRF-Token, or field csrf_token of a form).
"""

from __future__ import annotations

import hmac

from flask import Request, Response

from companion.access.logins import SESSION_VALID_S, DashboardLogins, csrf_for

from .responses import ApiError

COOKIE_PREFIX = "rapport_session_"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def cookie_name(port: int | str) -> str:
    """Cookies are not kept apart by port: two companions (two data folders) on one machine must not
    overwrite each other's session, so the name carries the dashboard's port."""
    return f"{COOKIE_PREFIX}{port}"


def _cookie(request: Request) -> str:
    # The Host header was checked before any route runs: it is 127.0.0.1:<port> or localhost:<port>.
    return cookie_name(request.host.rpartition(":")[2])


def request_secret(request: Request) -> str:
    return request.cookies.get(_cookie(request), "")


def session_secret(request: Request, logins: DashboardLogins) -> str | None:
    """The request's session secret when it names a live session, else None."""
    secret = request_secret(request)
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


def set_cookie(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(_cookie(request), secret, max_age=SESSION_VALID_S, path="/", httponly=True,
                        samesite="Strict")


def clear_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(_cookie(request), path="/", httponly=True, samesite="Strict")
