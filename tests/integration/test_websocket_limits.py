"""A WebSocket message past 64 KB closes the socket with 1009 (message too big), on daphne (as
scripts/serve.sh runs it) and on uvicorn; the heartbeats browsers send still get their answer.

A room's socket only ever receives two tiny JSON frames: a larger one is not a browser of the
room, and must not cost the server memory (daphne accepted 1 MB, uvicorn 16 MB).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from sessions.management.server_process import SERVERS, ServerProcess, migrate, server_env
from sessions.management.web_client import Browser
from tests.services import seed_demo

HEARTBEAT = '{"type": "ping"}'


@pytest.fixture(scope="module", params=SERVERS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    database = tmp_path_factory.mktemp("db") / "frames.sqlite3"
    env = server_env(SQLITE_PATH=str(database), DATABASE_URL="", REDIS_URL="")
    migrate(env)
    with ServerProcess(request.param, env) as running:
        yield running


@pytest.fixture
def participant_socket(server: ServerProcess) -> Iterator[ClientConnection]:
    facilitator = Browser(server.url)
    console = facilitator.post(
        "/", {"title": "大きすぎる枠", "team_name": "境界チーム", "language": "ja"}
    )
    code = re.search(r"/w/(\w+)/facilitate/$", console).group(1)  # type: ignore[union-attr]
    participant = Browser(server.url)
    participant.post("/join/", {"code": code, "display_name": "境界 さん"})
    with connect(
        f"{server.url.replace('http', 'ws', 1)}/ws/rooms/{code}/participant/",
        origin=Origin(server.url),
        proxy=None,
        additional_headers=participant.socket_headers(),
        max_size=None,
    ) as socket:
        assert "data-snapshot" in str(socket.recv(timeout=10))
        yield socket


def _until_pong(socket: ClientConnection) -> str:
    while True:
        message = str(socket.recv(timeout=10))
        if 'id="live-pong"' in message:
            return message


def test_a_heartbeat_is_answered_and_a_100_kb_frame_closes_the_socket_with_1009(
    server: ServerProcess, participant_socket: ClientConnection
) -> None:
    participant_socket.send(HEARTBEAT)
    assert "data-server-now" in _until_pong(participant_socket)

    participant_socket.send('{"type": "ping", "padding": "' + "x" * 100 * 1024 + '"}')
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            participant_socket.recv(timeout=10)
    assert closed.value.rcvd is not None, closed.value
    assert closed.value.rcvd.code == 1009, closed.value


def test_the_rooms_messages_travel_compressed(participant_socket: ClientConnection) -> None:
    """permessage-deflate, as every browser offers it: a push is a tenth of its size on the wire.
    (The 100 KB frame above is compressed as well: the limit holds for what it inflates to.)"""
    assert participant_socket.response is not None
    extensions = participant_socket.response.headers.get("Sec-WebSocket-Extensions", "")
    assert extensions.startswith("permessage-deflate"), extensions


def test_a_frame_under_64_kb_is_still_read(
    server: ServerProcess, participant_socket: ClientConnection
) -> None:
    # Under the server's limit the socket stays open; the room's pipe itself ignores a frame
    # no browser of the room would send (sessions/consumers.py), so a heartbeat after it is
    # what gets the answer.
    participant_socket.send('{"type": "ping", "padding": "' + "x" * 60 * 1024 + '"}')
    participant_socket.send(HEARTBEAT)
    assert "data-server-now" in _until_pong(participant_socket)
    assert "Traceback" not in server.output()


def test_the_limit_is_on_what_a_browser_sends_not_on_the_room_it_receives(
    server: ServerProcess, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A whole room (the demo workshop: 117 notes) is far past 64 KB, and must still arrive."""
    demo = seed_demo(server.env)
    facilitator = Browser(server.url)
    facilitator.get(demo.facilitator_link)
    step = {"action": "goto", "step": "define-grouping"}  # both problem boards, revealed
    facilitator.post(f"/w/{demo.code}/facilitate/step/", step)
    participant = Browser(server.url)
    participant.post("/join/", {"code": demo.code, "display_name": "大きな部屋 さん"})
    for browser, role in ((facilitator, "facilitator"), (participant, "participant")):
        with connect(
            f"{server.url.replace('http', 'ws', 1)}/ws/rooms/{demo.code}/{role}/",
            origin=Origin(server.url),
            proxy=None,
            additional_headers=browser.socket_headers(),
            max_size=None,
        ) as socket:
            snapshot = str(socket.recv(timeout=10))
            assert "data-snapshot" in snapshot
            assert len(snapshot.encode()) > 64 * 1024, len(snapshot.encode())
    assert "PayloadExceededError" not in server.output()
