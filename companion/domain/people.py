"""People: identity (user id first, handle second), merging, profile snapshots, and stage upkeep.

Every function here runs inside a store transaction opened by the service.
"""

from __future__ import annotations

from typing import Any

from companion.store.database import Store

from . import aggregates, clock, keep_in_touch, labels, places, whereabouts
from .derive import Observation, PersonRef
from .errors import Invalid
from .vocabulary import NOTE_FIELDS, PROFILE_FIELDS, empty_notes, sort_tags

# Pairs of person ids you said are different people (duplicates.py), in the settings: a pair goes when either
# record does, since a freed id may be given to someone else after a restart.
NOT_DUPLICATES = "not_duplicates"


def delete(store: Store, person_id: int) -> None:
    """A person and their whole history go (deleted, or merged away), and what was said of them by their id."""
    store.delete_person(person_id)
    _forget(store, person_id)


def _forget(store: Store, person_id: int) -> None:
    pairs = store.settings().get(NOT_DUPLICATES) or []
    kept = [p for p in pairs if person_id not in p]
    if len(kept) != len(pairs):
        store.update_settings({NOT_DUPLICATES: kept})


def forget_all(store: Store) -> None:
    """Everyone is gone (an import that replaces everything): so is what was said of them by id."""
    if store.settings().get(NOT_DUPLICATES):
        store.update_settings({NOT_DUPLICATES: []})


def new_person(handle: str | None, user_id: str | None, at: str) -> dict[str, Any]:
    return {
        "handle": handle,
        "handle_lc": handle.lower() if handle else None,
        "user_id": user_id,
        "profile": dict.fromkeys(PROFILE_FIELDS),
        "handle_history": [{"handle": handle, "first_seen_at": at, "last_seen_at": at}] if handle else [],
        "notes": empty_notes(),
        "tags": [],
        "labels": [],
        "next_step": None,
        "cadence_days": None,
        "snooze_until": None,
        "stage": 0,
        "stage_manual": None,
        "stage_history": [],
        "last_interaction_at": None,
        "aggregates": aggregates.empty(),
        "created_at": at,
        "updated_at": at,
    }


def find(store: Store, key: str) -> int | None:
    """`key` is a numeric user id or a handle (any case, with or without @)."""
    key = key.strip().removeprefix("@")
    if key.isdigit():
        found = store.find_user_id(key)
        if found is not None:
            return found
    return store.find_handle(key) if key else None


def resolve(store: Store, ref: PersonRef, at: str, create: bool, observed: bool = True) -> tuple[int | None, bool]:
    """The person `ref` points to, merging records that turn out to be one account.

    `observed`: the ref comes from x.com, so its handle spelling is the current one (a typed
    handle never renames anyone). Returns (person id or None, created).
    """
    by_id = store.find_user_id(ref.user_id) if ref.user_id else None
    by_handle = store.find_handle(ref.handle) if ref.handle else None
    if by_handle is not None and by_handle != by_id:
        holder = store.person(by_handle)
        assert holder is not None
        if ref.user_id and holder["user_id"] and holder["user_id"] != ref.user_id:
            # The handle now belongs to another account: the old holder keeps only its history.
            store.update_person(by_handle, {"handle": None, "handle_lc": None, "updated_at": at})
            by_handle = None
        elif by_id is not None:
            merge(store, keep=by_id, gone=by_handle, at=at)
            by_handle = None
        elif ref.user_id:
            store.update_person(by_handle, {"user_id": ref.user_id, "updated_at": at})
            by_id = by_handle
    found = by_id if by_id is not None else by_handle
    if found is None:
        if not create:
            return None, False
        return store.insert_person(new_person(ref.handle, ref.user_id, at)), True
    doc = store.person(found)
    assert doc is not None
    if ref.handle and observed:
        if ref.user_id and ref.user_id in (doc.get("other_user_ids") or ()):
            # Seen as another account of theirs (merged by hand): that account's handle, not their handle.
            others = doc.get("other_handles") or {}
            if others.get(ref.user_id) != ref.handle:
                store.update_person(found, {"other_handles": {**others, ref.user_id: ref.handle}, "updated_at": at})
        else:
            rename(store, found, ref.handle, at)
    return found, False


