"""Where people say they are: "landed in Lisbon", "in Boston all week", "greetings from Tokyo".

A post like that is evidence of a *current* place. It is kept on the person with the post and its date,
and stops counting WHEREABOUTS_DAYS after the post. The place must resolve to a city, through the same
gazetteer as profile locations: "landed in a meeting" names nothing.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from companion.store.database import Store

from . import clock, places

WHEREABOUTS_DAYS = 14
KEEP = 5  # per person, the newest
# A place as people write it in a post: capitalised words ("New York", "Rio de Janeiro", "Portland, OR"),
# case-sensitive inside cues that are not.
_PLACE = (r"(?-i:((?:[A-Z][\w'’.-]*|NYC|SF|LA|DC)(?:\s+(?:[A-Z][\w'’.-]*|(?:de|del|da|do|la|am|upon|on|sur)"
          r"(?=\s+[A-Z])))*"
          r"(?:,\s*[A-Z][\w.]*)?))")
_CUES = [
    r"\b(?:just\s+)?(?:landed|arrived|touched down|made it|got here)\s+(?:in|at|to)\s+" + _PLACE,
    r"\b(?:back|currently|spending (?:the|a) (?:week|weekend|few days))\s+in\s+" + _PLACE,
    r"\b(?:greetings|hello|hi|hey|live|writing|postcard)\s+from\s+" + _PLACE,
    r"\b(?:heading|headed|flying|off|travel(?:l?ing)?|en route|on my way|coming|moved|moving|relocated|relocating)"
    r"\s+(?:back\s+)?to\s+" + _PLACE,
    r"\bin\s+" + _PLACE + r"\s+(?:all|this|next|for the|until)\s+(?:week|weekend|month|days?|friday|monday)",
    r"\b(?:anyone|who(?:'s| is))\s+(?:else\s+)?(?:in|around)\s+" + _PLACE,
    r"\b(?:i'?m|we'?re|i am|we are)\s+(?:now\s+|currently\s+)?in\s+" + _PLACE,
    r"\bsee (?:you|y'all|everyone|folks) in\s+" + _PLACE,
]
_CUE = re.compile("|".join(f"(?:{c})" for c in _CUES), re.IGNORECASE)
# Wishes, pasts and negations are not whereabouts ("wish I were in Rome", "never been to Paris").
_NOT_THERE = re.compile(r"\b(?:wish|never|not|n't|was|were|last (?:year|month|week)|someday|one day|dream)\b",
                        re.IGNORECASE)


def places_in(text: str | None) -> list[tuple[places.Resolution, str]]:
    """The cities a post says its author is in (or on the way to), with the words that say so."""
    found: list[tuple[places.Resolution, str]] = []
    for match in _CUE.finditer(text or ""):
        name = next(g for g in match.groups() if g)
        start = text.rfind(".", 0, match.start()) + 1  # type: ignore[union-attr]
        if _NOT_THERE.search(text[start:match.start()]):  # type: ignore[index]
            continue
        resolved = places.resolve(name.rstrip(".,!?"))
        if resolved is not None and resolved.place.kind == places.KIND_CITY:
            found.append((resolved, match.group(0).strip()))
    return found


def entries(post: dict[str, Any], hits: list[tuple[places.Resolution, str]]) -> list[dict[str, Any]]:
    """The whereabouts a kept post gives its author: places_in(its text), with the post (pure)."""
    return [{"geonameid": r.place.geonameid, "label": r.place.label, "lat": r.place.lat, "lon": r.place.lon,
             "country": r.place.country, "words": words, "status_id": post["status_id"], "url": post["url"],
             "text": post["text"][:280], "at": post["at"]} for r, words in hits]


def note(store: Store, person_id: int, found: list[dict[str, Any]], now: str) -> None:
    """Add whereabouts (entries) to the person (inside the caller's transaction)."""
    if not found:
        return
    doc = store.person(person_id)
    if doc is None:
        return  # an orphan post (its person is gone): it says where nobody is
    store.update_person(person_id, {"whereabouts": combined(doc.get("whereabouts") or [], found, since=cutoff(now))})


def combined(*lists: list[dict[str, Any]], since: str = "") -> list[dict[str, Any]]:
    """Whereabouts from several lists (a person's and new ones; two people merged): each post's place once,
    newest first, at most KEEP, none older than `since`."""
    merged = {(w["status_id"], w["geonameid"]): w for found in lists for w in found if w["at"] >= since}
    return sorted(merged.values(), key=lambda w: w["at"], reverse=True)[:KEEP]


def current(doc: dict[str, Any], now: str) -> list[dict[str, Any]]:
    """The person's whereabouts that still count, newest first."""
    since = cutoff(now)
    return [w for w in doc.get("whereabouts") or [] if w["at"] >= since]


def cutoff(now: str) -> str:
    """Whereabouts posted before this no longer count."""
    return clock.format_ts(clock.parse(now) - timedelta(days=WHEREABOUTS_DAYS))


def forget_all(store: Store) -> None:
    for person_id in store.person_ids():
        doc = store.person(person_id)
        if doc is not None and doc.get("whereabouts"):
            store.update_person(person_id, {"whereabouts": []})
