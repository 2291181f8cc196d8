"""Conversation starters: what people you know say in their posts and bio that belongs in your notes (the
mentions.py module finds them), offered on their card with where each came from. One click adds one to its
note field, with its source; dismissing one hides it for good. Nothing reaches the notes without a click.
"""

from __future__ import annotations

import hashlib
from typing import Any

from . import places
from .mentions import read

# The suggestion fields, and the note field each one fills when the user accepts it.
NOTE_FOR = {"books": "books", "wine": "wine", "music": "music", "movies": "movies", "sports": "sports",
            "places": "other", "life": "other"}
FIELD_TOPIC = {"books": "Books", "wine": "Wine", "music": "Music", "movies": "Films and series", "sports": "Sports",
               "places": "Travel", "life": "Life news"}
FIELD_LABEL = {"books": "reading", "wine": "drinking", "music": "listening to", "movies": "watching",
               "sports": "following", "places": "being in", "life": ""}


def suggestion_id(field: str, value: str) -> str:
    """The same id for the same thing, whichever post says it: dismissing it once hides it for good."""
    return hashlib.sha1(f"{field}\x00{places.fold(value)}".encode()).hexdigest()[:12]


# -- what a person's card offers -----------------------------------------------------------------------------
def suggestions(doc: dict[str, Any], kept: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The person's suggestions, newest first: from their kept posts (each read once, when kept) and their
    bio; never one dismissed or accepted, nor one the notes already hold."""
    state = doc.get("starters") or {}
    hidden = set(state.get("dismissed", [])) | set(state.get("accepted", []))
    notes = doc["notes"]
    out: dict[str, dict[str, Any]] = {}
    sources = [(p, p.get("mentions")) for p in sorted(kept, key=lambda p: p["at"], reverse=True)]
    for post, mentions in sources:
        for m in (mentions if mentions is not None else read(post["text"])):
            _offer(out, hidden, notes, m, post["url"], post["at"], post["text"], "post")
    bio = doc["profile"].get("bio")
    if bio:
        handle = doc.get("handle")
        for m in read(bio):
            _offer(out, hidden, notes, m, f"https://x.com/{handle}" if handle else None, doc["updated_at"],
                   bio, "bio")
    return list(out.values())


def _offer(out: dict[str, dict[str, Any]], hidden: set[str], notes: dict[str, Any], m: dict[str, str],
           url: str | None, at: str, text: str, source: str) -> None:
    sid = suggestion_id(m["field"], m["value"])
    note = notes.get(NOTE_FOR[m["field"]]) or ""
    if sid in hidden or sid in out or places.fold(m["value"]) in places.fold(note):
        return
    out[sid] = {"id": sid, "field": m["field"], "note_field": NOTE_FOR[m["field"]], "value": m["value"],
                "words": m["words"], "source": source, "source_url": url, "at": at, "text": text[:280],
                "label": describe(m["field"], m["value"])}


def describe(field: str, value: str) -> str:
    """How the card says it: "Mentioned reading Project Hail Mary", "Mentioned a new job"."""
    if field == "life":
        return f"Mentioned {'a ' if value.startswith('new') else ''}{value}"
    return f"Mentioned {FIELD_LABEL[field]} {value}"


def note_line(suggestion: dict[str, Any]) -> str:
    """What accepting adds to the note: the value, with where it came from."""
    day = suggestion["at"][:10]
    source = f"from a post, {day}: {suggestion['source_url']}" if suggestion["source"] == "post" else "from their bio"
    value = suggestion["value"] if suggestion["field"] != "life" else suggestion["value"].capitalize()
    return f"{value} ({source})"
