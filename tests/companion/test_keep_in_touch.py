"""Keep in touch: the clock resets by itself with every interaction either way (never a like), cadences
come from the person or the defaults, snoozes show, and days are the user's own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from companion.domain.errors import Invalid
from companion.domain.keep_in_touch import LISTS
from tests.archive_factory import ArchiveBuilder, Person
from tests.conftest import batch, tweet

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def ago(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat().replace("+00:00", "Z")


def entry(service: Any, handle: str, now: datetime = NOW) -> dict[str, Any] | None:
    lists = service.keep_in_touch(now)
    found = [e for name in ("overdue", "due_soon", "upcoming", "snoozed") for e in lists[name] if e["handle"] == handle]
    return found[0] if found else None


def known(service: Any, handle: str, cadence: int | None = 30) -> None:
    service.create_person({"handle": handle})
    if cadence is not None:
        service.edit_person(handle, {"cadence_days": cadence})


@pytest.mark.parametrize("kind", ["i_replied", "they_replied"])
def test_a_reply_either_way_resets_the_clock(service: Any, kind: str) -> None:
    known(service, "ana")
    service.log_event("ana", {"kind": "call", "at": ago(100)})
    assert entry(service, "ana")["bucket"] == "overdue" and entry(service, "ana")["days_overdue"] == 70
    mine = kind == "i_replied"
    post = tweet("7001", "me" if mine else "ana", reply_to=["ana" if mine else "me"], created_at=ago(3))
    service.ingest(batch(tweets=[post], observed_at=ago(3)))
    now = entry(service, "ana")
    assert (now["bucket"], now["due_at"], now["days_until"]) == ("upcoming", "2026-12-28", 27)
    assert now["last_touch_at"].startswith("2026-11-28T12:00:00")


def test_every_reset_source_counts_and_likes_do_not(service: Any, tmp_path: Path) -> None:
    known(service, "ana", 30)
    service.log_event("ana", {"kind": "meeting", "at": ago(200)})
    base = entry(service, "ana")["days_overdue"]
    assert base == 170
    # A like is a signal, not a conversation.
    service.ingest(batch(notifications=[{"type": "like", "actors": ["ana"], "at": ago(1), "status_id": "9"}]))
    assert entry(service, "ana")["days_overdue"] == base
    # A DM conversation the extension saw.
    service.ingest(batch(page_type="messages", url="https://x.com/messages", observed_at=ago(150),
                         dm_conversations=[{"with": ["ana"], "last_message_at": ago(150)}]))
    assert entry(service, "ana")["days_overdue"] == 120
    # A logged DM, then "I reached out" (which changes no stage).
    service.log_event("ana", {"kind": "dm", "at": ago(100)})
    assert entry(service, "ana")["days_overdue"] == 70
    stage = service.person("ana")["stage"]["current"]
    service.log_event("ana", {"kind": "reached_out", "at": NOW.date().isoformat()})
    assert entry(service, "ana")["bucket"] == "upcoming" and entry(service, "ana")["days_until"] == 30
    assert service.person("ana")["stage"]["current"] == stage
    # An interaction from an imported archive.
    known(service, "bo", 30)
    service.edit_person("bo", {"tags": ["friend"]})
    bo = Person("bo", "3300000001")
    archive = ArchiveBuilder(Person("me", "1000"))
    archive.post("@bo hello", NOW - timedelta(days=10), mentions=[bo], reply_to=("55", bo))
    service.import_archive(archive.write_folder(tmp_path / "archive"))
    assert entry(service, "bo")["last_touch_at"].startswith(ago(10)[:10])


def test_a_deleted_logged_event_no_longer_counts(service: Any) -> None:
    known(service, "ana", 30)
    service.log_event("ana", {"kind": "call", "at": ago(60)})
    meeting = service.log_event("ana", {"kind": "meeting", "at": ago(2)})
    assert entry(service, "ana")["bucket"] == "upcoming"
    service.delete_event("ana", meeting["id"])
    assert entry(service, "ana")["days_overdue"] == 30


def test_defaults_by_stage_and_tag_apply_from_a_dm_conversation_up(service: Any) -> None:
    for handle, stage_kind, tags in (("casual", None, ["friend"]), ("dms", "dm", []), ("friend", "dm", ["friend"]),
                                     ("met", "meeting", []), ("met_customer", "meeting", ["customer"])):
        known(service, handle, None)
        if stage_kind:
            service.log_event(handle, {"kind": stage_kind, "at": ago(40)})
        service.edit_person(handle, {"tags": tags})
    lists = service.keep_in_touch(NOW)
    listed = {e["handle"]: (e["cadence_days"], e["cadence_source"]) for name in LISTS
              for e in lists[name]}
    # Rapport starts with friends and customers monthly, stage 4 quarterly, nothing below stage 2.
    assert listed == {"friend": (30, "default for friend"), "met": (91, "default for met in person"),
                      "met_customer": (30, "default for customer")}
    service.set_keep_in_touch_defaults({"by_stage": {"2": 60, "4": 0}, "by_tag": {"friend": 14}})
    lists = service.keep_in_touch(NOW)
    listed = {e["handle"]: e["cadence_days"] for name in LISTS for e in lists[name]}
    assert listed == {"dms": 60, "friend": 14}
    with pytest.raises(Invalid, match="by_stage has no '1'"):
        service.set_keep_in_touch_defaults({"by_stage": {"1": 10}, "by_tag": {}})
    with pytest.raises(Invalid, match="from 0"):
        service.set_keep_in_touch_defaults({"by_stage": {}, "by_tag": {"friend": -1}})


def test_a_persons_own_cadence_wins_and_zero_is_off(service: Any) -> None:
    known(service, "ana", None)
    service.log_event("ana", {"kind": "meeting", "at": ago(40)})  # stage 4: the quarterly default
    assert entry(service, "ana")["cadence_days"] == 91
    service.edit_person("ana", {"cadence_days": 14})
    assert (entry(service, "ana")["cadence_days"], entry(service, "ana")["cadence_source"]) == (14, "your own")
    service.edit_person("ana", {"cadence_days": 0})
    assert entry(service, "ana") is None and service.person("ana")["keep_in_touch"]["status"] is None
    service.edit_person("ana", {"cadence_days": None})
    assert entry(service, "ana")["cadence_days"] == 91


def test_a_manual_stage_brings_its_default(service: Any) -> None:
    known(service, "ana", None)
    service.log_event("ana", {"kind": "dm", "at": ago(120)})
    assert entry(service, "ana") is None  # stage 2 has no default
    service.edit_person("ana", {"stage": {"stage": 4, "reason": "met at a meetup"}})
    assert entry(service, "ana")["cadence_days"] == 91 and entry(service, "ana")["days_overdue"] == 29


def test_a_snoozed_person_is_listed_as_snoozed_until_the_date(service: Any) -> None:
    known(service, "ana", 30)
    service.log_event("ana", {"kind": "call", "at": ago(90)})
    today = datetime.now(UTC).astimezone().date()
    until = (today + timedelta(days=7)).isoformat()
    service.edit_person("ana", {"snooze_until": until})
    now = datetime.now(UTC).astimezone()
    snoozed = service.keep_in_touch(now)["snoozed"]
    assert [e["handle"] for e in snoozed] == ["ana"] and snoozed[0]["snooze_until"] == until
    assert "snoozed until" in snoozed[0]["why"] and service.badges(["ana"])["badges"]["ana"]["overdue_days"] is None
    after = now + timedelta(days=8)
    assert entry(service, "ana", after)["bucket"] == "overdue"  # the snooze ended by itself
    with pytest.raises(Invalid, match="today or later"):
        service.edit_person("ana", {"snooze_until": (today - timedelta(days=1)).isoformat()})
    with pytest.raises(Invalid, match="not a real date"):
        service.edit_person("ana", {"snooze_until": "2026-02-30"})
    service.edit_person("ana", {"snooze_until": None})
    assert service.keep_in_touch(now)["snoozed"] == []


def test_days_are_counted_in_the_users_time_zone(service: Any) -> None:
    known(service, "ana", 1)
    service.log_event("ana", {"kind": "call", "at": "2026-11-30T23:30:00Z"})
    # In UTC the call was on 30 November: due on 1 December, today.
    utc = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert (entry(service, "ana", utc)["due_at"], entry(service, "ana", utc)["bucket"]) == ("2026-12-01", "due_soon")
    # In Berlin (UTC+1) it was 1 December already: due on the 2nd; in Los Angeles still the 30th.
    berlin = utc.astimezone(timezone(timedelta(hours=1)))
    assert entry(service, "ana", berlin)["due_at"] == "2026-12-02"
    la = datetime(2026, 12, 1, 23, 0, tzinfo=timezone(timedelta(hours=-8)))
    assert entry(service, "ana", la)["due_at"] == "2026-12-01" and entry(service, "ana", la)["days_overdue"] == 0
    late = datetime(2026, 12, 2, 0, 30, tzinfo=timezone(timedelta(hours=-8)))  # past midnight in LA
    assert entry(service, "ana", late)["days_overdue"] == 1


def test_the_lists_are_sorted_and_say_why(service: Any) -> None:
    for handle, days_ago in (("a", 40), ("b", 100), ("c", 27), ("d", 5)):
        known(service, handle, 30)
        service.log_event(handle, {"kind": "call", "at": ago(days_ago)})
    service.edit_person("b", {"next_step": "ask about the book"})
    lists = service.keep_in_touch(NOW)
    assert [e["handle"] for e in lists["overdue"]] == ["b", "a"]
    assert [e["handle"] for e in lists["due_soon"]] == ["c"] and [e["handle"] for e in lists["upcoming"]] == ["d"]
    b = lists["overdue"][0]
    assert b["why"] == "last in touch 100 days ago, every 30 days (your own)" and b["next_step"] == "ask about the book"
    assert b["days_overdue"] == 70 and b["profile_url"] == "https://x.com/b"


def test_the_answers_match_their_shared_schemas(service: Any) -> None:
    from companion.schema import SchemaViolation, validate

    known(service, "ana", 30)
    service.log_event("ana", {"kind": "call", "at": ago(60)})
    known(service, "bo", 30)
    service.edit_person("bo", {"snooze_until": (datetime.now(UTC).astimezone().date() + timedelta(days=3)).isoformat()})
    lists = service.keep_in_touch()
    validate("keep-in-touch", lists)
    assert lists["overdue"] and lists["snoozed"]
    validate("person", service.person("ana"))
    validate("badges-response", service.badges(["ana", "nobody"]))
    validate("keep-in-touch-defaults", service.keep_in_touch_defaults())
    with pytest.raises(SchemaViolation):
        validate("keep-in-touch", {**lists, "overdue": [{**lists["overdue"][0], "extra": 1}]})


def test_counts_come_with_the_lists_and_a_limit_shortens_them(service: Any) -> None:
    for n in range(5):
        known(service, f"p{n}", 30)
        service.log_event(f"p{n}", {"kind": "call", "at": ago(40 + n)})
    whole = service.keep_in_touch(NOW)
    assert whole["counts"] == {"overdue": 5, "due_soon": 0, "upcoming": 0, "snoozed": 0}
    short = service.keep_in_touch(NOW, limit=2)
    assert short["counts"] == whole["counts"] and [e["handle"] for e in short["overdue"]] == ["p4", "p3"]
    assert service.keep_in_touch(NOW, limit=0)["overdue"] == []
    # The lists are worked out again only after a write.
    assert service.keep_in_touch(NOW) == whole
    service.log_event("p4", {"kind": "reached_out", "at": NOW.date().isoformat()})
    assert service.keep_in_touch(NOW)["counts"]["overdue"] == 4
