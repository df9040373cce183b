"""The WebSocket pipe of a room: authorise, join groups, send a snapshot, forward pushes.

Every write is an HTTP post (a Form, one service); the socket only listens. Clients send two
small JSON frames (static/js/live.js): ``{"type": "ping"}`` (a heartbeat, answered with the
server's clock) and ``{"type": "resync"}`` (a sequence gap was seen: a snapshot). Anything else
(binary, oversized, malformed, nested, of another type) is ignored: a socket is open to anyone
who joined, and no frame of theirs may raise.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from sessions import live
from sessions.access import Actor, Role, actor_for
from sessions.models import Workshop
from sessions.services import participants as participant_services

logger = logging.getLogger(__name__)

# Close codes: 4403 refuses for good (the ws extension does not retry non-standard codes).
CLOSE_FORBIDDEN = 4403
PING_REPLY = '<template id="live-pong" data-server-now="{now}"></template>'
# The frames live.js sends are ~20 characters. Longer ones are not parsed at all: parsing costs
# time and memory in proportion, and deep nesting makes json.loads raise RecursionError.
MAX_FRAME_CHARS = 200
FRAME_KINDS = frozenset({"ping", "resync"})

T = TypeVar("T")


async def _to_the_end(write: Awaitable[T]) -> T:
    """Await a write to its end even when this socket's task is cancelled meanwhile.

    A stopping server cancels every connection's task, then stops its event loop. A write cut
    loose that way goes on in its thread, and its push after commit waits for that loop for
    ever, holding the process until it is killed (a socket closed just before a deploy). So
    the task ends only once the write has.
    """
    task = asyncio.ensure_future(write)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait([task])
        raise


class RoomConsumer(AsyncWebsocketConsumer):
    actor: Actor | None = None
    groups_joined: list[str]

    async def connect(self) -> None:
        self.groups_joined = []
        self.actor = await self._authorise()
        if self.actor is None:
            # Accept first: a socket closed during the handshake reaches the browser as 1006,
            # which the ws extension retries for ever; 4403 it does not.
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        workshop = self.actor.workshop
        # Join before reading the snapshot: an event committed in between arrives after the
        # snapshot with a sequence number the client already has, and is skipped.
        groups = [live.role_group(workshop.pk, self.actor.role)]
        if self.actor.participant is not None:
            groups.append(live.participant_group(workshop.pk, self.actor.participant.pk))
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        await self.accept()
        if self.actor.participant is not None:
            await _to_the_end(
                database_sync_to_async(participant_services.presence_open)(
                    participant=self.actor.participant, channel_name=self.channel_name
                )
            )
        await self._send_snapshot()

    async def disconnect(self, code: int) -> None:
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        if self.actor is not None and self.actor.participant is not None:
            await _to_the_end(
                database_sync_to_async(participant_services.presence_close)(
                    participant=self.actor.participant, channel_name=self.channel_name
                )
            )

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.actor is None:
            return
        kind = frame_kind(text_data)
        if kind == "ping":
            if self.actor.participant is not None:
                await _to_the_end(
                    database_sync_to_async(participant_services.presence_heartbeat)(
                        participant=self.actor.participant, channel_name=self.channel_name
                    )
                )
            else:
                await _to_the_end(
                    database_sync_to_async(participant_services.presence_sweep)(
                        workshop_id=self.actor.workshop.pk
                    )
                )
            now_ms = int(timezone.now().timestamp() * 1000)
            await self.send(text_data=PING_REPLY.format(now=now_ms))
        elif kind == "resync":
            await self._send_snapshot()

    async def room_push(self, message: dict[str, Any]) -> None:
        await self.send(text_data=message["html"])

    async def _send_snapshot(self) -> None:
        assert self.actor is not None
        html = await database_sync_to_async(_render_snapshot)(self.actor)
        await self.send(text_data=html)

    @database_sync_to_async
    def _authorise(self) -> Actor | None:
        code = self.scope["url_route"]["kwargs"]["code"]
        workshop = Workshop.objects.filter(join_code=code).first()
        session = self.scope.get("session")
        if workshop is None or session is None:
            return None
        try:
            wants = Role(self.scope["url_route"]["kwargs"]["role"])
        except ValueError:
            return None
        return actor_for(session, workshop, wants=wants)


def frame_kind(text_data: str | None) -> str | None:
    """What a client's frame asks for ("ping" or "resync"), or None for anything else."""
    if text_data is None or len(text_data) > MAX_FRAME_CHARS:
        return None
    try:
        payload = json.loads(text_data)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError; so is "1" * 5000
        return None
    if not isinstance(payload, dict):
        return None
    kind = payload.get("type")
    return kind if isinstance(kind, str) and kind in FRAME_KINDS else None


def _render_snapshot(actor: Actor) -> str:
    workshop = Workshop.objects.get(pk=actor.workshop.pk)
    return live.snapshot(workshop, actor.role, actor.participant)
