"""Files in the data folder: private to the user (0600 files, 0700 folders) whatever the umask, and
replaced atomically so a crash leaves the old or the new file, never half of one."""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


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


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file, never half of one."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write_private(tmp, data, sync=True)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a full disk must not leave a half temp file behind either
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def copy_atomically(source: Path, target: Path) -> None:
    """A private copy of `source` at `target`, whole or not at all. A copy, never a hard link: a link
    shares the file, so whatever damages one in place (an editor, a truncation) damages both."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        fd = open_private(tmp, os.O_WRONLY | os.O_TRUNC)
        try:
            with open(source, "rb") as src:
                size = os.fstat(src.fileno()).st_size
                sent = 0
                while sent < size:
                    n = os.sendfile(fd, src.fileno(), sent, size - sent)
                    if n == 0:
                        break
                    sent += n
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def secure_tree(data_dir: Path) -> None:
    """Make what an older version (or a careless copy) left in the data folder private: 0700 folders, 0600 files."""
    for folder, dirs, files in os.walk(data_dir):
        _private(folder, DIR_MODE)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                _private(path, FILE_MODE)
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
