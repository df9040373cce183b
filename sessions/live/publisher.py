"""One publisher per workshop (per process): pushes leave serially, in sequence order, and a
burst of changes leaves as one push per audience.

A write's request only hands its committed event over (``publish``) and returns. On a server,
the publisher is a task on the server's event loop: it takes every event handed over so far
(in a burst, those of the next few tens of milliseconds too), renders them as one batch off the
loop (on a thread of its own, not the one every socket's database work queues on) and sends
it. Elsewhere (a management command, a test calling a service) there is no loop to hand over
to: the event is rendered and sent at once, in the caller's thread.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
from collections.abc import Callable

from asgiref.sync import SyncToAsync, async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabase

from sessions.live.batches import Batch, Pending, coalesce
from sessions.live.names import PUSH_TYPE
from sessions.live.render import Delivery, render_batch

logger = logging.getLogger(__name__)

# How long a publisher collects a workshop's events before it renders them, in a burst (two
# events handed over within this of each other): everyone posting at once leaves as a few
# pushes, not one per note. A change on its own (a step, the timer, a note in a quiet room)
# leaves at once; what is handed over while a batch renders joins the next one anyway.
COALESCE_SECONDS = 0.02
# A batch that starts past the last one sent waits this much longer for what is missing (a
# write committed earlier whose hand-over is still on its way), so that pages see no gap.
HOLD_FOR_MISSING_SECONDS = 0.03
# A workshop's publisher idle this long ends; the next event starts another.
IDLE_SECONDS = 60.0

_publishers: dict[int, Publisher] = {}  # by workshop; touched only on the event loop's thread


def publish(workshop_id: int, event: Pending) -> None:
    """Hand a committed event to its workshop's publisher (called after commit)."""
    loop = _server_loop()
    if loop is None:
        _send_now(event.seq, _render(workshop_id, coalesce([event])))
        return
    # In a context of its own: a publisher started from here must not carry this request's
    # context (asgiref's notes on which thread it runs in, above all) into every later batch.
    loop.call_soon_threadsafe(_enqueue, workshop_id, event, context=contextvars.Context())


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop this thread's request runs for, if it runs for one (asgiref notes it in
    every thread it runs synchronous code in)."""
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    pid = getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None)
    if loop is None or pid != os.getpid() or loop.is_closed() or not loop.is_running():
        return None
    return loop


def _enqueue(workshop_id: int, event: Pending) -> None:
    publisher = _publishers.get(workshop_id)
    if publisher is None or not publisher.serves(asyncio.get_running_loop()):
        publisher = _publishers[workshop_id] = Publisher(workshop_id)
    publisher.hand_over(event)


def _render(workshop_id: int, batch: Batch) -> list[Delivery]:
    try:
        return render_batch(workshop_id, batch)
    except Exception:
        # Pushes are hints: a failed render must not undo or fail a committed write. Pages
        # that miss it see the gap in the sequence numbers and take a snapshot.
        logger.exception("rendering the push of events %s..%s failed", batch.first_seq, batch.seq)
        return []


def _send_now(seq: int, deliveries: list[Delivery]) -> None:
    layer = get_channel_layer()
    assert layer is not None
    for group, html in deliveries:
        async_to_sync(layer.group_send)(group, {"type": PUSH_TYPE, "seq": seq, "html": html})


async def settled() -> None:
    """Until every publisher on this loop has sent all it was handed (for the tests)."""
    loop = asyncio.get_running_loop()
    while busy := [
        publisher
        for publisher in _publishers.values()
        if publisher.serves(loop) and not publisher.idle.is_set()
    ]:
        await busy[0].idle.wait()


def _beside_the_sockets() -> bool:
    """Whether batches are rendered on threads of their own, beside the one database thread all
    sockets share for their writes (heartbeats, presence): pushes then never queue behind it,
    nor it behind them. Not on an in-memory SQLite database (the unit tests'): it locks whole
    tables across threads, and a test's next write would find them locked by the render."""
    database = connections[DEFAULT_DB_ALIAS]
    return not (isinstance(database, SQLiteDatabase) and database.is_in_memory_db())


class Publisher:
    """A workshop's publisher: one task, one batch at a time."""

    def __init__(self, workshop_id: int) -> None:
        self.workshop_id = workshop_id
        self.queue: asyncio.Queue[Pending] = asyncio.Queue()
        self.idle = asyncio.Event()  # nothing handed over is left unsent
        self.idle.set()
        self.last_sent = 0
        self.handed_over_at = float("-inf")  # the loop's clock
        self.in_burst = False  # the last two events came within COALESCE_SECONDS
        self.task = asyncio.get_running_loop().create_task(self.run())

    def serves(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Whether this publisher still runs, on ``loop`` (a loop stopped with it waiting, as a
        test's does, leaves it behind)."""
        return not self.task.done() and self.task.get_loop() is loop

    def hand_over(self, event: Pending) -> None:
        now = self.task.get_loop().time()
        self.in_burst = now - self.handed_over_at < COALESCE_SECONDS
        self.handed_over_at = now
        self.idle.clear()
        self.queue.put_nowait(event)

    async def run(self) -> None:
        try:
            while True:
                try:
                    first = await asyncio.wait_for(self.queue.get(), IDLE_SECONDS)
                except TimeoutError:
                    if self.queue.empty():
                        return
                    continue
                events = [first]
                await self._collect(events, COALESCE_SECONDS if self.in_burst else 0.0)
                await self._collect(events, HOLD_FOR_MISSING_SECONDS, until=self._no_gap)
                try:
                    batch = coalesce(events)
                    await self._send(batch)
                except Exception:
                    # As a failed render: logged, and pages that miss it take a snapshot. The
                    # publisher goes on with the next events.
                    seqs = sorted(event.seq for event in events)
                    logger.exception("publishing events %s failed", seqs)
                finally:
                    self.last_sent = max([self.last_sent, *(event.seq for event in events)])
                    if self.queue.empty():
                        self.idle.set()
        finally:
            self.idle.set()
            if _publishers.get(self.workshop_id) is self:
                del _publishers[self.workshop_id]

    def _no_gap(self, events: list[Pending]) -> bool:
        """Whether ``events`` follow on from the last batch sent with none missing (the first
        batch of a publisher cannot know what came before it: it does not wait)."""
        seqs = {event.seq for event in events}
        start = self.last_sent + 1 if self.last_sent else min(seqs)
        return all(seq in seqs for seq in range(start, max(seqs) + 1))

    async def _collect(
        self,
        events: list[Pending],
        seconds: float,
        until: Callable[[list[Pending]], bool] | None = None,
    ) -> None:
        """Add the events already handed over, and those handed over within ``seconds`` (or
        until ``until`` says enough)."""
        while not self.queue.empty():
            events.append(self.queue.get_nowait())
        deadline = asyncio.get_running_loop().time() + seconds
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            if until is not None and until(events):
                return
            try:
                events.append(await asyncio.wait_for(self.queue.get(), left))
            except TimeoutError:
                return

    async def _send(self, batch: Batch) -> None:
        render = database_sync_to_async(_render, thread_sensitive=not _beside_the_sockets())
        deliveries = await render(self.workshop_id, batch)
        layer = get_channel_layer()
        assert layer is not None
        for group, html in deliveries:
            try:
                await layer.group_send(group, {"type": PUSH_TYPE, "seq": batch.seq, "html": html})
            except Exception:
                logger.exception("a push to %s failed", group)
