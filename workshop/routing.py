"""HTTP and WebSocket routes of the ASGI application, for the server and for tests."""

from __future__ import annotations

import asyncio
from typing import Any

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.sessions import SessionMiddlewareStack
from django.conf import settings
from django.urls import path

from sessions.consumers import RoomConsumer
from workshop.limits import RequestBodyLimit

websocket_urlpatterns = [
    path("ws/rooms/<str:code>/<str:role>/", RoomConsumer.as_asgi()),
]


class EndBeforeStopping:
    """Every connection's task, when the server cancels it to stop, ends only once the
    application has (a socket's write finishes first: see ``sessions.consumers``).

    Daphne stops by cancelling every connection's task and waiting for them together, but its
    wait ends as soon as one of them ends cancelled; then it stops the event loop. A write still
    going on in a thread then waits for that loop for ever to send its push, and the process
    hangs until it is killed. A task that returns instead keeps daphne waiting for the others.
    """

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        task = asyncio.ensure_future(self.application(scope, receive, send))
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            task.cancel()
            await asyncio.wait([task])


def build_application(http_application):
    return EndBeforeStopping(
        ProtocolTypeRouter(
            {
                # A body past the limit is refused as it streams in (under uvicorn; daphne
                # has refused it before: workshop/server.py).
                "http": RequestBodyLimit(http_application, settings.MAX_REQUEST_BYTES),
                # Browsers send Origin on WebSockets; a foreign or missing one is refused.
                "websocket": AllowedHostsOriginValidator(
                    SessionMiddlewareStack(URLRouter(websocket_urlpatterns))
                ),
            }
        )
    )
