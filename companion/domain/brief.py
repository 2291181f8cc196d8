""""Before you meet": one page about a person, to read on the way (or print, or paste as Markdown).

How you know each other, where the relationship stands, your notes and next step, the last DM, call and
meeting, what they posted about lately, the best conversation starters, and people you both know.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from typing import Any

from . import clock, starters
from .derive import MENTION
from .mentions import read
from .vocabulary import KIND_LABEL, KIND_STAGE, NOTE_LABEL

LATELY_DAYS = 30
FIRST_CONVERSATION = 3  # interactions shown of how it started
BEST_STARTERS = 3
MUTUALS = 8
_HASHTAG = re.compile(r"(?<![\w#])#(\w{2,100})")
LAST_OF = {"dm": ("dm", "dm_logged", "group_dm", "i_messaged", "they_messaged"), "call": ("call",),
           "meeting": ("meeting",)}


def brief(card: dict[str, Any], oldest_first: list[dict[str, Any]], kept: list[dict[str, Any]],
          suggestions: list[dict[str, Any]], known_handle: Any, now: str) -> dict[str, Any]:
    """`card`: the person's detail view; `oldest_first`: all their interactions; `kept`: their kept posts;
    `known_handle(handle)`: the summary of someone you know by that handle (not them), or None."""
    newest_first = list(reversed(oldest_first))
    since = clock.format_ts(clock.parse(now) - timedelta(days=LATELY_DAYS))
    lately = [p for p in sorted(kept, key=lambda p: p["at"], reverse=True) if p["at"] >= since]
    return {
        "key": card["key"], "handle": card["handle"], "name": card["profile"].get("display_name") or card["handle"],
        "bio": card["profile"].get("bio"), "place": _place_label(card), "stage": card["stage"], "tags": card["tags"],
        "notes": {f: v for f, v in card["notes"].items() if v}, "next_step": card["next_step"],
        "first": [_item(i) for i in oldest_first[:FIRST_CONVERSATION]],
        "last": {what: next((_item(i) for i in newest_first if i["kind"] in kinds), None)
                 for what, kinds in LAST_OF.items()},
        "interactions_total": len(oldest_first),
        "lately": _topics(lately),
        "starters": _best(suggestions),
        "mutuals": _mutuals(oldest_first, kept, card, known_handle),
        "generated_at": now,
    }


def _place_label(card: dict[str, Any]) -> str | None:
    place = card.get("place") or {}
    chosen = place.get("corrected") or place.get("resolved")
    return None if not chosen or chosen.get("none") else chosen["label"]


def _item(i: dict[str, Any]) -> dict[str, Any]:
    return {"kind": i["kind"], "label": KIND_LABEL[i["kind"]], "stage": KIND_STAGE[i["kind"]], "at": i["at"],
            "text": i.get("text"), "url": i.get("url"), "place": i.get("place"), "note": i.get("note")}


def _topics(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Their posts of the last 30 days by topic: what the starters found in them, else their hashtags."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for post in posts:
        mentions = post.get("mentions")
        if mentions is None:
            mentions = read(post["text"])
        topics = [starters.FIELD_TOPIC[m["field"]] for m in mentions] or [f"#{t}" for t in
                                                                          _HASHTAG.findall(post["text"])[:2]]
        for topic in dict.fromkeys(topics or ["Other"]):
            groups.setdefault(topic, []).append({"at": post["at"], "text": post["text"], "url": post["url"]})
    ordered = sorted(groups.items(), key=lambda g: (g[0] == "Other", -len(g[1]), g[0]))
    return [{"topic": topic, "posts": items} for topic, items in ordered]


def _best(suggestions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Three starters on three different subjects when there are, newest first."""
    chosen: list[dict[str, Any]] = []
    for s in suggestions:
        if s["field"] not in {c["field"] for c in chosen}:
            chosen.append(s)
    chosen += [s for s in suggestions if s not in chosen]
    return chosen[:BEST_STARTERS]


def _mutuals(oldest_first: list[dict[str, Any]], kept: list[dict[str, Any]], card: dict[str, Any],
             known_handle: Any) -> list[dict[str, Any]]:
    """People you both know: people you know who are named in your threads with them (and in their posts)."""
    counts: Counter[str] = Counter()
    skip = {(card["handle"] or "").lower(), ""}
    for text in [i.get("text") for i in oldest_first] + [p["text"] for p in kept]:
        for handle in set(h.lower() for h in MENTION.findall(text or "")):
            if handle not in skip:
                counts[handle] += 1
    out = []
    for handle, n in counts.most_common():
        someone = known_handle(handle)
        if someone is not None:
            out.append({**someone, "times": n})
        if len(out) == MUTUALS:
            break
    return out


def markdown(b: dict[str, Any]) -> str:
    """The brief as Markdown, to paste in a note or a message to yourself."""
    lines = [f"# Before you meet {b['name']}" + (f" (@{b['handle']})" if b["handle"] else ""), ""]
    facts = [f"Stage: {b['stage']['name']}"] + ([f"Tags: {', '.join(b['tags'])}"] if b["tags"] else []) + (
        [f"Lives in: {b['place']}"] if b["place"] else [])
    lines += [" · ".join(facts), ""]
    if b["bio"]:
        lines += [f"> {b['bio']}", ""]
    lines += ["## How you know each other", ""]
    lines += [f"- {i['at'][:10]}: {i['label']}" + (f": “{i['text']}”" if i["text"] else "") +
              (f" ({i['url']})" if i["url"] else "") for i in b["first"]] or ["- Nothing yet."]
    ladder = b["stage"].get("evidence") or []
    lines += ["", *[f"- {g['name']}: {g['count']}" for g in ladder], ""]
    if b["notes"] or b["next_step"]:
        lines += ["## Notes", ""]
        lines += [f"- **{NOTE_LABEL[f]}**: {v}" for f, v in b["notes"].items()]
        if b["next_step"]:
            lines.append(f"- **Next step**: {b['next_step']}")
        lines.append("")
    lines += ["## Last in touch", ""]
    for what, title in (("dm", "DM"), ("call", "Call"), ("meeting", "Meeting")):
        last = b["last"][what]
        lines.append(f"- {title}: {last['at'][:10] if last else 'never'}" +
                     (f" ({last['place']})" if last and last.get("place") else ""))
    lines.append("")
    if b["lately"]:
        lines += [f"## What they posted about (last {LATELY_DAYS} days)", ""]
        for group in b["lately"]:
            lines.append(f"- **{group['topic']}**")
            lines += [f"  - {p['at'][:10]}: {p['text'][:140]} ({p['url']})" for p in group["posts"][:3]]
        lines.append("")
    if b["starters"]:
        lines += ["## Conversation starters", ""]
        lines += [f"- {s['label']} — {s['at'][:10]}" + (f" ({s['source_url']})" if s["source_url"] else "")
                  for s in b["starters"]]
        lines.append("")
    if b["mutuals"]:
        lines += ["## People you both know", ""]
        lines += [f"- @{m['handle']} ({m['stage_name']})" for m in b["mutuals"]]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"

