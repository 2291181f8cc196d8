"""Give-and-take: how a relationship is going, from the per-person aggregates alone (no history is read).

- who starts the conversations: your replies and mentions against theirs, all time;
- warming or cooling: the last 90 days against the 90 before;
- interactions per month over the past year;
- the core circle: the people you talk with most over the last 90 days, weighted by stage (a DM counts
  twice a reply, a call three times, a meeting four), and who engages with you most (their side).

Every figure says what it counts: "14 interactions in 90 days: 6 replies from you, 5 from them, 3 DMs".
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from . import aggregates
from .vocabulary import KIND_STAGE

WINDOW_DAYS = 90
CORE_SIZE = 15
ENGAGED_SHOWN = 10
# A change within this share of the quieter window is steady, not warming or cooling.
STEADY_WITHIN = 0.25
STARTERS = {"you": ("i_replied", "i_mentioned"), "them": ("they_replied", "they_mentioned")}
INCOMING = frozenset({"they_replied", "they_mentioned", "they_reposted", "they_quoted", "they_liked", "they_messaged"})
NOT_TALK = frozenset({"they_liked"})  # a like is a signal, not a conversation

# How counts read, in the order they are listed: (kinds, singular, plural).
PHRASES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("i_replied",), "reply from you", "replies from you"),
    (("they_replied",), "reply from them", "replies from them"),
    (("i_mentioned",), "mention by you", "mentions by you"),
    (("they_mentioned",), "mention by them", "mentions by them"),
    (("dm", "dm_logged", "i_messaged", "they_messaged"), "DM", "DMs"),
    (("group_dm",), "group DM", "group DMs"),
    (("i_reposted", "they_reposted"), "repost", "reposts"),
    (("i_quoted", "they_quoted"), "quote", "quotes"),
    (("call",), "call", "calls"),
    (("meeting",), "meeting", "meetings"),
    (("reached_out",), "time you reached out", "times you reached out"),
    (("they_liked",), "like from them", "likes from them"),
)


def explain(kinds: dict[str, int], window: str = f"in {WINDOW_DAYS} days") -> str:
    total = sum(kinds.values())
    parts = []
    for members, one, many in PHRASES:
        n = sum(kinds.get(k, 0) for k in members)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    head = f"{total} interaction{'' if total == 1 else 's'} {window}"
    return f"{head}: {', '.join(parts)}" if parts else head


def _talk(kinds: dict[str, int]) -> dict[str, int]:
    return {k: n for k, n in kinds.items() if k not in NOT_TALK}


def trend(recent: int, before: int) -> str:
    if recent == 0 and before == 0:
        return "quiet"
    if abs(recent - before) <= STEADY_WITHIN * max(1, min(recent, before)):
        return "steady"
    return "warming" if recent > before else "cooling"


def months(summed: dict[str, Any], now: str | None = None) -> list[dict[str, Any]]:
    """Interactions per month, this month and the twelve before, oldest first (months without any: 0)."""
    first = aggregates.month_start(now)
    year, month = int(first[:4]), int(first[5:7])
    out = []
    for _ in range(aggregates.MONTHS):
        key = f"{year:04d}-{month:02d}"
        out.append({"month": key, "count": summed.get("months", {}).get(key, 0)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def person(summed: dict[str, Any], now: str | None = None) -> dict[str, Any]:
    """The card's and the person page's give-and-take."""
    start = aggregates.window_start(WINDOW_DAYS, now)
    before_start = aggregates.window_start(2 * WINDOW_DAYS, now)
    recent = _talk(aggregates.kinds_between(summed, start))
    earlier = _talk(aggregates.kinds_between(summed, before_start, _day_before(start)))
    counts = summed.get("kind_counts", {})
    starts = {side: sum(counts.get(k, 0) for k in kinds) for side, kinds in STARTERS.items()}
    you, them = starts["you"], starts["them"]
    who = ("nobody yet" if you == them == 0 else "you, mostly" if you > 2 * them else "they do, mostly"
           if them > 2 * you else "both of you")
    r, b = sum(recent.values()), sum(earlier.values())
    return {
        "window_days": WINDOW_DAYS,
        "recent": {"total": r, "explained": explain(recent)},
        "before": {"total": b, "explained": explain(earlier, f"in the {WINDOW_DAYS} days before")},
        "trend": trend(r, b),
        "starts": {"you": you, "them": them, "who": who,
                   "explained": f"{you} of your replies and mentions, {them} of theirs"},
        "months": months(summed, now),
    }


def _day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


# Per kind: its weight in the core circle (the stage it is evidence of, at least 1; 0 for what is not talk).
WEIGHT = {kind: 0 if kind in NOT_TALK else max(1, stage) for kind, stage in KIND_STAGE.items()}


def window_start(now: str | None = None) -> str:
    """The first day of the last 90 days (UTC)."""
    return aggregates.window_start(WINDOW_DAYS, now)


def sums(summed: dict[str, Any], start: str) -> tuple[int, int] | None:
    """(weighted talk, their side) on the days from `start` on, or None for nothing then. The days are kept
    in order, newest last."""
    weight = incoming = 0
    for _day, kinds in aggregates.dated(summed.get("days") or {}, start, newest_first=True):
        for kind, n in kinds.items():
            weight += n * WEIGHT[kind]
            if kind in INCOMING:
                incoming += n
    return (weight, incoming) if weight or incoming else None


def circles(sums_by_person: dict[Any, tuple[int, int]], aggregates_of: Callable[[Any], dict[str, Any]],
            summarize: Callable[[Any], dict[str, Any]], start: str) -> dict[str, Any]:
    """The core circle and who engages with you most, from each person's sums() since `start`;
    `aggregates_of(id)` and `summarize(id)` describe the few who are listed."""
    top = heapq.nsmallest(CORE_SIZE, ((-w, pid) for pid, (w, _i) in sums_by_person.items() if w))
    most = heapq.nsmallest(ENGAGED_SHOWN, ((-i, pid) for pid, (_w, i) in sums_by_person.items() if i))

    def kinds(pid: Any) -> dict[str, int]:
        return aggregates.kinds_between(aggregates_of(pid), start)

    return {
        "window_days": WINDOW_DAYS,
        "core": [{**summarize(pid), "score": -w, "explained": explain(_talk(kinds(pid)))} for w, pid in top],
        "engaged": [{**summarize(pid), "count": -n,
                     "explained": explain({k: v for k, v in kinds(pid).items() if k in INCOMING})} for n, pid in most],
    }
