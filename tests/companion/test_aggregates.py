"""Each person's totals, added to write by write as the days go by, equal the totals of their whole history."""

from __future__ import annotations

import random
from datetime import date, timedelta

from companion.domain import aggregates
from companion.domain.vocabulary import KIND_STAGE

KINDS = sorted(KIND_STAGE)


def _item(day: date, rng: random.Random) -> dict[str, str]:
    at = f"{day.isoformat()}T{rng.randrange(24):02d}:00:00.000Z"
    return {"at": at, "kind": rng.choice(KINDS), "observed_at": at}


def test_totals_added_day_by_day_over_a_year_equal_those_of_the_whole_history_on_the_last_day() -> None:
    rng = random.Random(5)
    summed, history = aggregates.empty(), []
    day = date(2025, 10, 3)
    while day < date(2026, 12, 3):
        now = f"{day.isoformat()}T23:00:00Z"
        # Mostly today's, sometimes an old one arriving late (an archive, a page scrolled far back).
        new = [_item(day - timedelta(days=rng.choice([0, 0, 0, 1, 40, 200])), rng) for _ in range(rng.randint(0, 3))]
        summed = aggregates.add(summed, new, now)
        history += new
        assert summed == aggregates.of(history, now), day
        day += timedelta(days=rng.choice([1, 1, 2, 9]))


def test_days_and_weeks_are_kept_by_month_in_order_and_none_before_the_window() -> None:
    now = "2026-12-03T10:00:00Z"
    items = [{"at": f"{d}T10:00:00Z", "kind": "they_replied"} for d in
             ("2026-12-02", "2026-06-06", "2026-06-07", "2026-11-30", "2026-12-01", "2025-12-07", "2025-12-08")]
    summed = aggregates.of(items, now)
    assert list(summed["days"]) == ["2026-06", "2026-11", "2026-12"]
    assert summed["days"]["2026-06"] == {"07": {"they_replied": 1}}  # the 6th is 181 days ago
    assert list(summed["days"]["2026-12"]) == ["01", "02"]
    assert list(summed["weeks"]) == ["2025-12", "2026-06", "2026-11"]  # by the month of each week's Monday
    assert summed["weeks"]["2025-12"] == {"08": {"1": 1}}  # the week of Monday 1 Dec 2025 is the 53rd back
    assert summed["weeks"]["2026-06"] == {"01": {"1": 2}}
    assert summed["weeks"]["2026-11"] == {"30": {"1": 3}}  # 30 Nov to 2 Dec


def test_dated_reads_a_range_across_months_oldest_or_newest_first() -> None:
    days = {"2026-10": {"30": 1, "31": 2}, "2026-11": {"01": 3, "15": 4}, "2026-12": {"01": 5}}
    assert list(aggregates.dated(days)) == [("2026-10-30", 1), ("2026-10-31", 2), ("2026-11-01", 3),
                                            ("2026-11-15", 4), ("2026-12-01", 5)]
    assert list(aggregates.dated(days, "2026-10-31", "2026-11-15")) == [("2026-10-31", 2), ("2026-11-01", 3),
                                                                        ("2026-11-15", 4)]
    assert list(aggregates.dated(days, "2026-11-01", newest_first=True)) == [("2026-12-01", 5), ("2026-11-15", 4),
                                                                             ("2026-11-01", 3)]
    assert list(aggregates.dated(days, "2027-01-01")) == []
