"""The live-event websocket server: its own port on 127.0.0.1, built on the `websockets` library.

Before anything is sent: the Host must be this server's, the Origin (when a browser sends one) the
dashboard's or an extension's, and the client's first message must be {"type": "auth", "token": ...}
with a valid token, unless the handshake came from the dashboard's origin with a valid dashboard
session cookie (browsers send cookies for 127.0.0.1 to every port). Then it receives {"type": "ready"}
and every event of shared_schema/live-event.schema.json as it happens. Clients that fall too far
behind are disconnected, and so is a dashboard whose session has ended.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from http.cookies import CookieError, SimpleCookie
from typing import Any

import orjson
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from companion.access.logins import DashboardLogins
from companion.access.tokens import TokenStore
from companion.config import HOST, Config
from companion.domain import clock
from companion.domain.events import Event, EventBus

from .guards import host_allowed, origin_allowed
from .sessions import cookie_name

AUTH_TIMEOUT_S = 5
MAX_BACKLOG = 1000  # event lists waiting for one client
UNAUTHORIZED = 4401  # private-use close codes (4000-4999)
TOO_SLOW = 4429


class LiveServer:
    def __init__(self, config: Config, tokens: TokenStore, bus: EventBus,
                 logins: DashboardLogins | None = None) -> None:
        self.config = config
        self.tokens = tokens
        self.bus = bus
        self.logins = logins
        # Connections let in by a dashboard session cookie, with that session's secret; the others
        # with their client's token. Both are checked again before each send: a session that ended
        # or a token revoked while connected stops the events.
        self._by_session: weakref.WeakKeyDictionary[ServerConnection, str] = weakref.WeakKeyDictionary()
        self._by_token: weakref.WeakKeyDictionary[ServerConnection, str] = weakref.WeakKeyDictionary()
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._server: Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="rapport-live", daemon=True)

    def start(self, port: int, avoid: int | None = None) -> int:
        """Listen on 127.0.0.1:`port` (0: any free one but `avoid`, the API's port, which is not bound yet);
        returns the port."""
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(port, avoid), self._loop)
        self.port = future.result(timeout=10)
        return self.port

    async def _listen(self, port: int, avoid: int | None) -> int:
        for _attempt in range(10):
            self._server = await serve(self._session, HOST, port, process_request=self._check, max_size=16 * 1024,
                                       compression=None, server_header=None)
            bound: int = self._server.sockets[0].getsockname()[1]
            if port or bound != avoid:
                break
            self._server.close()  # the system handed out the API's port: another one
            await self._server.wait_closed()
        return bound

    def stop(self) -> None:
        if self._server is not None:
            async def close() -> None:
                self._server.close()
                await self._server.wait_closed()

            asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    # -- before the handshake completes: who may connect ----------------------------------------------
    def _check(self, connection: ServerConnection, request: Request) -> Response | None:
        # The same policy as the HTTP API's (guards.py), on this server's own port.
        if not host_allowed(request.headers.get("Host"), self.port):
            return _refuse(connection, "this server answers only to 127.0.0.1 and localhost on its own port")
        origin = request.headers.get("Origin")
        if not origin_allowed(origin, self.config):
            return _refuse(connection, f"connections from {origin} are not allowed")
        secret = _cookie(request.headers.get("Cookie"), cookie_name(self.config.port))
        if self.logins is not None and origin in self.config.dashboard_origins and self.logins.session_valid(secret):
            self._by_session[connection] = secret  # type: ignore[assignment]
        return None

    # -- one client ------------------------------------------------------------------------------------
    async def _session(self, connection: ServerConnection) -> None:
        if not await self._authenticate(connection):
            return
        backlog: asyncio.Queue[list[Event]] = asyncio.Queue(maxsize=MAX_BACKLOG)
        loop = asyncio.get_running_loop()

        closing: set[asyncio.Task[None]] = set()

        def enqueue(events: list[Event]) -> None:
            try:
                backlog.put_nowait(events)
            except asyncio.QueueFull:
                task = loop.create_task(connection.close(TOO_SLOW, "too far behind: reconnect and reload"))
                closing.add(task)
                task.add_done_callback(closing.discard)

        # Called on the writers' threads: hand the events over to this loop.
        unsubscribe = self.bus.subscribe(lambda events: loop.call_soon_threadsafe(enqueue, events))
        sender = asyncio.create_task(self._send(connection, backlog))
        try:
            await connection.send(orjson.dumps({"type": "ready", "at": clock.now()}).decode())
            async for _ in connection:  # clients have nothing more to say; reading notices the close
                pass
        except ConnectionClosed:
            pass
        finally:
            unsubscribe()
            sender.cancel()

    async def _authenticate(self, connection: ServerConnection) -> bool:
        if connection in self._by_session:
            return True
        try:
            first: Any = orjson.loads(await asyncio.wait_for(connection.recv(), AUTH_TIMEOUT_S))
        except (TimeoutError, orjson.JSONDecodeError, ConnectionClosed, TypeError):
            first = None
        token = first.get("token") if isinstance(first, dict) and first.get("type") == "auth" else None
        if isinstance(token, str) and self.tokens.verify(token) is not None:
            self._by_token[connection] = token
            return True
        await connection.close(UNAUTHORIZED, 'send {"type": "auth", "token": "<token>"} first')
        return False

    async def _send(self, connection: ServerConnection, backlog: asyncio.Queue[list[Event]]) -> None:
        try:
            while True:
                events = await backlog.get()
                secret = self._by_session.get(connection)
                if secret is not None and not self.logins.session_valid(secret):  # type: ignore[union-attr]
                    await connection.close(UNAUTHORIZED, "the dashboard session ended: sign in again")
                    return
                token = self._by_token.get(connection)
                if token is not None and self.tokens.verify(token) is None:
                    await connection.close(UNAUTHORIZED, "this client's token was revoked: pair again")
                    return
                for event in events:
                    await connection.send(orjson.dumps(event).decode())
        except ConnectionClosed:
            pass


def _cookie(header: str | None, name: str) -> str | None:
    try:
        morsel = SimpleCookie(header or "").get(name)
    except CookieError:
        return None
    return morsel.value if morsel else None


def _refuse(connection: ServerConnection, message: str) -> Response:
    return connection.respond(403, message + "\n")
