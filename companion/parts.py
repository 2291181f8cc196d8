"""The composition root: every part of a running companion, built once, in one place.

`rapport serve` builds them and hands the same objects to the HTTP app and to the live-event server,
so there is one token store, one set of dashboard logins, one pairing queue and one event bus.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.access.logins import DashboardLogins
from companion.access.pairing import Pairing
from companion.access.tokens import TokenStore
from companion.config import Config
from companion.domain import events
from companion.domain.archive_jobs import ArchiveJobs
from companion.domain.events import EventBus
from companion.domain.service import Rapport
from companion.store.database import Store


@dataclass(frozen=True)
class Parts:
    config: Config
    store: Store
    service: Rapport
    tokens: TokenStore
    logins: DashboardLogins
    pairing: Pairing
    bus: EventBus
    archive_jobs: ArchiveJobs


def build(config: Config, store: Store) -> Parts:
    """The parts over an open store; the config names the real ports already."""
    bus = EventBus()
    events.connect(store, bus)  # every committed change is announced on the bus
    tokens = TokenStore(config.data_dir)
    service = Rapport(store)
    service.reader.start()  # kept posts are read in the background, right after the ingest that kept them
    return Parts(config=config, store=store, service=service, tokens=tokens,
                 logins=DashboardLogins(config.data_dir), pairing=Pairing(config.data_dir, tokens, bus=bus), bus=bus,
                 archive_jobs=ArchiveJobs(service, config.data_dir))
