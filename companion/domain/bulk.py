"""Bulk actions on People: one action on many people, in one transaction (everyone or nobody).

An action that changes people is a function (person, value) -> the fields to change, or None when that person
has it already. Another one is a function here, a line in CHANGES and its name and value in
shared_schema/people-bulk.schema.json. A label's name is turned into its id once, before (LABEL_ACTIONS).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from companion.store.database import Store

from . import labels, people
from .errors import Conflict, Invalid, NotFound

Change = Callable[[dict[str, Any], Any], dict[str, Any] | None]


def _add_tag(doc: dict[str, Any], tag: str) -> dict[str, Any] | None:
    return None if tag in doc["tags"] else {"tags": [*doc["tags"], tag]}


def _remove_tag(doc: dict[str, Any], tag: str) -> dict[str, Any] | None:
    return {"tags": [t for t in doc["tags"] if t != tag]} if tag in doc["tags"] else None


def _set_cadence(doc: dict[str, Any], days: int | None) -> dict[str, Any] | None:
    return None if doc.get("cadence_days") == days else {"cadence_days": days}


def _add_label(doc: dict[str, Any], label_id: int) -> dict[str, Any] | None:
    have = doc.get("labels") or []
    if label_id in have:
        return None
    if len(have) >= labels.MAX_PER_PERSON:
        raise Conflict(f"{doc['handle'] or doc['user_id']} has {labels.MAX_PER_PERSON} labels already, the most a "
                       "person has: nobody was changed", "/value")
    return {"labels": sorted([*have, label_id])}


def _remove_label(doc: dict[str, Any], label_id: int) -> dict[str, Any] | None:
    have = doc.get("labels") or []
    return {"labels": [i for i in have if i != label_id]} if label_id in have else None


CHANGES: dict[str, Change] = {"add_tag": _add_tag, "remove_tag": _remove_tag, "add_label": _add_label,
                              "remove_label": _remove_label, "set_cadence": _set_cadence}
LABEL_ACTIONS = ("add_label", "remove_label")  # their value is a label's name; the change takes its id
# Fields a change sets directly; the others go through people.edit (as a PATCH body says them).
_DIRECT = ("labels",)
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
                people.delete(store, person_id)
        return {"action": action, "selected": len(person_ids), "changed": len(person_ids)}
    change = CHANGES.get(action)
    if change is None:
        raise Invalid(f"action must be one of {', '.join([*CHANGES, DELETE])}", "/action")
    changed = 0
    with store.transaction():
        if action in LABEL_ACTIONS:
            known = labels.by_name(store).get(labels.clean_name(value, "/value").casefold())
            if known is None and action == "remove_label":
                raise NotFound(f"there is no label {value!r}")
            value = known if known is not None else labels.ids_for(store, [value], at, "/value")[0]
        for person_id in person_ids:
            doc = store.person(person_id)
            assert doc is not None
            patch = change(doc, value)
            if patch is None:
                continue
            direct = {k: v for k, v in patch.items() if k in _DIRECT}
            if direct:
                store.update_person(person_id, {**direct, "updated_at": at})
            if len(direct) < len(patch):
                people.edit(store, person_id, {k: v for k, v in patch.items() if k not in _DIRECT}, at)
            changed += 1
    return {"action": action, "selected": len(person_ids), "changed": changed}
