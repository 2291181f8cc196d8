"""People from a spreadsheet: a CSV with a handle, profile URL or user id column adds people, their notes and
outcome tags, or updates the people Rapport knows (by user id, then handle). Rapport's own CSV export reads back
exactly.

The file is read and every row checked before anything is written: a dry run stops there with a preview, an
import applies every row in one store transaction, or, if any row is bad, none.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from companion.config import MAX_BODY_BYTES
from companion.schema import SchemaViolation, load_schema, python_pattern, validate, x_facts
from companion.store.database import Store

from . import contacts, labels, people
from .derive import RESERVED_PATHS, PersonRef
from .errors import Invalid, TooLarge
from .vocabulary import NOTE_FIELDS, NOTE_LABEL, NOTE_SUMMARY_PREFIX, OUTCOME_LABEL, OUTCOME_TAGS, sort_tags

MAX_BYTES = MAX_BODY_BYTES  # what the API takes in one body, so the command and the dashboard agree
MAX_ROWS = 10_000
PREVIEW_ROWS = 20
LISTED_ERRORS = 200  # a file of 10,000 bad rows says how many, and lists the first ones
DELIMITERS = (",", ";", "\t")  # a spreadsheet in a comma-decimal locale saves with ";"
IGNORE = "ignore"
IDENTITY = ("handle", "profile_url", "user_id")
_HANDLE = re.compile(python_pattern(x_facts()["handle_pattern"]))
_HOSTS = frozenset(x_facts()["hosts"])
_USER_ID = re.compile(python_pattern(load_schema("common")["$defs"]["user_id"]["pattern"]))
_CREATE = load_schema("person-create")["properties"]
_PATCH = load_schema("person-patch")["properties"]
_SHOWN = 40  # characters of a cell quoted in an error


def _norm(name: str) -> str:
    """A header or a tag as it is compared: "Profile URL", "profile_url" and "profileurl" are one."""
    return "".join(c for c in name.casefold() if c.isalnum())


def _show(text: str) -> str:
    text = text.strip()
    return f'"{text}"' if len(text) <= _SHOWN else f'"{text[:_SHOWN - 1]}…"'


# -- reading one cell --------------------------------------------------------------------------------
def _identity(cell: str) -> tuple[str | None, str | None]:
    """(handle, user id) of "@alice", "alice", "x.com/alice", "https://twitter.com/alice/status/…" or
    "https://x.com/i/user/42"."""
    value = cell.strip()
    if "/" not in value and not value.lower().startswith(("http:", "https:")):
        bare = value.removeprefix("@")
        if not _HANDLE.search(bare):
            raise ValueError(f"{_show(value)} is not an X handle (1 to 20 letters, digits or _)")
        return bare, None
    try:
        parts = urlsplit(value if "://" in value else "https://" + value)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise ValueError(f"{_show(value)} is not a link to an X profile") from None
    if host not in _HOSTS:
        raise ValueError(f"{_show(value)} is not a link to x.com or twitter.com")
    path = [p for p in parts.path.split("/") if p]
    if len(path) >= 3 and path[:2] == ["i", "user"] and _USER_ID.search(path[2]):
        return None, path[2]
    if not path or path[0].lower() in RESERVED_PATHS or not _HANDLE.search(path[0]):
        raise ValueError(f"{_show(value)} links to no one's profile on X")
    return path[0], None


def _user_id(cell: str) -> tuple[str | None, str | None]:
    value = cell.strip()
    if _USER_ID.search(value):
        return None, value
    if re.fullmatch(r"[0-9.,]+[eE]\+?[0-9]+", value):
        raise ValueError(f"{_show(value)} is a number the spreadsheet rounded: format the column as text and save "
                         "it again")
    raise ValueError(f"{_show(value)} is not a numeric X user id")


def _text(limit: int) -> Callable[[str], str]:
    def read(cell: str) -> str:
        if len(cell) > limit:
            raise ValueError(f"is {len(cell):,} characters long; at most {limit:,} fit")
        return cell
    return read


_TAG_NAMES = {_norm(name): tag for tag in OUTCOME_TAGS for name in (tag, OUTCOME_LABEL[tag])}


def _tags(cell: str) -> list[str]:
    """Outcome tags by id or label ("referral-partner", "Referral partner"), separated by ";" or ","."""
    names = [name.strip() for name in re.split(r"[;,]", cell) if name.strip()]
    unknown = [name for name in names if _norm(name) not in _TAG_NAMES]
    if unknown:
        which = ", ".join(_show(name) for name in unknown)
        raise ValueError(f"{which} {'is not an outcome tag' if len(unknown) == 1 else 'are not outcome tags'}: "
                         f"the tags are {', '.join(OUTCOME_LABEL[t] for t in OUTCOME_TAGS)}")
    return sort_tags({_TAG_NAMES[_norm(name)] for name in names})


def _labels(cell: str) -> list[str]:
    """Your own labels by name, separated by ";" (or by "," in a cell without one); new names make new labels."""
    names = [name for name in re.split(r";" if ";" in cell else r",", cell) if name.strip()]
    try:
        return list({labels.clean_name(name).casefold(): labels.clean_name(name) for name in names}.values())
    except Invalid as exc:
        raise ValueError(str(exc)) from None


def _cadence(cell: str) -> int:
    bounds = _PATCH["cadence_days"]
    value = cell.strip()
    if not value.isdigit() or not bounds["minimum"] <= int(value) <= bounds["maximum"]:
        raise ValueError(f"{_show(value)} is not a number of days from {bounds['minimum']} (off) to "
                         f"{bounds['maximum']}")
    return int(value)


# -- what a column can be --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    id: str
    label: str
    headers: tuple[str, ...]  # header names that map to it by themselves (compared as _norm does)
    read: Callable[[str], Any]  # the cell's text to its value; ValueError says why it cannot be


# The one table of what a column can be (a new kind of field is one line here).
FIELDS: tuple[Field, ...] = (
    Field("handle", "Handle", ("handle", "username", "user name", "screen name", "twitter", "x", "twitter handle",
                               "x handle", "account"), _identity),
    Field("profile_url", "Profile URL", ("profile url", "url", "profile", "link", "profile link", "twitter url",
                                         "x url"), _identity),
    Field("user_id", "User ID", ("user id", "twitter id", "x id", "id str", "rest id"), _user_id),
    Field("name", "Name", ("name", "display name", "full name"), _text(_CREATE["display_name"]["maxLength"])),
    Field("tags", "Outcome tags", ("tags", "tag", "outcome tags", "outcome", "outcomes"), _tags),
    Field("labels", "Your labels", ("labels", "label", "lists", "list", "groups", "group"), _labels),
    *(Field(f, f"Notes: {NOTE_LABEL[f]}",
            (f, NOTE_LABEL[f], NOTE_SUMMARY_PREFIX[f], *(("notes", "note") if f == "other" else ())),
            _text(load_schema("notes")["$defs"]["field"]["maxLength"])) for f in NOTE_FIELDS),
    Field("next_step", "Next step", ("next step",), _text(_CREATE["next_step"]["maxLength"])),
    Field("cadence_days", "Keep in touch every (days)", ("cadence days", "cadence"), _cadence),
)
BY_ID = {f.id: f for f in FIELDS}
_AUTO = {_norm(header): f.id for f in reversed(FIELDS) for header in f.headers}
# The export's columns that Rapport works out itself (from what it sees on x.com): read, never imported.
WORKED_OUT = frozenset(_norm(c) for c in ("key", "stage", "stage_name", "location", "place", "last_interaction_at"))


@dataclass
class Column:
    number: int  # 1-based, as a spreadsheet counts (A is 1)
    header: str
    field: str | None
    how: str  # "auto": by its header; "mapped": as asked; "none": not imported
    note: str | None = None

    def view(self) -> dict[str, Any]:
        return {"column": self.number, "header": self.header, "field": self.field, "how": self.how,
                "note": self.note}


@dataclass
class Row:
    number: int  # the spreadsheet's row number (the header is row 1)
    handle: str | None = None
    user_id: str | None = None
    name: str | None = None
    values: dict[str, Any] = field(default_factory=dict)  # tags, note fields, next_step, cadence_days given


@dataclass
class Sheet:
    columns: list[Column]
    delimiter: str
    rows: list[Row]
    errors: list[dict[str, Any]]


def _error(row: int | None, column: Column | None, message: str) -> dict[str, Any]:
    return {"row": row, "column": column.header if column else None, "message": message}


def _refuse(message: str, row: int | None = None) -> Invalid:
    return Invalid(message, errors=[_error(row, None, message)])


# -- the file -------------------------------------------------------------------------------------------
def check_size(size: int) -> None:
    """Before reading: a file over the limit is refused by its size alone."""
    if size > MAX_BYTES:
        message = (f"the file is {size / 1024 / 1024:.1f} MiB; Rapport imports CSV files of up to "
                   f"{MAX_BYTES // 1024 // 1024} MiB at a time: split it into smaller files")
        raise TooLarge(message, errors=[_error(None, None, message)])


def decode(data: bytes) -> str:
    """UTF-8, with or without a byte-order mark; anything else is refused, never guessed."""
    check_size(len(data))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _refuse("the file is UTF-16 (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" and import that")
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        line = data.count(b"\n", 0, at) + 1
        raise _refuse(f"the file is not UTF-8: the byte at offset {at:,} (0x{data[at]:02X}, on line {line}) is not "
                      "UTF-8 text. "
                      "Save it as \"CSV UTF-8\" (Excel: File → Save As → CSV UTF-8; LibreOffice: Character set "
                      "Unicode (UTF-8)) and import that", row=line) from None


def _records(text: str) -> tuple[str, list[list[str]]]:
    """(delimiter, every row of the file: the header first, blank rows as [])."""
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
            if len(records) > MAX_ROWS + 1:
                raise _refuse(f"the file has more than {MAX_ROWS:,} rows: split it into smaller files")
    except csv.Error as exc:
        row = len(records) + 1
        raise _refuse(f"row {row} (line {reader.line_num}) is not valid CSV ({exc}): a quote in a cell that is "
                      "not quoted itself?", row=row) from None
    return delimiter, records


def _columns(header: list[str], mapping: dict[str, str]) -> list[Column]:
    """Each column's field: as `mapping` says (by header name or 1-based column number), else by its header."""
    columns = [Column(n, name.strip(), None, "none") for n, name in enumerate(header, start=1)]
    chosen: dict[int, str] = {}
    for key, wanted in mapping.items():
        matches = ([c for c in columns if str(c.number) == key.strip()] or
                   [c for c in columns if _norm(c.header) == _norm(key) and _norm(key)])
        if not matches:
            raise _refuse(f"the mapping names a column {_show(key)} that the header does not have (it has: "
                          f"{', '.join(_show(c.header) for c in columns)})")
        if len(matches) > 1:
            raise _refuse(f"more than one column is called {_show(key)}: map it by its number "
                          f"({', '.join(str(c.number) for c in matches)})")
        field_id = wanted.strip().lower()
        if field_id != IGNORE and field_id not in BY_ID:
            raise _refuse(f"{_show(wanted)} is not a field to import: choose one of "
                          f"{', '.join(f.id for f in FIELDS)}, or {IGNORE}")
        chosen[matches[0].number] = field_id
    taken: dict[str, Column] = {}
    for column in columns:
        if column.number in chosen:
            column.how = "mapped"
            column.field = None if chosen[column.number] == IGNORE else chosen[column.number]
            if column.field in taken:
                raise _refuse(f"columns {_show(taken[column.field].header)} and {_show(column.header)} are both "
                              f"mapped to {column.field}: map one of them to {IGNORE}")
            if column.field:
                taken[column.field] = column
    for column in columns:
        if column.number in chosen:
            continue
        auto = _AUTO.get(_norm(column.header))
        if auto and auto not in taken:
            column.field, column.how = auto, "auto"
            taken[auto] = column
        elif auto:
            column.note = f"not imported: column {_show(taken[auto].header)} is the {auto} already"
        elif _norm(column.header) in WORKED_OUT:
            column.note = "not imported: Rapport works it out from what it sees on x.com"
        else:
            column.note = "not imported: map it to a field to import it"
    if not any(c.field in IDENTITY for c in columns):
        raise _refuse("no column says who each person is: the header needs a Handle, Profile URL or User ID column "
                      f"(it has: {', '.join(_show(c.header) for c in columns)}), or map one to handle, "
                      "profile_url or user_id")
    return columns


