"""The request body limit of the ASGI application (what holds under uvicorn, which streams a
body to the application): a body past the limit is answered 413 as it arrives, and the
application never gets it. (Under daphne the server itself refuses it first:
tests/integration/test_request_limits.py drives both servers.)"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from sessions.exports.portable_reader import MAX_BYTES
from workshop.limits import RequestBodyLimit, too_large_text

LIMIT = 1000


class Recorder:
    """An ASGI app that reads its whole body, as Django does, then answers 200."""

    def __init__(self) -> None:
        self.body = b""
        self.disconnected = False
        self.called = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.called = True
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                self.disconnected = True
                return
            self.body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def _request(
    app: Any, chunks: list[bytes], headers: list[tuple[bytes, bytes]] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Send ``chunks`` as the body; what the app answered and how many chunks it read."""
    scope = {"type": "http", "method": "POST", "path": "/import/", "headers": headers or []}
    pending = [
        {"type": "http.request", "body": chunk, "more_body": number < len(chunks) - 1}
        for number, chunk in enumerate(chunks)
    ]
    read = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read < len(pending):
            read += 1
            return pending[read - 1]
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent, read


async def test_a_body_within_the_limit_reaches_the_application() -> None:
    app = Recorder()
    sent, _ = await _request(RequestBodyLimit(app, LIMIT), [b"a" * 600, b"b" * 400])
    assert app.body == b"a" * 600 + b"b" * 400
    assert sent[0]["status"] == 200


async def test_a_streamed_body_is_refused_at_the_first_chunk_past_the_limit() -> None:
    app = Recorder()
    chunks = [b"a" * 600, b"b" * 600, b"c" * 600, b"d" * 600]
    sent, read = await _request(RequestBodyLimit(app, LIMIT), chunks)
    assert read == 2  # the rest is never read
    assert app.disconnected and app.body == b"a" * 600
    assert [message["type"] for message in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 413
    assert (b"connection", b"close") in sent[0]["headers"]
    assert sent[1]["body"] == too_large_text(LIMIT)


async def test_a_declared_length_past_the_limit_is_refused_before_the_body_is_read() -> None:
    app = Recorder()
    headers = [(b"content-length", b"1001")]
    sent, read = await _request(RequestBodyLimit(app, LIMIT), [b"a" * 1001], headers)
    assert (read, app.called) == (0, False)
    assert sent[0]["status"] == 413


def test_the_refusal_says_why_in_japanese_and_in_english() -> None:
    text = too_large_text(6 * 1024 * 1024).decode()
    assert "6 MB" in text
    assert "リクエスト" in text and "The request is larger than 6 MB" in text


def test_the_request_limit_leaves_room_for_the_largest_workshop_file() -> None:
    # The multipart form around the file (boundaries, the CSRF token) takes well under 64 KB.
    assert settings.MAX_REQUEST_BYTES >= MAX_BYTES + 64 * 1024
