"""What live.js does with its socket: what it asks the server for, and when."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from sessions.management.server_process import ServerProcess, migrate, server_env
from tests.browser.conftest import create_workshop, join_workshop

ROOM_SOCKET = re.compile(r"/ws/rooms/")
# A push far ahead of anything the page has seen: a gap, which asks for a snapshot.
GAP = '<div id="live-seq" data-seq="1000000" hidden hx-swap-oob="true"></div>'
# How long the server stays down, and a generous bound on how soon pages are back afterwards
# (the figure is printed: reconnecting takes a second or two).
OUTAGE_MS = 12_000
BACK_WITHIN_MS = 10_000


def _wait_until(page: Page, condition: Callable[[], bool], timeout_ms: int = 5000) -> None:
    """Let the page run (and Playwright deliver its socket frames) until ``condition`` holds."""
    for _ in range(timeout_ms // 50):
        if condition():
            return
        page.wait_for_timeout(50)
    assert condition()


def _hold_back_resyncs(
    page: Page,
) -> tuple[list[str], list[WebSocketRoute], list[WebSocketRoute]]:
    """Route the page's room sockets through the test: the resync frames the page sends are
    kept (``asked``) instead of reaching the server; the test plays the server's part with
    ``sockets[-1].send`` and forwards a resync with ``upstreams[-1].send``."""
    asked: list[str] = []
    sockets: list[WebSocketRoute] = []
    upstreams: list[WebSocketRoute] = []

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
    return asked, sockets, upstreams


def test_the_page_never_asks_for_a_second_snapshot_while_one_is_on_its_way(
    server: ServerProcess, new_context: Any
) -> None:
    console = new_context().new_page()
    code = create_workshop(console, server.url, title="再同期", team="確認チーム")
    page = new_context().new_page()
    asked, sockets, upstreams = _hold_back_resyncs(page)
    join_workshop(page, server.url, code, "山田 花子")
    # The first heartbeat's answer comes after the snapshot of the connection: both are in.
    # (Polled from here: wait_for_function evaluates its string inside the page, which the
    # Content-Security-Policy refuses as eval once it has to poll.)
    _wait_until(page, lambda: page.evaluate("window.GyakusanClock.offset !== null"))

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


def _note_push(seq: int, text: str, *, first: int | None = None) -> str:
    """A push as the server sends a new note (room.html#seq, then the note at the end of its
    cell's list), for a note the server does not have."""
    since = f' data-from="{first}"' if first else ""
    note = uuid.uuid4()
    return (
        f'<div id="live-seq" data-seq="{seq}"{since} hidden hx-swap-oob="true"></div>'
        '<div hx-swap-oob="beforeend:#loose-customer-customer-facts" data-change>'
        f'<article class="note" id="note-{note}" data-note="{note}" data-author="0">'
        f'<p class="note-text">{text}</p></article></div>'
    )


def test_a_push_that_comes_ahead_of_a_missing_one_waits_for_it_without_a_snapshot(
    server: ServerProcess, new_context: Any
) -> None:
    """Two servers (or two writes committed at once) may deliver out of order: the later push
    waits for the missing one, then both are shown in order, and no snapshot is asked for.
    Only a push still missing after a moment makes the page ask."""
    console = new_context().new_page()
    code = create_workshop(console, server.url, title="順番", team="確認チーム")
    for title in ("顧客は誰か？", "顧客について何を知っているか？", "顧客ボードを共有する"):
        console.locator("#step-next").click()  # one step at a time, as a facilitator clicks
        expect(console.locator("#step h1")).to_have_text(title)
    page = new_context().new_page()
    asked, sockets, upstreams = _hold_back_resyncs(page)
    join_workshop(page, server.url, code, "山田 花子")
    _wait_until(page, lambda: page.evaluate("window.GyakusanClock.offset !== null"))
    seq = int(page.locator("#live-seq").get_attribute("data-seq") or 0)
    cell = page.locator("#loose-customer-customer-facts .note")

    sockets[-1].send(_note_push(seq + 3, "三枚目", first=seq + 2))  # events 2 and 3, coalesced
    page.wait_for_timeout(300)
    expect(cell).to_have_count(0)  # waiting for event 1
    sockets[-1].send(_note_push(seq + 1, "一枚目"))
    expect(cell).to_have_text(["一枚目", "三枚目"])
    page.wait_for_timeout(2000)
    assert asked == []

    sockets[-1].send(_note_push(seq + 5, "五枚目"))  # event 4 never comes
    page.wait_for_timeout(500)
    expect(cell).to_have_count(2)
    _wait_until(page, lambda: len(asked) == 1)
    upstreams[-1].send(asked[0])
    expect(cell).to_have_count(0)  # the snapshot: what the server has, which is none of these


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[ServerProcess]:
    """A daphne of this test's own, on a port that stays the same when it is started again."""
    env = server_env(SQLITE_PATH=str(tmp_path / "restart.sqlite3"), DATABASE_URL="", REDIS_URL="")
    migrate(env)
    with ServerProcess("daphne", env) as running:
        yield running


def test_a_restarted_server_is_seen_within_seconds_and_the_room_goes_on(
    restartable: ServerProcess, new_context: Any
) -> None:
    console = new_context(1440, 900).new_page()
    code = create_workshop(console, restartable.url, title="再起動", team="確認チーム")
    hanako = new_context().new_page()
    join_workshop(hanako, restartable.url, code, "山田 花子")
    # Every state the page shows from now on, in order.
    hanako.evaluate(
        """window.__states = [];
        window.__onlineAt = null;
        new MutationObserver(() => {
          var state = document.body.dataset.connection;
          window.__states.push(state);
          if (state === "online") window.__onlineAt = Date.now() / 1000;
        }).observe(document.body, { attributes: true, attributeFilter: ["data-connection"] });"""
    )

    # The server dies, as a crash would (SIGKILL: no close frame), and stays down a while: long
    # enough for the retries to back off as far as they go.
    assert restartable.process is not None
    restartable.process.kill()
    restartable.process.wait()
    expect(hanako.locator("#connection")).to_have_attribute("data-state", "offline")
    expect(hanako.locator(".connection-offline")).to_have_text("再接続しています…")
    expect(hanako.locator(".offline-banner")).to_be_visible()
    hanako.wait_for_timeout(OUTAGE_MS)

    started = time.time()
    restartable.start()
    answering = time.time()  # start() returns once the server answers an HTTP request
    expect(hanako.locator("#connection")).to_have_attribute(
        "data-state", "online", timeout=BACK_WITHIN_MS
    )
    # Same machine, same wall clock. Negative: the page was in before start()'s poll returned.
    online = hanako.evaluate("window.__onlineAt")
    print(
        f"\nrestart: server answered {answering - started:.2f}s after it was started; "
        f"the participant's page was online {online - answering:+.2f}s after that"
    )
    expect(console.locator("#connection")).to_have_attribute(
        "data-state", "online", timeout=BACK_WITHIN_MS
    )
    console.locator("#step-next").click()
    expect(hanako.locator("#step h1")).to_have_text("顧客は誰か？")

    # While it was down, the page said so steadily: no flicker to "connecting" at each retry.
    states = hanako.evaluate("window.__states")
    assert states[0] == "offline" and states[-1] == "online", states
    assert set(states[1:-1]) <= {"offline"}, states
    # And however long it is down, it tries again every 2 s at most (the extension's own
    # backoff doubles up to 64 s), the first retries sooner.
    delays = hanako.evaluate("[...Array(30).keys()].map((n) => htmx.config.wsReconnectDelay(n))")
    assert max(delays) <= 2000 and delays[0] <= 500, delays


def test_a_participant_beats_every_10_s_after_each_answer_and_a_silent_socket_is_replaced(
    server: ServerProcess, new_context: Any
) -> None:
    """The page's clock is Playwright's: seconds pass when the test says, frames really travel."""
    console = new_context().new_page()
    code = create_workshop(console, server.url, title="心拍", team="確認チーム")
    page = new_context().new_page()
    page.clock.install()
    pings: list[int] = []  # for each heartbeat, the socket it went out on
    pongs: list[str] = []
    sockets: list[WebSocketRoute] = []
    answering = True

    def route(socket: WebSocketRoute) -> None:
        upstream = socket.connect_to_server()
        number = len(sockets)

        def from_page(frame: str | bytes) -> None:
            if '"ping"' in str(frame):
                pings.append(number)
                if not answering:
                    return  # a connection that died without a word
            upstream.send(frame)

        def from_server(frame: str | bytes) -> None:
            if "live-pong" in str(frame):
                pongs.append(str(frame))
            socket.send(frame)

        socket.on_message(from_page)
        upstream.on_message(from_server)
        sockets.append(socket)

    page.route_web_socket(ROOM_SOCKET, route)
    join_workshop(page, server.url, code, "佐藤 一郎")
    _wait_until(page, lambda: len(pongs) == 1)  # the heartbeat on opening, answered
    # From here on the page's time moves only when the test moves it.
    page.clock.pause_at(page.evaluate("Date.now() / 1000") + 0.1)  # seconds, in Python

    for beat in range(2, 6):
        page.clock.run_for(8_500)  # not yet: 9–11 s after the last answer
        page.wait_for_timeout(200)
        assert len(pings) == beat - 1, pings
        page.clock.run_for(3_000)
        _wait_until(page, lambda: len(pongs) == beat)  # noqa: B023 - read at once

    # The server stops answering (and nothing closes): one beat, then 10 s of silence, and the
    # page gives up on that socket and opens a new one, which beats again.
    answering = False
    page.clock.run_for(11_500)
    _wait_until(page, lambda: len(pings) == 6)
    assert len(sockets) == 1
    answering = True
    page.clock.run_for(10_500)
    _wait_until(page, lambda: len(sockets) == 2 and pings[-1] == 1)
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")