def parse_mapping(items: list[str]) -> dict[str, str]:
    """["Twitter=handle", "3=books", "Stage=ignore"] (the command's --map, the API's map=) as {column: field}."""
    mapping = {}
    for item in items:
        column, equals, wanted = item.rpartition("=")
        if not equals or not column.strip() or not wanted.strip():
            raise _refuse(f"{_show(item)} is not COLUMN=FIELD (a header name or a column number, then a field: "
                          f"{', '.join(f.id for f in FIELDS)} or {IGNORE})")
        mapping[column] = wanted
    return mapping


def read(data: bytes, mapping: dict[str, str] | None = None) -> Sheet:
    """The file read and each row checked on its own (nothing is looked up in the store yet).

    A file that cannot be read at all raises Invalid (TooLarge for its size), with the one problem in
    `errors`; bad rows are listed in the sheet's errors."""
    delimiter, records = _records(decode(data))
    if not records or not any(cell.strip() for cell in records[0]):
        raise _refuse("row 1 is empty: the first row must name the columns (Handle, Name, Tags, Books…)", row=1)
    columns = _columns(records[0], mapping or {})
    sheet = Sheet(columns, delimiter, [], [])
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank row between people
        extra = [cell for cell in record[len(columns):] if cell.strip()]
        if extra:
            sheet.errors.append(_error(number, None, f"has {len(record)} cells but the header names "
                                f"{len(columns)} columns: a comma in a cell that is not in quotes?"))
            continue
        row, problems = _row(number, record, columns)
        if problems:
            sheet.errors.extend(problems)
        else:
            sheet.rows.append(row)
    return sheet


