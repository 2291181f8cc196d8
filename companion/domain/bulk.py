"""Bulk actions on People: one action on many people, in one transaction (everyone or nobody).

An action that changes people is a function (person, value) -> the change for `people.edit` (as a PATCH
body says it), or None when that person has it already. Another one (add_label, say) is a function here,
a line in CHANGES and its name and value in shared_schema/people-bulk.schema.json.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from companion.store.database import Store

from . import people
from .errors import Conflict, Invalid

Change = Callable[[dict[str, Any], Any], dict[str, Any] | None]


def _add_tag(doc: dict[str, Any], tag: str) -> dict[str, Any] | None:
    return None if tag in doc["tags"] else {"tags": [*doc["tags"], tag]}


def _remove_tag(doc: dict[str, Any], tag: str) -> dict[str, Any] | None:
    return {"tags": [t for t in doc["tags"] if t != tag]} if tag in doc["tags"] else None


def _set_cadence(doc: dict[str, Any], days: int | None) -> dict[str, Any] | None:
    return None if doc.get("cadence_days") == days else {"cadence_days": days}


CHANGES: dict[str, Change] = {"add_tag": _add_tag, "remove_tag": _remove_tag, "set_cadence": _set_cadence}
DELETE = "delete"


def apply(store: Store, person_ids: list[int], action: str, value: Any, confirm_count: int | None,
          at: str) -> dict[str, Any]:
    """Apply `action` to everyone in `person_ids` (under the store lock). A delete goes ahead only when
    `confirm_count` is the number selected now: a filter that grew since the user confirmed deletes nobody."""
    if action == DELETE:
        if confirm_count != len(person_ids):
            raise Conflict(f"the selection is {len(person_ids):,} people now, not the {confirm_count or 0:,} you "
                           "confirmed: nobody was deleted; look at the list again", "/confirm_count")
        with store.transaction():
            for person_id in person_ids:
                store.delete_person(person_id)
        return {"action": action, "selected": len(person_ids), "changed": len(person_ids)}
    change = CHANGES.get(action)
    if change is None:
        raise Invalid(f"action must be one of {', '.join([*CHANGES, DELETE])}", "/action")
    changed = 0
    with store.transaction():
        for person_id in person_ids:
            doc = store.person(person_id)
            assert doc is not None
            patch = change(doc, value)
            if patch is not None:
                people.edit(store, person_id, patch, at)
                changed += 1
    return {"action": action, "selected": len(person_ids), "changed": changed}
