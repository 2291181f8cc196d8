"""Timestamps: stored as UTC ISO 8601 strings ending in Z, so that string order is time order."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from .errors import Invalid

# Already UTC, to the millisecond (what x.com's pages say) or the microsecond (what Rapport stores).
_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.(?:\d{3}|\d{6})Z", re.ASCII)


def now() -> str:
    return format_ts(datetime.now(UTC))


def format_ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def normalize(value: str, path: str | None = None) -> str:
    """Any ISO 8601 date or date-time (as the schemas allow) → canonical UTC form.

    A bare date (a call logged for "2026-03-02") becomes noon UTC, which stays on that date when
    shown in any time zone from UTC-11 to UTC+11. The schemas check the shape only: a date that
    does not exist ("2026-02-30") is refused here, with `path` naming the field.
    """
    try:
        if _UTC.fullmatch(value):
            # Checked as a date, and given six digits without a trip through a datetime's formatting.
            datetime.fromisoformat(value)
            return value if len(value) == 27 else value[:23] + "000Z"
        if len(value) == 10:
            return format_ts(datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC).replace(hour=12))
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return format_ts(moment)
    except ValueError as exc:
        raise Invalid(f"{value!r} is not a real date or time ({exc})", path) from None
    except OverflowError:
        # "9999-12-31T23:59:59-23:59" is a shape the schemas allow, but no moment in UTC that can be stored.
        raise Invalid(f"{value!r} is outside the dates Rapport can store (years 1 to 9999 in UTC)", path) from None


def parse(value: str) -> datetime:
    """A stored timestamp (or a YYYY-MM-DD date, at noon UTC) as an aware datetime."""
    return datetime.fromisoformat(normalize(value))


def day(value: str) -> str:
    return value[:10]
