"""The live-event websocket server of a real `rapport serve`: checks before anything is sent, then events."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from companion.schema import validate
from tests.conftest import Companion, batch, tweet


@contextmanager
def listen(companion: Companion, **kw: Any) -> Iterator[Any]:
    """An authenticated connection that has received 'ready'."""
    with connect(companion.live_url, open_timeout=5, **kw) as ws:
        ws.send(json.dumps({"type": "auth", "token": companion.token}))
        ready = json.loads(ws.recv(timeout=5))
        validate("live-event", ready)
        assert ready["type"] == "ready"
        yield ws


def next_events(ws: Any, count: int) -> list[dict[str, Any]]:
    events = [json.loads(ws.recv(timeout=5)) for _ in range(count)]
    for event in events:
        validate("live-event", event)
    return events


def test_an_edit_through_the_api_reaches_a_listener_at_once(companion: Companion) -> None:
    companion.post("/people", {"handle": "alice"})
    with listen(companion) as ws:
        assert companion.patch("/people/alice", {"notes": {"books": "Dune"}}).status_code == 200
        (event,) = next_events(ws, 1)
        assert event["type"] == "person.updated" and event["key"] == "alice"
        assert event["badge"]["notes"] == "Reading: Dune"


def test_an_ingest_announces_new_people_their_interactions_and_stage_changes(companion: Companion) -> None:
    with listen(companion) as ws:
        companion.post("/ingest", batch(tweets=[tweet("1", "alice", reply_to=["me"])]))
        created, added = next_events(ws, 2)
        # One transaction: the person arrives already at the stage its evidence gives.
        assert (created["type"], created["handle"], created["badge"]["stage"]) == ("person.created", "alice", 1)
        assert added["type"] == "interaction.added" and added["interaction"]["url"] == "https://x.com/alice/status/1"
        dm = {"with": ["alice"], "last_message_at": "2026-11-02T08:00:00Z"}
        companion.post("/ingest", batch(dm_conversations=[dm]))
        events = {e["type"]: e for e in next_events(ws, 3)}
        assert set(events) == {"person.updated", "stage.changed", "interaction.added"}
        assert (events["stage.changed"]["from"], events["stage.changed"]["to"]) == (1, 2)
        assert events["person.updated"]["badge"]["stage_name"] == "Direct messages"


def test_a_refused_change_announces_nothing_and_pairing_requests_are_announced(companion: Companion) -> None:
    with listen(companion) as ws:
        assert companion.patch("/people/nobody", {"notes": {"books": "x"}}).status_code == 404
        assert companion.post("/ingest", {"page": "not a page"}).status_code == 400
        asked = requests.post(companion.url("/pair"), json={"client_name": "Firefox"}, timeout=5).json()
        (event,) = next_events(ws, 1)
        assert event == {"type": "pairing.requested", "at": event["at"], "code": asked["code"],
                         "client_name": "Firefox"}


def test_a_token_revoked_while_connected_gets_no_more_events(companion: Companion) -> None:
    from companion.access.tokens import TokenStore

    client, token = TokenStore(companion.data_dir).create("soon revoked")
    with connect(companion.live_url, open_timeout=5) as ws:
        ws.send(json.dumps({"type": "auth", "token": token}))
        assert json.loads(ws.recv(timeout=5))["type"] == "ready"
        companion.post("/people", {"handle": "before"})
        assert next_events(ws, 1)[0]["handle"] == "before"
        TokenStore(companion.data_dir).revoke(client["id"])
        companion.post("/people", {"handle": "after"})
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


def test_nothing_is_sent_before_a_valid_token(companion: Companion) -> None:
    for first in (json.dumps({"type": "auth", "token": "wrong"}), "not json", json.dumps({"type": "hello"})):
        with connect(companion.live_url, open_timeout=5) as ws:
            ws.send(first)
            companion.post("/people", {"handle": "eve"})
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=5)  # the first thing that comes is the close, no event
            assert closed.value.rcvd.code == 4401


def test_foreign_origins_and_hosts_are_refused_at_the_handshake(companion: Companion) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(companion.live_url, open_timeout=5, origin="https://evil.example")
    assert refused.value.response.status_code == 403
    with listen(companion, origin=f"http://127.0.0.1:{companion.port}"):
        pass  # the dashboard's own origin is fine
    with listen(companion, origin="moz-extension://4b1e-uuid"):
        pass  # so is an extension (with its token)
    port = int(companion.live_url.rsplit(":", 1)[1].strip("/"))
    for host in ("evil.example", f"evil.example:{port}", ""):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            raw.sendall((f"GET / HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
            assert raw.recv(4096).startswith(b"HTTP/1.1 403"), host


def test_health_tells_where_the_live_server_listens(companion: Companion) -> None:
    answer = requests.get(companion.url("/health"), timeout=5).json()
    validate("health", answer)
    assert isinstance(answer["live_port"], int) and answer["live_port"] != companion.port
