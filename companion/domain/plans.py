"""Trips and conferences: the meet-ups a user plans, and whom they know at each.

A trip is a city and dates. It keeps its list: the people the user marked to meet (with a note) stay
on it, and once the trip is over Rapport asks which meetings happened, to log them. A conference adds
hashtags and handles: people whose kept posts or bio mention it are on its list, with the evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from companion.store.database import Store
from companion.store.indexes import CONFERENCES, TRIPS

from . import meetups, people, posts
from .errors import Invalid, NotFound
from .meetups import DEFAULT_KM, Spot
from .places import Place

Row = Callable[[int], dict[str, Any]]  # person id -> how a list shows them (views.summary)
EVIDENCE_POSTS = 3  # per person on a conference's list, the newest
KINDS = {"trip": TRIPS, "conference": CONFERENCES}


def _place_fields(body: dict[str, Any]) -> dict[str, Any]:
    if body.get("geonameid") is None and not body.get("place"):
        return {"geonameid": None, "label": None}
    place = meetups.find_place(body.get("place"), body.get("geonameid"))
    if place.kind != "city":
        raise Invalid(f"{place.label} is a {place.kind}: choose a city", "/place")
    return {"geonameid": place.geonameid, "label": place.label}


def _common(body: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    merged = {**(old or {}), **body}
    start, end = meetups.check_dates(merged["start"], merged["end"])
    fields: dict[str, Any] = {"start": start, "end": end, "km": meetups.check_km(float(merged.get("km") or DEFAULT_KM))}
    if "place" in body or "geonameid" in body or old is None:
        fields.update(_place_fields(body))
    for name in ("name", "note"):
        if name in body:
            fields[name] = (body[name] or "").strip() or None
    return fields


def create(store: Store, kind: str, body: dict[str, Any], now: str) -> int:
    fields = _common(body, None)
    if kind == "trip":
        if fields["geonameid"] is None:
            raise Invalid("a trip goes to a city: give place (or geonameid)", "/place")
        fields.setdefault("name", None)
        fields.update({"marks": {}, "reviewed_at": None})
    else:
        if not fields.get("name"):
            raise Invalid("a conference needs a name", "/name")
        fields.update({"hashtags": meetups.clean_tags(body.get("hashtags") or []),
                       "handles": meetups.clean_handles(body.get("handles") or [])})
    fields.setdefault("note", None)
    return store.insert_plan(KINDS[kind], {**fields, "created_at": now, "updated_at": now})


def get(store: Store, kind: str, plan_id: int) -> dict[str, Any]:
    found = store.plans_of(KINDS[kind]).get(plan_id)
    if found is None:
        raise NotFound(f"no {kind} {plan_id}")
    return found


def update(store: Store, kind: str, plan_id: int, body: dict[str, Any], now: str) -> None:
    old = get(store, kind, plan_id)
    fields = _common(body, old)
    if kind == "trip" and fields.get("geonameid", old["geonameid"]) is None:
        raise Invalid("a trip goes to a city: give place (or geonameid)", "/place")
    if kind == "conference":
        if "hashtags" in body:
            fields["hashtags"] = meetups.clean_tags(body["hashtags"])
        if "handles" in body:
            fields["handles"] = meetups.clean_handles(body["handles"])
        if "name" in body and not fields.get("name"):
            raise Invalid("a conference needs a name", "/name")
    store.update_plan(KINDS[kind], plan_id, {**fields, "updated_at": now})


def remove(store: Store, kind: str, plan_id: int) -> None:
    get(store, kind, plan_id)
    store.remove_plan(KINDS[kind], plan_id)


def _marks_for(store: Store, trip: dict[str, Any], key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The trip's marks without any of the person `key` names (under an older key too: a handle before the
    user id was known), and that person's mark."""
    person_id = people.find(store, key)
    marks, theirs = {}, {}
    for other, mark_ in trip["marks"].items():
        if person_id is not None and people.find(store, other) == person_id:
            theirs = mark_
        else:
            marks[other] = mark_
    return marks, theirs


def mark_of(store: Store, trip: dict[str, Any], person_id: int) -> dict[str, Any]:
    return next((m for k, m in trip["marks"].items() if people.find(store, k) == person_id), {})


def mark(store: Store, trip_id: int, key: str, meet: bool, note: str | None, now: str) -> None:
    trip = get(store, "trip", trip_id)
    marks, old = _marks_for(store, trip, key)
    if meet or (note and note.strip()):
        marks[key] = {"meet": meet, "note": (note or "").strip() or None, "met_at": old.get("met_at")}
    else:
        marks.pop(key, None)
    store.update_plan(TRIPS, trip_id, {"marks": marks, "updated_at": now})


