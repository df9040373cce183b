"""An oversized request body is refused before the server reads it: a 60 MB upload to /import/
is answered 413 within seconds, on daphne (as scripts/serve.sh runs it) and on uvicorn, and the
server's memory does not grow by the upload.

Anyone who can reach the home page can post to /import/: one large upload must not knock the
room's only server process over. The test never holds the upload either: it sends the same
1 MB block again and again, and stops as soon as the server has answered (as browsers do).
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from sessions.management.server_process import SERVERS, ServerProcess, migrate, server_env
from sessions.management.web_client import Browser

MB = 1024 * 1024
UPLOAD_MB = 60
# What the server may gain while refusing: socket buffers and the first chunks, not the upload.
GROWTH_LIMIT_MB = 30
ANSWER_WITHIN_S = 10.0
BOUNDARY = "gyakusan-edge-boundary"


@pytest.fixture(scope="module", params=SERVERS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    database = tmp_path_factory.mktemp("db") / "limits.sqlite3"
    env = server_env(SQLITE_PATH=str(database), DATABASE_URL="", REDIS_URL="")
    migrate(env)
    with ServerProcess(request.param, env) as running:
        yield running


@dataclass(frozen=True)
class Answer:
    status: int
    text: str
    seconds: float
    sent_mb: float


def _file_chunks(size: int) -> Iterator[bytes]:
    """``size`` bytes of a "workshop file", 1 MB at a time, from one reused block."""
    block = b" " * MB
    while size > 0:
        yield block[:size]
        size -= min(size, MB)


def _multipart(file_chunks: Iterable[bytes]) -> Iterator[bytes]:
    yield (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="workshop.json"\r\n'
        "Content-Type: application/json\r\n\r\n"
    ).encode()
    yield from file_chunks
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def _multipart_length(file_size: int) -> int:
    return sum(len(part) for part in _multipart([b""])) + file_size


def _read_answer(sock: socket.socket, deadline: float) -> bytes:
    """The server's answer, up to its closing or a few KB (enough for the status and text)."""
    received = b""
    while len(received) < 64 * 1024:
        sock.settimeout(max(deadline - time.monotonic(), 0.01))
        try:
            data = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not data:
            break
        received += data
        if b"</html>" in received.lower() or b"0\r\n\r\n" in received:
            break
    return received


def _post_import(server: ServerProcess, file_size: int, *, chunked: bool) -> Answer:
    """POST a workshop file of ``file_size`` bytes to /import/ over a raw socket, with Django's
    CSRF cookie and header; stop sending as soon as the server answers."""
    browser = Browser(server.url)
    browser.get("/join/")  # the CSRF cookie
    token = browser.cookie("csrftoken")
    address = urlsplit(server.url)
    host, port = address.hostname or "127.0.0.1", address.port or 80
    framing = (
        "Transfer-Encoding: chunked"
        if chunked
        else (f"Content-Length: {_multipart_length(file_size)}")
    )
    head = (
        f"POST /import/ HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Cookie: csrftoken={token}\r\nX-CSRFToken: {token}\r\n"
        f"{framing}\r\nConnection: close\r\n\r\n"
    ).encode()
    started = time.monotonic()
    deadline = started + 60
    sent = 0
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(head)
        try:
            for chunk in _multipart(_file_chunks(file_size)):
                if select.select([sock], [], [], 0)[0]:
                    break  # the server has answered: the rest is not wanted
                if chunked:
                    sock.sendall(b"%x\r\n" % len(chunk))
                    sock.sendall(chunk)
                    sock.sendall(b"\r\n")
                else:
                    sock.sendall(chunk)
                sent += len(chunk)
            else:
                if chunked:
                    sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed its end after answering; the answer is still to read
        received = _read_answer(sock, deadline)
    seconds = time.monotonic() - started
    status_line = received.split(b"\r\n", 1)[0].split()
    status = int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else 0
    return Answer(status, received.decode(errors="replace"), seconds, sent / MB)


class PeakRss:
    """The server's resident memory, sampled every 10 ms while the block runs."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.before = server.rss_mb()
        self.peak = self.before
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(0.01):
            self.peak = max(self.peak, self.server.rss_mb())

    def __enter__(self) -> PeakRss:
        self._sampler.start()
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.3)  # whatever the server still does with what it got
        self._done.set()
        self._sampler.join()
        self.peak = max(self.peak, self.server.rss_mb())

    @property
    def growth(self) -> float:
        return self.peak - self.before


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_60_mb_upload_is_refused_with_413_before_it_is_read(
    server: ServerProcess, chunked: bool
) -> None:
    # A small file first: what the import view needs is loaded before memory is measured.
    assert _post_import(server, 1024, chunked=chunked).status == 400
    with PeakRss(server) as rss:
        answer = _post_import(server, UPLOAD_MB * MB, chunked=chunked)
    print(
        f"{server.server} ({'chunked' if chunked else 'content-length'}): {answer.status} after "
        f"{answer.seconds:.2f}s, {answer.sent_mb:.0f} MB sent; RSS {rss.before:.0f} MB -> "
        f"peak {rss.peak:.0f} MB (+{rss.growth:.0f} MB)"
    )
    assert answer.status == 413, answer.text[:500]
    assert answer.seconds < ANSWER_WITHIN_S
    assert answer.sent_mb < UPLOAD_MB  # refused before all of it was sent, let alone read
    assert rss.growth < GROWTH_LIMIT_MB
    assert "Traceback" not in server.output()


def test_a_file_just_over_the_import_limit_is_refused_with_the_reason(
    server: ServerProcess,
) -> None:
    """Between the import's 5 MB and the server's cap: the import view refuses it, in the
    user's language (Japanese by default)."""
    answer = _post_import(server, 5 * MB + 1, chunked=False)
    assert answer.status == 413, answer.text[:500]
    assert "5 MB" in answer.text
