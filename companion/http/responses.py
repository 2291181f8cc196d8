"""JSON in and out of the API: fast encoding, strict parsing, one error shape."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response, request

from companion.domain.errors import RapportError
from companion.schema import SchemaViolation, validate

# Domain error type -> HTTP status: the one place this mapping lives (the API and the dashboard use it).
STATUS = {"invalid": 400, "not_found": 404, "conflict": 409, "too_large": 413}


def status_for(exc: RapportError) -> int:
    """The HTTP status of a refusal: its own for an ApiError, else by the domain error's type."""
    return exc.status if isinstance(exc, ApiError) else STATUS.get(exc.type, 500)


class ApiError(RapportError):
    """An HTTP-level refusal (bad JSON, bad host, no token): carries its status code."""

    def __init__(self, status: int, type_: str, message: str, path: str | None = None) -> None:
        super().__init__(message, path)
        self.status = status
        self.type = type_


def json_response(body: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status=status, mimetype="application/json")


def error_response(status: int, type_: str, message: str, path: str | None = None,
                   errors: list[dict[str, Any]] | None = None) -> Response:
    error: dict[str, Any] = {"type": type_, "message": message}
    if path is not None:
        error["path"] = path
    if errors is not None:
        error["errors"] = errors
    return json_response({"error": error}, status)


def json_body(schema: str) -> Any:
    """The request body parsed as JSON and checked against shared_schema/<schema>.schema.json."""
    raw = request.get_data(cache=False)  # Werkzeug stops at max_content_length (413)
    if not raw.strip():
        raise ApiError(400, "malformed_json", "the request body is empty: send a JSON document")
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, "malformed_json", f"the request body is not valid JSON: {exc}") from None
    try:
        validate(schema, body)
    except SchemaViolation as exc:
        raise ApiError(400, "invalid", exc.message, exc.path) from None
    return body