def _row(number: int, record: list[str], columns: list[Column]) -> tuple[Row, list[dict[str, Any]]]:
    row = Row(number)
    problems: list[dict[str, Any]] = []
    who: dict[str, tuple[Column, str | None, str | None]] = {}
    for column, raw in zip(columns, record, strict=False):
        cell = contacts.uncell(raw)
        if column.field is None or not cell.strip():
            continue  # an empty cell changes nothing
        try:
            value = BY_ID[column.field].read(cell)
        except ValueError as exc:
            problems.append(_error(number, column, f"{column.header or f'column {column.number}'}: {exc}"))
            continue
        if column.field in IDENTITY:
            who[column.field] = (column, *value)
        elif column.field == "name":
            row.name = value
        else:
            row.values[column.field] = value
    for column, handle, user_id in who.values():
        for attr, value in (("handle", handle), ("user_id", user_id)):
            known = getattr(row, attr)
            if value and known and known.lower() != value.lower():
                problems.append(_error(number, column, f"{column.header}: {_show(value)} is not the {attr} the row "
                                       f"gives in another column ({_show(known)})"))
            elif value and not known:
                setattr(row, attr, value)
    if not problems and not row.handle and not row.user_id:
        problems.append(_error(number, None, "has no handle, profile URL or user id: whom is it about?"))
    # The export names someone without a display name by their handle (or id): that is no name to keep.
    if row.name is not None and row.name.strip() in (f"@{row.handle}", row.user_id):
        row.name = None
    if not problems:
        body = {k: v for k, v in (("handle", row.handle), ("user_id", row.user_id), ("display_name", row.name),
                                  ("tags", row.values.get("tags")), ("labels", row.values.get("labels")))
                if v is not None}
        body["notes"] = {f: row.values[f] for f in NOTE_FIELDS if f in row.values}
        try:  # the schema's word on what POST /people would take, as a last check
            validate("person-create", body)
        except SchemaViolation as exc:
            problems.append(_error(number, None, exc.message))
    return row, problems


