"""Reading kept posts, off the ingest: for conversation starters and for where people say they are.

An ingest only keeps posts (cheap); reading one costs a few tenths of a millisecond, and a page brings dozens.
So newly kept posts wait in a queue, and a background thread reads them once the pages stop coming for a moment:
the reading itself without the store lock, and what it found stored in small transactions.
Every answer that depends on them (a card, Meet-ups, a trip, a brief) first reads whatever still waits, so
no answer is ever out of date: the thread only makes that wait short.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from companion.store.database import Store
from companion.store.errors import StoreError
from companion.store.indexes import POSTS

from . import clock, posts

log = logging.getLogger("rapport")
IDLE_S = 0.05  # the thread reads once nothing was written for this long: a burst of pages is never slowed
CHUNK = 500  # posts read per transaction when an answer waits for them
BACKGROUND_CHUNK = 50  # in the background: small transactions, so an ingest never waits long behind one


class PostReader:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._waiting: set[int] = set(posts.unread(store))  # kept before a stop, or imported
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_write = time.monotonic()
        store.storage.add_commit_listener(self._committed)

    def _committed(self, changes: list[tuple[str, int, object, object]]) -> None:
        # Under the store lock: every post a commit added unread waits to be read. The reader's own commits
        # (a post's mentions stored) are not pages arriving: they do not make it wait.
        added = others = False
        for table, doc_id, _old, new in changes:
            if table == POSTS and isinstance(new, dict) and new.get("mentions") is None:
                self._waiting.add(doc_id)
                added = True
            elif table == POSTS and new is None:
                self._waiting.discard(doc_id)
                others = True
            elif table != POSTS:
                others = True
        if added or others:
            self._last_write = time.monotonic()
        if added:
            self._wake.set()

    def catch_up(self) -> int:
        """Read every post that waits, now: an answer is about to be made of them. Call it before taking the
        store lock: the reading itself runs without it, and only storing what it found takes it."""
        done = 0
        try:
            while self._waiting:
                done += self._read(self._next(CHUNK))
        except StoreError as exc:  # a full disk, a read-only folder: bookkeeping never fails an answer
            log.warning("could not store what kept posts say yet (%s); the answer reads them on the spot", exc)
        return done

    def _next(self, most: int) -> dict[int, dict[str, Any]]:
        """post id -> post, of the next posts that wait (documents are never changed in place: safe to read
        without the lock). They keep waiting until what was read in them is stored, so an answer made meanwhile
        reads them itself rather than miss them."""
        with self.store.lock:
            table = self.store.all_posts()
            chunk = sorted(self._waiting)[:most]
            gone = [i for i in chunk if str(i) not in table]
            self._waiting.difference_update(gone)
            return {i: table[str(i)] for i in chunk if str(i) in table}

    def _read(self, posts_waiting: dict[int, dict[str, Any]]) -> int:
        found = {post_id: posts.read(post) for post_id, post in posts_waiting.items()}
        with self.store.lock:
            try:
                with self.store.transaction():
                    done = posts.apply(self.store, found, clock.now())
            except StoreError:
                raise  # a full disk: they wait, and the next answer or wake-up tries again
            except Exception:  # a bug on odd data: read them as saying nothing rather than fail every answer
                log.exception("could not store what %d kept posts say; they suggest nothing", len(found))
                with self.store.transaction():
                    done = posts.apply(self.store, {i: (sid, [], []) for i, (sid, _, _) in found.items()},
                                       clock.now())
            # Done with: posts now read, or gone. One replaced meanwhile (a replacing import reuses ids) waits on.
            table = self.store.all_posts()
            self._waiting.difference_update(
                i for i in found if str(i) not in table or table[str(i)].get("mentions") is not None)
            return done

    def _read_in_the_background(self) -> None:
        while self._waiting and not self._stop.is_set():
            quiet = time.monotonic() - self._last_write
            if quiet < IDLE_S:  # pages are arriving: reading would compete with them for the interpreter
                self._stop.wait(IDLE_S - quiet)
                continue
            self._read(self._next(BACKGROUND_CHUNK))

    def start(self, on_error: Callable[[BaseException], None] | None = None) -> None:
        """Read in the background from now on (the companion's server does this; tests may not)."""
        def run() -> None:
            while not self._stop.is_set():
                self._wake.wait()
                if self._stop.is_set():
                    return
                self._wake.clear()
                try:
                    self._read_in_the_background()
                except Exception as exc:  # a full disk, say: the posts wait, and the next read tries again
                    log.warning("could not read the kept posts yet: %s", exc)
                    if on_error:
                        on_error(exc)
        self._thread = threading.Thread(target=run, name="rapport-post-reader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
