"""A value per person that whole-store answers are made of (keep-in-touch statuses, the core circle's
weights), worked out for everyone once a day and after that only for the people a commit changed.

So the Keep in touch page and the core circle cost a pass over people once a day (or after the
defaults change), and a few lookups after each write: never a pass over anyone's history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from companion.store.database import Store
from companion.store.indexes import PEOPLE, SETTINGS

Compute = Callable[[dict[str, Any]], Any]


class PerPerson:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.values: dict[int, Any] = {}
        self.dirty: set[int] = set()
        self.key: Any = None
        self.stale = True
        self.version = 0  # grows whenever the values change: a cache of something made of them compares it
        store.storage.add_commit_listener(self._committed)

    def _committed(self, changes: list[tuple[str, int, Any, Any]]) -> None:
        # Runs under the store lock, like every read of `current`.
        for table, doc_id, _old, _new in changes:
            if table == PEOPLE:
                self.dirty.add(doc_id)
            elif table == SETTINGS:
                self.stale = True

    def current(self, key: Any, compute: Compute) -> dict[int, Any]:
        """person id -> compute(person), for everyone it gives a value; `key` names what the values depend on
        besides the person (the day, the time zone): a new key works everyone out again."""
        people = self.store.storage.read().get(PEOPLE, {})
        if self.stale or key != self.key:
            self.values = {}
            for doc_id, doc in people.items():
                value = compute(doc)
                if value is not None:
                    self.values[int(doc_id)] = value
            self.key, self.stale = key, False
            self.version += 1
        elif self.dirty:
            self.version += 1
            for person_id in self.dirty:
                doc = people.get(str(person_id))
                value = compute(doc) if doc is not None else None
                if value is None:
                    self.values.pop(person_id, None)
                else:
                    self.values[person_id] = value
        self.dirty = set()
        return self.values
