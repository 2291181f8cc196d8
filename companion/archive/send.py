"""Hand an archive to the companion that holds the data folder: send its data files (never its media)
a piece at a time, start the import there, and follow its progress until the summary comes back."""

from __future__ import annotations

import contextlib
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from companion.config import HOST
from companion.domain.errors import RapportError

from .container import Archive

PIECE_BYTES = 2 * 1024 * 1024  # well under the companion's request limit
POLL_S = 0.25

# on_progress({"phase", "file", "file_done", "file_size", "file_items", "done", "total", "fraction"}), in bytes
OnProgress = Callable[[dict[str, Any]], None]


class CompanionRefused(RapportError):
    """The running companion refused or failed the import; its own message says why."""


class _Companion:
    def __init__(self, port: int, token: str) -> None:
        self.base = f"http://{HOST}:{port}/api/v1"
        self.token = token

    def call(self, method: str, path: str, body: bytes | None = None, json: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        if json is not None:
            body, headers["Content-Type"] = orjson.dumps(json), "application/json"
        elif body is not None:
            headers["Content-Type"] = "application/octet-stream"
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as exc:
            try:
                message = orjson.loads(exc.read())["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = f"it answered {exc.code}"
            raise CompanionRefused(f"the companion refused the import: {message}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise CompanionRefused(f"lost the companion on {self.base} ({getattr(exc, 'reason', exc)}); is it "
                                   f"still running?") from None
        return orjson.loads(raw) if raw else None


def send(path: Path, port: int, token: str, options: dict[str, Any], on_progress: OnProgress) -> dict[str, Any]:
    """Import the archive at `path` through the companion on `port`; returns its summary."""
    companion = _Companion(port, token)
    with Archive(path) as archive:
        total = sum(f.size for f in archive.files) or 1
        upload = companion.call("POST", "/archive/uploads", json={})["upload_id"]
        sent = 0
        try:
            for file in archive.files:
                offset = 0
                with archive.open(file.path) as stream:
                    while piece := stream.read(PIECE_BYTES):
                        query = urllib.parse.urlencode({"path": file.path, "offset": offset})
                        companion.call("POST", f"/archive/uploads/{upload}/files?{query}", body=piece)
                        offset += len(piece)
                        sent += len(piece)
                        on_progress({"phase": "sending", "file": file.path, "file_done": offset,
                                     "file_size": file.size, "file_items": None, "done": sent, "total": total,
                                     "fraction": min(1.0, sent / total)})
                if offset == 0:  # an empty file still says the archive has it
                    query = urllib.parse.urlencode({"path": file.path, "offset": 0})
                    companion.call("POST", f"/archive/uploads/{upload}/files?{query}", body=b"")
            job = companion.call("POST", f"/archive/uploads/{upload}/import",
                                 json={**options, "label": Path(path).name})
        except BaseException:
            with contextlib.suppress(RapportError):
                companion.call("DELETE", f"/archive/uploads/{upload}")
            raise
    while job["state"] == "running":
        on_progress(job["progress"])
        time.sleep(POLL_S)
        job = companion.call("GET", f"/archive/jobs/{job['job_id']}")
    if job["state"] == "failed":
        raise CompanionRefused(job["error"]["message"])
    on_progress(job["progress"])
    return job["summary"]
