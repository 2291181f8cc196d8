"""Domain errors carry a machine-readable type; the HTTP layer maps types to status codes in one place."""

from __future__ import annotations

from typing import Any


class RapportError(Exception):
    type = "internal"

    def __init__(self, message: str, path: str | None = None, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        # Every problem found, when there were several (a CSV's bad rows: {"row", "column", "message"}).
        self.errors = errors


class Invalid(RapportError):
    type = "invalid"


class NotFound(RapportError):
    type = "not_found"


class Conflict(RapportError):
    type = "conflict"



class TooLarge(RapportError):
    type = "too_large"
