"""daphne as Gyakusan runs it (scripts/serve.sh, the test and benchmark servers): daphne's own
command line, with an access log that masks the facilitator's secret links, a request that
refuses an oversized body before reading it, and a room's WebSocket message limit. Run it as
``python -m workshop.server`` with daphne's arguments.

daphne writes its access log straight to a stream, not through Python's logging, so no logging
filter reaches it; the writer its command line builds the log with is swapped for one that
masks first.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import IO, Any

from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateOfferAccept
from daphne import cli
from daphne import server as daphne_server
from daphne.access import AccessLogGenerator
from daphne.http_protocol import HTTPFactory, WebRequest
from daphne.ws_protocol import WebSocketFactory, WebSocketProtocol
from django.conf import settings
from twisted.internet.base import DelayedCall

from workshop.limits import WEBSOCKET_MAX_BYTES, too_large_headers, too_large_text
from workshop.logs import mask_secret_links

logger = logging.getLogger("workshop.server")
# How long a refused request's client may go on sending before the connection is cut.
LINGER_S = 5.0


class MaskedAccessLog(AccessLogGenerator):
    def write_entry(
        self, host: str | None, date: datetime, request: str, *args: Any, **kwargs: Any
    ) -> None:
        super().write_entry(host, date, mask_secret_links(request), *args, **kwargs)


class LimitedRequest(WebRequest):
    """daphne's request, refusing a body past ``settings.MAX_REQUEST_BYTES`` as it arrives.

    daphne hands the application a body only once it has read all of it, so no check in Django
    or in an ASGI middleware runs before a 150 MB upload has been read. Twisted tells the
    request the declared length (``gotLength``) and then each piece of the body as it arrives
    (``handleContentChunk``): past the limit, the request answers 413 at once, the application
    never starts, and the rest of the body is never kept.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Otherwise Twisted parses a multipart or urlencoded body itself, into ``request.args``
        # that daphne never reads, through the email parser: about twelve times the body's
        # size in memory (a 60 MB upload took 700 MB, a 6 MB one 70 MB).
        kwargs["parsePOSTFormSubmission"] = False
        super().__init__(*args, **kwargs)
        self.body_bytes = 0
        self.refused = False
        self.linger: DelayedCall | None = None

    @property
    def max_bytes(self) -> int:
        return int(settings.MAX_REQUEST_BYTES)

    def gotLength(self, length: int | None) -> None:
        if length is not None and length > self.max_bytes:
            self.refuse()
            return
        super().gotLength(length)

    def handleContentChunk(self, data: bytes) -> None:
        if self.refused:
            return  # what was already read from the socket when the request refused
        # Counted for every body: a chunked one declares no length.
        self.body_bytes += len(data)
        if self.body_bytes > self.max_bytes:
            self.refuse()
            return
        super().handleContentChunk(data)

    def requestReceived(self, command: bytes, path: bytes, version: bytes) -> None:
        if self.refused:
            return  # the body's end came in the same read as the refusal: nothing to serve
        super().requestReceived(command, path, version)

    def refuse(self) -> None:
        self.refused = True
        # Twisted answers "100 Continue" to a client that expects it right after gotLength:
        # after a 413 that would invite the body it refuses.
        self.requestHeaders.removeHeader(b"Expect")
        spooled: IO[bytes] | None = getattr(self, "content", None)  # (Twisted's is untyped)
        if spooled is not None:
            spooled.close()  # the part already spooled to a temporary file
            self.content = None
        body = too_large_text(self.max_bytes)
        head = [b"HTTP/1.1 413 Content Too Large\r\n"]
        head += [name + b": " + value + b"\r\n" for name, value in too_large_headers(body)]
        # Written straight to the connection, as Twisted answers a malformed request: the
        # request line has not reached the request object yet (Twisted gives it the method
        # and the path only once the body is complete).
        channel = self.channel
        channel.writeSequence([*head, b"\r\n", body])
        peer = self.getClientAddress()
        logger.warning(
            "Refused a request body over %s bytes from %s",
            self.max_bytes,
            getattr(peer, "host", peer),
        )
        # A lingering close, as web servers do: closing while the client is still sending would
        # reset the connection, and a client busy sending (curl, for one) then reports the
        # reset instead of the 413. So the answer is followed by the end of our side, what the
        # client still sends is discarded as it arrives (read, never kept), and the connection
        # is cut after LINGER_S unless the client has closed it by then.
        channel.dataReceived = _discard
        transport = channel.transport
        # (A transport that cannot close one way only, if any, closes both.)
        getattr(transport, "loseWriteConnection", transport.loseConnection)()
        self.linger = channel.callLater(LINGER_S, transport.abortConnection)

    def connectionLost(self, reason: Any) -> None:
        if self.linger is not None and self.linger.active():
            self.linger.cancel()
        super().connectionLost(reason)


