"""The dashboard: server-rendered pages, sign-in with a one-time link, and the headers that keep it strict.

Pages only read; every change goes through /api/v1 from the page's script, with the session cookie
and its CSRF token (see guards.py and sessions.py). Without a session every page shows how to sign in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, redirect, render_template, request

from companion.access.logins import LINK_VALID_S, SESSION_VALID_S, DashboardLogins, csrf_for
from companion.domain import csv_import
from companion.domain import meetups as meetups_domain
from companion.domain import posts as posts_domain
from companion.domain.errors import RapportError
from companion.domain.query import SORTS
from companion.domain.service import Rapport
from companion.domain.vocabulary import (
    KIND_LABEL,
    LABEL_COLOURS,
    LOGGED_EVENT_KIND,
    NOTE_FIELDS,
    NOTE_LABEL,
    OUTCOME_LABEL,
    OUTCOME_TAGS,
    STAGES,
    keep_in_touch_constants,
)
from companion.store.database import describe

from . import sessions
from .responses import status_for

HERE = Path(__file__).resolve().parent.parent / "dashboard"
dashboard = Blueprint("dashboard", __name__, template_folder=str(HERE / "templates"),
                      static_folder=str(HERE / "static"), static_url_path="/assets")

PUBLIC = frozenset({"dashboard.login", "dashboard.static", "dashboard.stages_css"})
PAGE_SIZE = 50
PIPELINE_CARDS = 40  # per column; the rest are a click away on the People page
# "Last interaction" filter: label, and (days, newer) — newer: within the last N days, else longer ago.
LAST_FILTERS: dict[str, tuple[str, int | None, bool]] = {
    "7d": ("in the past 7 days", 7, True),
    "30d": ("in the past 30 days", 30, True),
    "90d": ("in the past 90 days", 90, True),
    "over90d": ("more than 90 days ago", 90, False),
    "over365d": ("more than a year ago", 365, False),
    "never": ("never", None, False),
}
SORT_LABELS = {"last_interaction": "Last interaction", "stage": "Stage", "name": "Name", "handle": "Handle",
               "created": "First seen", "updated": "Last updated"}
assert set(SORT_LABELS) == set(SORTS)


def service() -> Rapport:
    return current_app.extensions["rapport"]


def logins() -> DashboardLogins:
    return current_app.extensions["rapport.logins"]


# -- access ------------------------------------------------------------------------------------------
@dashboard.before_request
def require_session() -> Any:
    secret = sessions.session_secret(request, logins())
    g.signed_in = secret is not None
    if secret is not None:
        g.csrf = csrf_for(secret)
        return None
    if request.endpoint in PUBLIC:
        return None
    return _landing(401)


def _landing(status: int, problem: str | None = None) -> tuple[str, int]:
    return render_template("landing.html", problem=problem, link_minutes=LINK_VALID_S // 60,
                           session_days=SESSION_VALID_S // 86400), status


@dashboard.get("/login")
def login() -> Any:
    # Opening the link is the sign-in (the issue asks for exactly that); the token is used up here
    # and the redirect takes it out of the address bar.
    secret = logins().redeem(request.args.get("token", ""))
    if secret is None:
        return _landing(403, "This sign-in link has been used already or has expired. Get a new one below.")
    response = redirect("/", 303)
    sessions.set_cookie(request, response, secret)
    return response


@dashboard.post("/logout")
def logout() -> Any:
    secret = sessions.request_secret(request)
    sessions.check_csrf(request, secret)
    logins().end_session(secret)
    response = redirect("/", 303)
    sessions.clear_cookie(request, response)
    return response


@dashboard.after_request
def strict_headers(response: Response) -> Response:
    live = current_app.config.get("RAPPORT_LIVE_PORT")
    connect = f"'self' ws://127.0.0.1:{live} ws://localhost:{live}" if live else "'self'"
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src {connect}; "
        "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    if request.endpoint != "dashboard.static":
        response.headers["Cache-Control"] = "no-store"
    return response


@dashboard.errorhandler(RapportError)
def not_here(exc: RapportError) -> Any:
    return render_template("missing.html", message=str(exc)), status_for(exc)


@dashboard.app_context_processor
def shared() -> dict[str, Any]:
    return {"stages": STAGES, "live_port": current_app.config.get("RAPPORT_LIVE_PORT") or "",
            "note_fields": [(f, NOTE_LABEL[f]) for f in NOTE_FIELDS],
            "outcome_tags": [(t, OUTCOME_LABEL[t]) for t in OUTCOME_TAGS], "tag_labels": OUTCOME_LABEL,
            "label_colours": LABEL_COLOURS}


def _label_choices() -> list[dict[str, Any]]:
    return service().labels(counts=False)["labels"]


def _label_arg(args: Any, choices: list[dict[str, Any]]) -> str:
    """The `label` filter of a query string: one of `choices` by its id, or "" (an unknown one is ignored)."""
    value = args.get("label", "")
    return value if value in {str(label["id"]) for label in choices} else ""


@dashboard.app_template_filter("shown")
def shown(value: Any) -> str:
    """A profile value as people read it: yes/no, 1,500."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@dashboard.app_template_filter("ago")
