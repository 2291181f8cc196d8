"""`rapport serve`: open the store, build the app, serve on 127.0.0.1 until told to stop."""

from __future__ import annotations

import dataclasses
import gc
import logging
import shutil
import signal
import socket
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Any

from waitress.server import create_server

from companion import __version__
from companion.access.logins import LINK_VALID_S
from companion.access.tokens import TokenStore
from companion.config import DEFAULT_PORT, HOST, Config, default_data_dir
from companion.http.app import create_app
from companion.http.live import LiveServer
from companion.parts import build
from companion.store.database import Store, describe

# waitress: a production WSGI server (pure Python; Linux, macOS and Windows). Requests are read in
# full by its event loop before a worker thread runs them, so slow clients hold no thread.
THREADS = 8
CONNECTION_LIMIT = 500  # idle and slow connections are cheap: they wait in the event loop
WARM_PLACES_AFTER_S = 2.0
CHANNEL_TIMEOUT_S = 60  # a connection that sends nothing for this long is closed
# Python's cyclic collector looks at its youngest objects every 700 new ones: fit for a script, but a page's
# ingest makes a few thousand (its body, what is derived from it, the documents it stores), so a collection ran
# in nearly every ingest and walked that page's objects while they were still in use. Every 50,000 it runs
# about once in fifteen pages, and most of what it would have walked is gone by then: a third of the collector's
# time per ingest (measured: 0.20-0.33 ms down to 0.07 ms). The older generations keep their defaults.
YOUNG_COLLECTION_EVERY = 50_000


class _Stop(SystemExit):
    """Raised in the event loop by SIGTERM/SIGINT: waitress stops taking requests and returns."""


def login_url(port: int, token: str) -> str:
    return f"http://{HOST}:{port}/login?token={token}"


def serve(config: Config, on_ready: Any = None, open_dashboard: bool = False) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("websockets").setLevel(logging.WARNING)  # its per-connection chatter is noise here
    store = Store(config.data_dir)
    live: LiveServer | None = None
    parts = None
    try:
        _check_port_free(config.port)
        if config.port == 0:
            # Host and Origin checks name the real port, so pick it before anything is built.
            config = dataclasses.replace(config, port=_free_port())
        if config.live_port_wanted:
            _check_port_free(config.live_port_wanted, option="--live-port")
        parts = build(config, store)
        gc.set_threshold(YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])
        live = LiveServer(config, parts.tokens, parts.bus, parts.logins)
        live_port = live.start(config.live_port_wanted, avoid=config.port)
        app = create_app(parts, live_port=live_port)
        server = create_server(
            app, host=HOST, port=config.port, threads=THREADS, connection_limit=CONNECTION_LIMIT,
            channel_timeout=CHANNEL_TIMEOUT_S, ident=None,  # no Server banner naming software and versions
            # Bodies are buffered up to twice the API's limit (chunked ones too, which waitress turns into a
            # Content-Length): the app then answers anything over the limit with its own JSON 413.
            max_request_body_size=2 * config.max_body_bytes, clear_untrusted_proxy_headers=True,
        )
        port = server.effective_port

        def stop(signum: int, frame: Any) -> None:
            raise _Stop(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        # The gazetteer loads (about a second) once the companion answers, before anyone asks for a place.
        warm = threading.Timer(WARM_PLACES_AFTER_S, parts.service.warm_places)
        warm.daemon = True
        warm.start()
        try:
            link = login_url(port, parts.logins.new_link_token())
            _banner(config, port, live_port, parts.tokens, link)
            if open_dashboard:
                webbrowser.open(link)
            if on_ready:
                on_ready(port)
            server.run()  # returns once a signal stopped it; close() below shuts the workers down
        except _Stop:
            pass  # the signal came before the loop ran
        finally:
            # Stopping now: a second signal must not cut the last snapshot short.
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        server.close()
    finally:
        if live is not None:
            live.stop()
        if parts is not None:
            parts.service.reader.stop()  # no reading left half-stored: what waits is read after the next start
        store.close()
    print("rapport: stopped; everything is saved.", flush=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _check_port_free(port: int, option: str = "--port") -> None:
    # Werkzeug would print its own generic advice and exit; say what is likely going on instead.
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            raise SystemExit(f"rapport: cannot listen on {HOST}:{port}: {exc.strerror}. "
                             f"Is Rapport already running? Choose another port with {option} N.") from None


def _command() -> str:
    """How the user can type `rapport` in their shell: bare if it is on PATH, else its full path."""
    script = Path(sys.executable).with_name("rapport")
    return "rapport" if shutil.which("rapport") == str(script) or not script.exists() else str(script)


def _banner(config: Config, port: int, live_port: int, tokens: TokenStore, link: str) -> None:
    places = describe(config.data_dir)
    paired = sum(1 for c in tokens.list() if not c["revoked_at"])
    data_dir_arg = "" if config.data_dir == default_data_dir() else f" --data-dir '{config.data_dir}'"
    port_arg = "" if port == DEFAULT_PORT else f" --port {port}"
    lines = [
        f"Rapport companion {__version__} is listening on {HOST}:{port}",
        f"  Your data:   {places['data_dir']}",
        f"               database {places['database']}, backups in {places['backups']}",
        f"  Dashboard:   open this link to sign in (it works once, within {LINK_VALID_S // 60} minutes;",
        f"               `{_command()} dashboard{port_arg}{data_dir_arg}` prints a new one):",
        link,
        f"  API health:  http://{HOST}:{port}/api/v1/health",
        f"  Live events: ws://{HOST}:{live_port}/",
    ]
    if paired:
        lines.append(f"  Clients:     {paired} with a token (see `{_command()} token list{data_dir_arg}`)")
    else:
        lines += [
            "  Next:        load the extension from extension/dist/chrome or extension/dist/firefox",
            "               (README: 'Load the extension'), click 'Pair with the companion' in its",
            "               options, and approve the code it shows:",
            f"               {_command()} pair approve CODE{data_dir_arg}",
        ]
    lines.append("  Stop with Ctrl+C.")
    print("\n".join(lines), flush=True)
    sys.stdout.flush()
