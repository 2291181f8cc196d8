"""The `rapport` command's way into a companion that holds the data folder: its API on 127.0.0.1, with a
token made for this one run and removed afterwards (the command can read the data folder, so it may)."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from companion.access.tokens import TokenStore
from companion.config import HOST
from companion.domain.errors import RapportError

CLIENT_NAME = "rapport command"


class CompanionRefused(RapportError):
    """The running companion refused or failed the request; its own message says why."""


class Companion:
    def __init__(self, port: int, token: str) -> None:
        self.base = f"http://{HOST}:{port}/api/v1"
        self.token = token

    def call(self, method: str, path: str, body: bytes | None = None, json: Any = None, raw: bool = False,
             content_type: str = "application/octet-stream") -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        if json is not None:
            body, headers["Content-Type"] = orjson.dumps(json), "application/json"
        elif body is not None:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                data = answer.read()
        except urllib.error.HTTPError as exc:
            try:
                error = orjson.loads(exc.read())["error"]
                message, errors = error["message"], error.get("errors")
            except (ValueError, KeyError, TypeError):
                message, errors = f"it answered {exc.code}", None
            raise CompanionRefused(f"the companion refused: {message}", errors=errors) from None
        except (urllib.error.URLError, OSError) as exc:
            raise CompanionRefused(f"lost the companion on {self.base} ({getattr(exc, 'reason', exc)}); is it "
                                   f"still running?") from None
        return data if raw else orjson.loads(data) if data else None


@contextmanager
def companion_on(data_dir: Path, port: int) -> Iterator[Companion]:
    """The companion on `port` that holds `data_dir`, with a one-off token."""
    tokens = TokenStore(data_dir)
    client, secret = tokens.create(CLIENT_NAME, unique=True)
    try:
        yield Companion(port, secret)
    finally:
        tokens.forget(client["id"])
