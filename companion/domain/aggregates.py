"""What each person's history adds up to, kept on the person and updated with each write, so that a
write costs what it adds, not what the person already has (some relationships reach thousands of
interactions).

- `evidence_seen`: per stage 1-4, the newest time evidence of it was seen (when it was observed, else
  when it happened). The stage rule needs only that: a manual stage yields to newer evidence of a
  higher stage.
- `kind_counts`: interactions by kind.
- `last_touch_at`: the newest interaction that counts as being in touch (anything but a like), what
  keep-in-touch reminders start from.
- `days`: interactions by kind per day (UTC) over the last RECENT_DAYS, and `months`: their total per
  month over the last MONTHS: what the core circle, warming or cooling, and the yearly chart read.
  Older entries are dropped as new ones arrive; readers count only the window they want.
- `weeks`: interactions by the stage they are evidence of (0 for none), per week (keyed by its Monday)
  over the last WEEKS: what the Insights chart reads, so it never reads every interaction.

`days` and `weeks` are nested by month ({"2026-12": {"03": {...}}}, in order): a write copies the month it
adds to and the few months around it, not half a year of days, and the journal gets only the month that
changed (see the store's patches). Read them with `dated()`.

`last_interaction_at` stays a field of its own on the person (the lists sort by it).
Adding is O(new items). Removing an interaction or merging people recomputes, for that person only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from . import clock
from .vocabulary import KIND_STAGE

# Likes are a signal, not a conversation: they do not reset the keep-in-touch clock.
NOT_A_TOUCH = frozenset({"they_liked"})

Aggregates = dict[str, Any]

# The layout of the aggregates: people stored with an older one get theirs computed again, once.
VERSION = 4  # 4: days and weeks nested by month
RECENT_DAYS = 180  # two 90-day windows: the last 90 days against the 90 before
MONTHS = 13  # this month and the twelve before: the yearly chart
WEEKS = 52  # this week and the 51 before: the Insights chart


def empty() -> Aggregates:
    return {"version": VERSION, "evidence_seen": {}, "kind_counts": {}, "last_touch_at": None, "days": {},
            "months": {}, "weeks": {}}


def current(aggregates: Aggregates | None) -> bool:
    return bool(aggregates) and aggregates.get("version") == VERSION  # type: ignore[union-attr]


def _today(now: str | None) -> date:
    # The companion's one clock, so a test that sets it sets the weeks kept too.
    return datetime.fromisoformat((now or clock.now()).replace("Z", "+00:00")).date()


def window_start(days: int, now: str | None = None) -> str:
    """The first day (YYYY-MM-DD, UTC) of the last `days` days."""
    return (_today(now) - timedelta(days=days - 1)).isoformat()


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_start(now: str | None = None) -> str:
    """The Monday (YYYY-MM-DD) of the first week the aggregates keep: this one and the WEEKS - 1 before."""
    return (monday(_today(now)) - timedelta(weeks=WEEKS - 1)).isoformat()


def seen_at(item: dict[str, Any]) -> str:
    return item.get("observed_at") or item["at"]


def add(aggregates: Aggregates, items: list[dict[str, Any]], now: str | None = None) -> Aggregates:
    """`aggregates` with `items` (interactions new to this person) added; the argument is not changed."""
    evidence = dict(aggregates["evidence_seen"])
    counts = dict(aggregates["kind_counts"])
    touch = aggregates["last_touch_at"]
    first_day, first_month, first_week = _firsts(_today(now))
    days = _ByMonth(aggregates.get("days", {}), first_day)
    months = _Window(aggregates.get("months", {}), first_month)
    weeks = _ByMonth(aggregates.get("weeks", {}), first_week)
    for item in items:
        day = item["at"][:10]
        kind = item["kind"]
        stage = str(KIND_STAGE[kind])
        if day >= first_day:
            bucket = days.copy_of(day)
            bucket[kind] = bucket.get(kind, 0) + 1
        if day[:7] >= first_month:
            months.count(day[:7])
        if day >= first_week:
            by_stage = weeks.copy_of(_week_of(day))
            by_stage[stage] = by_stage.get(stage, 0) + 1
        counts[kind] = counts.get(kind, 0) + 1
        if stage != "0" and seen_at(item) > evidence.get(stage, ""):
            evidence[stage] = seen_at(item)
        if kind not in NOT_A_TOUCH and (touch is None or item["at"] > touch):
            touch = item["at"]
    return {"version": VERSION, "evidence_seen": evidence, "kind_counts": counts, "last_touch_at": touch,
            "days": days.done(), "months": months.done(), "weeks": weeks.done()}


@lru_cache(maxsize=4)
def _firsts(today: date) -> tuple[str, str, str]:
    """The first day, month and week each window keeps (worked out once a day, not on every write)."""
    return ((today - timedelta(days=RECENT_DAYS - 1)).isoformat(), _month_start(today),
            (monday(today) - timedelta(weeks=WEEKS - 1)).isoformat())


@lru_cache(maxsize=4096)
def _week_of(day: str) -> str:
    """The Monday of the week `day` (YYYY-MM-DD) is in."""
    return monday(date.fromisoformat(day)).isoformat()


class _Window:
    """A copy of one of the dated maps (days, months, weeks), its keys in order and none before `first`. Most
    writes add to the newest key or one after it: then nothing is filtered or sorted, only copied."""

    __slots__ = ("copied", "entries", "last", "ordered")

    def __init__(self, kept: dict[str, Any], first: str) -> None:
        oldest = next(iter(kept), None)
        self.entries = dict(kept) if oldest is None or oldest >= first else {k: v for k, v in kept.items()
                                                                             if k >= first}
        self.last = next(reversed(self.entries), "")
        self.ordered = True
        self.copied: set[str] = set()

    def _new_key(self, key: str) -> None:
        if key < self.last:
            self.ordered = False
        else:
            self.last = key

    def copy_of(self, key: str) -> dict[str, int]:
        """The counts under `key`, copied (the stored ones are never changed), for adding to."""
        found = self.entries.get(key)
        if found is None:
            self._new_key(key)
        elif key in self.copied:
            return found  # type: ignore[no-any-return]
        bucket: dict[str, int] = dict(found or {})
        self.entries[key] = bucket
        self.copied.add(key)
        return bucket

    def count(self, key: str) -> None:
        found = self.entries.get(key)
        if found is None:
            self._new_key(key)
        self.entries[key] = (found or 0) + 1

    def done(self) -> dict[str, Any]:
        return self.entries if self.ordered else dict(sorted(self.entries.items()))


class _ByMonth:
    """A copy of `days` or `weeks` (nested by month), none before the day `first`. Only the months written to
    are copied; the oldest month is filtered only when one of its days has left the window (once a day)."""

    __slots__ = ("copied", "entries", "ordered")

    def __init__(self, kept: dict[str, dict[str, Any]], first: str) -> None:
        month, day = first[:7], first[8:]
        self.entries: dict[str, Any] = {}
        for m, days in kept.items():
            if m > month or (m == month and next(iter(days), day) >= day):
                self.entries[m] = days
            elif m == month and (inside := {d: n for d, n in days.items() if d >= day}):
                self.entries[m] = inside
        self.copied: dict[str, _Window] = {}
        self.ordered = True

    def copy_of(self, day: str) -> dict[str, int]:
        """The counts of `day` (YYYY-MM-DD), copied for adding to, as _Window.copy_of."""
        month = day[:7]
        window = self.copied.get(month)
        if window is None:
            found = self.entries.get(month)
            if found is None and self.entries and month < next(reversed(self.entries)):
                self.ordered = False
            window = self.copied[month] = _Window(found or {}, "")
            self.entries[month] = window.entries
        return window.copy_of(day[8:])

    def done(self) -> dict[str, Any]:
        for month, window in self.copied.items():
            self.entries[month] = window.done()
        return self.entries if self.ordered else dict(sorted(self.entries.items()))


def dated(nested: dict[str, dict[str, Any]], first: str = "", last: str = "9999-12-31",
          newest_first: bool = False) -> Iterator[tuple[str, Any]]:
    """(YYYY-MM-DD, counts) of `days` or `weeks` from `first` to `last`, oldest first (or newest first)."""
    months = reversed(nested) if newest_first else iter(nested)
    for month in months:
        if month < first[:7] and newest_first:
            return
        if not first[:7] <= month <= last[:7]:
            continue
        entries = nested[month]
        for dd in (reversed(entries) if newest_first else entries):
            day = f"{month}-{dd}"
            if first <= day <= last:
                yield day, entries[dd]
            elif newest_first and day < first:
                return


def month_start(now: str | None = None) -> str:
    """The first month (YYYY-MM) the aggregates keep: this one and the MONTHS - 1 before."""
    return _month_start(_today(now))


def _month_start(today: date) -> str:
    year, month = divmod(today.year * 12 + today.month - 1 - (MONTHS - 1), 12)
    return f"{year:04d}-{month + 1:02d}"


def of(interactions: list[dict[str, Any]], now: str | None = None) -> Aggregates:
    """From a whole history (imports, removals, merges, and people stored before aggregates existed)."""
    return add(empty(), interactions, now)


def kinds_between(aggregates: Aggregates, first_day: str, last_day: str = "9999-12-31") -> dict[str, int]:
    """Interactions by kind on the days from `first_day` to `last_day` (within the last RECENT_DAYS)."""
    out: dict[str, int] = {}
    for _day, kinds in dated(aggregates.get("days", {}), first_day, last_day):
        for kind, n in kinds.items():
            out[kind] = out.get(kind, 0) + n
    return out


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
