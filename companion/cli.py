"""The `rapport` command."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import orjson

from companion import __version__
from companion.access.tokens import TokenStore
from companion.config import DEFAULT_PORT, Config, default_data_dir
from companion.domain.errors import RapportError
from companion.schema import SchemaViolation, validate
from companion.store.errors import StoreError

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where Rapport keeps its data (default: $RAPPORT_DATA_DIR, else your user data folder).",
)


def _data_dir(value: Path | None) -> Path:
    return value.expanduser() if value else default_data_dir()


def _fail(message: str) -> None:
    click.echo(f"rapport: {message}", err=True)
    sys.exit(2)


class _Rapport(click.Group):
    """Every command's store and domain errors become one clear line and exit status 2, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (RapportError, StoreError) as exc:
            _fail(str(exc))


@click.group(cls=_Rapport)
@click.version_option(__version__, prog_name="rapport")
def main() -> None:
    """Rapport: your relationships on X, kept on your own machine."""


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--live-port", type=click.IntRange(0, 65535), default=None,
              help="Port of the live-event websocket server (default: --port + 1; 0 picks a free one).")
@click.option("--open", "open_dashboard", is_flag=True, help="Open the dashboard in your browser.")
@data_dir_option
def serve(port: int, live_port: int | None, open_dashboard: bool, data_dir: Path | None) -> None:
    """Start the companion on 127.0.0.1."""
    from companion.server import serve as run

    run(Config(data_dir=_data_dir(data_dir), port=port, live_port=live_port), open_dashboard=open_dashboard)


@main.command()
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
              help="The port the running companion listens on.")
@click.option("--open", "open_dashboard", is_flag=True, help="Open the link in your browser.")
@data_dir_option
def dashboard(port: int, open_dashboard: bool, data_dir: Path | None) -> None:
    """Print a new one-time link that signs this browser in to the dashboard."""
    import webbrowser

    from companion.access.logins import LINK_VALID_S, DashboardLogins
    from companion.server import login_url

    link = login_url(port, DashboardLogins(_data_dir(data_dir)).new_link_token())
    click.echo(link)
    click.echo(f"rapport: this link signs a browser in once, within {LINK_VALID_S // 60} minutes.", err=True)
    if not _companion_answers(port):
        click.echo(f"rapport: nothing answers on port {port} yet: start the companion with `rapport serve`.",
                   err=True)
    if open_dashboard:
        webbrowser.open(link)


def _companion_answers(port: int) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as answer:
            return orjson.loads(answer.read()).get("name") == "rapport"
    except (OSError, ValueError):
        return False


@main.command()
@data_dir_option
def where(data_dir: Path | None) -> None:
    """Print where Rapport keeps its data."""
    from companion.store.database import describe

    for name, path in describe(_data_dir(data_dir)).items():
        click.echo(f"{name:9} {path}")


@main.group()
def token() -> None:
    """Tokens that let a browser extension (or a script) use the companion."""


@token.command("new")
@click.argument("name")
@data_dir_option
def token_new(name: str, data_dir: Path | None) -> None:
    """Make a token for client NAME; prints the token alone on stdout."""
    client, secret = TokenStore(_data_dir(data_dir)).create(name)
    click.echo(secret)
    click.echo(f"rapport: token for {client['name']!r} ({client['id']}) created; it is shown only once.", err=True)


@token.command("list")
@data_dir_option
def token_list(data_dir: Path | None) -> None:
    """List clients and their tokens' state."""
    clients = TokenStore(_data_dir(data_dir)).list()
    if not clients:
        click.echo("no tokens yet: make one with `rapport token new NAME`")
    for c in clients:
        state = f"revoked {c['revoked_at']}" if c["revoked_at"] else "active"
        click.echo(f"{c['id']}  {c['name']:<24} created {c['created_at']}  "
                   f"last seen {c['last_seen_at'] or 'never'}  {state}")


@token.command("revoke")
@click.argument("name_or_id")
@data_dir_option
def token_revoke(name_or_id: str, data_dir: Path | None) -> None:
    """Revoke a client's token (takes effect at once, even while the companion runs)."""
    client = TokenStore(_data_dir(data_dir)).revoke(name_or_id)
    click.echo(f"revoked {client['name']!r} ({client['id']})")


