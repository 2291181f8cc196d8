"""People as other tools read them: a CSV a spreadsheet opens cleanly, and vCard 4.0 (vobject) for an
address book. One row or one card per person, of everyone or of a People filter.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import vobject

from . import labels, meetups, views
from .vocabulary import NOTE_FIELDS, NOTE_LABEL, OUTCOME_LABEL, STAGE_NAMES

CSV_COLUMNS = ("key", "handle", "user_id", "name", "profile_url", "stage", "stage_name", "outcome_tags", "labels",
               *NOTE_FIELDS, "location", "place", "cadence_days", "last_interaction_at", "next_step")
# A cell a spreadsheet would run as a formula ("=HYPERLINK(…)" in a scraped bio): kept as text behind a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _quoted(text: str) -> bool:
    """Whether `text` is a cell the export quoted: ' then a formula start, or ' then ' (a text that began so)."""
    return text.startswith("'") and text[1:].startswith((*_FORMULA_START, "'"))


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A text that would read as quoted gets a quote of its own too, so that uncell(_cell(t)) == t for every t.
    return "'" + text if text.startswith(_FORMULA_START) or _quoted(text) else text


def uncell(text: str) -> str:
    """A cell as the export wrote it, back to its text (the CSV import reads it so)."""
    return text[1:] if _quoted(text) else text


def row(doc: dict[str, Any], store_labels: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """What a CSV row and a vCard say of one person (`store_labels`: Store.labels, for their own labels)."""
    place, _ = meetups.home_place(doc)
    own = [label["name"] for label in labels.shown(store_labels, doc.get("labels") or ())]
    handle = doc["handle"]
    return {
        "key": views.person_key(doc), "handle": handle, "user_id": doc["user_id"],
        "name": doc["profile"].get("display_name") or (f"@{handle}" if handle else doc["user_id"]),
        "profile_url": f"https://x.com/{handle}" if handle else None, "stage": doc["stage"],
        "stage_name": STAGE_NAMES[doc["stage"]], "outcome_tags": "; ".join(OUTCOME_LABEL[t] for t in doc["tags"]),
        "labels": "; ".join(own), "_labels": own,
        **{f: doc["notes"].get(f) for f in NOTE_FIELDS},
        "location": doc["profile"].get("location"), "place": place.label if place else None,
        "cadence_days": doc.get("cadence_days"), "last_interaction_at": doc["last_interaction_at"],
        "next_step": doc["next_step"], "_place": place,
    }


def to_csv(docs: list[dict[str, Any]], store_labels: dict[int, dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark (so a spreadsheet knows it is UTF-8), every field quoted as needed."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for doc in docs:
        values = row(doc, store_labels)
        writer.writerow([_cell(values[c]) for c in CSV_COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def to_vcards(docs: list[dict[str, Any]], store_labels: dict[int, dict[str, Any]]) -> bytes:
    """vCard 4.0, one card per person: name, X profile, notes, outcome tags and labels as CATEGORIES, location."""
    cards = []
    for doc in docs:
        values = row(doc, store_labels)
        card = vobject.vCard()
        card.add("version").value = "4.0"
        card.add("fn").value = values["name"]
        card.add("n").value = vobject.vcard.Name(given=values["name"])
        if values["handle"]:
            card.add("nickname").value = f"@{values['handle']}"
        if values["profile_url"]:
            card.add("url").value = values["profile_url"]
        card.add("uid").value = f"rapport:x:{values['key']}"
        notes = [f"{NOTE_LABEL[f]}: {values[f]}" for f in NOTE_FIELDS if values[f]]
        if values["next_step"]:
            notes.append(f"Next step: {values['next_step']}")
        notes.append(f"Stage: {values['stage_name']}")
        card.add("note").value = "\n".join(notes)
        if doc["tags"] or values["_labels"]:
            card.add("categories").value = [*(OUTCOME_LABEL[t] for t in doc["tags"]), *values["_labels"]]
        place = values["_place"]
        if place is not None:
            card.add("adr").value = vobject.vcard.Address(
                city=place.name if place.kind == "city" else "", region=place.admin1 or "",
                country=place.country_name)
        elif values["location"]:
            card.add("adr").value = vobject.vcard.Address(extended=values["location"])
        cards.append(card.serialize())
    return "".join(cards).encode("utf-8")