def met(store: Store, trip_id: int, key: str, at: str) -> None:
    trip = get(store, "trip", trip_id)
    marks, old = _marks_for(store, trip, key)
    marks[key] = {**(old or {"meet": True, "note": None}), "met_at": at}
    store.update_plan(TRIPS, trip_id, {"marks": marks})


def reviewed(store: Store, trip_id: int, now: str) -> None:
    get(store, "trip", trip_id)
    store.update_plan(TRIPS, trip_id, {"reviewed_at": now})


def when(plan: dict[str, Any], today: date) -> str:
    if today < date.fromisoformat(plan["start"]):
        return "upcoming"
    return "past" if today > date.fromisoformat(plan["end"]) else "now"


def city(plan: dict[str, Any]) -> Place | None:
    return meetups.find_place(None, plan["geonameid"]) if plan.get("geonameid") else None


def trip_view(store: Store, index: dict[int, tuple[Spot, ...]], trip_id: int, now: str, today: date,
              row: Row) -> dict[str, Any]:
    trip = get(store, "trip", trip_id)
    place = city(trip)
    there = meetups.near(index, place, trip["km"], now, (trip["start"], trip["end"])) if place else {}
    listed = []
    # Marks are kept by the key the person had then (a handle, before their user id was known).
    marked = {pid: mark_ for key, mark_ in trip["marks"].items() if (pid := people.find(store, key)) is not None}
    for person_id, reason in there.items():
        listed.append({**row(person_id), **reason, "mark": marked.pop(person_id, None)})
    for person_id, mark_ in marked.items():  # marked, and no longer seen there: the trip keeps its list
        listed.append({**row(person_id), "distance_km": None, "why": None, "corrected": False, "place": None,
                       "post": None, "mark": mark_})
    status = when(trip, today)
    to_log = [p for p in listed if p["mark"] and p["mark"]["meet"] and not p["mark"].get("met_at")]
    return {**summary("trip", trip_id, trip, today), "people": meetups.rank(listed),
            "ask_to_log": status == "past" and trip["reviewed_at"] is None and bool(to_log),
            "to_log": [p["key"] for p in to_log]}


def conference_view(store: Store, index: dict[int, tuple[Spot, ...]], conference_id: int, now: str, today: date,
                    row: Row) -> dict[str, Any]:
    conference = get(store, "conference", conference_id)
    terms = meetups.conference_terms(conference)
    reasons: dict[int, list[dict[str, Any]]] = {}
    for post in sorted(store.all_posts().values(), key=lambda p: p["at"], reverse=True):
        person_reasons = reasons.setdefault(post["person"], [])
        if len(person_reasons) < EVIDENCE_POSTS and meetups.mentions(post["text"], terms):
            person_reasons.append({"why": "post", "post": posts.view(post)})
    for person_id in index:
        doc = store.person(person_id)
        if doc is not None and meetups.mentions(doc["profile"].get("bio"), terms):
            reasons.setdefault(person_id, []).append({"why": "bio", "text": doc["profile"]["bio"]})
    place = city(conference)
    if place is not None:
        dates = (conference["start"], conference["end"])
        for person_id, reason in meetups.near(index, place, conference["km"], now, dates).items():
            reasons.setdefault(person_id, []).append({**reason, "why": f"city_{reason['why']}"})
    listed = []
    for person_id, found in reasons.items():
        doc = store.person(person_id)
        if found and doc is not None and posts.known(doc):
            listed.append({**row(person_id), "reasons": found})
    return {**summary("conference", conference_id, conference, today), "people": meetups.rank(listed)}


def summary(kind: str, plan_id: int, plan: dict[str, Any], today: date) -> dict[str, Any]:
    out = {"id": plan_id, "kind": kind, "name": plan.get("name"), "geonameid": plan.get("geonameid"),
           "place": plan.get("label"), "start": plan["start"], "end": plan["end"], "km": plan["km"],
           "note": plan.get("note"), "when": when(plan, today), "created_at": plan["created_at"]}
    if kind == "conference":
        out.update({"hashtags": plan["hashtags"], "handles": plan["handles"]})
    else:
        out.update({"marked": sum(1 for m in plan["marks"].values() if m["meet"]), "reviewed_at": plan["reviewed_at"]})
    return out


def listing(store: Store, kind: str, today: date) -> list[dict[str, Any]]:
    """Upcoming and current first (soonest first), then past ones (latest first)."""
    found = [summary(kind, pid, plan, today) for pid, plan in store.plans_of(KINDS[kind]).items()]
    ahead = sorted((p for p in found if p["when"] != "past"), key=lambda p: p["start"])
    behind = sorted((p for p in found if p["when"] == "past"), key=lambda p: p["end"], reverse=True)
    return ahead + behind

