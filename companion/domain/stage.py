"""Stage rules.

The stage is the highest stage with evidence: 1 from any public interaction, 2 from a DM
conversation, 3 from a logged call, 4 from a logged meeting. It never drops by itself. A manual
change wins until newer evidence of a higher stage arrives.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import aggregates
from .vocabulary import KIND_LABEL, KIND_STAGE, STAGE_NAMES

# Evidence shown per stage: its newest items (the count says how many there are in all).
EVIDENCE_ITEMS = 5


def current(manual: dict[str, Any] | None, interactions: list[dict[str, Any]]) -> int:
    """The stage of a whole history (the rule itself lives in aggregates.current_stage)."""
    return aggregates.current_stage(aggregates.of(interactions), manual)


def evidence(newest_first: Iterable[dict[str, Any]], totals: dict[int, int]) -> list[dict[str, Any]]:
    """Per stage 1-4 that has evidence, highest first: how many (`totals`), and the newest few with links.

    Reads `newest_first` only until every stage the totals count has its few."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    missing = {s: min(n, EVIDENCE_ITEMS) for s, n in totals.items() if s > 0 and n > 0}
    for item in newest_first:
        stage = KIND_STAGE[item["kind"]]
        if stage > 0 and len(grouped.setdefault(stage, [])) < EVIDENCE_ITEMS:
            grouped[stage].append({
                "interaction_id": item["key"], "kind": item["kind"], "label": KIND_LABEL[item["kind"]],
                "at": item["at"], "url": item.get("url"), "source": item["source"],
            })
            if missing.get(stage) == len(grouped[stage]):
                del missing[stage]
                if not missing:
                    break
    return [{"stage": s, "name": STAGE_NAMES[s], "count": totals.get(s, len(grouped[s])), "items": grouped[s]}
            for s in sorted(grouped, reverse=True)]
