"""Archive imports run by the companion: the data files arrive a piece at a time (the dashboard reads
them out of the zip in the browser, `rapport import-archive` sends them when a companion holds the data
folder), then one import runs in the background while its progress is polled.

Uploads live in the data folder (private, like everything there) and go once their import ends.
"""

from __future__ import annotations

import logging
import shutil
import threading
import uuid
from pathlib import Path, PurePosixPath
from typing import Any

from companion.store.errors import StoreError, WriteFailed
from companion.store.files import private_dir

from . import archive, clock
from .errors import Conflict, Invalid, NotFound, RapportError

log = logging.getLogger("rapport")

UPLOADS_DIR = "rapport-uploads"
MAX_FILES = 1000
MAX_PATH = 240
KEEP_JOBS = 20


def _safe_path(path: str) -> PurePosixPath:
    """A data file's path inside an archive: relative, no way out of the upload folder."""
    parts = PurePosixPath(path.replace("\\", "/"))
    if (not path or len(path) > MAX_PATH or parts.is_absolute() or any(p in ("", ".", "..") for p in parts.parts)
            or not (parts.name.lower().endswith(".js") or parts.name.lower() == "readme.txt")):
        raise Invalid("path must be the relative path of an archive's data file (data/….js or README.txt)",
                      "/query/path")
    return parts


class ArchiveJobs:
    def __init__(self, service: Any, data_dir: Path) -> None:
        self.service = service
        self.root = Path(data_dir) / UPLOADS_DIR
        self._mutex = threading.Lock()
        self._jobs: dict[str, dict[str, Any]] = {}
        self._running: str | None = None
        shutil.rmtree(self.root, ignore_errors=True)  # pieces of uploads a stopped companion never imported

    # -- uploads -------------------------------------------------------------------------------------
    def new_upload(self) -> dict[str, Any]:
        upload_id = uuid.uuid4().hex
        private_dir(self.root)
        private_dir(self.root / upload_id)
        return {"upload_id": upload_id}

    def _folder(self, upload_id: str) -> Path:
        folder = self.root / upload_id
        if not upload_id.isalnum() or not folder.is_dir():
            raise NotFound(f"no upload {upload_id!r}: start one with POST /api/v1/archive/uploads")
        return folder

    def append(self, upload_id: str, path: str, offset: int, data: bytes) -> dict[str, Any]:
        """Add `data` to the file at `offset`; a piece sent again (the same offset) is not added twice."""
        folder = self._folder(upload_id)
        target = folder.joinpath(*_safe_path(path).parts)
        with self._mutex:
            if not target.exists() and sum(1 for p in folder.rglob("*") if p.is_file()) >= MAX_FILES:
                raise Invalid(f"an archive has fewer than {MAX_FILES} data files", "/query/path")
            size = target.stat().st_size if target.exists() else 0
            if offset != size:
                raise Conflict(f"{path} has {size} bytes so far: send the piece that starts there", "/query/offset")
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                with target.open("ab") as out:
                    out.write(data)
            except OSError as exc:
                with target.open("ab") as out:
                    out.truncate(size)  # never keep half a piece
                raise WriteFailed(f"could not keep {path}: {exc.strerror or exc}") from None
            target.chmod(0o600)
            return {"path": path, "size": size + len(data)}

    def discard(self, upload_id: str) -> None:
        shutil.rmtree(self._folder(upload_id), ignore_errors=True)

    # -- jobs ----------------------------------------------------------------------------------------
    def start(self, upload_id: str, options: dict[str, Any]) -> dict[str, Any]:
        folder = self._folder(upload_id)
        with self._mutex:
            if self._running is not None:
                raise Conflict("an archive import is running already: wait for it to finish")
            job_id = uuid.uuid4().hex
            progress = archive.ImportProgress()
            job: dict[str, Any] = {"job_id": job_id, "state": "running", "dry_run": bool(options.get("dry_run")),
                                   "started_at": clock.now(), "finished_at": None, "progress": progress,
                                   "summary": None, "error": None}
            self._jobs[job_id] = job
            self._running = job_id
            for old in list(self._jobs)[:-KEEP_JOBS]:
                self._jobs.pop(old, None)
        threading.Thread(target=self._run, args=(job, folder, options), name=f"archive-import-{job_id[:8]}",
                         daemon=True).start()
        return self.job(job_id)

    def _run(self, job: dict[str, Any], folder: Path, options: dict[str, Any]) -> None:
        try:
            job["summary"] = self.service.import_archive(
                folder, me=options.get("me"), dry_run=bool(options.get("dry_run")),
                include_deleted=bool(options.get("include_deleted")), progress=job["progress"],
                label=options.get("label") or None)
            job["state"] = "done"
        except RapportError as exc:
            job["state"], job["error"] = "failed", {"type": exc.type, "message": exc.message}
        except StoreError as exc:
            job["state"], job["error"] = "failed", {"type": "storage_failed", "message": str(exc)}
        except Exception:  # the details go to the terminal; the dashboard gets a clear line
            log.exception("the archive import failed")
            message = "the companion hit an unexpected error while importing; see its terminal"
            job["state"], job["error"] = "failed", {"type": "internal", "message": message}
        finally:
            job["finished_at"] = clock.now()
            shutil.rmtree(folder, ignore_errors=True)
            with self._mutex:
                self._running = None

    @property
    def running(self) -> bool:
        return self._running is not None

    def job(self, job_id: str) -> dict[str, Any]:
        job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no archive import {job_id!r} (the companion keeps the last {KEEP_JOBS})")
        return {**job, "progress": job["progress"].as_dict()}
