"""How much one request may send, and the answer past it: nothing knocks the room over.

A request body is capped at ``settings.MAX_REQUEST_BYTES`` where it enters the process, before
it is read: daphne (``python -m workshop.server``) reads a body whole before the application
sees any of it, so daphne's own request refuses it (workshop/server.py); uvicorn streams bodies
to the application, so :class:`RequestBodyLimit` counts them as they come. The import view
then stops reading its upload at the import's own limit (sessions/views/home.py).

A WebSocket message is capped at :data:`WEBSOCKET_MAX_BYTES` by the server, which closes the
socket with 1009 (message too big) as soon as a frame's header announces more: daphne's frame
and message limits (workshop/server.py), uvicorn's ``--ws-max-size`` (the README's command,
sessions/management/server_process.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

# Browsers send a room's socket two small JSON frames (a heartbeat, a resync): a few dozen
# bytes (static/js/live.js). 64 KB leaves room for any frame a browser of the room may send
# one day, and keeps a hostile one from costing the server memory (daphne's default is 1 MB,
# uvicorn's 16 MB). What the server sends is not limited: a snapshot may be larger.
WEBSOCKET_MAX_BYTES = 64 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def too_large_text(max_bytes: int) -> bytes:
    """The 413's text, in Japanese and in English: it is answered before the request's language
    (its session, its cookie) is known."""
    megabytes = f"{round(max_bytes / (1024 * 1024), 1):g}"
    lines = []
    for language in ("ja", "en"):
        with translation.override(language):
            lines.append(
                gettext("The request is larger than %(mb)s MB: it was not read.")
                % {"mb": megabytes}
            )
    return ("\n".join(lines) + "\n").encode()


def too_large_headers(body: bytes) -> list[tuple[bytes, bytes]]:
    # Connection: close, because the rest of the body is never read: the connection cannot
    # carry another request after it.
    return [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]


def declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class RequestBodyLimit:
    """ASGI middleware: a request body past ``max_bytes`` is answered 413 as it streams in.

    A declared Content-Length past the limit is refused before anything is read; a body without
    one (chunked) is counted chunk by chunk and refused at the first chunk past the limit. The
    application then receives ``http.disconnect`` (Django drops the request quietly) and
    whatever it still sends is dropped: the 413 is the answer.

    This is what holds under uvicorn, which hands the application each chunk as it arrives.
    Under daphne the server has already refused such a body (workshop/server.py); this only
    repeats the check, at no cost.
    """

    def __init__(self, application: ASGIApp, max_bytes: int) -> None:
        self.application = application
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.application(scope, receive, send)
            return
        length = declared_length(scope.get("headers", []))
        if length is not None and length > self.max_bytes:
            await self._refuse(send)
            return

        received = 0
        refused = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = True
                    if not started:
                        await self._refuse(send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.application(scope, limited_receive, guarded_send)

    async def _refuse(self, send: Send) -> None:
        body = too_large_text(self.max_bytes)
        headers = too_large_headers(body)
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
