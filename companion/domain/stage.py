"""Stage rules.

The stage is the highest stage with evidence: 1 from any public interaction, 2 from a DM
conversation, 3 from a logged call, 4 from a logged meeting. It never drops by itself. A manual
change wins until newer evidence of a higher stage arrives.
"""

from __future__ import annotations

from typing import Any

from .vocabulary import KIND_LABEL, KIND_STAGE, STAGE_NAMES


def from_evidence(interactions: list[dict[str, Any]]) -> int:
    return max((KIND_STAGE[i["kind"]] for i in interactions), default=0)


def current(manual: dict[str, Any] | None, interactions: list[dict[str, Any]]) -> int:
    if manual is None:
        return from_evidence(interactions)
    newer = [i for i in interactions if (i.get("observed_at") or i["at"]) > manual["at"]]
    return max(manual["stage"], from_evidence(newer))


def evidence(interactions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per stage 1-4 that has evidence, highest first: what, when, and a link to the tweet."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for item in sorted(interactions, key=lambda i: (i["at"], i["key"]), reverse=True):
        stage = KIND_STAGE[item["kind"]]
        if stage > 0:
            grouped.setdefault(stage, []).append({
                "interaction_id": item["key"], "kind": item["kind"], "label": KIND_LABEL[item["kind"]],
                "at": item["at"], "url": item.get("url"),
            })
    return [{"stage": s, "name": STAGE_NAMES[s], "items": grouped[s]} for s in sorted(grouped, reverse=True)]
