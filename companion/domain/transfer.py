"""Export everything, import it back. export(import(E)) == E on an empty companion (but exported_at)."""

from __future__ import annotations

from typing import Any

from companion.store.database import Store
from companion.store.indexes import CONFERENCES, TRIPS

from . import aggregates, clock, keep_in_touch, labels, meetups, people, places, posts, views, whereabouts
from .derive import PersonRef
from .errors import Invalid
from .vocabulary import NOTE_FIELDS, PROFILE_FIELDS, sort_tags

FORMAT, VERSION = "rapport-export", 1
EXPORTED_SETTINGS = ("keep_in_touch", "keep_posts")


def _sort_key(doc: dict[str, Any]) -> tuple[str, str, str]:
    return doc["created_at"], doc["handle_lc"] or "", doc["user_id"] or ""


def export(store: Store) -> dict[str, Any]:
    found = [(pid, store.person(pid)) for pid in store.person_ids()]
    store_labels = store.labels()
    return {
        "format": FORMAT, "version": VERSION, "exported_at": clock.now(),
        "people": [_export_person(store, pid, doc, store_labels)
                   for pid, doc in sorted(found, key=lambda f: _sort_key(f[1]))],
        "labels": [{"name": label["name"], "colour": label["colour"], "created_at": label["created_at"]}
                   for label in sorted(store_labels.values(), key=lambda label: label["name"].casefold())],
        "trips": [plan for _, plan in sorted(store.plans_of(TRIPS).items())],
        "conferences": [plan for _, plan in sorted(store.plans_of(CONFERENCES).items())],
        # (Pairs you said are not duplicates name records by their ids here, which an import does not keep.)
        "settings": {k: v for k, v in store.settings().items() if k in EXPORTED_SETTINGS},
    }


def _export_person(store: Store, person_id: int, doc: dict[str, Any],
                   store_labels: dict[int, dict[str, Any]]) -> dict[str, Any]:
    interactions = [store.interaction(i) for i in store.interaction_ids_in_order(person_id)]
    return {
        "handle": doc["handle"], "user_id": doc["user_id"],
        "other_accounts": [{"user_id": u, "handle": (doc.get("other_handles") or {}).get(u)}
                           for u in doc.get("other_user_ids") or ()],
        "profile": doc["profile"], "notes": doc["notes"],
        "tags": doc["tags"], "labels": [label["name"] for label in labels.shown(store_labels, doc.get("labels") or ())],
        "next_step": doc["next_step"], "cadence_days": doc.get("cadence_days"),
        "snooze_until": doc.get("snooze_until"), "stage_manual": doc["stage_manual"],
        "stage_history": doc["stage_history"], "handle_history": doc["handle_history"],
        "created_at": doc["created_at"], "updated_at": doc["updated_at"],
        "interactions": [views.interaction(i) for i in interactions],
        "snapshots": [{"at": s["at"], "profile": s["profile"]}
                      for s in sorted(store.snapshots_of(person_id), key=lambda s: s["at"])],
        "place_fix": doc.get("place_fix"), "whereabouts": doc.get("whereabouts") or [],
        "starters": doc.get("starters") or {"dismissed": [], "accepted": []},
        "posts": [posts.view(p) for p in sorted(store.posts_of(person_id), key=lambda p: (p["at"], p["status_id"]))],
    }


def import_(store: Store, document: dict[str, Any], replace: bool) -> dict[str, Any]:
    """Runs inside one store transaction: all of it lands, or none."""
    if replace:
        store.clear()
        people.forget_all(store)
    # Settings first: whether posts are kept decides whether the document's posts come in.
    saved = store.settings()
    wanted = {k: v for k, v in (document.get("settings") or {}).items() if replace or k not in saved}
    if "keep_in_touch" in wanted:
        wanted["keep_in_touch"] = keep_in_touch.check_defaults(wanted["keep_in_touch"])
    if wanted:
        store.update_settings(wanted)
    counts = {"people_created": 0, "people_merged": 0, "interactions_added": 0, "snapshots_added": 0}
    _import_labels(store, document.get("labels") or [])
    for n, person in enumerate(document["people"]):
        _import_person(store, person, counts, f"/people/{n}")
    posts.bound_all(store)
    for kind in (TRIPS, CONFERENCES):
        have = list(store.plans_of(kind).values())
        for n, plan in enumerate(document.get(kind) or []):
            _check_plan(plan, f"/{kind}/{n}")
            if plan not in have:  # importing the same export twice adds no trip twice
                store.insert_plan(kind, plan)
    return {"ok": True, "mode": "replace" if replace else "merge", **counts}


def _import_labels(store: Store, wanted: list[dict[str, Any]]) -> None:
    """Labels by name: one you have already keeps its colour; a new one comes with the document's."""
    have = labels.by_name(store)
    for n, label in enumerate(wanted):
        name = labels.clean_name(label["name"], f"/labels/{n}/name")
        if name.casefold() not in have:
            at = clock.normalize(label["created_at"], f"/labels/{n}/created_at") if label.get("created_at") else None
            have[name.casefold()] = labels.create(store, name, label["colour"], at)


