"""The WebSocket pipe of a room: authorise, join groups, send a snapshot, forward pushes.

Every write is an HTTP post (a Form, one service); the socket only listens. Clients send two
small JSON frames (static/js/live.js): ``{"type": "ping"}`` (a heartbeat, answered with the
server's clock) and ``{"type": "resync"}`` (a sequence gap was seen: a snapshot). Anything else
(binary, oversized, malformed, nested, of another type) is ignored: a socket is open to anyone
who joined, and no frame of theirs may raise.

Nor may frames keep the server busy: each socket has a budget of frames (a token bucket; a
browser's heartbeats use a small part of it), frames past it are dropped, and a socket that
keeps sending past it is closed with 4008. A snapshot is rendered for one resync at a time:
another resync while it is being rendered asks for what is already on its way, and is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from sessions import live, ratelimit
from sessions.access import Actor, Role, actor_for
from sessions.models import Workshop
from sessions.services import participants as participant_services

logger = logging.getLogger(__name__)

# Close codes. daphne (autobahn) lets an application close only with 1000 or 3000-4999, so
# the standard ones are mirrored in the 4000s: 4008 (policy violation, 1008) ends a socket that
# kept flooding, 4011 (server error, 1011) one whose snapshot failed; live.js reconnects after
# either, after a delay. 4403 refuses for good: live.js and the ws extension do not retry it.
CLOSE_FORBIDDEN = 4403
CLOSE_FLOODING = 4008
CLOSE_SNAPSHOT_FAILED = 4011
# The answer to a heartbeat: the server's clock (timer.js) and the room's latest sequence
# number, so that a page that stopped hearing pushes finds out and takes a snapshot (live.js).
PING_REPLY = '<template id="live-pong" data-server-now="{now}" data-seq="{seq}"></template>'
# The frames live.js sends are ~20 characters. Longer ones are not parsed at all: parsing costs
# time and memory in proportion, and deep nesting makes json.loads raise RecursionError.
MAX_FRAME_CHARS = 200
FRAME_KINDS = frozenset({"ping", "resync"})
# A browser sends a heartbeat every 4–11 s and a resync only after a gap: well under one frame
# a second. A burst of ten (a reconnect, a tab waking up) passes; a sustained second frame a
# second does not, and twenty frames past the budget close the socket.
FRAMES_BURST = 10
FRAMES_PER_SECOND = 1.0
FRAMES_PAST_BUDGET = 20

T = TypeVar("T")

# The consumer's clock (monotonic seconds): tests replace it instead of sleeping.
clock: Callable[[], float] = time.monotonic


class Verdict(Enum):
    ACCEPT = "accept"
    DROP = "drop"
    CLOSE = "close"


@dataclass
class FrameBudget:
    """A token bucket that may go into debt: each frame costs a token; frames are dropped while
    the bucket is empty, and the socket is closed once its debt passes ``past_budget``.
    Dropped frames count too, so a client that keeps sending never earns its way back."""

    now: float
    burst: float = FRAMES_BURST
    per_second: float = FRAMES_PER_SECOND
    past_budget: float = FRAMES_PAST_BUDGET
    tokens: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def spend(self, now: float) -> Verdict:
        elapsed = max(now - self.now, 0.0)
        self.now = now
        self.tokens = min(self.burst, self.tokens + elapsed * self.per_second) - 1
        if self.tokens >= 0:
            return Verdict.ACCEPT
        if self.tokens > -self.past_budget:
            return Verdict.DROP
        return Verdict.CLOSE


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
    budget: FrameBudget
    # The snapshot being rendered for a resync, and the pushes that arrive meanwhile: they go
    # out after it, in order, so that it never draws an older state over a newer push.
    resyncing: asyncio.Task[None] | None = None
    held_pushes: list[str]
    flooded = False

    async def connect(self) -> None:
        self.groups_joined = []
        self.held_pushes = []
        self.budget = FrameBudget(now=clock())
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
        if self.resyncing is not None:
            self.resyncing.cancel()  # a read only: nothing is left half-written
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        if self.actor is not None and self.actor.participant is not None:
            await _to_the_end(
                database_sync_to_async(participant_services.presence_close)(
                    participant=self.actor.participant, channel_name=self.channel_name
                )
            )

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.actor is None or self.flooded:
            return  # refused, or closing: frames still in the pipe mean nothing
        verdict = self.budget.spend(clock())
        if verdict is Verdict.CLOSE:
            self.flooded = True
            logger.warning("closed a flooding socket of workshop %s", self.actor.workshop.pk)
            await self.close(code=CLOSE_FLOODING)
            return
        if verdict is Verdict.DROP:
            return
        kind = frame_kind(text_data)
        if kind == "ping":
            # Join the groups again: a socket dropped from them (the in-memory layer drops a
            # channel whose message expired; Redis may lose them) stays open and answers, but
            # would never hear a push again. Joining twice changes nothing.
            for group in self.groups_joined:
                await self.channel_layer.group_add(group, self.channel_name)
            seq = await _to_the_end(
                database_sync_to_async(_heartbeat)(self.actor, self.channel_name)
            )
            now_ms = int(timezone.now().timestamp() * 1000)
            await self.send(text_data=PING_REPLY.format(now=now_ms, seq=seq))
        elif kind == "resync" and self.resyncing is None:
            # Rendered beside the pipe, not in it: the socket keeps reading (and dropping
            # resyncs) meanwhile instead of queueing a render for each.
            self.resyncing = asyncio.create_task(self._resync())

    async def room_push(self, message: dict[str, Any]) -> None:
        if self.resyncing is not None:
            self.held_pushes.append(message["html"])
            return
        await self.send(text_data=message["html"])

    async def _resync(self) -> None:
        assert self.actor is not None
        try:
            html = await _rendered_snapshot(self.actor)
            await self.send(text_data=html)
            while self.held_pushes:
                await self.send(text_data=self.held_pushes.pop(0))
        except asyncio.CancelledError:
            raise
        except Exception:
            # As a failure inside the pipe would be: logged, and the socket closed; the page
            # reconnects, and a new socket starts with a snapshot.
            logger.exception("a snapshot for a resync failed")
            await self.close(code=CLOSE_SNAPSHOT_FAILED)
        finally:
            # No await since the last look at held_pushes: nothing arrived in between.
            self.resyncing = None
            self.held_pushes = []

    async def _send_snapshot(self) -> None:
        assert self.actor is not None
        await self.send(text_data=await _rendered_snapshot(self.actor))

    @database_sync_to_async
    def _authorise(self) -> Actor | None:
        code = self.scope["url_route"]["kwargs"]["code"]
        workshop = Workshop.objects.filter(join_code=code).first()
        session = self.scope.get("session")
        actor = None
        if workshop is not None and session is not None:
            try:
                wants = Role(self.scope["url_route"]["kwargs"]["role"])
            except ValueError:
                wants = None
            actor = actor_for(session, workshop, wants=wants) if wants else None
        if actor is None:
            # A stranger naming a code may be guessing, as on a page (views.helpers.find_workshop):
            # the attempt counts against their address. The answer is the same refusal whether
            # the code names a workshop or not, and whether or not they are slowed down.
            with contextlib.suppress(ratelimit.Throttled):
                ratelimit.slow_down(self.scope)
        return actor


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


def _heartbeat(actor: Actor, channel_name: str) -> int:
    """A participant's socket is fresh again; the console's and the projector's sweep the room's
    stale ones. Then the room's latest sequence number, for the answer."""
    if actor.participant is not None:
        participant_services.presence_heartbeat(
            participant=actor.participant, channel_name=channel_name
        )
    else:
        participant_services.presence_sweep(workshop_id=actor.workshop.pk)
    return int(Workshop.objects.values_list("seq", flat=True).get(pk=actor.workshop.pk))


async def _rendered_snapshot(actor: Actor) -> str:
    """A snapshot, rendered beside the database thread every socket of this process shares for
    its writes (heartbeats too): a room connecting at once does not hold up their presence."""
    return await database_sync_to_async(_render_snapshot, thread_sensitive=False)(actor)


def _render_snapshot(actor: Actor) -> str:
    workshop = Workshop.objects.get(pk=actor.workshop.pk)
    return live.snapshot(workshop, actor.role, actor.participant)