@main.group()
def pair() -> None:
    """Approve or reject an extension that asks to pair (its options page shows a code)."""


def _pairing(data_dir: Path | None) -> Any:
    from companion.access.pairing import Pairing

    directory = _data_dir(data_dir)
    return Pairing(directory, TokenStore(directory))


@pair.command("list")
@data_dir_option
def pair_list(data_dir: Path | None) -> None:
    """Pairing requests waiting for you."""
    waiting = _pairing(data_dir).pending()
    if not waiting:
        click.echo("no pairing requests are waiting: open the extension's options and click 'Pair'")
    for item in waiting:
        click.echo(f"{item['code']}  {item['client_name']:<28} from {item['origin'] or 'unknown origin'}  "
                   f"expires {item['expires_at']}")


@pair.command("approve")
@click.argument("code")
@data_dir_option
def pair_approve(code: str, data_dir: Path | None) -> None:
    """Approve the request showing CODE: that extension receives its own token."""
    result = _decide(code, data_dir, approve=True)
    click.echo(f"approved {result['code']}: {result['client']['name']!r} ({result['client']['id']}) is paired")


@pair.command("reject")
@click.argument("code", required=False)
@click.option("--all", "everything", is_flag=True, help="Reject every waiting request.")
@data_dir_option
def pair_reject(code: str | None, everything: bool, data_dir: Path | None) -> None:
    """Reject the request showing CODE (or --all of them)."""
    if everything == (code is not None):
        _fail("give a CODE, or --all")
    if everything:
        rejected = _pairing(data_dir).reject_all()["rejected"]
        click.echo(f"rejected {len(rejected)}: {', '.join(rejected)}" if rejected else "none was waiting")
        return
    click.echo(f"rejected {_decide(code, data_dir, approve=False)['code']}")


def _decide(code: str, data_dir: Path | None, approve: bool) -> Any:
    pairing = _pairing(data_dir)
    return pairing.approve(code) if approve else pairing.reject(code)


def _offline_service(data_dir: Path) -> Any:
    from companion.domain.service import Rapport
    from companion.store.database import Store

    return Rapport(Store(data_dir))


@main.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "vcard"]), default="json", show_default=True,
              help="json: everything, to import back; csv: a row per person, for a spreadsheet; vcard: for an "
                   "address book.")
@data_dir_option
def export_cmd(output: Path | None, fmt: str, data_dir: Path | None) -> None:
    """Export everything as JSON, or people as CSV or vCard (stop the companion first, or use GET
    /api/v1/export, /api/v1/people.csv, /api/v1/people.vcf)."""
    service = _offline_service(_data_dir(data_dir))
    try:
        data = (orjson.dumps(service.export(), option=orjson.OPT_INDENT_2) if fmt == "json"
                else service.export_people(fmt))
    finally:
        service.store.close(compact=False)
    if output:
        from companion.store.files import write_atomically

        write_atomically(output, data)
        click.echo(f"exported to {output}", err=True)
    else:
        sys.stdout.buffer.write(data + (b"\n" if fmt == "json" else b""))


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace everything instead of merging (a backup is made first).")
@data_dir_option
def import_cmd(file: Path, replace: bool, data_dir: Path | None) -> None:
    """Import an export file (merge by default)."""
    try:
        document = orjson.loads(file.read_bytes())
        validate("export", document)
    except orjson.JSONDecodeError as exc:
        _fail(f"{file} is not valid JSON: {exc}")
    except SchemaViolation as exc:
        _fail(f"{file} is not a Rapport export: {exc.message}")
    service = _offline_service(_data_dir(data_dir))
    try:
        result = service.import_(document, "replace" if replace else "merge")
    finally:
        service.store.close()
    click.echo(f"imported ({result['mode']}): {result['people_created']} people created, "
               f"{result['people_merged']} merged, {result['interactions_added']} interactions, "
               f"{result['snapshots_added']} profile snapshots")


@main.command("import-csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "mapping", metavar="COLUMN=FIELD", multiple=True,
              help="Import COLUMN (its header, or its number from 1) as FIELD, or 'ignore' it; repeat for more "
                   "columns. The others map by their headers.")
@click.option("--dry-run", is_flag=True, help="Check every row and show what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON (as POST /api/v1/people.csv does).")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
              help="Where a running companion listens (it is asked when it holds the data folder).")