def _check_plan(plan: dict[str, Any], path: str) -> None:
    """What the schema cannot say of a trip or a conference: real dates, in order, and a city that exists."""
    try:
        meetups.check_dates(plan["start"], plan["end"])
    except Invalid as exc:
        raise Invalid(str(exc), f"{path}/start") from None
    if plan["geonameid"] is not None and places.gazetteer().city(plan["geonameid"]) is None:
        raise Invalid(f"no city has the geonames id {plan['geonameid']}", f"{path}/geonameid")


def _place_fix(fix: dict[str, Any] | None, path: str) -> dict[str, Any] | None:
    if fix is None:
        return None
    if fix.get("geonameid") is not None and places.gazetteer().city(fix["geonameid"]) is None:
        raise Invalid(f"no city has the geonames id {fix['geonameid']}", f"{path}/place_fix/geonameid")
    return {**fix, "at": clock.normalize(fix["at"], f"{path}/place_fix/at")}


def _import_person(store: Store, person: dict[str, Any], counts: dict[str, int], path: str) -> None:
    at = clock.normalize(person["updated_at"], f"{path}/updated_at")
    match, _ = people.resolve(store, PersonRef(person["handle"], person["user_id"]), at, create=False)
    others = [a for a in person.get("other_accounts") or []
              if a["user_id"] != person["user_id"] and store.find_user_id(a["user_id"]) in (None, match)]
    interactions = [_interaction_doc(i, f"{path}/interactions/{n}") for n, i in enumerate(person["interactions"])]
    snapshots = [{"at": clock.normalize(s["at"], f"{path}/snapshots/{n}/at"), "profile": _profile(s["profile"])}
                 for n, s in enumerate(person["snapshots"])]
    manual = person["stage_manual"]
    totals = aggregates.of(interactions)
    doc = {
        # A person that matches someone known comes in anonymous, then merges into them.
        "handle": person["handle"] if match is None else None,
        "handle_lc": person["handle"].lower() if match is None and person["handle"] else None,
        "user_id": person["user_id"] if match is None else None,
        # Other accounts of theirs that are nobody else's record here.
        "other_user_ids": [a["user_id"] for a in others],
        "other_handles": {a["user_id"]: a["handle"] for a in others if a.get("handle")},
        "profile": _profile(person["profile"]),
        "handle_history": person["handle_history"],
        "notes": {f: person["notes"].get(f) for f in NOTE_FIELDS},
        "tags": sort_tags(person["tags"]),
        "labels": labels.ids_for(store, person.get("labels") or [], at, f"{path}/labels"),
        "next_step": person["next_step"],
        "cadence_days": person.get("cadence_days"),
        "snooze_until": person.get("snooze_until"),
        "place_fix": _place_fix(person.get("place_fix"), path),
        # Each post's place once, and only places the gazetteer knows (the card draws them from it).
        "whereabouts": whereabouts.combined([w for w in person.get("whereabouts") or []
                                             if places.gazetteer().city(w["geonameid"]) is not None]),
        "starters": person.get("starters") or {"dismissed": [], "accepted": []},
        "stage": aggregates.current_stage(totals, manual),
        "aggregates": totals,
        "stage_manual": manual,
        "stage_history": person["stage_history"],
        "last_interaction_at": max((i["at"] for i in interactions), default=None),
        "created_at": clock.normalize(person["created_at"], f"{path}/created_at"),
        "updated_at": at,
    }
    before = _history_size(store, match) if match is not None else (0, 0)
    person_id = store.insert_person(doc)
    store.insert_interactions([{**i, "person": person_id} for i in interactions])
    for snapshot in snapshots:
        store.insert_snapshot({**snapshot, "person": person_id})
    # Unread: the service reads imported posts as it reads newly kept ones. Each post once, and none when the
    # keeping of posts is off.
    if posts.keeping(store):
        kept = {p["status_id"]: p for p in person.get("posts") or []}
        docs = []
        for n, post in enumerate(kept.values()):
            post_at = clock.normalize(post["at"], f"{path}/posts/{n}/at")
            docs.append({**post, "person": person_id, "at": post_at, "observed_at": post_at, "mentions": None})
        store.insert_posts(docs)
    if match is None:
        counts["people_created"] += 1
        counts["interactions_added"] += len(interactions)
        counts["snapshots_added"] += len(snapshots)
        return
    people.merge(store, keep=match, gone=person_id, at=clock.now())
    after = _history_size(store, match)
    counts["people_merged"] += 1
    counts["interactions_added"] += after[0] - before[0]
    counts["snapshots_added"] += after[1] - before[1]


def _history_size(store: Store, person_id: int) -> tuple[int, int]:
    return store.interaction_count(person_id), len(store.snapshots_of(person_id))


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {f: profile.get(f) for f in PROFILE_FIELDS}


def _interaction_doc(view: dict[str, Any], path: str) -> dict[str, Any]:
    return {
        "key": view["id"], "kind": view["kind"], "at": clock.normalize(view["at"], f"{path}/at"),
        "source": view["source"],
        "status_id": view.get("status_id"), "url": view.get("url"), "text": view.get("text"),
        "place": view.get("place"), "note": view.get("note"),
        "observed_at": clock.normalize(view["observed_at"], f"{path}/observed_at") if view.get("observed_at") else None,
    }
