"""Hand an archive to the companion that holds the data folder: send its data files (never its media)
a piece at a time, start the import there, and follow its progress until the summary comes back."""

from __future__ import annotations

import contextlib
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from companion.domain.errors import RapportError
from companion.local_client import Companion, CompanionRefused

from .container import Archive

PIECE_BYTES = 2 * 1024 * 1024  # well under the companion's request limit
POLL_S = 0.25

# on_progress({"phase", "file", "file_done", "file_size", "file_items", "done", "total", "fraction"}), in bytes
OnProgress = Callable[[dict[str, Any]], None]


def send(path: Path, companion: Companion, options: dict[str, Any], on_progress: OnProgress) -> dict[str, Any]:
    """Import the archive at `path` through a running companion; returns its summary."""
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