@data_dir_option
def import_csv_cmd(file: Path, mapping: tuple[str, ...], dry_run: bool, as_json: bool, port: int,
                   data_dir: Path | None) -> None:
    """Add or update people from a spreadsheet saved as CSV (UTF-8) with a handle, profile URL or user id column:
    names, outcome tags, notes. Every row is checked first; one bad row and nothing is imported."""
    from urllib.parse import urlencode

    from companion.domain import csv_import

    try:
        csv_import.check_size(file.stat().st_size)  # a huge file is refused before it is read
        wanted = csv_import.parse_mapping(list(mapping))
        data = file.read_bytes()
        with _service_or_companion(_data_dir(data_dir), port, keep=not dry_run) as (service, companion):
            if companion is not None:
                query = urlencode([("dry_run", "1" if dry_run else "0"), *(("map", m) for m in mapping)])
                result = companion.call("POST", f"/people.csv?{query}", body=data, content_type="text/csv")
            else:
                result = service.import_people_csv(data, wanted, dry_run=dry_run)
    except RapportError as exc:
        click.echo(f"rapport: {file}: {exc}", err=True)
        for error in exc.errors if exc.errors and len(exc.errors) > 1 else []:  # every bad row, not just the first
            click.echo(f"  {_where(error)}{error['message']}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
    else:
        _print_csv_import(result)
    if not result["ok"]:
        sys.exit(2)


def _where(error: dict[str, Any]) -> str:
    return f"row {error['row']}: " if error["row"] else ""


def _print_csv_import(result: dict[str, Any]) -> None:
    click.echo("Columns:")
    for c in result["columns"]:
        what = f"-> {c['field']}" + (" (as mapped)" if c["how"] == "mapped" else "") if c["field"] else c["note"]
        click.echo(f"  {c['column']:>3}  {c['header'][:28]:<28} {what or 'not imported'}")
    counts = result["counts"]
    done = "" if result["dry_run"] else "imported "
    verbs = ("to create", "to update", "unchanged") if result["dry_run"] else ("created", "updated", "unchanged")
    bad = f", {result['errors_total']} bad" if result["errors_total"] else ""
    click.echo(f"{done}{result['rows']} rows: {counts['created']} {verbs[0]}, {counts['updated']} {verbs[1]}, "
               f"{counts['unchanged']} {verbs[2]}{bad}")
    if result["preview"]:
        click.echo(f"  {'row':>5}  {'action':<10} {'who':<24} changes")
        for p in result["preview"]:
            who = f"@{p['handle']}" if p["handle"] else p["user_id"]
            click.echo(f"  {p['row']:>5}  {p['action']:<10} {who:<24} {', '.join(p['changes']) or '-'}")
        shown = len(result["preview"])
        good = sum(counts.values())
        if good > shown:
            click.echo(f"  … and {good - shown} more")
    if result["errors"]:
        click.echo(f"Errors ({result['errors_total']}):")
        for error in result["errors"]:
            click.echo(f"  {_where(error)}{error['message']}")
        click.echo("While any row is bad nothing is imported: fix these rows (or --map the columns) and try again.")
    elif result["dry_run"]:
        click.echo("Dry run: nothing was written. Run it again without --dry-run to import.")


@main.command("import-archive")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--me", "me", metavar="USER_ID", default=None,
              help="Your numeric user id, for an archive that does not say whose it is.")
@click.option("--dry-run", is_flag=True, help="Report what would change and write nothing.")
@click.option("--include-deleted", is_flag=True, help="Also count the posts you deleted.")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
              help="Where a running companion listens (the import is handed to it).")
@data_dir_option
def import_archive_cmd(path: Path, me: str | None, dry_run: bool, include_deleted: bool, port: int,
                       data_dir: Path | None) -> None:
    """Import the archive of your data from X (the .zip as downloaded, or its folder)."""
    from companion.archive.console import ProgressBars, print_summary

    options = {"me": me, "dry_run": dry_run, "include_deleted": include_deleted}
    with _service_or_companion(_data_dir(data_dir), port, keep=not dry_run) as (service, companion), \
            ProgressBars() as bars:
        if companion is not None:
            from companion.archive.send import send

            summary = send(path, companion, options, bars.show)
        else:
            from companion.domain.archive import ImportProgress

            progress = ImportProgress(listener=lambda p: bars.show(p.as_dict()))
            summary = service.import_archive(path, progress=progress, label=path.name, **options)
    print_summary(summary)