def ago(timestamp: str) -> str:
    """How long ago, as people say it: "today", "3 days ago", "5 months ago"."""
    days = (datetime.now(UTC).date() - datetime.fromisoformat(timestamp.replace("Z", "+00:00")).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    for size, unit in ((365, "year"), (30, "month"), (7, "week")):
        if days >= size:
            n = days // size
            return f"{n} {unit}{'s' if n > 1 else ''} ago"
    return f"{days} days ago"


# -- stage colours, from shared_schema/stages.json (CSP forbids style attributes) ---------------------
@dashboard.get("/stages.css")
def stages_css() -> Response:
    """Stage colours, and the colours a label may have."""
    rules = [f".stage-{s['id']} {{ --stage: {s['colour']}; }}" for s in STAGES]
    rules += [f".label-{colour} {{ --label: {hex_} }}" for colour, hex_ in LABEL_COLOURS.items()]
    return Response("\n".join(rules) + "\n", mimetype="text/css")


# -- pages -------------------------------------------------------------------------------------------
def _people_query(args: Any, label_choices: list[dict[str, Any]]) -> dict[str, Any]:
    """The People page's filters from its query string; unknown values are ignored, not errors."""
    def one_of(name: str, allowed: Any, default: str = "") -> str:
        value = args.get(name, default)
        return value if value in allowed else default

    return {"q": args.get("q", "").strip(), "location": args.get("location", "").strip(),
            "stage": one_of("stage", {str(s["id"]) for s in STAGES}), "tag": one_of("tag", OUTCOME_TAGS),
            "label": _label_arg(args, label_choices),
            "notes": one_of("notes", ("yes", "no")), "last": one_of("last", LAST_FILTERS),
            "core": one_of("core", ("true",)),
            "sort": one_of("sort", SORTS, "last_interaction"), "order": one_of("order", ("asc",), "desc")}


def _filters(query: dict[str, Any]) -> dict[str, Any]:
    """The People page's filters as the service (and the API) take them."""
    last = LAST_FILTERS.get(query["last"])
    bound = None
    if last and last[1] is not None:
        bound = (datetime.now(UTC) - timedelta(days=last[1])).isoformat()
    return {"q": query["q"] or None, "stage": [int(query["stage"])] if query["stage"] else None,
            "tag": query["tag"] or None, "label": int(query["label"]) if query["label"] else None,
            "location": query["location"] or None,
            "has_notes": {"yes": True, "no": False}.get(query["notes"]),
            "last_after": bound if last and last[2] else None, "last_before": bound if last and not last[2] else None,
            "never_interacted": query["last"] == "never", "core": query["core"] == "true", "sort": query["sort"],
            "order": query["order"]}


def _list(query: dict[str, Any], limit: int, offset: int = 0) -> dict[str, Any]:
    return service().list_people(limit=limit, offset=offset, **_filters(query))


def _export_query(query: dict[str, Any]) -> str:
    """The People filter as /api/v1/people.csv and .vcf read it: the same people as the page lists."""
    args = {}
    for name, value in _filters(query).items():
        if value is None or value is False:
            continue
        args[name] = ",".join(map(str, value)) if isinstance(value, list) else "true" if value is True else value
    return urlencode(args)


def _bulk_filter(query: dict[str, Any]) -> dict[str, Any]:
    """The People filter as POST /api/v1/people/bulk takes it ("everyone matching"): no order, nothing unset."""
    return {name: value for name, value in _filters(query).items()
            if name not in ("sort", "order") and value is not None and value is not False}


def _page_number() -> int:
    try:
        return min(max(1, int(request.args.get("page", "1"))), MAX_PAGE_NUMBER)
    except ValueError:
        return 1


KEEP_IN_TOUCH_SHOWN = 100  # people per list on the Keep in touch page (the counts say how many in all)
PERSON_PAGE_INTERACTIONS = 200  # the timeline on a person's page; older ones a page at a time
MAX_PAGE_NUMBER = 10**6  # a bigger page number is a typo, not a page: capped (past the end, the page is empty)


@dashboard.get("/")
def people() -> str:
    choices = _label_choices()
    query = _people_query(request.args, choices)
    page = _page_number()
    result = _list(query, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    pages = max(1, -(-result["total"] // PAGE_SIZE))
    filtered = any(query[k] for k in ("q", "stage", "tag", "label", "location", "notes", "last", "core"))
    anyone = result["total"] > 0 or (filtered and service().list_people(limit=1)["total"] > 0)
    return render_template("people.html", page_name="people", query=query, result=result, page=page, pages=pages,
                           filtered=filtered, anyone=anyone, last_filters=LAST_FILTERS, sort_labels=SORT_LABELS,
                           export_query=_export_query(query), bulk_filter=_bulk_filter(query),
                           kit=keep_in_touch_constants(), labels=choices,
                           duplicates=service().duplicate_count())


@dashboard.get("/import-csv")
def import_csv() -> str:
    return render_template("import_csv.html", page_name="import_csv", max_bytes=csv_import.MAX_BYTES)


@dashboard.get("/duplicates")
def duplicates() -> str:
    return render_template("duplicates.html", page_name="duplicates", result=service().duplicates())


@dashboard.get("/pipeline")
def pipeline() -> str:
    q = request.args.get("q", "").strip()
    choices = _label_choices()
    label = _label_arg(request.args, choices)
    columns = []
    for s in STAGES:
        result = service().list_people(q=q or None, stage=[s["id"]], label=int(label) if label else None,
                                       limit=PIPELINE_CARDS)
        columns.append({"stage": s, "total": result["total"], "people": result["people"]})
    filtered = bool(q or label)
    anyone = any(c["total"] for c in columns) or (filtered and service().list_people(limit=1)["total"] > 0)
    return render_template("pipeline.html", page_name="pipeline", columns=columns, q=q, label=label, labels=choices,
                           filtered=filtered, anyone=anyone)


@dashboard.get("/people/<key>")
def person(key: str) -> str:
    before = request.args.get("before") or None
    card = service().person(key, PERSON_PAGE_INTERACTIONS, before)
    # "I reached out" has its own button beside the cadence.
    loggable = [(event, KIND_LABEL[kind]) for event, kind in LOGGED_EVENT_KIND.items() if event != "reached_out"]
    return render_template("person.html", page_name="person", person=card, changes=_profile_changes(card),
                           loggable=loggable, older=before is not None, kit=keep_in_touch_constants(),
                           label_choices=_label_choices())


@dashboard.get("/people/<key>/brief")
def person_brief(key: str) -> str:
    return render_template("brief.html", page_name="brief", brief=service().brief(key))


def _profile_changes(card: dict[str, Any]) -> list[dict[str, Any]]:
    """What each profile snapshot changed compared with the one before, newest first."""
    out = []
    before: dict[str, Any] = {}
    for snapshot in card["profile_history"]:
        profile = snapshot["profile"]
        changed = [(f, before.get(f), v) for f, v in profile.items() if before.get(f) != v and v is not None]
        if changed:
            out.append({"at": snapshot["at"], "changes": changed, "first": not before})
        before = profile
    return list(reversed(out))


@dashboard.get("/keep-in-touch")
def keep_in_touch() -> str:
    lists = service().keep_in_touch(limit=KEEP_IN_TOUCH_SHOWN)
    return render_template("keep_in_touch.html", page_name="keep_in_touch", lists=lists, today=lists["today"],
                           snoozes=keep_in_touch_constants()["snoozes"])


@dashboard.get("/meetups")
def meetups() -> str:
    args = request.args
    query = {"place": args.get("place", "").strip(), "km": meetups_domain.DEFAULT_KM}
    problem = found = None
    try:
        km = float(args.get("km") or meetups_domain.DEFAULT_KM)
        geonameid = int(args["geonameid"]) if args.get("geonameid", "").isdigit() else None
        query["km"] = km
        if query["place"] or geonameid:
            found = service().near(query["place"] or None, geonameid, km)
            query["place"] = query["place"] or found["place"]["label"]
    except ValueError:
        problem = "The distance must be a number of kilometres."
    except RapportError as exc:
        problem = str(exc)
    return render_template("meetups.html", page_name="meetups", query=query, found=found, problem=problem,
                           bubbles=service().people_map()["bubbles"], trips=service().plans("trip"),
                           conferences=service().plans("conference"))


@dashboard.get("/meetups/trips/<int:trip_id>")
def trip(trip_id: int) -> str:
    return render_template("trip.html", page_name="trip", trip=service().plan("trip", trip_id))


@dashboard.get("/meetups/conferences/<int:conference_id>")
def conference(conference_id: int) -> str:
    return render_template("conference.html", page_name="conference",
                           conference=service().plan("conference", conference_id))


@dashboard.get("/insights")
def insights() -> str:
    return render_template("insights.html", page_name="insights", data=service().insights())


@dashboard.get("/settings")
def settings() -> str:
    app = current_app.extensions
    clients = sorted(app["rapport.tokens"].list(), key=lambda c: (c["revoked_at"] is not None, c["name"].lower()))
    return render_template("settings.html", page_name="settings", clients=clients,
                           pending=app["rapport.pairing"].pending(), places=describe(app["rapport.data_dir"]),
                           backups=service().backups(), imports=service().archive_imports(),
                           defaults=service().keep_in_touch_defaults(), labels=service().labels()["labels"],
                           importing=app["rapport.archive"].running,
                           posts={**service().posts_setting(), "per_person": posts_domain.PER_PERSON,
                                  "total": posts_domain.TOTAL})
