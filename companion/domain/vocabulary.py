"""Stage names, colours, outcome tags, note fields and interaction kinds, read from shared_schema/stages.json."""

from __future__ import annotations

from typing import Any

from companion.schema import constants, kind_stages

_C: dict[str, Any] = constants()

STAGES: list[dict[str, Any]] = _C["stages"]
STAGE_NAMES: dict[int, str] = {s["id"]: s["name"] for s in STAGES}
STAGE_COLOURS: dict[int, str] = {s["id"]: s["colour"] for s in STAGES}
OUTCOME_TAGS: list[str] = [t["id"] for t in _C["outcome_tags"]]
OUTCOME_LABEL: dict[str, str] = {t["id"]: t["label"] for t in _C["outcome_tags"]}
# Your own labels: the colours a label may have (id -> hex) and the limits; the names are data.
LABEL_COLOURS: dict[str, str] = {c["id"]: c["hex"] for c in _C["labels"]["colours"]}
LABEL_LIMITS: dict[str, int] = {k: v for k, v in _C["labels"].items() if k.startswith("max_")}
NOTE_FIELDS: list[str] = [f["id"] for f in _C["note_fields"]]
NOTE_LABEL: dict[str, str] = {f["id"]: f["label"] for f in _C["note_fields"]}
NOTE_SUMMARY_PREFIX: dict[str, str] = {f["id"]: f["summary"] for f in _C["note_fields"]}
KIND_STAGE: dict[str, int] = kind_stages()
KIND_LABEL: dict[str, str] = {k["id"]: k["label"] for k in _C["interaction_kinds"]}
LOGGED_EVENT_KIND: dict[str, str] = _C["logged_event_kinds"]
PROFILE_FIELDS = ("display_name", "bio", "location", "website", "joined", "followers", "following",
                  "follows_me", "i_follow")


def keep_in_touch_constants() -> dict[str, Any]:
    """Cadences and snoozes offered in one click, the defaults Settings starts with, from which stage they apply."""
    return _C["keep_in_touch"]


def empty_notes() -> dict[str, str | None]:
    return dict.fromkeys(NOTE_FIELDS)


def sort_tags(tags: set[str] | list[str]) -> list[str]:
    """Tags in the order stages.json lists them, so equal sets always look the same."""
    chosen = set(tags)
    return [tag for tag in OUTCOME_TAGS if tag in chosen]
