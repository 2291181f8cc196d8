"""create_app(config): Flask with the API blueprint, the guards, CORS, and one error mapping."""

from __future__ import annotations

import logging

from flask import Flask, Response
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from companion.domain.errors import RapportError
from companion.parts import Parts
from companion.store.errors import StoreError, WriteFailed

from . import guards
from .api import api
from .dashboard import dashboard
from .responses import ApiError, error_response, status_for

log = logging.getLogger("rapport")

HTTP_TYPES = {400: "invalid", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def create_app(parts: Parts, live_port: int | None = None) -> Flask:
    """Flask over the companion's parts (companion/parts.py). `live_port`: where the live-event websocket
    server listens, told to clients by /health."""
    config = parts.config
    app = Flask("companion")
    app.config.update(MAX_CONTENT_LENGTH=config.max_body_bytes, JSON_SORT_KEYS=False, RAPPORT_LIVE_PORT=live_port)
    app.extensions["rapport"] = parts.service
    app.extensions["rapport.pairing"] = parts.pairing
    app.extensions["rapport.tokens"] = parts.tokens
    app.extensions["rapport.logins"] = parts.logins
    app.extensions["rapport.archive"] = parts.archive_jobs
    app.extensions["rapport.data_dir"] = config.data_dir
    guards.install(app, config, parts.tokens, parts.logins)
    app.register_blueprint(api)
    app.register_blueprint(dashboard)
    CORS(app, resources={r"/api/*": {"origins": list(config.dashboard_origins + config.extra_origins)}},
         allow_headers=["Authorization", "Content-Type"], methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
         max_age=600, always_send=False)

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.type, exc.message, exc.path)

    @app.errorhandler(RapportError)
    def domain_error(exc: RapportError) -> Response:
        return error_response(status_for(exc), exc.type, exc.message, exc.path, exc.errors)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        message = ("the request body is larger than the companion accepts "
                   f"({config.max_body_bytes // 1024} KiB)") if status == 413 else (exc.description or exc.name)
        return error_response(status, HTTP_TYPES.get(status, "invalid" if status < 500 else "internal"), message)

    @app.errorhandler(WriteFailed)
    def write_failed(exc: WriteFailed) -> Response:
        return error_response(507, "storage_failed", f"nothing was saved: {exc}")

    @app.errorhandler(StoreError)
    def store_error(exc: StoreError) -> Response:
        return error_response(500, "storage_failed", str(exc))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected error")  # the details go to the terminal, never to the client
        return error_response(500, "internal", "the companion hit an unexpected error; see its terminal output")

    return app