def add_by_hand(store: Store, ref: PersonRef, name: str | None, change: dict[str, Any], at: str) -> tuple[int, bool]:
    """Someone the user names (POST /people, a CSV row): found or created, then `change` applied as edit() does.
    A typed name is kept only while X has shown none; a typed handle goes only to someone known by id alone.
    Returns (person id, created)."""
    person_id, created = resolve(store, ref, at, create=True, observed=False)
    assert person_id is not None
    doc = store.person(person_id)
    assert doc is not None
    if ref.handle and not doc["handle"] and store.find_handle(ref.handle) is None:
        rename(store, person_id, ref.handle, at)
    if name and not doc["profile"].get("display_name"):
        observe(store, person_id, Observation("", profile={"display_name": name}), at)
    edit(store, person_id, change, at)
    return person_id, created


def rename(store: Store, person_id: int, handle: str, at: str) -> None:
    doc = store.person(person_id)
    assert doc is not None
    if doc["handle"] == handle:
        return
    history = [dict(h) for h in doc["handle_history"]]
    if history and history[-1]["handle"].lower() == handle.lower():
        history[-1]["handle"] = handle  # only the capitalisation changed
    else:
        if history:
            history[-1]["last_seen_at"] = max(history[-1]["last_seen_at"], at)  # it was their handle until now
        history.append({"handle": handle, "first_seen_at": at, "last_seen_at": at})
    store.update_person(person_id, {"handle": handle, "handle_lc": handle.lower(),
                                    "handle_history": history, "updated_at": at})


def join_text(a: str | None, b: str | None) -> str | None:
    """Two records' text as one: both, on lines of their own, where they differ."""
    if not a or not b or a == b:
        return a or b
    return f"{a}\n{b}"


def merge(store: Store, keep: int, gone: int, at: str) -> None:
    """Fold person `gone` into `keep`: notes, tags, history and interactions follow."""
    a, b = store.person(keep), store.person(gone)
    assert a is not None and b is not None
    manual = [m for m in (a["stage_manual"], b["stage_manual"]) if m]
    handles: dict[str, dict[str, Any]] = {}
    for entry in sorted(a["handle_history"] + b["handle_history"], key=lambda h: h["first_seen_at"]):
        old = handles.get(entry["handle"].lower())
        handles[entry["handle"].lower()] = entry if old is None else {
            "handle": old["handle"], "first_seen_at": old["first_seen_at"],
            "last_seen_at": max(old["last_seen_at"], entry["last_seen_at"])}
    store.update_person(keep, {
        "profile": {f: a["profile"].get(f) if a["profile"].get(f) is not None else b["profile"].get(f)
                    for f in PROFILE_FIELDS},
        "notes": {f: join_text(a["notes"].get(f), b["notes"].get(f)) for f in NOTE_FIELDS},
        "tags": sort_tags(a["tags"] + b["tags"]),
        "labels": labels.union(a.get("labels"), b.get("labels")),
        # Two accounts of one person: the other account's id still finds them (and never renames them), and
        # its handle still gets their badge.
        "other_user_ids": sorted({u for u in (*(a.get("other_user_ids") or ()), b["user_id"],
                                             *(b.get("other_user_ids") or ())) if u and u != a["user_id"]}),
        "other_handles": {u: h for u, h in {**(a.get("other_handles") or {}), **(b.get("other_handles") or {}),
                                            **({b["user_id"]: b["handle"]} if b["user_id"] and b["handle"] else {})
                                            }.items() if u != a["user_id"]},
        "next_step": join_text(a["next_step"], b["next_step"]),
        "cadence_days": a.get("cadence_days") if a.get("cadence_days") is not None else b.get("cadence_days"),
        "snooze_until": max(a.get("snooze_until") or "", b.get("snooze_until") or "") or None,
        "place_fix": max((f for f in (a.get("place_fix"), b.get("place_fix")) if f), key=lambda f: f["at"],
                         default=None),
        "whereabouts": whereabouts.combined(a.get("whereabouts") or [], b.get("whereabouts") or []),
        "starters": {k: sorted({*(a.get("starters") or {}).get(k, []), *(b.get("starters") or {}).get(k, [])})
                     for k in ("dismissed", "accepted")},
        "stage_manual": max(manual, key=lambda m: m["at"]) if manual else None,
        "stage_history": _unique_sorted(a["stage_history"] + b["stage_history"]),
        "handle_history": list(handles.values()),
        "created_at": min(a["created_at"], b["created_at"]),
        "updated_at": at,
    })
    store.move_history(gone, keep)
    delete(store, gone)
    refresh_stage(store, keep, at)