@contextmanager
def _service_or_companion(directory: Path, port: int, keep: bool = True) -> Iterator[tuple[Any, Any]]:
    """(service, None) over the data folder; or, when a companion holds it, (None, that companion) reached
    with a token made for this one run. `keep`: fold the journal into the snapshot when done."""
    from companion.domain.service import Rapport
    from companion.store.database import Store
    from companion.store.errors import DataDirInUse

    try:
        store = Store(directory)
    except DataDirInUse:
        from companion.local_client import companion_on

        if not _companion_answers(port):
            _fail(f"a companion is using {directory} but does not answer on port {port}: give its --port")
        with companion_on(directory, port) as companion:
            click.echo(f"rapport: the companion on port {port} holds {directory}: asking it", err=True)
            yield None, companion
        return
    try:
        yield Rapport(store), None
    finally:
        store.close(compact=keep)


@main.command()
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
              help="Where a running companion listens (it is asked when it holds the data folder).")
@click.option("--json", "as_json", is_flag=True, help="Print the lists as JSON (GET /api/v1/keep-in-touch).")
@data_dir_option
def due(port: int, as_json: bool, data_dir: Path | None) -> None:
    """Whom to get back to: overdue, due this week, upcoming, and snoozed."""
    with _service_or_companion(_data_dir(data_dir), port, keep=False) as (service, companion):
        lists = companion.call("GET", "/keep-in-touch") if companion is not None else service.keep_in_touch()
    if as_json:
        click.echo(orjson.dumps(lists, option=orjson.OPT_INDENT_2).decode())
        return
    _print_due(lists)


@main.command()
@click.argument("place")
@click.option("--km", type=click.FloatRange(0, 20000, min_open=True), default=50, show_default=True,
              help="How far from the city counts as there.")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
              help="Where a running companion listens (it is asked when it holds the data folder).")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON (GET /api/v1/near).")
@data_dir_option
def near(place: str, km: float, port: int, as_json: bool, data_dir: Path | None) -> None:
    """Whom you know in PLACE ("Boston", "Portland, ME", "Germany"): by stage, then by recency."""
    from urllib.parse import urlencode

    from companion.domain.errors import RapportError

    with _service_or_companion(_data_dir(data_dir), port, keep=False) as (service, companion):
        try:
            found = (companion.call("GET", "/near?" + urlencode({"place": place, "km": km}))
                     if companion is not None else service.near(place, km=km))
        except RapportError as exc:  # a place nobody can find; or the companion's refusal
            _fail(str(exc))
    if as_json:
        click.echo(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode())
        return
    _print_near(found)


def _print_near(found: dict[str, Any]) -> None:
    where = found["place"]["label"]
    km = f"{found['km']:g}"
    people = found["people"]
    if not people:
        click.echo(f"Nobody you know is within {km} km of {where} (as far as their profiles and posts say).")
        return
    click.echo(f"{len(people)} {'person' if len(people) == 1 else 'people'} you know within {km} km of {where}:")
    for p in people:
        who = f"@{p['handle']}" if p["handle"] else p["display_name"] or p["key"]
        far = "" if p["distance_km"] is None else f"{p['distance_km']:g} km"
        why = (f"post {p['post']['at'][:10]}: {p['post']['words']}" if p["why"] == "post"
               else f"profile: {p['place']}" + (" (your correction)" if p["corrected"] else ""))
        click.echo(f"  {who:<20} {p['stage_name']:<22} {far:>9}  {why}")
        details = [d for d in (p["notes_summary"], ", ".join(p["tags"]) or None,
                               p["next_step"] and f"next: {p['next_step']}") if d]
        if details:
            click.echo(f"  {'':<20} {' · '.join(details)}")


DUE_LISTS = (("overdue", "Overdue"), ("due_soon", "Due this week"), ("upcoming", "Upcoming"), ("snoozed", "Snoozed"))