def _discard(data: bytes) -> None:
    """What a refused request's client still sends."""


class CommandLine(cli.CommandLineInterface):
    """daphne's command line, with a room's limits as its defaults (an argument still wins)."""

    def __init__(self) -> None:
        super().__init__()
        # daphne hands these to its autobahn factory (maxMessagePayloadSize,
        # maxFramePayloadSize), which closes a socket with 1009 at the first frame whose
        # header announces more, before reading its payload.
        self.parser.set_defaults(
            websocket_max_message_size=WEBSOCKET_MAX_BYTES,
            websocket_max_frame_size=WEBSOCKET_MAX_BYTES,
        )


class RoomWebSocketProtocol(WebSocketProtocol):
    """daphne's WebSocket protocol, with the message limit on what a browser sends only.

    autobahn applies ``maxMessagePayloadSize`` to the messages it sends as well: a room's
    snapshot (a board of a hundred notes is hundreds of KB) would fail to send and close the
    socket with 1011. The server's own pushes are not what the limit guards against, so it is
    lifted while one is sent (the reactor runs one thing at a time: nothing is received
    meanwhile).
    """

    def sendMessage(self, payload: bytes, *args: Any, **kwargs: Any) -> None:
        limit: int = getattr(self, "maxMessagePayloadSize", 0)  # set by autobahn's factory
        self.maxMessagePayloadSize = 0
        try:
            super().sendMessage(payload, *args, **kwargs)
        finally:
            self.maxMessagePayloadSize = limit


class ClosingWebSocketFactory(WebSocketFactory):
    """daphne's WebSocket factory, closing a failed socket with its reason instead of cutting it.

    autobahn drops the TCP connection on a protocol failure by default (``failByDrop``): the
    peer sees 1006, an abnormal closure with no reason, as if the network had failed. Without
    it, autobahn first sends a close frame with the code (1009 for a frame past the limit), so
    the client and its log know why; the closing handshake waits at most autobahn's
    ``closeHandshakeTimeout`` (1 s), and what the peer still sends meanwhile is discarded.
    """

    protocol = RoomWebSocketProtocol

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setProtocolOptions(failByDrop=False)
        if settings.WEBSOCKET_DEFLATE:
            self.setProtocolOptions(perMessageCompressionAccept=_accept_deflate)


def _accept_deflate(offers: list[Any]) -> Any:
    """permessage-deflate, when the browser offers it (every browser does)."""
    for offer in offers:
        if isinstance(offer, PerMessageDeflateOffer):
            return PerMessageDeflateOfferAccept(offer)
    return None


class LimitedHTTPFactory(HTTPFactory):
    def buildProtocol(self, addr: Any) -> Any:
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = LimitedRequest
        return protocol


def main() -> None:
    # daphne's CommandLineInterface.run() builds its access log from this module-level name,
    # and its Server.run() its HTTP and WebSocket factories.
    cli.AccessLogGenerator = MaskedAccessLog
    daphne_server.HTTPFactory = LimitedHTTPFactory
    daphne_server.WebSocketFactory = ClosingWebSocketFactory
    CommandLine.entrypoint()


if __name__ == "__main__":
    main()
