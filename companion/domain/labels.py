"""Your own labels beside the outcome tags ("SXSW 2026", "investor", "climbing partner").

A label is data: a name (unique whatever its case) and a colour of the palette in shared_schema/stages.json.
People hold label ids, so a rename changes it everywhere at once. Every function here runs inside a store
transaction opened by the service, except the read-only ones.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from companion.store.database import Store

from . import clock
from .errors import Conflict, Invalid, NotFound
from .vocabulary import LABEL_COLOURS, LABEL_LIMITS

MAX_NAME = LABEL_LIMITS["max_name_length"]
MAX_PER_PERSON = LABEL_LIMITS["max_per_person"]
MAX_LABELS = LABEL_LIMITS["max_labels"]

Shown = list[dict[str, Any]]  # [{id, name, colour}], by name


def clean_name(name: str, field: str = "/name") -> str:
    """One way to write a name: NFC, inner runs of space as one, no control characters."""
    text = " ".join(unicodedata.normalize("NFC", name).split())
    if not text or len(text) > MAX_NAME or any(unicodedata.category(c).startswith("C") for c in text):
        raise Invalid(f"a label is 1 to {MAX_NAME} characters, without control characters", field)
    return text


def _key(name: str) -> str:
    return name.casefold()


def by_name(store: Store) -> dict[str, int]:
    """casefolded name -> label id."""
    return {_key(doc["name"]): label_id for label_id, doc in store.labels().items()}


def shown(store_labels: Mapping[int, dict[str, Any]], ids: Iterable[int]) -> Shown:
    """A person's labels as answers show them (ids the store no longer has are left out)."""
    found = [{"id": i, "name": store_labels[i]["name"], "colour": store_labels[i]["colour"]}
             for i in ids if i in store_labels]
    return sorted(found, key=lambda label: _key(label["name"]))


def listing(store: Store) -> list[dict[str, Any]]:
    counts: Counter[int] = Counter()
    for person_id in store.person_ids():
        counts.update((store.person(person_id) or {}).get("labels") or ())
    return [{**label, "people": counts[label["id"]]} for label in shown(store.labels(), store.labels())]


def _next_colour(store: Store) -> str:
    """The colour fewest labels have, in palette order: new labels look apart without anyone choosing."""
    used = Counter(doc["colour"] for doc in store.labels().values())
    return min(LABEL_COLOURS, key=lambda colour: used[colour])


def create(store: Store, name: str, colour: str | None = None, at: str | None = None) -> int:
    name = clean_name(name)
    if _key(name) in by_name(store):
        raise Conflict(f"there is a label {name!r} already", "/name")
    if len(store.labels()) >= MAX_LABELS:
        raise Invalid(f"Rapport keeps at most {MAX_LABELS} labels: delete one you no longer use", "/name")
    return store.insert_label({"name": name, "colour": _check_colour(colour) if colour else _next_colour(store),
                               "created_at": at or clock.now()})


def _check_colour(colour: str) -> str:
    if colour not in LABEL_COLOURS:
        raise Invalid(f"a label's colour is one of {', '.join(LABEL_COLOURS)}", "/colour")
    return colour


def get(store: Store, label_id: int) -> dict[str, Any]:
    doc = store.labels().get(label_id)
    if doc is None:
        raise NotFound(f"no label {label_id}")
    return {"id": label_id, "name": doc["name"], "colour": doc["colour"]}


def change(store: Store, label_id: int, body: dict[str, Any]) -> None:
    """Rename or recolour: people hold the id, so it changes on everyone who has it."""
    get(store, label_id)
    fields: dict[str, Any] = {}
    if "name" in body:
        name = clean_name(body["name"])
        holder = by_name(store).get(_key(name))
        if holder is not None and holder != label_id:
            raise Conflict(f"there is a label {name!r} already: rename that one first, or delete it", "/name")
        fields["name"] = name
    if "colour" in body:
        fields["colour"] = _check_colour(body["colour"])
    if fields:
        store.update_label(label_id, fields)


def delete(store: Store, label_id: int, at: str | None = None) -> int:
    """Remove the label from everyone who has it, then the label. Returns how many people had it."""
    get(store, label_id)
    at = at or clock.now()
    holders = [pid for pid in store.person_ids() if label_id in ((store.person(pid) or {}).get("labels") or ())]
    for person_id in holders:
        doc = store.person(person_id)
        assert doc is not None
        store.update_person(person_id, {"labels": [i for i in doc["labels"] if i != label_id], "updated_at": at})
    store.remove_label(label_id)
    return len(holders)


def ids_for(store: Store, names: Iterable[str], at: str, field: str = "/labels") -> list[int]:
    """The ids of labels named so (whatever the case), making the ones that do not exist yet."""
    wanted: dict[str, str] = {}
    for n, name in enumerate(names):
        text = clean_name(name, f"{field}/{n}")
        wanted.setdefault(_key(text), text)
    if len(wanted) > MAX_PER_PERSON:
        raise Invalid(f"a person has at most {MAX_PER_PERSON} labels", field)
    known = by_name(store)
    return sorted(known[key] if key in known else create(store, text, at=at) for key, text in wanted.items())


def union(*lists: Iterable[int] | None) -> list[int]:
    """Labels of several records as one (a merge), at most MAX_PER_PERSON."""
    return sorted({i for ids in lists for i in (ids or ())})[:MAX_PER_PERSON]
