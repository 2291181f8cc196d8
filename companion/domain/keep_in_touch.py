"""Keep in touch: whom to get back to, and why, from each person's cadence and the last time you were in
touch (any interaction either way but a like: a reply, a mention, a DM, a logged call, "I reached out").

The clock resets by itself: the last touch is one of the per-person aggregates kept on every write, so
nothing here reads a history; the service works everyone's status out once a day and then only for the
people a write changed (per_person.py). Dates are the user's own: "overdue by 3 days" counts days in the
time zone of `now`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from .errors import Invalid
from .vocabulary import OUTCOME_LABEL, OUTCOME_TAGS, STAGE_NAMES, keep_in_touch_constants

_K = keep_in_touch_constants()
MIN_STAGE: int = _K["min_stage"]
DUE_SOON_DAYS: int = _K["due_soon_days"]
DEFAULTS: dict[str, dict[str, int]] = _K["defaults"]
MAX_DAYS = 3650
LISTS = ("overdue", "due_soon", "upcoming", "snoozed")


def defaults_of(settings: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The user's defaults from their settings, or the ones Rapport starts with."""
    saved = settings.get("keep_in_touch")
    return check_defaults(saved) if saved is not None else check_defaults(DEFAULTS)


def check_defaults(defaults: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The defaults as Settings stores them: days per stage (2-4) and per outcome tag; 0 or missing is none."""
    out: dict[str, dict[str, int]] = {"by_stage": {}, "by_tag": {}}
    for key, allowed in (("by_stage", {str(s) for s in STAGE_NAMES if s >= MIN_STAGE}), ("by_tag", set(OUTCOME_TAGS))):
        for name, days in (defaults.get(key) or {}).items():
            if name not in allowed:
                raise Invalid(f"{key} has no {name!r}: it takes {', '.join(sorted(allowed))}", f"/{key}/{name}")
            if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_DAYS:
                raise Invalid(f"a default cadence is a number of days from 0 (none) to {MAX_DAYS}", f"/{key}/{name}")
            if days:
                out[key][name] = days
    return out


def cadence(doc: dict[str, Any], defaults: dict[str, dict[str, int]]) -> tuple[int | None, str | None]:
    """(days, where they come from) for this person, or (None, None) when no reminder applies.

    Their own cadence wins (0 is off for them); else the shortest default of their stage and tags, from
    stage 2 (a DM conversation) up."""
    own = doc.get("cadence_days")
    if own is not None:
        return (own, "your own") if own > 0 else (None, None)
    if doc["stage"] < MIN_STAGE:
        return None, None
    found: list[tuple[int, str]] = []
    if str(doc["stage"]) in defaults["by_stage"]:
        found.append((defaults["by_stage"][str(doc["stage"])], f"default for {STAGE_NAMES[doc['stage']].lower()}"))
    for tag in doc["tags"]:
        if tag in defaults["by_tag"]:
            found.append((defaults["by_tag"][tag], f"default for {OUTCOME_LABEL[tag].lower()}"))
    return min(found) if found else (None, None)


def local_date(at: str, now: datetime) -> date:
    return datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(now.tzinfo).date()


def _ago(days: int) -> str:
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"


def status(doc: dict[str, Any], defaults: dict[str, dict[str, int]], now: datetime) -> dict[str, Any] | None:
    """When this person is due and why; None when no cadence applies to them."""
    days, source = cadence(doc, defaults)
    if days is None:
        return None
    today = now.date()
    last = (doc.get("aggregates") or {}).get("last_touch_at")
    since = local_date(last or doc["created_at"], now)
    due = since + timedelta(days=days)
    until = (due - today).days
    snoozed = doc.get("snooze_until")
    snoozed = snoozed if snoozed and snoozed >= today.isoformat() else None
    ago = _ago(max(0, (today - since).days))  # a touch dated later today, in another zone, is today
    talked = f"last in touch {ago}" if last else f"not in touch yet, added {ago}"
    bucket = ("snoozed" if snoozed else "overdue" if until < 0 else "due_soon" if until <= DUE_SOON_DAYS
              else "upcoming")
    return {"cadence_days": days, "cadence_source": source, "due_at": due.isoformat(), "last_touch_at": last,
            "days_overdue": max(0, -until), "days_until": max(0, until), "snooze_until": snoozed, "bucket": bucket,
            "why": f"{talked}, every {days} days ({source})" + (f"; snoozed until {snoozed}" if snoozed else "")}


_ORDER = {"overdue": lambda d: (-d["days_overdue"],), "due_soon": lambda d: (d["due_at"],),
          "upcoming": lambda d: (d["due_at"],), "snoozed": lambda d: (d["snooze_until"],)}


def overview(people: list[tuple[Any, str, dict[str, Any]]]) -> dict[str, list[tuple[Any, dict[str, Any]]]]:
    """(id, key, status) of everyone with a reminder → the four lists of (id, status): most overdue first,
    then soonest due (ties by key)."""
    lists: dict[str, list[tuple[Any, str, dict[str, Any]]]] = {name: [] for name in LISTS}
    for person in people:
        lists[person[2]["bucket"]].append(person)
    for name, order in _ORDER.items():
        lists[name].sort(key=lambda p, order=order: (*order(p[2]), p[1]))  # type: ignore[misc]
    return {name: [(pid, due) for pid, _key, due in entries] for name, entries in lists.items()}


def snooze_date(value: str | None, now: datetime) -> str | None:
    """A snooze as stored: a real date from today on (YYYY-MM-DD), or None to end it."""
    if value is None:
        return None
    try:
        until = date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{value!r} is not a real date", "/snooze_until") from None
    if until < now.date():
        raise Invalid("a snooze ends today or later", "/snooze_until")
    return until.isoformat()


def due_now(store: Any) -> Any:
    """status(doc) for the store's people, with the user's defaults and today's date read once."""
    defaults, now = defaults_of(store.settings()), user_now()
    return lambda doc: status(doc, defaults, now)


def user_now() -> datetime:
    """Now, in the time zone of the machine the companion runs on (the user's own)."""
    return datetime.now().astimezone()
