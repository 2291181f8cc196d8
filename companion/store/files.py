"""Files in the data folder: private to the user (0600 files, 0700 folders) whatever the umask, and
replaced atomically so a crash leaves the old or the new file, never half of one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
BACKUP_PATTERN = "rapport-*.json"


def backups_in(folder: Path | None) -> list[Path]:
    """The backup files in `folder`, oldest first (their names start with the time they were made)."""
    return sorted(folder.glob(BACKUP_PATTERN)) if folder is not None else []


def _private(path: str | Path, mode: int) -> None:
    """Take group and other bits away; the owner's own bits stay as they are (a folder made read-only stays so)."""
    current = os.stat(path).st_mode & 0o777
    if current & ~mode:
        os.chmod(path, current & mode)


def private_dir(path: Path) -> Path:
    """Create `path` (and its parents) if need be, 0700; an existing folder loses its group and other bits."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    _private(path, DIR_MODE)
    return path


def open_private(path: Path, flags: int) -> int:
    """os.open with O_CREAT as 0600; an existing file is made 0600 too."""
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


def write_private(path: Path, data: bytes, *, sync: bool = False) -> None:
    fd = open_private(path, os.O_WRONLY | os.O_TRUNC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def sync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_atomically(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace `path` with `data` (bytes, or pieces of it written as they come) so that a crash leaves either
    the old or the new file, never half of one."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        if isinstance(data, bytes):
            write_private(tmp, data, sync=True)
        else:
            with os.fdopen(open_private(tmp, os.O_WRONLY | os.O_TRUNC), "wb", buffering=1024 * 1024) as out:
                for piece in data:
                    out.write(piece)
                out.flush()
                os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a full disk must not leave a half temp file behind either
        raise
    sync_dir(path.parent)


def copy_atomically(source: Path, target: Path) -> None:
    """A private copy of `source` at `target`, whole or not at all. A copy, never a hard link: a link
    shares the file, so whatever damages one in place (an editor, a truncation) damages both."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with open(source, "rb") as src, os.fdopen(open_private(tmp, os.O_WRONLY | os.O_TRUNC), "wb") as dst:
            size = os.fstat(src.fileno()).st_size
            shutil.copyfileobj(src, dst, 1024 * 1024)
            dst.flush()
            if dst.tell() != size:  # the source changed under us: not a copy of one moment
                raise OSError(f"{source} changed while it was copied")
            os.fsync(dst.fileno())
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    sync_dir(target.parent)


def secure_own_files(data_dir: Path, prefixes: tuple[str, ...], folders: tuple[str, ...]) -> None:
    """Make what an older version (or a careless copy) left private: 0600 for the files of the data
    folder whose names start with `prefixes`, 0700/0600 for `folders` and what is in them. Nothing
    else is touched: the data folder may be one the user also keeps other things in."""
    for entry in os.scandir(data_dir):
        if entry.is_symlink():
            continue
        if entry.is_file() and entry.name.lstrip(".").startswith(prefixes):
            _private(entry.path, FILE_MODE)
        elif entry.is_dir() and entry.name in folders:
            for folder, dirs, files in os.walk(entry.path):
                _private(folder, DIR_MODE)
                for name in files:
                    path = os.path.join(folder, name)
                    if not os.path.islink(path):
                        _private(path, FILE_MODE)
                dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