# -- against the people Rapport knows ----------------------------------------------------------------------
@dataclass
class Planned:
    row: Row
    action: str  # "create", "update" or "unchanged"
    changes: list[str]


def plan(store: Store, sheet: Sheet) -> tuple[list[Planned], list[dict[str, Any]]]:
    """What each good row would do (under the store lock), and the rows that cannot be applied."""
    planned: list[Planned] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, Any], int] = {}
    for row in sheet.rows:
        by_id = store.find_user_id(row.user_id) if row.user_id else None
        by_handle = store.find_handle(row.handle) if row.handle else None
        holder = store.person(by_handle) if by_handle is not None else None
        if by_id is not None and by_handle is not None and by_id != by_handle:
            errors.append(_error(row.number, None, f"user id {row.user_id} and @{row.handle} are two different "
                                 "people in Rapport: give only one of them"))
            continue
        if holder and row.user_id and holder["user_id"] and holder["user_id"] != row.user_id:
            errors.append(_error(row.number, None, f"@{row.handle} is user id {holder['user_id']} in Rapport, not "
                                 f"{row.user_id}"))
            continue
        found = by_id if by_id is not None else by_handle
        keys = [("person", found)] if found is not None else [
            k for k in (("handle", (row.handle or "").lower()), ("user_id", row.user_id)) if k[1]]
        again = next((seen[k] for k in keys if k in seen), None)
        if again is not None:
            errors.append(_error(row.number, None, f"is the same person as row {again}: keep one row per person"))
            continue
        seen.update(dict.fromkeys(keys, row.number))
        doc = store.person(found) if found is not None else None
        changes = _changes(doc, row, store)
        planned.append(Planned(row, "create" if doc is None else "update" if changes else "unchanged", changes))
    return planned, errors


