"""HTTP and WebSocket routes of the ASGI application, for the server and for tests."""

from __future__ import annotations

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.sessions import SessionMiddlewareStack
from django.urls import path

from sessions.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/rooms/<str:code>/<str:role>/", RoomConsumer.as_asgi()),
]


def build_application(http_application):
    return ProtocolTypeRouter(
        {
            "http": http_application,
            # Browsers send Origin on WebSockets; a foreign or missing one is refused.
            "websocket": AllowedHostsOriginValidator(
                SessionMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
