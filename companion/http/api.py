"""The REST API under /api/v1: parse, call the service, answer. No rules live here."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request

from companion import __version__
from companion.access.pairing import Pairing
from companion.access.tokens import TokenError, TokenStore
from companion.domain import csv_import, views
from companion.domain.archive_jobs import ArchiveJobs
from companion.domain.errors import Invalid, NotFound
from companion.domain.service import Rapport
from companion.schema import api_contract, load_schema

from .responses import json_body, json_response

api = Blueprint("api", __name__, url_prefix="/api/v1")


def service() -> Rapport:
    return current_app.extensions["rapport"]


def pairing() -> Pairing:
    return current_app.extensions["rapport.pairing"]


def tokens() -> TokenStore:
    return current_app.extensions["rapport.tokens"]


def archive_jobs() -> ArchiveJobs:
    return current_app.extensions["rapport.archive"]


def _int_arg(name: str, default: int | None) -> Any:
    return _number_arg(name, default, int, "a whole number")


def _float_arg(name: str, default: float) -> float:
    return _number_arg(name, default, float, "a number")


def _number_arg(name: str, default: Any, kind: type, what: str) -> Any:
    value = request.args.get(name)
    if value is None:
        return default
    try:
        return kind(value)
    except ValueError:
        raise Invalid(f"{name} must be {what}", f"/query/{name}") from None


def _stages_arg() -> list[int] | None:
    value = request.args.get("stage")
    if not value:
        return None
    try:
        return [int(part) for part in value.split(",")]
    except ValueError:
        raise Invalid("stage is a stage number 0-4, or several separated by commas", "/query/stage") from None


@api.get("/health")
def health() -> Response:
    contract = api_contract()
    answer: dict[str, Any] = {"name": contract["product"], "api": contract["version"], "version": __version__}
    if current_app.config.get("RAPPORT_LIVE_PORT"):
        answer["live_port"] = current_app.config["RAPPORT_LIVE_PORT"]
    return json_response(answer)


@api.post("/ingest")
def ingest() -> Response:
    return json_response(service().ingest(json_body("scrape-batch")))


@api.post("/badges")
def badges() -> Response:
    return json_response(service().badges(json_body("badges-request")["handles"]))


def _bool_arg(name: str) -> bool | None:
    value = request.args.get(name)
    if not value:
        return None
    if value not in ("true", "false"):
        raise Invalid(f"{name} must be true or false", f"/query/{name}")
    return value == "true"


def _people_filters() -> dict[str, Any]:
    """The People filters of the query string (GET /people, and its CSV and vCard exports)."""
    args = request.args
    return {"q": args.get("q"), "stage": _stages_arg(), "tag": args.get("tag") or None,
            "label": _int_arg("label", None), "sort": args.get("sort", "last_interaction"),
            "order": args.get("order", "desc"),
            "location": args.get("location"), "has_notes": _bool_arg("has_notes"),
            "last_after": args.get("last_after"), "last_before": args.get("last_before"),
            "never_interacted": bool(_bool_arg("never_interacted")), "core": bool(_bool_arg("core"))}


@api.get("/people")
def list_people() -> Response:
    return json_response(service().list_people(limit=_int_arg("limit", 50), offset=_int_arg("offset", 0),
                                               **_people_filters()))


BULK_MAX_KEYS: int = load_schema("people-bulk")["properties"]["keys"]["maxItems"]
_CONTACT_FILES = {"csv": ("text/csv; charset=utf-8", "rapport-people.csv"),
                  "vcf": ("text/vcard; charset=utf-8", "rapport-people.vcf")}


@api.get("/people.<any(csv, vcf):ext>")
def export_people(ext: str) -> Response:
    mimetype, name = _CONTACT_FILES[ext]
    keys = [key for key in request.args.get("keys", "").split(",") if key]  # a selection of the People page
    if len(keys) > BULK_MAX_KEYS:
        raise Invalid(f"keys: {len(keys):,} people, at most {BULK_MAX_KEYS:,} are allowed", "/query/keys")
    data = service().export_people("csv" if ext == "csv" else "vcard", keys, **_people_filters())
    response = Response(data, mimetype=mimetype.split(";")[0], content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@api.post("/people/bulk")
def bulk_people() -> Response:
    return json_response(service().bulk_people(json_body("people-bulk")))


@api.post("/people.csv")
def import_people_csv() -> Response:
    """The CSV file as the body; `dry_run=1` previews; `map=COLUMN=FIELD` (repeated) overrides the mapping."""
    if request.content_length is not None:
        csv_import.check_size(request.content_length)  # refused by its size, before a byte is read
    data = request.get_data(cache=False)  # Werkzeug stops a chunked body at max_content_length (413)
    if not data:
        raise Invalid("the request body is empty: send the CSV file as the body (Content-Type: text/csv)")
    dry_run = request.args.get("dry_run", "0").lower()
    if dry_run not in ("0", "1", "false", "true"):
        raise Invalid("dry_run must be 1 or 0", "/query/dry_run")
    mapping = csv_import.parse_mapping(request.args.getlist("map"))
    return json_response(service().import_people_csv(data, mapping, dry_run=dry_run in ("1", "true")))


@api.post("/people")
def create_person() -> Response:
    person, created = service().create_person(json_body("person-create"))
    return json_response(person, 201 if created else 200)


@api.get("/people/<key>")
def get_person(key: str) -> Response:
    return json_response(service().person(key, _int_arg("interactions_limit", views.DEFAULT_INTERACTIONS),
                                          request.args.get("before") or None))


@api.patch("/people/<key>")
def edit_person(key: str) -> Response:
    return json_response(service().edit_person(key, json_body("person-patch")))


@api.delete("/people/<key>")
def delete_person(key: str) -> tuple[str, int]:
    service().delete_person(key)
    return "", 204


@api.post("/people/<key>/events")
def log_event(key: str) -> Response:
    return json_response(service().log_event(key, json_body("event")), 201)


@api.delete("/people/<key>/events/<path:event_id>")
def delete_event(key: str, event_id: str) -> tuple[str, int]:
    service().delete_event(key, event_id)
    return "", 204


@api.get("/people/<key>/suggestions")
def suggestions(key: str) -> Response:
    return json_response(service().suggestions(key))


@api.post("/people/<key>/suggestions/<suggestion>/<any(accept, dismiss):action>")
def act_on_suggestion(key: str, suggestion: str, action: str) -> Response:
    return json_response(service().act_on_suggestion(key, suggestion, accept=action == "accept"))


@api.get("/people/<key>/brief")
def person_brief(key: str) -> Response:
    return json_response(service().brief(key))


@api.get("/circles")
def circles() -> Response:
    return json_response(service().circles())


@api.get("/keep-in-touch")
def keep_in_touch() -> Response:
    limit = request.args.get("limit")
    return json_response(service().keep_in_touch(limit=_int_arg("limit", 0) if limit is not None else None))


@api.get("/keep-in-touch.ics")
def keep_in_touch_calendar() -> Response:
    response = Response(service().keep_in_touch_calendar(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="rapport-keep-in-touch.ics"'
    return response


@api.get("/settings/keep-in-touch")
def keep_in_touch_defaults() -> Response:
    return json_response(service().keep_in_touch_defaults())


@api.put("/settings/keep-in-touch")
def set_keep_in_touch_defaults() -> Response:
    return json_response(service().set_keep_in_touch_defaults(json_body("keep-in-touch-defaults")))


@api.get("/settings/posts")
def posts_setting() -> Response:
    return json_response(service().posts_setting())


@api.put("/settings/posts")
def set_posts_setting() -> Response:
    return json_response(service().set_posts_setting(json_body("posts-setting")["keep_posts"]))


# -- meet-ups: whom you know at a place, on a trip, at a conference ------------------------------------
def _geonameid_arg() -> int | None:
    return _int_arg("geonameid", 0) if request.args.get("geonameid") else None


@api.get("/near")
def near() -> Response:
    return json_response(service().near(request.args.get("place"), _geonameid_arg(), _float_arg("km", 50)))


@api.get("/places")
def place_suggestions() -> Response:
    return json_response({"places": service().place_suggestions(request.args.get("q") or "",
                                                                 min(max(_int_arg("limit", 8), 1), 50))})


@api.get("/map")
def people_map() -> Response:
    return json_response(service().people_map())


_PLAN_KINDS = {"trips": "trip", "conferences": "conference"}


def _plan_kind(kinds: str) -> str:
    if kinds not in _PLAN_KINDS:
        raise NotFound(f"no {kinds}: meet-ups are trips and conferences")
    return _PLAN_KINDS[kinds]


@api.get("/<any(trips, conferences):kinds>")
def list_plans(kinds: str) -> Response:
    return json_response({kinds: service().plans(_plan_kind(kinds))})


@api.post("/<any(trips, conferences):kinds>")
def create_plan(kinds: str) -> Response:
    kind = _plan_kind(kinds)
    return json_response(service().create_plan(kind, json_body(kind)), 201)


@api.get("/<any(trips, conferences):kinds>/<int:plan_id>")
def get_plan(kinds: str, plan_id: int) -> Response:
    return json_response(service().plan(_plan_kind(kinds), plan_id))


@api.patch("/<any(trips, conferences):kinds>/<int:plan_id>")
def update_plan(kinds: str, plan_id: int) -> Response:
    kind = _plan_kind(kinds)
    return json_response(service().update_plan(kind, plan_id, json_body(kind)))


@api.delete("/<any(trips, conferences):kinds>/<int:plan_id>")
def delete_plan(kinds: str, plan_id: int) -> tuple[str, int]:
    service().delete_plan(_plan_kind(kinds), plan_id)
    return "", 204


# -- two records of one person -----------------------------------------------------------------------
@api.get("/duplicates")
def list_duplicates() -> Response:
    return json_response(service().duplicates())


@api.post("/duplicates/dismiss")
def dismiss_duplicates() -> Response:
    a, b = json_body("not-duplicates")["people"]
    return json_response(service().not_duplicates(a, b))


@api.post("/merges")
def merge_people() -> Response:
    body = json_body("merge-request")
    return json_response(service().merge_people(body["keep"], body["gone"]), 201)


@api.post("/merges/<int:merge_id>/undo")
def undo_merge(merge_id: int) -> Response:
    return json_response(service().undo_merge(merge_id))


# -- your own labels ------------------------------------------------------------------------------------
@api.get("/labels")
def list_labels() -> Response:
    return json_response(service().labels())


@api.post("/labels")
def create_label() -> Response:
    return json_response(service().create_label(json_body("label")), 201)


@api.patch("/labels/<int:label_id>")
def change_label(label_id: int) -> Response:
    return json_response(service().change_label(label_id, json_body("label")))


@api.delete("/labels/<int:label_id>")
def delete_label(label_id: int) -> Response:
    return json_response(service().delete_label(label_id))


@api.put("/trips/<int:trip_id>/people/<key>")
def mark_for_trip(trip_id: int, key: str) -> Response:
    body = json_body("trip-mark")
    return json_response(service().mark_for_trip(trip_id, key, body["meet"], body.get("note")))


@api.post("/trips/<int:trip_id>/met/<key>")
def met_on_trip(trip_id: int, key: str) -> Response:
    body = json_body("trip-met") if request.get_data(cache=True).strip() else {}
    return json_response(service().met_on_trip(trip_id, key, body.get("at")))


@api.post("/trips/<int:trip_id>/reviewed")
def trip_reviewed(trip_id: int) -> Response:
    return json_response(service().trip_reviewed(trip_id))


@api.get("/export")
def export() -> Response:
    response = json_response(service().export())
    response.headers["Content-Disposition"] = 'attachment; filename="rapport-export.json"'
    return response


@api.post("/import")
def import_() -> Response:
    document: Any = json_body("export")
    return json_response(service().import_(document, request.args.get("mode", "merge")))


@api.get("/backups")
def backups() -> Response:
    return json_response({"backups": service().backups()})


@api.post("/backups")
def backup_now() -> Response:
    return json_response(service().backup_now(), 201)


# -- the X archive: data files arrive a piece at a time, then one import runs in the background ------
@api.post("/archive/uploads")
def archive_upload() -> Response:
    return json_response(archive_jobs().new_upload(), 201)


@api.post("/archive/uploads/<upload_id>/files")
def archive_upload_piece(upload_id: str) -> Response:
    path = request.args.get("path") or ""
    data = request.get_data(cache=False)  # at most max_content_length: big files come in pieces
    return json_response(archive_jobs().append(upload_id, path, _int_arg("offset", 0), data))


@api.delete("/archive/uploads/<upload_id>")
def archive_upload_discard(upload_id: str) -> tuple[str, int]:
    archive_jobs().discard(upload_id)
    return "", 204


@api.post("/archive/uploads/<upload_id>/import")
def archive_import(upload_id: str) -> Response:
    return json_response(archive_jobs().start(upload_id, json_body("archive-import")), 202)


@api.get("/archive/jobs/<job_id>")
def archive_job(job_id: str) -> Response:
    return json_response(archive_jobs().job(job_id))


@api.get("/archive/imports")
def archive_imports() -> Response:
    return json_response({"imports": service().archive_imports()})


# -- clients with a token (paired extensions, scripts) ---------------------------------------------
@api.get("/clients")
def clients() -> Response:
    return json_response({"clients": tokens().list()})


@api.post("/clients/<client_id>/revoke")
def revoke_client(client_id: str) -> Response:
    try:
        return json_response(tokens().revoke(client_id))
    except TokenError as exc:
        raise NotFound(str(exc)) from None


# -- pairing: the extension asks (no token yet), the user approves, the extension collects its token --
@api.post("/pair")
def pair_request() -> Response:
    body = json_body("pair-request")
    return json_response(pairing().request(body["client_name"], request.headers.get("Origin")), 201)


@api.get("/pair/<request_id>")
def pair_status(request_id: str) -> Response:
    return json_response(pairing().status(request_id))


@api.get("/pairing")
def pairing_list() -> Response:
    return json_response({"requests": pairing().pending()})


@api.post("/pairing/<code>/approve")
def pairing_approve(code: str) -> Response:
    return json_response(pairing().approve(code))


@api.post("/pairing/<code>/reject")
def pairing_reject(code: str) -> Response:
    return json_response(pairing().reject(code))


@api.post("/pairing/reject-all")
def pairing_reject_all() -> Response:
    return json_response(pairing().reject_all())
