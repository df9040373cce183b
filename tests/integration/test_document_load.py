"""Generating PDFs never freezes the live room: a real server, five PDFs asked for at once, and a
participant's WebSocket gets the facilitator's step change while they are still being made. How
long it took is printed, not asserted: a latency is a benchmark's figure (bench_pdf, bench_live)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from sessions.management.commands.bench_live import SEQ
from sessions.management.server_process import ServerProcess, server_env
from sessions.management.web_client import Browser
from tests.services import SeededDemo, seed_demo

PDFS = 5


@pytest.fixture(scope="module")
def demo_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ServerProcess, SeededDemo]]:
    database = tmp_path_factory.mktemp("db") / "load.sqlite3"
    env = server_env(SQLITE_PATH=str(database), DATABASE_URL="", REDIS_URL="")
    seeded = seed_demo(env)
    with ServerProcess("daphne", env) as server:
        yield server, seeded
    # The test closes its socket just before: the write that follows must not hold the server.
    assert not server.killed, "the server did not stop on SIGTERM and had to be killed"


def _until_seq(socket: ClientConnection, wanted: int, timeout: float) -> float:
    """Read pushes until one carries sequence number ``wanted`` (or later); when it came."""
    deadline = time.monotonic() + timeout
    while True:
        message = str(socket.recv(timeout=max(deadline - time.monotonic(), 0.01)))
        found = SEQ.match(message)
        if found and int(found.group(1)) >= wanted:
            return time.perf_counter()


def test_a_step_change_arrives_while_five_pdfs_are_still_being_made(
    demo_server: tuple[ServerProcess, SeededDemo],
) -> None:
    server, seeded = demo_server
    code, link = seeded.code, seeded.facilitator_link
    facilitator = Browser(server.url)
    facilitator.get(link)
    participant = Browser(server.url)
    participant.post("/join/", {"code": code, "display_name": "計測 太郎"})
    socket = connect(
        f"{server.url.replace('http', 'ws', 1)}/ws/rooms/{code}/participant/",
        origin=Origin(server.url),
        proxy=None,
        additional_headers=participant.socket_headers(),
        max_size=None,
    )
    with socket:
        first = str(socket.recv(timeout=10))
        assert "data-snapshot" in first

        pdfs: list[bytes] = []

        def download() -> None:
            # One browser per download: the facilitator's link opened on five devices at once.
            browser = Browser(server.url)
            browser.get(link)
            pdfs.append(browser.download(f"/w/{code}/document.pdf", timeout=120))

        threads = [threading.Thread(target=download) for _ in range(PDFS)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # the PDFs are being laid out now
        started = time.perf_counter()
        seq = int(facilitator.post(f"/w/{code}/facilitate/step/", {"action": "prev"}, htmx=True))
        arrived = _until_seq(socket, seq, timeout=10)
        busy = sum(thread.is_alive() for thread in threads)  # PDFs still being made on arrival
        for thread in threads:
            thread.join(timeout=120)
    print(f"step change delivered in {arrived - started:.3f}s with {busy} PDFs in progress")
    assert busy > 0, "the step change arrived only once every PDF was done: the room waited"
    assert len(pdfs) == PDFS and all(body.startswith(b"%PDF") for body in pdfs)
