"""How a stored person looks to the outside: badge, list summary, full card. Shapes follow shared_schema/."""

from __future__ import annotations

import base64
import binascii
import bisect
from typing import Any

import orjson

from companion.store.database import Store

from . import aggregates, give_and_take, labels, stage
from . import keep_in_touch as reminders
from .errors import Invalid
from .vocabulary import KIND_LABEL, KIND_STAGE, NOTE_FIELDS, NOTE_SUMMARY_PREFIX, STAGE_COLOURS, STAGE_NAMES

_INTERACTION_FIELDS = ("status_id", "url", "text", "place", "note", "observed_at")
# A person's card shows their newest interactions; older ones come a page at a time (before=).
DEFAULT_INTERACTIONS = 50
MAX_INTERACTIONS = 500


def person_key(doc: dict[str, Any]) -> str:
    return doc["user_id"] or doc["handle"]


def notes_summary(notes: dict[str, str | None]) -> str | None:
    """"Reading: Dune · Wine: Barolo": the first line of each filled note field."""
    parts = [f"{NOTE_SUMMARY_PREFIX[f]}: {notes[f].strip().splitlines()[0]}"
             for f in NOTE_FIELDS if notes.get(f) and notes[f].strip()]
    return " · ".join(parts) or None


def badge(doc: dict[str, Any] | None, handle: str, due: dict[str, Any] | None = None,
          store_labels: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    """`due`: the person's keep-in-touch status (keep_in_touch.status), for the chip's "due" mark;
    `store_labels`: the store's labels (Store.labels), for the person's own labels."""
    if doc is None:
        return {"known": False, "handle": handle, "user_id": None, "stage": 0, "stage_name": STAGE_NAMES[0],
                "colour": STAGE_COLOURS[0], "tags": [], "labels": [], "notes": None, "last_interaction_at": None,
                "overdue_days": None}
    return {
        "known": True, "handle": doc["handle"], "user_id": doc["user_id"], "stage": doc["stage"],
        "stage_name": STAGE_NAMES[doc["stage"]], "colour": STAGE_COLOURS[doc["stage"]], "tags": doc["tags"],
        "labels": labels.shown(store_labels or {}, doc.get("labels") or ()),
        "notes": notes_summary(doc["notes"]), "last_interaction_at": doc["last_interaction_at"],
        "overdue_days": due["days_overdue"] if due and due["bucket"] == "overdue" else None,
    }


def reminder(doc: dict[str, Any]) -> dict[str, Any]:
    """A person as the keep-in-touch list shows them: who, their next step, and where to reach them."""
    handle, user_id = doc["handle"], doc["user_id"]
    return {"key": person_key(doc), "handle": handle, "user_id": user_id,
            "display_name": doc["profile"].get("display_name"), "stage": doc["stage"],
            "stage_name": STAGE_NAMES[doc["stage"]], "tags": doc["tags"], "next_step": doc["next_step"],
            "last_interaction_at": doc["last_interaction_at"],
            "profile_url": f"https://x.com/{handle}" if handle else None,
            "dm_url": f"https://x.com/messages/compose?recipient_id={user_id}" if user_id else None}


def keep_in_touch(doc: dict[str, Any], due: dict[str, Any] | None) -> dict[str, Any]:
    """A person's own cadence and snooze (what the user set), and what follows from them now."""
    return {"cadence_days": doc.get("cadence_days"), "snooze_until": doc.get("snooze_until"), "status": due}


def summary(store: Store, person_id: int, doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": person_key(doc), "handle": doc["handle"], "user_id": doc["user_id"],
        "display_name": doc["profile"].get("display_name"), "location": doc["profile"].get("location"),
        "stage": doc["stage"], "stage_name": STAGE_NAMES[doc["stage"]], "tags": doc["tags"],
        "labels": labels.shown(store.labels(), doc.get("labels") or ()),
        "notes_summary": notes_summary(doc["notes"]), "next_step": doc["next_step"],
        "last_interaction_at": doc["last_interaction_at"],
        "interaction_count": store.interaction_count(person_id), "created_at": doc["created_at"],
    }


def interaction(doc: dict[str, Any]) -> dict[str, Any]:
    view = {"id": doc["key"], "kind": doc["kind"], "stage": KIND_STAGE[doc["kind"]],
            "label": KIND_LABEL[doc["kind"]], "at": doc["at"], "source": doc["source"]}
    view.update({f: doc.get(f) for f in _INTERACTION_FIELDS})
    return view


def _when(item: dict[str, Any]) -> tuple[str, str]:
    return item["at"], item["key"]


def encode_cursor(item: dict[str, Any]) -> str:
    """Where a page of interactions ended, for `before=`: opaque to clients."""
    return base64.urlsafe_b64encode(orjson.dumps([item["at"], item["key"]])).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        at, key = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(at, str) and isinstance(key, str):
            return at, key
    except (ValueError, TypeError, binascii.Error):
        pass
    raise Invalid("before must be the interactions_next value of an earlier answer", "/query/before")


def detail(store: Store, person_id: int, doc: dict[str, Any], limit: int = DEFAULT_INTERACTIONS,
           before: str | None = None) -> dict[str, Any]:
    """The person, with their newest `limit` interactions (older than the `before` cursor when given).

    The stage evidence is complete as a summary: a count per stage, and its newest items."""
    if not 1 <= limit <= MAX_INTERACTIONS:
        raise Invalid(f"interactions_limit must be between 1 and {MAX_INTERACTIONS}", "/query/interactions_limit")
    # Oldest first: the page and the evidence read only the interactions they show (a few of thousands).
    ids = store.interaction_ids_in_order(person_id)
    summed = doc.get("aggregates") or aggregates.of([store.interaction(i) for i in ids])
    end = len(ids) if before is None else \
        bisect.bisect_left(ids, decode_cursor(before), key=lambda i: _when(store.interaction(i)))
    page, more = [store.interaction(i) for i in reversed(ids[max(0, end - limit):end])], end > limit
    return {
        "key": person_key(doc), "handle": doc["handle"], "user_id": doc["user_id"],
        "profile": doc["profile"], "notes": doc["notes"], "notes_summary": notes_summary(doc["notes"]),
        "tags": doc["tags"], "labels": labels.shown(store.labels(), doc.get("labels") or ()),
        "next_step": doc["next_step"],
        "keep_in_touch": keep_in_touch(doc, reminders.due_now(store)(doc)),
        "give_and_take": give_and_take.person(summed),
        "stage": {
            "current": doc["stage"], "name": STAGE_NAMES[doc["stage"]], "colour": STAGE_COLOURS[doc["stage"]],
            "from_evidence": aggregates.from_evidence(summed), "manual": doc["stage_manual"],
            "evidence": stage.evidence({s: [store.interaction(i) for i in newest]
                                        for s, newest in store.evidence_ids(person_id).items()},
                                       aggregates.by_stage(summed)),
            "history": doc["stage_history"],
        },
        "handle_history": doc["handle_history"],
        "profile_history": [{"at": s["at"], "profile": s["profile"]}
                            for s in sorted(store.snapshots_of(person_id), key=lambda s: s["at"])],
        "interactions": [interaction(i) for i in page],
        "interactions_total": len(ids),
        "interactions_next": encode_cursor(page[-1]) if more else None,
        "created_at": doc["created_at"], "updated_at": doc["updated_at"],
        "last_interaction_at": doc["last_interaction_at"],
    }
