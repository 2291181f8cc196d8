"""Meet-ups: whom you know in a city, on a trip, or at a conference, and why Rapport thinks so.

A person is somewhere for one of two reasons: their profile location (as the gazetteer reads it, or
as you corrected it), or a recent post that says where they are (whereabouts). Each answer says which.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import places, posts, whereabouts
from .errors import Invalid, NotFound
from .places import KIND_CITY, KIND_COUNTRY, Place, distance_km

DEFAULT_KM = 50
MIN_YEAR, MAX_YEAR = 1900, 9000  # a trip or conference outside these is a typo (and 14 days before year 1 is none)
MAX_KM = 20_000
WHY_PROFILE, WHY_POST = "profile", "post"
KM_PER_DEGREE = 111.2


@dataclass(frozen=True, slots=True)
class Spot:
    """One reason to think a person is at a place."""

    place: Place
    why: str  # WHY_PROFILE or WHY_POST
    corrected: bool = False  # the profile's place, as the user corrected it
    post: dict[str, Any] | None = None  # for WHY_POST: the post that says so (expires)


def _corrected(doc: dict[str, Any]) -> tuple[bool, Place | None]:
    """Whether the user corrected where the person is, and to which city (None: "no place")."""
    fix = doc.get("place_fix")
    if not fix:
        return False, None
    return True, None if fix.get("none") else places.gazetteer().city(fix["geonameid"])


def home(doc: dict[str, Any]) -> dict[str, Any]:
    """Where the person's profile says they live: the raw text, what it resolves to, and any correction."""
    raw = doc["profile"].get("location")
    resolved = places.resolve(raw)
    out: dict[str, Any] = {"raw": raw, "resolved": resolved.to_json() if resolved else None, "corrected": None}
    corrected, city = _corrected(doc)
    if corrected:
        at = doc["place_fix"]["at"]
        out["corrected"] = {"none": True, "at": at} if city is None else {
            **city.to_json(), "label": city.label, "confidence": "yours", "at": at}
    return out


def home_place(doc: dict[str, Any]) -> tuple[Place | None, bool]:
    """The place the person lives, and whether it is the user's correction."""
    corrected, city = _corrected(doc)
    if corrected:
        return city, True
    resolved = places.resolve(doc["profile"].get("location"))
    return (resolved.place if resolved else None), False


def spots(doc: dict[str, Any]) -> tuple[Spot, ...] | None:
    """Everywhere a person you know might be (PerPerson's value); None for people you do not know."""
    if not posts.known(doc):
        return None
    found: list[Spot] = []
    place, corrected = home_place(doc)
    if place is not None:
        found.append(Spot(place, WHY_PROFILE, corrected))
    gaz = places.gazetteer()
    for where in doc.get("whereabouts") or []:
        city = gaz.city(where["geonameid"])
        if city is not None:
            found.append(Spot(city, WHY_POST, post=where))
    return tuple(found) or None


def find_place(text: str | None, geonameid: int | None = None) -> Place:
    """The place a query names: a gazetteer city by id, or free text read like a profile location."""
    if geonameid is not None:
        city = places.gazetteer().city(geonameid)
        if city is None:
            raise NotFound(f"no city has the geonames id {geonameid}")
        return city
    if not text or not text.strip():
        raise Invalid("say where: place=Boston (or geonameid= from the suggestions)", "/query/place")
    resolved = places.resolve(text)
    if resolved is None:
        # Typed into the place field, a small town's name ("Suva") means the town: the biggest of that name.
        named = places.gazetteer().cities_named(text)
        if not named:
            raise NotFound(f"{text.strip()!r} is not a place Rapport knows; try a city, with its state or country "
                           f"if the name is shared (\"Portland, ME\")")
        return named[0]
    if resolved.place.kind == places.KIND_REGION and resolved.place.country != "US":
        # The gazetteer's cities carry US states, but not other countries' regions: which city is in Bavaria
        # cannot be told. Rather than answer nobody, say what can be asked.
        raise Invalid(f"{resolved.place.label} is a region Rapport cannot map its cities to: ask for a city in it, "
                      f"or for {resolved.place.country_name}", "/query/place")
    return resolved.place


def check_km(km: float) -> float:
    if not math.isfinite(km) or not 0 < km <= MAX_KM:
        raise Invalid(f"km must be more than 0 and at most {MAX_KM}", "/query/km")
    return km


def at_place(spot: Place, place: Place, km: float) -> float | None:
    """How far `spot` is from `place` (None when it is not there): within km of a city; inside a region
    or a country. A country- or region-wide spot ("Germany") is in no city."""
    if place.kind == KIND_CITY:
        if spot.kind != KIND_CITY or abs(spot.lat - place.lat) * KM_PER_DEGREE > km:  # type: ignore[operator]
            return None
        far = distance_km(spot.lat, spot.lon, place.lat, place.lon)  # type: ignore[arg-type]
        return far if far <= km else None
    if spot.country != place.country:
        return None
    if place.kind == KIND_COUNTRY or spot.admin1 == place.admin1:
        return 0.0
    return None


