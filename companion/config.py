"""Companion settings: where data lives, which port, what may talk to it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

DEFAULT_PORT = 47600
HOST = "127.0.0.1"  # never anything else: the companion is for this machine only
MAX_BODY_BYTES = 4 * 1024 * 1024


def default_data_dir() -> Path:
    env = os.environ.get("RAPPORT_DATA_DIR")
    return Path(env).expanduser() if env else Path(user_data_dir("rapport", appauthor=False))


@dataclass(frozen=True)
class Config:
    data_dir: Path = field(default_factory=default_data_dir)
    port: int = DEFAULT_PORT
    max_body_bytes: int = MAX_BODY_BYTES
    # Extra exact origins allowed by CORS (e.g. a Chrome extension's chrome-extension://<id>).
    extra_origins: tuple[str, ...] = ()
    # The live-event websocket server's port: None means the API port + 1 (any free port if that is 0).
    live_port: int | None = None

    @property
    def live_port_wanted(self) -> int:
        if self.live_port is not None:
            return self.live_port
        return self.port + 1 if self.port else 0

    @property
    def dashboard_origins(self) -> tuple[str, ...]:
        return (f"http://127.0.0.1:{self.port}", f"http://localhost:{self.port}")
