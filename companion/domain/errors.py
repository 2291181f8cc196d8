"""Domain errors carry a machine-readable type; the HTTP layer maps types to status codes in one place."""

from __future__ import annotations


class RapportError(Exception):
    type = "internal"

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class Invalid(RapportError):
    type = "invalid"


class NotFound(RapportError):
    type = "not_found"


class Conflict(RapportError):
    type = "conflict"