def near(index: dict[int, tuple[Spot, ...]], place: Place, km: float, now: str,
         dates: tuple[str, str] | None = None) -> dict[int, dict[str, Any]]:
    """person id -> {distance_km, why, post, corrected} for everyone you know at `place`: the profile
    reason first, then the newest post that counts. A post counts for WHEREABOUTS_DAYS: up to `now`, or,
    for a trip or a conference (`dates`: its first and last day), from that long before it to its end."""
    check_km(km)
    since, until = (whereabouts.cutoff(now), None) if dates is None else (
        whereabouts.cutoff(dates[0] + "T00:00:00Z"), dates[1] + "T23:59:59.999999Z")
    found: dict[int, dict[str, Any]] = {}
    for person_id, person_spots in index.items():
        best: dict[str, Any] | None = None
        for spot in person_spots:
            if spot.why == WHY_POST and not since <= spot.post["at"] <= (until or spot.post["at"]):  # type: ignore[index]
                continue  # said too long before (or after) the days in question
            far = at_place(spot.place, place, km)
            if far is None:
                continue
            reason = {"distance_km": round(far, 1), "why": spot.why, "corrected": spot.corrected,
                      "place": spot.place.label, "post": _post_evidence(spot.post)}
            if best is None or (best["why"] == WHY_POST and spot.why == WHY_PROFILE):
                best = reason
        if best is not None:
            found[person_id] = best
    return found


def _post_evidence(where: dict[str, Any] | None) -> dict[str, Any] | None:
    if where is None:
        return None
    return {"url": where["url"], "at": where["at"], "words": where["words"], "text": where["text"]}


def rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """By stage, highest first, then by the most recent interaction."""
    return sorted(rows, key=lambda r: (-r["stage"], _desc(r.get("last_interaction_at"))))


def _desc(value: str | None) -> tuple[int, str]:
    # Newest first with None last, in an ascending sort: invert the characters' order.
    if not value:
        return (1, "")
    return (0, "".join(chr(0x10FFFF - ord(c)) for c in value))


def bubbles(index: dict[int, tuple[Spot, ...]], stage_of: dict[int, int]) -> list[dict[str, Any]]:
    """The map: one bubble per city where people you know live, with how many and their highest stage."""
    by_city: dict[int, dict[str, Any]] = {}
    for person_id, person_spots in index.items():
        home_spot = next((s for s in person_spots if s.why == WHY_PROFILE and s.place.kind == KIND_CITY), None)
        if home_spot is None:
            continue
        city = home_spot.place
        bubble = by_city.setdefault(city.geonameid, {  # type: ignore[arg-type]
            "geonameid": city.geonameid, "label": city.label, "lat": city.lat, "lon": city.lon, "people": 0,
            "top_stage": 0})
        bubble["people"] += 1
        bubble["top_stage"] = max(bubble["top_stage"], stage_of[person_id])
    return sorted(by_city.values(), key=lambda b: -b["people"])


# -- trips and conferences -------------------------------------------------------------------------------
_TAG = re.compile(r"^#?[^\s#@]{1,100}$")
_HANDLE = re.compile(r"^@?[A-Za-z0-9_]{1,15}$")


def check_dates(start: str, end: str) -> tuple[str, str]:
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        raise Invalid(f"dates are YYYY-MM-DD: {exc}", "/start") from None
    if last < first:
        raise Invalid("the end is before the start", "/end")
    if first.year < MIN_YEAR or last.year > MAX_YEAR:
        raise Invalid(f"dates are between {MIN_YEAR} and {MAX_YEAR}", "/start")
    return first.isoformat(), last.isoformat()


def clean_tags(tags: list[str]) -> list[str]:
    for n, tag in enumerate(tags):
        if not _TAG.match(tag.strip()):
            raise Invalid(f"{tag!r} is not a hashtag (letters, digits and _)", f"/hashtags/{n}")
    return list(dict.fromkeys(t.strip().lstrip("#") for t in tags))


def clean_handles(handles: list[str]) -> list[str]:
    for n, handle in enumerate(handles):
        if not _HANDLE.match(handle.strip()):
            raise Invalid(f"{handle!r} is not an X handle", f"/handles/{n}")
    return list(dict.fromkeys(h.strip().lstrip("@") for h in handles))


def conference_terms(conference: dict[str, Any]) -> list[re.Pattern[str]]:
    """What a post or bio says to be about the conference: its hashtags, its handles, its name."""
    terms = [re.compile(rf"#{re.escape(t)}\b", re.IGNORECASE) for t in conference["hashtags"]]
    terms += [re.compile(rf"@{re.escape(h)}\b", re.IGNORECASE) for h in conference["handles"]]
    if len(conference["name"].strip()) >= 4:  # "Web" would match everything; "KubeCon" or "SXSW 2026" will not
        terms.append(re.compile(rf"(?<![\w#@]){re.escape(conference['name'].strip())}\b", re.IGNORECASE))
    return terms


def mentions(text: str | None, terms: list[re.Pattern[str]]) -> bool:
    return bool(text) and any(t.search(text) for t in terms)  # type: ignore[arg-type]
