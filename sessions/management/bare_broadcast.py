"""A bare Channels broadcast: the yardstick of ``bench_live --baseline``.

What any Channels app pays to fan a message out, and nothing of Gyakusan's: no Django view, no
database, no sessions, no rendering. Every WebSocket (any path) joins one group; a POST (any
path) sends the next push to that group with ``group_send`` and answers once it is sent, with
the push's sequence number in ``X-Gyakusan-Seq``, as a facilitator's action does. A GET answers
200 with a ``csrftoken`` cookie, so that the benchmark's browser (web_client.Browser) posts to it
as it posts to the app.

It runs on the project's settings (DJANGO_SETTINGS_MODULE), so on the same channel layer as the
app, the in-memory one when REDIS_URL is empty, and under the same server: ServerProcess serves
it with ``app=APP``, daphne or uvicorn with the app's options.

The pushes are the app's own, replayed: ``BARE_BROADCAST_PUSHES`` names a JSON file of
messages (as written by ``write_pushes``), sent in turn, each with its sequence marker
renumbered; so each is as large as the app's, and compresses the same (uvicorn negotiates
permessage-deflate with the benchmark's clients; daphne does not). A socket gets a snapshot
marker on connecting, and a pong for each ping, as from the app.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels.routing import ProtocolTypeRouter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")

APP = "sessions.management.bare_broadcast:application"
PUSHES_ENV = "BARE_BROADCAST_PUSHES"
GROUP = "bare.broadcast"
PUSH_TYPE = "room.push"
# The app's sequence marker (templates/room/room.html, partial "seq"), which the benchmark's
# clients read.
MARKER = '<div id="live-seq" data-seq="{seq}"{snapshot} hidden hx-swap-oob="true"></div>'
SEQ_ATTRIBUTE = re.compile(r'data-seq="\d+"')
PONG = '<template id="live-pong" data-server-now="0" data-seq="{seq}"></template>'


def synthetic_push(size: int) -> str:
    """A push of ``size`` bytes when there is no app's to replay: the marker and words of
    letters, which compress about as well as prose (not as well as the app's HTML)."""
    words = random.Random(size)
    html = MARKER.format(seq=0, snapshot="") + "<p>"
    while len(html) < size - 4:
        html += "".join(words.choices("abcdefghijklmnopqrstuvwxyz", k=words.randint(2, 9))) + " "
    return (html[: size - 4] + "</p>")[:size]


def write_pushes(path: Path, pushes: list[str]) -> None:
    path.write_text(json.dumps(pushes))


def _load_pushes() -> list[str]:
    path = os.environ.get(PUSHES_ENV)
    pushes = json.loads(Path(path).read_text()) if path else []
    return pushes or [synthetic_push(1000)]


class _State:
    def __init__(self) -> None:
        self.pushes = _load_pushes()
        self.seq = 0


state = _State()


class BroadcastConsumer(AsyncWebsocketConsumer):
    groups = [GROUP]  # joined before connect() runs, left after disconnect()

    async def connect(self) -> None:
        await self.accept()
        await self.send(text_data=MARKER.format(seq=state.seq, snapshot=" data-snapshot"))

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data and len(text_data) < 200 and '"ping"' in text_data:
            await self.send(text_data=PONG.format(seq=state.seq))

    async def room_push(self, message: dict[str, Any]) -> None:
        await self.send(text_data=message["html"])


async def broadcast(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The HTTP side: a POST pushes, anything else answers 200."""
    more = True
    while more:  # the body, read and dropped
        event = await receive()
        more = event.get("more_body", False)
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"0")]
    if scope["method"] == "POST":
        state.seq += 1
        seq = state.seq
        html = SEQ_ATTRIBUTE.sub(
            f'data-seq="{seq}"', state.pushes[(seq - 1) % len(state.pushes)], count=1
        )
        layer = get_channel_layer()
        assert layer is not None
        await layer.group_send(GROUP, {"type": PUSH_TYPE, "seq": seq, "html": html})
        headers.append((b"x-gyakusan-seq", str(seq).encode()))
    else:
        headers.append((b"set-cookie", b"csrftoken=bare; Path=/"))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


application = ProtocolTypeRouter(
    {
        "http": broadcast,
        "websocket": BroadcastConsumer.as_asgi(),
    }
)
