"""The items of one data file, one at a time (a tweets file can be hundreds of MB), and X's formats for
times and ids.

Every data file is `<prefix> = <JSON>`: everything up to the first `=` is skipped and the JSON is read
as a stream with ijson, so memory stays flat whatever the file's size.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import IO, Any

import ijson

from .container import ArchiveError

READ_BYTES = 1 << 16
# Twitter's snowflake ids carry their creation time: (id >> 22) + this epoch, in ms. Ids below
# SNOWFLAKE_MIN were handed out in sequence before snowflakes (2010-13) and carry no time.
TWITTER_EPOCH_MS = 1288834974657
SNOWFLAKE_MIN = 1 << 40


class _AfterPrefix:
    """A stream that starts after the first `=` of `raw`, and counts the bytes read for progress."""

    def __init__(self, raw: IO[bytes], where: str, on_read: Callable[[int], None] | None) -> None:
        self.raw = raw
        self.on_read = on_read
        head = raw.read(4096)
        cut = head.find(b"=")
        if cut < 0:
            raise ArchiveError(f"{where} is not in X's format: it does not start with `window.YTD.<name> =`")
        self.pending = head[cut + 1:]
        self._count(len(head))

    def _count(self, n: int) -> None:
        if self.on_read is not None and n:
            self.on_read(n)

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson asks for nothing to learn whether the stream gives bytes or text
            return b""
        if self.pending:
            out, self.pending = self.pending, b""
            return out
        chunk = self.raw.read(size if size and size > 0 else READ_BYTES)
        self._count(len(chunk))
        return chunk


def items(raw: IO[bytes], where: str, on_read: Callable[[int], None] | None = None) -> Iterator[Any]:
    """Each element of the file's top-level array (or the one object of a `var x = {...}` file)."""
    stream = _AfterPrefix(raw, where, on_read)
    while not stream.pending.strip():
        more = stream.raw.read(READ_BYTES)
        if not more:
            raise ArchiveError(f"{where} is empty after `=`: it was cut off; download the archive again")
        stream._count(len(more))
        stream.pending += more
    first = stream.pending.lstrip()[:1]
    if first not in (b"[", b"{"):
        raise ArchiveError(f"{where} is not in X's format: after `=` comes {first!r}, not a list")
    try:
        # An object (Grailbird's user_details.js, the manifest) is one item; a list gives its elements.
        yield from ijson.items(stream, "item" if first == b"[" else "", use_float=False)
    except ijson.IncompleteJSONError as exc:
        if "trailing garbage" in str(exc):
            return  # a `;` after the complete list
        raise ArchiveError(f"{where} is cut off or not valid JSON ({_reason(exc)}); download the archive "
                           f"again") from None


def _reason(exc: Exception) -> str:
    """The parser's first line ("lexical error: invalid bytes in UTF8 string."), never the text around the
    error that it quotes on the next lines: that text is the user's posts and messages."""
    detail = exc.args[0] if exc.args else ""
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", errors="replace")
    text = str(detail).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


# -- times -------------------------------------------------------------------------------------------
_FORMATS = ("%a %b %d %H:%M:%S %z %Y", "%Y-%m-%d %H:%M:%S %z")


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_MONTHS = {m: f"{n:02d}" for n, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                                  "Nov", "Dec"), start=1)}
_POST_TIME = re.compile(r"^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}:\d{2}:\d{2}) \+0000 (\d{4})$")


def parse_time(value: Any, where: str) -> str:
    """X's times in any era, as ISO 8601 UTC: "Fri Mar 06 13:02:05 +0000 2026" (posts), ISO with Z (DMs
    since 2019), epoch milliseconds as a string (2018, XChat) and "2013-01-31 23:50:34 +0000" (Grailbird)."""
    text = str(value).strip() if value is not None else ""
    post = _POST_TIME.match(text)
    if post and post[1] in _MONTHS and post[2] <= "28":  # most posts: read without strptime, which is slow
        return f"{post[4]}-{_MONTHS[post[1]]}-{post[2]}T{post[3]}.000Z"
    if text.isdigit():
        return iso(datetime.fromtimestamp(int(text) / 1000, UTC))
    for layout in _FORMATS:
        try:
            return iso(datetime.strptime(text, layout))
        except ValueError:
            pass
    try:
        return iso(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        raise ArchiveError(f"{where}: {text[:40]!r} is not a time X writes") from None


def snowflake_ms(user_id: str) -> int | None:
    """When a snowflake id was made (ms since 1970); None for the older sequential ids."""
    number = int(user_id) if user_id.isdigit() else 0
    return (number >> 22) + TWITTER_EPOCH_MS if number >= SNOWFLAKE_MIN else None


def epoch_ms(at_iso: str) -> int:
    return int(datetime.fromisoformat(at_iso.replace("Z", "+00:00")).timestamp() * 1000)


ACCOUNT_ID_LINE = re.compile(r"Account ID:\s*(\d+)")
