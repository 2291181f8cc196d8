"""The keep-in-touch reminders as an iCalendar file (icalendar), so they show in any calendar app.

One all-day event per person on the day they are due (today for the overdue), named after them, with
why and a link to their profile. Each event's UID is stable per person, so importing the file again
updates the reminders instead of adding copies.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

PRODUCT = "-//Rapport//Keep in touch//EN"


def reminders(lists: dict[str, Any], stamp: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Rapport: keep in touch")
    today = date.fromisoformat(lists["today"])
    for entry in lists["overdue"] + lists["due_soon"] + lists["upcoming"]:
        day = max(today, date.fromisoformat(entry["due_at"]))
        name = f"@{entry['handle']}" if entry["handle"] else entry["display_name"] or entry["key"]
        event = Event()
        event.add("uid", f"keep-in-touch-{entry['key']}@rapport.invalid")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        overdue = f" (overdue by {entry['days_overdue']} days)" if entry["days_overdue"] else ""
        event.add("summary", f"Get back to {name}{overdue}")
        lines = [entry["why"]]
        if entry["next_step"]:
            lines.append(f"Next step: {entry['next_step']}")
        event.add("description", "\n".join(lines))
        if entry["profile_url"]:
            event.add("url", entry["profile_url"])
        calendar.add_component(event)
    return calendar.to_ical()