def _unique_sorted(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    unique = {(h["at"], h["stage"], h["source"]): h for h in history}
    return [unique[k] for k in sorted(unique)]


def observe(store: Store, person_id: int, seen: Observation, at: str) -> bool:
    """Apply what a page showed of this person; a new profile snapshot only when something changed."""
    return bool(observe_all(store, [(person_id, seen)], at))


def observe_all(store: Store, seen: list[tuple[int, Observation]], at: str) -> list[int]:
    """Apply what a page showed of each person, in order: a new profile snapshot for each observation that
    changed something. One write for all the profiles and one for all the snapshots (a page shows a score of
    people, and each write has its own bookkeeping). Returns the person of each snapshot, in order."""
    profiles: dict[int, dict[str, Any]] = {}
    snapshots: list[dict[str, Any]] = []
    for person_id, observation in seen:
        doc = store.person(person_id)
        assert doc is not None
        profile = profiles.get(person_id, doc["profile"])
        changed = {f: v for f, v in observation.profile.items() if profile.get(f) != v}
        if changed:
            profiles[person_id] = profile = {**profile, **changed}
            snapshots.append({"person": person_id, "at": at, "profile": profile})
    if profiles:
        store.update_people({pid: {"profile": profile, "updated_at": at} for pid, profile in profiles.items()},
                            changed=True)
        store.insert_snapshots(snapshots)
    return [snapshot["person"] for snapshot in snapshots]


def add_interactions(store: Store, items_of: dict[int, list[dict[str, Any]]], at: str) -> dict[int, int]:
    """Store the interactions each person does not have yet (by key), and bring those people's aggregates and
    stage up to date; returns how many were new for each. One write for all the interactions and one for all
    the people: each write has its own bookkeeping, and a page shows a score of people."""
    fresh_of: dict[int, list[dict[str, Any]]] = {}
    for person_id, items in items_of.items():
        fresh: dict[str, dict[str, Any]] = {}
        for item in items:
            if item["key"] not in fresh and store.interaction_id(person_id, item["key"]) is None:
                fresh[item["key"]] = {**item, "person": person_id}
        if fresh:
            fresh_of[person_id] = list(fresh.values())
    if fresh_of:
        store.insert_interactions(item for fresh in fresh_of.values() for item in fresh)
        now = clock.now()  # once for the page: the windows the aggregates keep end today
        changes = {person_id: _stage_fields(store, person_id, at, added=fresh, now=now)
                   for person_id, fresh in fresh_of.items()}
        store.update_people({person_id: fields for person_id, fields in changes.items() if fields}, changed=True)
    return {person_id: len(fresh_of.get(person_id, ())) for person_id in items_of}


def refresh_stage(store: Store, person_id: int, at: str, reason: str | None = None,
                  source: str = "evidence", added: list[dict[str, Any]] | None = None) -> None:
    """Bring the person's aggregates, stage and last interaction up to date; record a stage change.

    `added`: the interactions just stored (possibly none): the aggregates grow by those alone. Without
    it (something was removed, people were merged), they are recomputed from this person's history."""
    fields = _stage_fields(store, person_id, at, reason, source, added)
    if fields:
        store.update_person(person_id, fields)


def _stage_fields(store: Store, person_id: int, at: str, reason: str | None = None, source: str = "evidence",
                  added: list[dict[str, Any]] | None = None, now: str | None = None) -> dict[str, Any]:
    """What refresh_stage changes on the person (nothing when nothing changed)."""
    doc = store.person(person_id)
    assert doc is not None
    if added is not None and aggregates.current(doc.get("aggregates")):
        summed = aggregates.add(doc["aggregates"], added, now)
        last = max([doc["last_interaction_at"] or "", *(i["at"] for i in added)]) or None
    else:  # a removal, a merge, or someone stored before aggregates existed
        interactions = store.interactions_of(person_id)
        summed = aggregates.of(interactions, now)
        last = max((i["at"] for i in interactions), default=None)
    new_stage = aggregates.current_stage(summed, doc["stage_manual"])
    fields: dict[str, Any] = {}
    if summed != doc.get("aggregates"):
        fields["aggregates"] = summed
    if last != doc["last_interaction_at"]:
        fields["last_interaction_at"] = last
    if new_stage != doc["stage"]:
        fields["stage"] = new_stage
        fields["stage_history"] = [*doc["stage_history"],
                                   {"stage": new_stage, "at": at, "source": source, "reason": reason}]
    return {**fields, "updated_at": at} if fields else {}


def upgrade_aggregates(store: Store) -> tuple[int, Any]:
    """Give people stored before these aggregates existed theirs, once, after a backup. Returns (how many, backup)."""
    missing = [pid for pid in store.person_ids() if not aggregates.current((store.person(pid) or {}).get("aggregates"))]
    if not missing:
        return 0, None
    backup = store.backup()
    with store.transaction():
        for person_id in missing:
            store.update_person(person_id, {"aggregates": aggregates.of(store.interactions_of(person_id))})
    return len(missing), backup


def set_manual_stage(store: Store, person_id: int, wanted: dict[str, Any] | None, at: str) -> None:
    manual = {"stage": wanted["stage"], "reason": wanted["reason"], "at": at} if wanted else None
    store.update_person(person_id, {"stage_manual": manual, "updated_at": at})
    if manual:
        refresh_stage(store, person_id, at, reason=manual["reason"], source="manual", added=[])
    else:
        refresh_stage(store, person_id, at, reason="manual stage cleared", added=[])


def edit(store: Store, person_id: int, change: dict[str, Any], at: str | None = None) -> None:
    """Notes merge field by field (blank clears), tags and labels (by name) replace, next step, manual stage."""
    at = at or clock.now()
    doc = store.person(person_id)
    assert doc is not None
    fields: dict[str, Any] = {}
    if "notes" in change:
        notes = dict(doc["notes"])
        for name, value in change["notes"].items():
            notes[name] = value if value and value.strip() else None
        fields["notes"] = notes
    if "tags" in change:
        fields["tags"] = sort_tags(change["tags"])
    if "labels" in change:
        fields["labels"] = labels.ids_for(store, change["labels"], at)
    if "next_step" in change:
        step = change["next_step"]
        fields["next_step"] = step if step and step.strip() else None
    if "cadence_days" in change:
        fields["cadence_days"] = change["cadence_days"]
    if "snooze_until" in change:
        fields["snooze_until"] = keep_in_touch.snooze_date(change["snooze_until"], keep_in_touch.user_now())
    if "place" in change:
        fields["place_fix"] = place_fix(change["place"], at)
    if fields:
        store.update_person(person_id, {**fields, "updated_at": at})
    if "stage" in change:
        set_manual_stage(store, person_id, change["stage"], at)


def place_fix(wanted: dict[str, Any] | None, at: str) -> dict[str, Any] | None:
    """The user's correction of where someone is: a gazetteer city, "no place", or none (the profile decides)."""
    if wanted is None:
        return None
    if wanted.get("none"):
        return {"none": True, "at": at}
    if places.gazetteer().city(wanted["geonameid"]) is None:
        raise Invalid(f"no city has the geonames id {wanted['geonameid']}: choose one the place field suggests",
                      "/place/geonameid")
    return {"geonameid": wanted["geonameid"], "at": at}


def resolve_archived(store: Store, ref: PersonRef, at: str) -> tuple[int, bool]:
    """The person an X archive names, created when new. Returns (person id, created).

    An archive is older than what the extension sees, so it never renames anyone and never takes a
    handle from another account: a handle goes only to a person who has none."""
    if ref.user_id is None:
        holder = store.find_handle(ref.handle) if ref.handle else None
        if holder is not None:
            return holder, False
        return store.insert_person(new_person(ref.handle, None, at)), True
    found = store.find_user_id(ref.user_id)
    holder = store.find_handle(ref.handle) if ref.handle else None
    anonymous_holder = holder is not None and holder != found and not (store.person(holder) or {}).get("user_id")
    if found is None:
        if anonymous_holder:  # the handle-only record (from a quote, say) is this account
            store.update_person(holder, {"user_id": ref.user_id, "updated_at": at})  # type: ignore[arg-type]
            return holder, False  # type: ignore[return-value]
        return store.insert_person(new_person(ref.handle if holder is None else None, ref.user_id, at)), True
    if anonymous_holder:
        merge(store, keep=found, gone=holder, at=at)  # type: ignore[arg-type]
    doc = store.person(found)
    assert doc is not None
    if ref.handle and not doc["handle"] and store.find_handle(ref.handle) is None:
        rename(store, found, ref.handle, at)
    return found, False
