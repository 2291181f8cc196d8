"""An X archive as downloaded (a zip, possibly over 10 GB because of media) or unpacked (a folder).

Only the data files are ever opened: JavaScript files that start with X's own prefix
(`window.YTD.<name>.partN =`, Grailbird's `Grailbird.data.<name> =`, `var user_details =`). Media
folders are never read, and a data file is found by the name it declares, never by its file name.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from companion.domain.errors import Invalid

# The first bytes of a data file name what it holds.
PREFIX = re.compile(
    rb"^\s*(?:window\.YTD\.(?P<ytd>\w+)\.part(?P<part>\d+)|window\.(?P<thar>__THAR_CONFIG)"
    rb"|Grailbird\.data\.(?P<grailbird>\w+)|var\s+(?P<var>\w+))\s*=")
PEEK_BYTES = 512
# How each of those prefixes begins: a data file holding no more than a start of one was cut off before its "=".
PREFIX_LEADS = (b"window.YTD.", b"window.__THAR_CONFIG", b"Grailbird.data.", b"var ")
CUT_NAME = re.compile(rb"[\w.]*")  # what may follow a lead before the "=" ("tweets.part0")
# Where X keeps pictures and videos, and the archive viewer's own code: never data.
NOT_DATA = re.compile(r"(^|/)(\w+_media|assets|__MACOSX)/", re.IGNORECASE)
# README.txt says whose archive it is ("Account ID: ..."), for exports without account.js.
README = "readme.txt"


class ArchiveError(Invalid):
    """The archive cannot be imported: the message names the file and what is wrong with it."""


@dataclass(frozen=True)
class DataFile:
    path: str  # inside the archive
    size: int  # uncompressed bytes
    name: str  # what it declares: "tweets", "follower", "grailbird:tweets_2012_01", "manifest", "readme"
    part: int = 0


def _cut_short(path: str, head: bytes, size: int) -> str | None:
    """What is wrong with a .js file of the archive's data (in its data folder, or at its root as in 2018) that
    declares nothing: "empty", or "cut off" when all it holds is the start of X's prefix. None for any other
    file: one that is not X's is no data."""
    folders = path.split("/")[:-1]
    if size > len(head) or (folders and "data" not in (f.lower() for f in folders)):
        return None  # more than a prefix (a cut after the "=" is found when read), or not where X puts data
    text = head.lstrip(b"\xef\xbb\xbf").strip()
    if not text:
        return "empty"
    for lead in PREFIX_LEADS:
        if lead.startswith(text) or (text.startswith(lead) and CUT_NAME.fullmatch(text[len(lead):])):
            return "cut off before its data"
    return None


def _declared(head: bytes) -> tuple[str, int] | None:
    found = PREFIX.match(head.lstrip(b"\xef\xbb\xbf"))
    if found is None:
        return None
    if found["ytd"]:
        return found["ytd"].decode(), int(found["part"])
    if found["thar"]:
        return "manifest", 0
    if found["grailbird"]:
        return f"grailbird:{found['grailbird'].decode()}", 0
    return f"var:{found['var'].decode()}", 0


class Archive:
    """The data files of one archive; open() them one at a time, as streams."""

    def __init__(self, path: Path, label: str | None = None) -> None:
        self.path = Path(path)
        # What messages call it: the zip the user chose, also when the companion reads the copy it was sent.
        self.shown = label or str(self.path)
        self._zip: zipfile.ZipFile | None = None
        if self.path.is_dir():
            self._entries = {p.relative_to(self.path).as_posix(): p.stat().st_size
                             for p in self.path.rglob("*") if p.is_file()}
        elif self.path.is_file():
            self._zip = _open_zip(self.path)
            self._entries = {i.filename: i.file_size for i in self._zip.infolist() if not i.is_dir()}
        else:
            raise ArchiveError(f"{self.shown} does not exist: give the archive's .zip as downloaded from X, "
                               f"or the folder it unpacks to")
        self.files = self._data_files()
        if not self.files:
            raise ArchiveError(f"{self.shown} is not an X archive: it holds no data file of X's format "
                               f"(such as data/tweets.js or data/account.js)")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _data_files(self) -> list[DataFile]:
        found = []
        for path, size in sorted(self._entries.items()):
            posix = path.replace("\\", "/")  # zips made on Windows may name folders with backslashes
            if NOT_DATA.search(posix):
                continue
            leaf = PurePosixPath(posix).name.lower()
            if leaf == README:
                found.append(DataFile(path, size, "readme"))
                continue
            if not leaf.endswith(".js"):
                continue
            with self.open(path) as stream:
                head = stream.read(PEEK_BYTES)
            declared = _declared(head)
            if declared is not None:
                found.append(DataFile(path, size, *declared))
            elif problem := _cut_short(posix, head, size):
                raise ArchiveError(f"{self.shown}: the data file {path} inside is {problem}; download the archive "
                                   f"again")
        return found

    def named(self, *names: str) -> list[DataFile]:
        """The data files declaring any of `names`, in part order (split files come in several parts)."""
        return sorted((f for f in self.files if f.name in names), key=lambda f: (f.part, f.path))

    @contextmanager
    def open(self, path: str) -> Iterator[IO[bytes]]:
        try:
            if self._zip is not None:
                with self._zip.open(path) as stream:
                    yield stream
            else:
                with (self.path / path).open("rb") as stream:
                    yield stream
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ArchiveError(f"{self.shown}: the file {path} inside is damaged ({exc}); download the "
                               f"archive again") from None
        except OSError as exc:
            raise ArchiveError(f"cannot read {path} in {self.shown}: {exc.strerror or exc}") from None


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        with path.open("rb") as probe:
            starts_like_a_zip = probe.read(4) == b"PK\x03\x04"
        if starts_like_a_zip:
            raise ArchiveError(f"{path} is a zip file that was cut off (its end, with the list of files, is "
                               f"missing): the download did not finish; download the archive again") from None
        raise ArchiveError(f"{path} is not a zip file: give the archive's .zip as downloaded from X, or the "
                           f"folder it unpacks to") from None
    except OSError as exc:
        raise ArchiveError(f"cannot read {path}: {exc.strerror or exc}") from None