def _print_due(lists: dict[str, Any]) -> None:
    if not any(lists[name] for name, _title in DUE_LISTS):
        click.echo("Nobody has a keep-in-touch cadence yet: set one on a person's card or page, or the defaults "
                   "in the dashboard's Settings.")
        return
    for name, title in DUE_LISTS:
        entries = lists[name]
        click.echo(f"{title} ({len(entries)})")
        for e in entries:
            who = f"@{e['handle']}" if e["handle"] else e["display_name"] or e["key"]
            when = (f"overdue by {e['days_overdue']} days" if e["bucket"] == "overdue"
                    else f"until {e['snooze_until']}" if e["bucket"] == "snoozed"
                    else "due today" if e["days_until"] == 0 else f"due {e['due_at']} (in {e['days_until']} days)")
            step = f"; next: {e['next_step']}" if e["next_step"] else ""
            click.echo(f"  {who:<22} {when:<28} {e['why']}{step}")


@main.command("restore")
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_dir_option
def restore_cmd(backup: Path, data_dir: Path | None) -> None:
    """Go back to a backup (stop the companion first). The files it replaces are kept aside."""
    from companion.store.database import restore_backup

    result = restore_backup(_data_dir(data_dir), backup)
    click.echo(f"restored {result['restored']} ({result['people']} people) as {result['database']}")
    for aside in result["kept_aside"]:
        click.echo(f"kept aside: {aside}")


@main.group()
def autostart() -> None:
    """Start the companion when you log in (systemd on Linux, launchd on macOS, the Startup folder on Windows)."""


ANSWER_WAIT_S = 30.0  # a busy machine: the companion loads its gazetteer and database first


@autostart.command("on")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port on 127.0.0.1 it listens on.")
@click.option("--live-port", type=click.IntRange(0, 65535), default=None,
              help="Port of the live-event server (default: --port + 1).")
@data_dir_option
def autostart_on(port: int, live_port: int | None, data_dir: Path | None) -> None:
    """Start the companion now and at every login, with this data folder and port."""
    import time

    from companion import autostart as at

    system = at.for_this_system()
    launch = at.Launch.here(_data_dir(data_dir), port, live_port)
    before = at.installed(system)
    # One answering on a port that autostart did not start it on was started by hand: leave it be.
    serving = _companion_answers(port) and (before is None or before.port != port)
    result = at.turn_on(system, launch, already_serving=serving)
    click.echo(f"autostart is {'on' if result == 'on' else f'on ({result})'}: {system.name} {system.path}")
    click.echo(f"  it serves {launch.data_dir} on http://127.0.0.1:{port}/")
    if serving:
        click.echo(f"  a companion already answers on port {port}: this one starts at your next login "
                   "(or once you stop that one and run this again)")
        return
    deadline = time.monotonic() + ANSWER_WAIT_S
    while not _companion_answers(port):
        if time.monotonic() > deadline:
            _fail(f"autostart is on, but the companion does not answer on port {port} yet: "
                  f"see `rapport autostart status` ({system.state()})")
        time.sleep(0.2)
    click.echo("  the companion answers; `rapport dashboard" + ("" if port == DEFAULT_PORT else f" --port {port}")
               + "` prints a link that signs you in")


@autostart.command("off")
def autostart_off() -> None:
    """Stop the companion started at login and remove what `autostart on` wrote."""
    from companion import autostart as at

    system = at.for_this_system()
    removed, note = at.turn_off(system)
    if not removed:
        click.echo(f"autostart is off already (no {system.path})")
        return
    click.echo(f"autostart is off: stopped, and {system.path} removed")
    if note:
        click.echo(f"  {note}")


@autostart.command("status")
def autostart_status() -> None:
    """Whether the companion starts at login, from which file, and whether it answers."""
    from companion import autostart as at

    system = at.for_this_system()
    if not system.path.exists():
        click.echo(f"autostart is off ({system.name} {system.path} does not exist): `rapport autostart on` "
                   "turns it on")
        return
    launch = at.installed(system)
    click.echo(f"autostart is on: {system.name} {system.path}")
    if launch is None:
        click.echo("  this file was not written by `rapport autostart on`: `rapport autostart on` rewrites it")
        return
    click.echo(f"  it serves {launch.data_dir} on port {launch.port}, with {launch.executable}")
    click.echo(f"  {system.name}: {system.state()}")
    answers = _companion_answers(launch.port)
    click.echo(f"  the companion {'answers' if answers else 'does not answer'} on http://127.0.0.1:{launch.port}/")
