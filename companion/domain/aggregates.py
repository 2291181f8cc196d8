"""What each person's history adds up to, kept on the person and updated with each write, so that a
write costs what it adds, not what the person already has (some relationships reach thousands of
interactions).

- `evidence_seen`: per stage 1-4, the newest time evidence of it was seen (when it was observed, else
  when it happened). The stage rule needs only that: a manual stage yields to newer evidence of a
  higher stage.
- `kind_counts`: interactions by kind.
- `last_touch_at`: the newest interaction that counts as being in touch (anything but a like), what
  keep-in-touch reminders start from.

`last_interaction_at` stays a field of its own on the person (the lists sort by it).
Adding is O(new items). Removing an interaction or merging people recomputes, for that person only.
"""

from __future__ import annotations

from typing import Any

from .vocabulary import KIND_STAGE

# Likes are a signal, not a conversation: they do not reset the keep-in-touch clock.
NOT_A_TOUCH = frozenset({"they_liked"})

Aggregates = dict[str, Any]


def empty() -> Aggregates:
    return {"evidence_seen": {}, "kind_counts": {}, "last_touch_at": None}


def seen_at(item: dict[str, Any]) -> str:
    return item.get("observed_at") or item["at"]


def add(aggregates: Aggregates, items: list[dict[str, Any]]) -> Aggregates:
    """`aggregates` with `items` (interactions new to this person) added; the argument is not changed."""
    evidence = dict(aggregates["evidence_seen"])
    counts = dict(aggregates["kind_counts"])
    touch = aggregates["last_touch_at"]
    for item in items:
        kind = item["kind"]
        counts[kind] = counts.get(kind, 0) + 1
        stage = str(KIND_STAGE[kind])
        if stage != "0" and seen_at(item) > evidence.get(stage, ""):
            evidence[stage] = seen_at(item)
        if kind not in NOT_A_TOUCH and (touch is None or item["at"] > touch):
            touch = item["at"]
    return {"evidence_seen": evidence, "kind_counts": counts, "last_touch_at": touch}


def of(interactions: list[dict[str, Any]]) -> Aggregates:
    """From a whole history (imports, removals, merges, and people stored before aggregates existed)."""
    return add(empty(), interactions)


def from_evidence(aggregates: Aggregates) -> int:
    """The highest stage with evidence."""
    return max((int(s) for s in aggregates["evidence_seen"]), default=0)


def current_stage(aggregates: Aggregates, manual: dict[str, Any] | None) -> int:
    """The stage: the evidence's, or a manual one until evidence of a higher stage is seen after it."""
    if manual is None:
        return from_evidence(aggregates)
    newer = [int(s) for s, at in aggregates["evidence_seen"].items() if at > manual["at"]]
    return max(manual["stage"], *newer) if newer else manual["stage"]


def total(aggregates: Aggregates) -> int:
    return sum(aggregates["kind_counts"].values())


def by_stage(aggregates: Aggregates) -> dict[int, int]:
    """How many interactions are evidence of each stage 1-4."""
    counts: dict[int, int] = {}
    for kind, n in aggregates["kind_counts"].items():
        stage = KIND_STAGE[kind]
        if stage > 0:
            counts[stage] = counts.get(stage, 0) + n
    return counts
