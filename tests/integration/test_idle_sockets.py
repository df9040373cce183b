"""Scale-out sockets survive silence: two daphne processes on PostgreSQL and Redis, participants'
WebSockets left idle for longer than every timeout between them and the channel layer, and not
one of them is dropped; the facilitator's next step still reaches them all.

A room is quiet for minutes at a time (everyone writing on paper, a long discussion): an idle
socket must not close with 1011 because the channel layer's wait for a message ran out.
Skips where PostgreSQL or Redis is not reachable, unless GYAKUSAN_REQUIRE_SERVICES=true.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from sessions.management.commands.bench_live import SEQ
from sessions.management.server_process import ServerProcess, migrate, server_env
from sessions.management.web_client import Browser
from tests.services import fresh_database, scaleout_services

PARTICIPANTS = 6
# Longer than every timeout on the way: Redis' 5 s read timeout and channels_redis' 5 s
# BZPOPMIN, daphne's keepalive ping (every 20 s, 30 s for the answer), the websockets client's
# ping (20 s + 20 s) and the channel layer's 30 s message expiry.
IDLE_S = 35.0
LOG_TROUBLE = re.compile(r"Traceback|ERROR|Exception")


@pytest.fixture(scope="module")
def two_daphnes() -> Iterator[tuple[ServerProcess, ServerProcess]]:
    database_url, redis_url = scaleout_services()
    with fresh_database(database_url, "gyakusan_idle") as fresh:
        env = server_env(DATABASE_URL=fresh, REDIS_URL=redis_url)
        migrate(env)
        with ServerProcess("daphne", env) as first, ServerProcess("daphne", env) as second:
            yield first, second


def _participant_socket(
    sockets: ExitStack, server: ServerProcess, code: str, name: str
) -> ClientConnection:
    browser = Browser(server.url)
    browser.post("/join/", {"code": code, "display_name": name})
    connection = connect(
        f"{server.url.replace('http', 'ws', 1)}/ws/rooms/{code}/participant/",
        origin=Origin(server.url),
        proxy=None,
        additional_headers=browser.socket_headers(),
        max_size=None,
    )
    socket = sockets.enter_context(connection)
    assert "data-snapshot" in str(socket.recv(timeout=10))
    return socket


def _closed_while_idle(sockets: list[ClientConnection], seconds: float) -> list[str]:
    """Listen without sending for ``seconds``; how each socket that closed meanwhile closed.
    Pushes may arrive (someone else joining): that is not a close."""
    deadline = time.monotonic() + seconds
    closed: dict[int, str] = {}
    while time.monotonic() < deadline and not closed:
        for number, socket in enumerate(sockets):
            try:
                socket.recv(timeout=0.2)
            except TimeoutError:
                pass
            except ConnectionClosed as close:
                elapsed = seconds - (deadline - time.monotonic())
                closed[number] = f"socket {number} closed after {elapsed:.1f}s: {close}"
    return list(closed.values())


def _until_seq(socket: ClientConnection, wanted: int, timeout: float) -> str:
    """Read pushes until one carries sequence number ``wanted`` (or later); that push."""
    deadline = time.monotonic() + timeout
    while True:
        message = str(socket.recv(timeout=max(deadline - time.monotonic(), 0.01)))
        found = SEQ.match(message)
        if found and int(found.group(1)) >= wanted:
            return message


def test_idle_sockets_on_two_processes_stay_open_and_still_get_the_next_step(
    two_daphnes: tuple[ServerProcess, ServerProcess],
) -> None:
    first, second = two_daphnes
    facilitator = Browser(first.url)
    console = facilitator.post(
        "/", {"title": "静かな部屋", "team_name": "待機チーム", "language": "ja"}
    )
    code = re.search(r"/w/(\w+)/facilitate/$", console).group(1)  # type: ignore[union-attr]
    servers = [first, second]
    with ExitStack() as stack:
        sockets = [
            _participant_socket(stack, servers[number % 2], code, f"待機 {number}")
            for number in range(PARTICIPANTS)
        ]
        started = time.monotonic()
        closed = _closed_while_idle(sockets, IDLE_S)
        held = time.monotonic() - started
        print(f"{PARTICIPANTS} sockets held idle for {held:.1f}s on two daphne processes")
        assert closed == [], closed

        seq = int(facilitator.post(f"/w/{code}/facilitate/step/", {"action": "next"}, htmx=True))
        for socket in sockets:
            assert "顧客は誰か？" in _until_seq(socket, seq, timeout=10)
    for server in servers:
        trouble = [line for line in server.output().splitlines() if LOG_TROUBLE.search(line)]
        assert trouble == [], f"{server.server} on {server.url} logged:\n" + "\n".join(trouble)
