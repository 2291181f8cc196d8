"""How a stored person looks to the outside: badge, list summary, full card. Shapes follow shared_schema/."""

from __future__ import annotations

from typing import Any

from companion.store.database import Store

from . import stage
from .vocabulary import KIND_LABEL, KIND_STAGE, NOTE_FIELDS, NOTE_SUMMARY_PREFIX, STAGE_COLOURS, STAGE_NAMES

_INTERACTION_FIELDS = ("status_id", "url", "text", "place", "note", "observed_at")


def person_key(doc: dict[str, Any]) -> str:
    return doc["user_id"] or doc["handle"]


def notes_summary(notes: dict[str, str | None]) -> str | None:
    """"Reading: Dune · Wine: Barolo": the first line of each filled note field."""
    parts = [f"{NOTE_SUMMARY_PREFIX[f]}: {notes[f].strip().splitlines()[0]}"
             for f in NOTE_FIELDS if notes.get(f) and notes[f].strip()]
    return " · ".join(parts) or None


def badge(doc: dict[str, Any] | None, handle: str) -> dict[str, Any]:
    if doc is None:
        return {"known": False, "handle": handle, "user_id": None, "stage": 0, "stage_name": STAGE_NAMES[0],
                "colour": STAGE_COLOURS[0], "tags": [], "notes": None, "last_interaction_at": None}
    return {
        "known": True, "handle": doc["handle"], "user_id": doc["user_id"], "stage": doc["stage"],
        "stage_name": STAGE_NAMES[doc["stage"]], "colour": STAGE_COLOURS[doc["stage"]], "tags": doc["tags"],
        "notes": notes_summary(doc["notes"]), "last_interaction_at": doc["last_interaction_at"],
    }


def summary(store: Store, person_id: int, doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": person_key(doc), "handle": doc["handle"], "user_id": doc["user_id"],
        "display_name": doc["profile"].get("display_name"), "location": doc["profile"].get("location"),
        "stage": doc["stage"], "stage_name": STAGE_NAMES[doc["stage"]], "tags": doc["tags"],
        "notes_summary": notes_summary(doc["notes"]), "next_step": doc["next_step"],
        "last_interaction_at": doc["last_interaction_at"],
        "interaction_count": len(store.interaction_keys(person_id)), "created_at": doc["created_at"],
    }


def interaction(doc: dict[str, Any]) -> dict[str, Any]:
    view = {"id": doc["key"], "kind": doc["kind"], "stage": KIND_STAGE[doc["kind"]],
            "label": KIND_LABEL[doc["kind"]], "at": doc["at"], "source": doc["source"]}
    view.update({f: doc.get(f) for f in _INTERACTION_FIELDS})
    return view


def interactions_newest_first(store: Store, person_id: int) -> list[dict[str, Any]]:
    return sorted(store.interactions_of(person_id), key=lambda i: (i["at"], i["key"]), reverse=True)


def detail(store: Store, person_id: int, doc: dict[str, Any]) -> dict[str, Any]:
    interactions = interactions_newest_first(store, person_id)
    return {
        "key": person_key(doc), "handle": doc["handle"], "user_id": doc["user_id"],
        "profile": doc["profile"], "notes": doc["notes"], "notes_summary": notes_summary(doc["notes"]),
        "tags": doc["tags"], "next_step": doc["next_step"],
        "stage": {
            "current": doc["stage"], "name": STAGE_NAMES[doc["stage"]], "colour": STAGE_COLOURS[doc["stage"]],
            "from_evidence": stage.from_evidence(interactions), "manual": doc["stage_manual"],
            "evidence": stage.evidence(interactions), "history": doc["stage_history"],
        },
        "handle_history": doc["handle_history"],
        "profile_history": [{"at": s["at"], "profile": s["profile"]}
                            for s in sorted(store.snapshots_of(person_id), key=lambda s: s["at"])],
        "interactions": [interaction(i) for i in interactions],
        "created_at": doc["created_at"], "updated_at": doc["updated_at"],
        "last_interaction_at": doc["last_interaction_at"],
    }
