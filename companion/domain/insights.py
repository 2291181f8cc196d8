"""Insights for the dashboard: the stage funnel, interactions per week, outcomes by stage, who is going cold,
and where people are.

One pass over people: the weekly counts come from each person's aggregates (never from every interaction),
all counted in memory under the store lock.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from companion.store.database import Store

from . import aggregates, views
from .vocabulary import OUTCOME_LABEL, OUTCOME_TAGS, STAGES

WEEKS = aggregates.WEEKS
COLD_AFTER_DAYS = 90  # the same as the People filter "more than 90 days ago"
COLD_MIN_STAGE = 2  # people you have talked to privately at least
COLD_SHOWN = 10
PLACES_SHOWN = 8


def summarize(store: Store, now: str) -> dict[str, Any]:
    today = datetime.fromisoformat(now.replace("Z", "+00:00")).date()
    first_week = aggregates.monday(today) - timedelta(weeks=WEEKS - 1)
    week_index = {(first_week + timedelta(weeks=w)).isoformat(): w for w in range(WEEKS)}
    cold_before = (today - timedelta(days=COLD_AFTER_DAYS)).isoformat()
    stage_ids = [s["id"] for s in STAGES]

    funnel = dict.fromkeys(stage_ids, 0)
    outcomes = {tag: dict.fromkeys(stage_ids, 0) for tag in OUTCOME_TAGS}
    # week index -> evidence stage of the interaction's kind -> count
    weekly = [dict.fromkeys(stage_ids, 0) for _ in range(WEEKS)]
    cold: list[tuple[str, int, dict[str, Any]]] = []
    places: Counter[str] = Counter()
    interactions = 0
    for person_id in store.person_ids():
        doc = store.person(person_id)
        assert doc is not None
        funnel[doc["stage"]] += 1
        for tag in doc["tags"]:
            outcomes[tag][doc["stage"]] += 1
        place = (doc["profile"].get("location") or "").strip()
        if place:
            places[place] += 1
        last = doc["last_interaction_at"]
        if doc["stage"] >= COLD_MIN_STAGE and last and last < cold_before:
            cold.append((last, person_id, doc))
        interactions += store.interaction_count(person_id)
        for week, by_stage in aggregates.dated((doc.get("aggregates") or {}).get("weeks", {})):
            index = week_index.get(week)
            if index is not None:
                for stage, n in by_stage.items():
                    weekly[index][int(stage)] += n
    cold.sort(key=lambda c: (-c[2]["stage"], c[0]))
    return {
        "now": now,
        "people": sum(funnel.values()),
        "interactions": interactions,
        "stages": [{"id": s["id"], "name": s["name"], "colour": s["colour"]} for s in STAGES],
        "funnel": [{"stage": s, "count": funnel[s]} for s in stage_ids],
        "weeks": [{"start": (first_week + timedelta(weeks=i)).isoformat(),
                   "by_stage": [weekly[i][s] for s in stage_ids]} for i in range(WEEKS)],
        "outcomes": [{"tag": tag, "label": OUTCOME_LABEL[tag], "by_stage": [outcomes[tag][s] for s in stage_ids]}
                     for tag in OUTCOME_TAGS],
        "places": [{"location": place, "count": n} for place, n in places.most_common(PLACES_SHOWN)],
        "going_cold": {"after_days": COLD_AFTER_DAYS, "total": len(cold),
                       "people": [views.summary(store, pid, doc) for _, pid, doc in cold[:COLD_SHOWN]]},
    }
