"""Which people a list shows: one query, parsed and checked once, whoever asks (the API, the
dashboard's People and Pipeline pages)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import clock
from .errors import Invalid
from .vocabulary import STAGE_NAMES

MAX_PAGE = 500
MAX_OFFSET = 10**9  # past any list there can be; bigger numbers are a mistake, not a page

SORTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "last_interaction": lambda d: d["last_interaction_at"] or "",
    "stage": lambda d: (d["stage"], d["last_interaction_at"] or ""),
    "name": lambda d: ((d["profile"].get("display_name") or d["handle"] or "").casefold()),
    "handle": lambda d: (d["handle_lc"] or ""),
    "created": lambda d: d["created_at"],
    "updated": lambda d: d["updated_at"],
}


def _bound(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return clock.normalize(value)
    except Invalid as exc:
        raise Invalid(f"{name} must be an ISO 8601 date or date-time: {exc}", f"/query/{name}") from None


def _search_text(doc: dict[str, Any], label_names: Mapping[int, str]) -> str:
    profile = doc["profile"]
    parts = [doc["handle"] or "", doc["user_id"] or "", profile.get("display_name") or "", profile.get("bio") or "",
             profile.get("location") or "", doc["next_step"] or "", *(v or "" for v in doc["notes"].values()),
             *(label_names.get(i, "") for i in doc.get("labels") or ())]
    return "\n".join(parts).casefold()


@dataclass(frozen=True)
class PeopleQuery:
    """A checked query. `last_after`/`last_before`: the last interaction's time bounds (normalized);
    `never_interacted`: only people with no interaction at all."""

    q: str = ""
    stage: tuple[int, ...] = ()
    tag: str | None = None
    label: int | None = None  # one of your own labels, by id
    location: str = ""
    has_notes: bool | None = None
    last_after: str | None = None
    last_before: str | None = None
    never_interacted: bool = False
    core: bool = False  # only the core circle (give_and_take.circles)
    sort: str = "last_interaction"
    order: str = "desc"
    limit: int = 50
    offset: int = 0

    @classmethod
    def parse(cls, q: str | None = None, stage: list[int] | None = None, tag: str | None = None,
              label: int | None = None, sort: str = "last_interaction", order: str = "desc", limit: int = 50,
              offset: int = 0,
              location: str | None = None, has_notes: bool | None = None, last_after: str | None = None,
              last_before: str | None = None, never_interacted: bool = False, core: bool = False) -> PeopleQuery:
        """Check what a caller asked for; a bad value is an Invalid naming its query field."""
        if sort not in SORTS:
            raise Invalid(f"sort must be one of {', '.join(SORTS)}", "/query/sort")
        if order not in ("asc", "desc"):
            raise Invalid("order must be asc or desc", "/query/order")
        if not 1 <= limit <= MAX_PAGE:
            raise Invalid(f"limit must be between 1 and {MAX_PAGE}", "/query/limit")
        if not 0 <= offset <= MAX_OFFSET:
            raise Invalid(f"offset must be between 0 and {MAX_OFFSET}", "/query/offset")
        if stage and any(s not in STAGE_NAMES for s in stage):
            raise Invalid("stage must be 0-4", "/query/stage")
        return cls(q=q.casefold().strip() if q else "", stage=tuple(stage or ()), tag=tag or None, label=label,
                   location=location.casefold().strip() if location else "", has_notes=has_notes,
                   last_after=_bound(last_after, "last_after"), last_before=_bound(last_before, "last_before"),
                   never_interacted=never_interacted, core=core, sort=sort, order=order, limit=limit, offset=offset)

    def matches(self, doc: dict[str, Any], label_names: Mapping[int, str] | None = None) -> bool:
        """`label_names`: label id -> name, so that a search finds people by their labels too."""
        if self.stage and doc["stage"] not in self.stage:
            return False
        if self.tag and self.tag not in doc["tags"]:
            return False
        if self.label is not None and self.label not in (doc.get("labels") or ()):
            return False
        last = doc["last_interaction_at"]
        if self.never_interacted and last is not None:
            return False
        if (self.last_after and (last is None or last < self.last_after)) or \
                (self.last_before and (last is None or last >= self.last_before)):
            return False
        if self.has_notes is not None and self.has_notes != any(v for v in doc["notes"].values()):
            return False
        if self.location and self.location not in (doc["profile"].get("location") or "").casefold():
            return False
        return not self.q or self.q in _search_text(doc, label_names or {})

    def sort_key(self, doc: dict[str, Any]) -> Any:
        return SORTS[self.sort](doc)
