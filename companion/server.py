"""`rapport serve`: open the store, build the app, serve on 127.0.0.1 until told to stop."""

from __future__ import annotations

import dataclasses
import logging
import shutil
import signal
import socket
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

from companion import __version__
from companion.config import DEFAULT_PORT, HOST, Config, default_data_dir
from companion.domain import events
from companion.domain.events import EventBus
from companion.domain.service import Rapport
from companion.http.app import create_app
from companion.http.live import LiveServer
from companion.store.database import Store, describe
from companion.store.logins import LINK_VALID_S, DashboardLogins
from companion.store.tokens import TokenStore


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        # One line per failed request is useful; one per badge lookup is noise.
        if str(code).isdigit() and int(code) >= 400:
            super().log_request(code, size)


def login_url(port: int, token: str) -> str:
    return f"http://{HOST}:{port}/login?token={token}"


def serve(config: Config, on_ready: Any = None, open_dashboard: bool = False) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("websockets").setLevel(logging.WARNING)  # its per-connection chatter is noise here
    store = Store(config.data_dir)
    live: LiveServer | None = None
    try:
        tokens = TokenStore(config.data_dir)
        bus = EventBus()
        events.connect(store, bus)
        _check_port_free(config.port)
        if config.port == 0:
            # Host and Origin checks name the real port, so pick it before anything is built.
            config = dataclasses.replace(config, port=_free_port())
        if config.live_port_wanted:
            _check_port_free(config.live_port_wanted, option="--live-port")
        logins = DashboardLogins(config.data_dir)
        live = LiveServer(config, tokens, bus, logins)
        live_port = live.start(config.live_port_wanted)
        app = create_app(config, Rapport(store), tokens, bus=bus, live_port=live_port)
        server = make_server(HOST, config.port, app, threaded=True, request_handler=_QuietHandler)
        port = server.server_port

        def stop(signum: int, frame: Any) -> None:
            threading.Thread(target=server.shutdown, daemon=True).start()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        link = login_url(port, logins.new_link_token())
        _banner(config, port, live_port, tokens, link)
        if open_dashboard:
            webbrowser.open(link)
        if on_ready:
            on_ready(port)
        server.serve_forever()
    finally:
        if live is not None:
            live.stop()
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
