"""Live events: what changed, told to whoever listens (the websocket server), after it is durable.

Events are derived from the store's committed changes, so every path that changes data (ingest,
edits, logged events, imports, deletes) announces itself, and a rolled-back change never does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from companion.store.database import Store
from companion.store.indexes import INTERACTIONS, LABELS, PEOPLE

from . import clock, keep_in_touch, views

Event = dict[str, Any]
Subscriber = Callable[[list[Event]], None]


class EventBus:
    """Thread-safe fan-out; subscribers must be quick (they run on the writer's thread)."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._mutex = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        with self._mutex:
            self._subscribers.append(subscriber)
        return lambda: self._unsubscribe(subscriber)

    def _unsubscribe(self, subscriber: Subscriber) -> None:
        with self._mutex:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

    @property
    def listened_to(self) -> bool:
        return bool(self._subscribers)

    def publish(self, events: list[Event]) -> None:
        if not events:
            return
        with self._mutex:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            subscriber(events)


def _who(doc: dict[str, Any]) -> dict[str, Any]:
    return {"key": views.person_key(doc), "handle": doc["handle"], "user_id": doc["user_id"]}


def from_changes(store: Store, changes: list[tuple[str, int, Any, Any]]) -> list[Event]:
    at = clock.now()
    events: list[Event] = []
    due = keep_in_touch.due_now(store)
    store_labels = store.labels()
    updated = {doc_id for table, doc_id, _, new in changes if table == PEOPLE and new is not None}
    for table, doc_id, old, new in changes:
        if old is None and new is None:
            continue  # created and merged away within the same transaction
        if table == PEOPLE:
            if new is None:
                events.append({"type": "person.deleted", "at": at, **_who(old)})
                continue
            kind = "person.created" if old is None else "person.updated"
            events.append({"type": kind, "at": at, **_who(new),
                           "badge": views.badge(new, new["handle"], due(new), store_labels)})
            if old is not None and old["stage"] != new["stage"]:
                events.append({"type": "stage.changed", "at": at, **_who(new),
                               "from": old["stage"], "to": new["stage"]})
        elif table == INTERACTIONS and old is None and new is not None and new.get("source") != "archive":
            # An archive brings thousands of interactions at once: its people's updates say enough.
            person = store.person(new["person"])
            if person is not None:
                events.append({"type": "interaction.added", "at": at, **_who(person),
                               "interaction": views.interaction(new)})
        elif table == LABELS and old is not None and new is not None:
            # A label renamed or recoloured: everyone who has it looks different now.
            for person_id in store.person_ids():
                holder = store.person(person_id) or {}
                if person_id not in updated and doc_id in (holder.get("labels") or ()):
                    updated.add(person_id)
                    events.append({"type": "person.updated", "at": at, **_who(holder),
                                   "badge": views.badge(holder, holder["handle"], due(holder), store_labels)})
    return events


def connect(store: Store, bus: EventBus) -> None:
    """Publish the events of every committed store transaction on `bus` (no work while nobody listens)."""
    def committed(changes: list[tuple[str, int, Any, Any]]) -> None:
        if bus.listened_to:
            bus.publish(from_changes(store, changes))

    store.storage.add_commit_listener(committed)
