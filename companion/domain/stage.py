"""Stage rules.

The stage is the highest stage with evidence: 1 from any public interaction, 2 from a DM
conversation, 3 from a logged call, 4 from a logged meeting. It never drops by itself. A manual
change wins until newer evidence of a higher stage arrives.
"""

from __future__ import annotations

from typing import Any

from companion.store.indexes import EVIDENCE_KEPT

from . import aggregates
from .vocabulary import KIND_LABEL, STAGE_NAMES

# Evidence shown per stage: its newest items (the count says how many there are in all).
EVIDENCE_ITEMS = EVIDENCE_KEPT


def current(manual: dict[str, Any] | None, interactions: list[dict[str, Any]]) -> int:
    """The stage of a whole history (the rule itself lives in aggregates.current_stage)."""
    return aggregates.current_stage(aggregates.of(interactions), manual)


def evidence(newest: dict[int, list[dict[str, Any]]], totals: dict[int, int]) -> list[dict[str, Any]]:
    """Per stage 1-4 that has evidence, highest first: how many (`totals`), and the newest few (`newest`, newest
    first) with links."""
    return [{"stage": s, "name": STAGE_NAMES[s], "count": totals.get(s, len(items)),
             "items": [{"interaction_id": item["key"], "kind": item["kind"], "label": KIND_LABEL[item["kind"]],
                        "at": item["at"], "url": item.get("url"), "source": item["source"]}
                       for item in items[:EVIDENCE_ITEMS]]}
            for s, items in sorted(newest.items(), reverse=True) if s > 0 and items]
