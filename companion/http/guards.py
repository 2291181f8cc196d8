"""Who may talk to the companion: the right Host, an allowed Origin, and a token.

A local server is reachable by every web page the user opens, so each request passes these checks
before any route runs.
"""

from __future__ import annotations

from flask import Flask, g, request

from companion.access.logins import DashboardLogins
from companion.access.tokens import TokenStore
from companion.config import Config

from . import sessions
from .responses import ApiError

# Pairing is how a client gets a token, so asking and polling cannot need one.
PUBLIC_ENDPOINTS = frozenset({"api.health", "api.pair_request", "api.pair_status"})
EXTENSION_SCHEMES = ("chrome-extension://", "moz-extension://")


def host_allowed(host: str | None, port: int) -> bool:
    """DNS rebinding: evil.example resolving to 127.0.0.1 still sends Host: evil.example."""
    return host in {f"127.0.0.1:{port}", f"localhost:{port}"}


def origin_allowed(origin: str | None, config: Config) -> bool:
    """No Origin (not a browser), the dashboard's own, an extra configured one, or an extension.

    Extension origins carry a per-install id (random in Firefox), so the scheme is what can be
    checked; such callers still need a token. Web pages can never claim these schemes.
    """
    return (origin is None or origin in config.dashboard_origins + config.extra_origins
            or origin.startswith(EXTENSION_SCHEMES))


def install(app: Flask, config: Config, tokens: TokenStore, logins: DashboardLogins | None = None) -> None:
    """`logins`: also accept the dashboard's session cookie (with its CSRF token for changes)."""
    @app.before_request
    def check_request() -> None:
        if not host_allowed(request.headers.get("Host"), config.port):
            raise ApiError(403, "forbidden_host", "this companion answers only to 127.0.0.1 and localhost "
                           f"on port {config.port}")
        origin = request.headers.get("Origin")
        if not origin_allowed(origin, config):
            raise ApiError(403, "forbidden_origin", f"requests from {origin} are not allowed")
        if request.method == "OPTIONS" or request.endpoint in PUBLIC_ENDPOINTS:
            return
        if request.blueprint == "dashboard":
            return  # its pages check the session themselves: without one they show how to sign in
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        client = tokens.verify(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        if client is None and logins is not None and origin in (None, *config.dashboard_origins):
            secret = sessions.session_secret(request, logins)
            if secret is not None:
                sessions.check_csrf(request, secret)
                client = {"id": "dashboard", "name": "dashboard"}
        if client is None:
            raise ApiError(401, "unauthorized", "send 'Authorization: Bearer <token>'; make a token with "
                           "`rapport token new NAME` or pair the extension")
        g.client = client
