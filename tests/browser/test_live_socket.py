"""What live.js does with its socket: what it asks the server for, and when."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, WebSocketRoute, expect

from sessions.management.server_process import ServerProcess
from tests.browser.conftest import create_workshop, join_workshop

ROOM_SOCKET = re.compile(r"/ws/rooms/")
# A push far ahead of anything the page has seen: a gap, which asks for a snapshot.
GAP = '<div id="live-seq" data-seq="1000000" hidden hx-swap-oob="true"></div>'


def _wait_until(page: Page, condition: Callable[[], bool], timeout_ms: int = 5000) -> None:
    """Let the page run (and Playwright deliver its socket frames) until ``condition`` holds."""
    for _ in range(timeout_ms // 50):
        if condition():
            return
        page.wait_for_timeout(50)
    assert condition()


def test_the_page_never_asks_for_a_second_snapshot_while_one_is_on_its_way(
    server: ServerProcess, new_context: Any
) -> None:
    console = new_context().new_page()
    code = create_workshop(console, server.url, title="再同期", team="確認チーム")
    page = new_context().new_page()
    upstreams: list[WebSocketRoute] = []
    asked: list[str] = []  # the resync frames the page sent, held back from the server
    sockets: list[WebSocketRoute] = []

    def route(socket: WebSocketRoute) -> None:
        upstream = socket.connect_to_server()

        def from_page(frame: str | bytes) -> None:
            if '"resync"' in str(frame):
                asked.append(str(frame))
            else:
                upstream.send(frame)

        socket.on_message(from_page)
        sockets.append(socket)
        upstreams.append(upstream)

    page.route_web_socket(ROOM_SOCKET, route)
    join_workshop(page, server.url, code, "山田 花子")
    # The first heartbeat's answer comes after the snapshot of the connection: both are in.
    page.wait_for_function("window.GyakusanClock.offset !== null")

    sockets[-1].send(GAP)
    _wait_until(page, lambda: len(asked) == 1)
    # More gaps, over longer than the old retry (every 3 s): the answer is still on its way.
    sockets[-1].send(GAP)
    page.wait_for_timeout(3500)
    sockets[-1].send(GAP)
    page.wait_for_timeout(300)
    assert len(asked) == 1, asked

    # The server answers (with the page's sequence); the next gap asks again, on the same socket.
    upstreams[-1].send(asked[0])
    page.wait_for_timeout(500)
    sockets[-1].send(GAP)
    _wait_until(page, lambda: len(asked) == 2)
    assert len(sockets) == 1
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")