def _changes(doc: dict[str, Any] | None, row: Row, store: Store) -> list[str]:
    """The fields the row changes on the person `doc` (all it gives, for someone new)."""
    if doc is None:
        return [f for f in ("handle", "user_id") if getattr(row, f)] + (["name"] if row.name else []) + list(row.values)
    changes = []
    if row.user_id and not doc["user_id"]:
        changes.append("user_id")
    if row.handle and not doc["handle"] and store.find_handle(row.handle) is None:
        changes.append("handle")
    if row.name and not doc["profile"].get("display_name"):
        changes.append("name")
    own = {i: label["name"].casefold() for i, label in store.labels().items()}
    for name, value in row.values.items():
        if name == "labels":  # by name, whatever the case
            if {n.casefold() for n in value} != {own.get(i) for i in doc.get("labels") or ()}:
                changes.append(name)
            continue
        have = doc["notes"].get(name) if name in NOTE_FIELDS else doc.get(name)
        if value != have:
            changes.append(name)
    return changes


def apply(store: Store, planned: list[Planned], at: str) -> None:
    """Every row that changes something, as POST /people would (inside the caller's one transaction)."""
    for item in planned:
        if item.action == "unchanged":
            continue
        row = item.row
        change: dict[str, Any] = {k: v for k, v in row.values.items() if k not in NOTE_FIELDS}
        notes = {f: row.values[f] for f in NOTE_FIELDS if f in row.values}
        if notes:
            change["notes"] = notes
        _, created = people.add_by_hand(store, PersonRef(row.handle, row.user_id), row.name, change, at)
        assert created == (item.action == "create"), (row.number, item.action)


def answer(sheet: Sheet, planned: list[Planned], errors: list[dict[str, Any]], dry_run: bool) -> dict[str, Any]:
    """The preview (or, after an import, what it did): columns, counts, the first rows, every error."""
    counts = {action: sum(1 for p in planned if p.action == action) for action in ("create", "update", "unchanged")}
    everything = sorted(sheet.errors + errors, key=lambda e: e["row"] or 0)
    return {
        "ok": not everything, "dry_run": dry_run, "applied": not dry_run and not everything,
        "delimiter": sheet.delimiter, "columns": [c.view() for c in sheet.columns],
        "fields": [{"id": f.id, "label": f.label} for f in FIELDS],
        "rows": len(planned) + len({e["row"] for e in everything if e["row"]}),
        "counts": {"created": counts["create"], "updated": counts["update"], "unchanged": counts["unchanged"]},
        "preview": [_preview(p) for p in planned[:PREVIEW_ROWS]],
        "errors": everything[:LISTED_ERRORS], "errors_total": len(everything),
    }


def _preview(item: Planned) -> dict[str, Any]:
    row = item.row
    return {"row": row.number, "action": item.action, "handle": row.handle, "user_id": row.user_id,
            "name": row.name, "tags": row.values.get("tags"), "labels": row.values.get("labels"),
            "notes": {f: row.values[f] for f in NOTE_FIELDS if f in row.values},
            "next_step": row.values.get("next_step"), "cadence_days": row.values.get("cadence_days"),
            "changes": item.changes}


def refusal(result: dict[str, Any]) -> Invalid:
    """An import with bad rows (`result`, as answer() made it): nothing was applied, and every bad row is named."""
    first = result["errors"][0]
    where = f"row {first['row']}: " if first["row"] else ""
    more = f" (and {result['errors_total'] - 1} more)" if result["errors_total"] > 1 else ""
    return Invalid(f"nothing was imported: {where}{first['message']}{more}", errors=result["errors"])
