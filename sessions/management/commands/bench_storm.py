"""Measure a storm of notes: N participants post while everyone's screen follows.

    python manage.py bench_storm --participants 30 --notes-each 3 --board 200 \\
        --mode revealed|private [--rate 3|max] [--server daphne|uvicorn] [--url URL]

Starts a server (daphne by default, on a fresh SQLite database) unless --url names one,
creates a workshop and joins the participants through the same forms as people do, opens
their sockets and the console's and the projector's, seeds the customer board with --board
notes, then has the participants post --notes-each notes each through the same HTTP action as
the composer, at --rate notes a second in all (or all at once with ``max``). The sockets
behave as live.js does: a push ahead of a missing one waits for it (counted in out_of_order),
and one still missing after 1.5 s asks for a snapshot.

A note is delivered to a screen when that screen has a push at or past the note's sequence
number (read off the author's own push, the one that shows the note). Ends with one line:

    bench_storm participants= board= mode= rate= p50_ms= p95_ms= bytes_per_note_per_socket=
    cpu_ms_per_note= out_of_order= snapshots= lost= rss_mb= wire_bytes_per_note_per_socket=
    server_errors=

bytes_per_note_per_socket is what the screens read; wire_bytes_per_note_per_socket is what came
off the wire for them (frames as sent: compressed where permessage-deflate was negotiated).
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from websockets.asyncio.client import ClientConnection, connect

from sessions.management.server_process import (
    SERVERS,
    ServerProcess,
    benchmark_env,
)
from sessions.management.web_client import Browser

HEAD = re.compile(
    r'^<div id="live-seq(-private)?" data-seq="(\d+)"(?: data-from="(\d+)")?( data-snapshot)?'
)
STEPS = {"private": "listen-individual", "revealed": "listen-group"}
CELL = "customer-facts"
RESYNC_RETRY_S = 3.0  # as live.js
GAP_PATIENCE_S = 1.5  # as live.js: a push ahead of a missing one waits this long for it
DELIVERY_TIMEOUT_S = 10.0
HEARTBEAT_S = 10.0


@dataclass
class Screen:
    """One socket, kept in step the way live.js keeps a page in step."""

    socket: ClientConnection
    arrivals: list[tuple[int, float]] = field(default_factory=list)  # (shared seq, when)
    texts: dict[str, int] = field(default_factory=dict)  # note text → seq of the push showing it
    last_seq: int = 0
    bytes: int = 0
    out_of_order: int = 0
    snapshots: int = 0
    waiting: list[tuple[int, int]] = field(default_factory=list)  # (first, last seq) ahead
    gap_since: float | None = None
    resyncs: int = 0
    resync_asked: float = 0.0
    counting: bool = False

    async def listen(self, watched: set[str]) -> None:
        async for raw in self.socket:
            message = str(raw)
            now = time.perf_counter()
            head = HEAD.match(message)
            if head is None:
                continue
            seq = int(head.group(2))
            if self.counting:
                self.bytes += len(message.encode())
                for text in watched:
                    if text in message and text not in self.texts:
                        self.texts[text] = seq
            if head.group(1):  # this participant's own view of a private board
                continue
            if head.group(4):
                self.snapshots += self.counting
                self._apply(seq, now)
                continue
            first = int(head.group(3) or seq)
            if seq <= self.last_seq:
                self.out_of_order += self.counting
                continue
            if first > self.last_seq + 1:  # one before it is missing: wait for it
                self.out_of_order += self.counting
                self.waiting.append((first, seq))
                self.gap_since = self.gap_since or now
                if now - self.gap_since > GAP_PATIENCE_S:
                    self.waiting.clear()
                    self.gap_since = None
                    await self._resync(now)
                continue
            self._apply(seq, now)

    def _apply(self, seq: int, now: float) -> None:
        """A push shown, then those waiting that follow on from it."""
        self.last_seq = max(self.last_seq, seq)
        self.arrivals.append((seq, now))
        for first, last in sorted(self.waiting):
            if last > self.last_seq and first <= self.last_seq + 1:
                self.last_seq = last
                self.arrivals.append((last, now))
        self.waiting = [(f, last) for f, last in self.waiting if last > self.last_seq]
        if not self.waiting:
            self.gap_since = None

    async def _resync(self, now: float) -> None:
        if now - self.resync_asked < RESYNC_RETRY_S:
            return
        self.resync_asked = now
        self.resyncs += self.counting
        await self.socket.send(json.dumps({"type": "resync"}))

    async def heartbeat(self) -> None:
        """As live.js: a ping every 10 s keeps a participant online (presence lapses at 25 s)."""
        while True:
            await asyncio.sleep(HEARTBEAT_S * random.uniform(0.9, 1.1))
            await self.socket.send(json.dumps({"type": "ping"}))

    def reached(self, seq: int) -> float | None:
        return next((when for got, when in self.arrivals if got >= seq), None)


class CountingConnection(ClientConnection):
    """A client socket that counts the bytes it receives as they come off the wire (frames as
    sent: compressed, where permessage-deflate was negotiated)."""

    wire_bytes = 0

    def data_received(self, data: bytes) -> None:
        self.wire_bytes += len(data)
        super().data_received(data)


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # clock ticks (USER_HZ = 100)


class Command(BaseCommand):
    help = "Measure what a storm of notes costs the server and every screen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, default=30)
        parser.add_argument("--notes-each", type=int, default=3)
        parser.add_argument("--board", type=int, default=0, help="notes on the board before")
        parser.add_argument("--mode", choices=tuple(STEPS), default="revealed")
        parser.add_argument("--rate", default="3", help="notes a second in all, or max")
        parser.add_argument("--server", choices=SERVERS, default="daphne")
        parser.add_argument("--url", help="a running server to use instead of starting one")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rate"] != "max" and not options["rate"].replace(".", "", 1).isdigit():
            raise CommandError("--rate is a number of notes a second, or max")
        if options["url"]:
            result = asyncio.run(self.run(options["url"].rstrip("/"), options, None))
        else:
            with tempfile.TemporaryDirectory() as folder:
                env = benchmark_env(folder)
                with ServerProcess(options["server"], env) as server:
                    result = asyncio.run(self.run(server.url, options, server))
                    failures = server.output().count("Traceback")
                    if failures:  # figures of a server that failed mean little: say why
                        self.stderr.write(server.output()[-4000:])
                    result["server_errors"] = failures
        self.stdout.write(
            "bench_storm participants={participants} board={board} mode={mode} rate={rate} "
            "p50_ms={p50_ms} p95_ms={p95_ms} bytes_per_note_per_socket={bytes} "
            "cpu_ms_per_note={cpu} out_of_order={out_of_order} snapshots={snapshots} "
            "lost={lost} rss_mb={rss_mb}".format(**result)
            + f" wire_bytes_per_note_per_socket={result['wire']}"
            + (f" server_errors={result['server_errors']}" if "server_errors" in result else "")
        )

    async def run(
        self, base: str, options: dict[str, Any], server: ServerProcess | None
    ) -> dict[str, Any]:
        count, each = options["participants"], options["notes_each"]
        facilitator = Browser(base)
        console_url = await asyncio.to_thread(
            facilitator.post, "/", {"title": "嵐の計測", "team_name": "ベンチ", "language": "ja"}
        )
        found = re.search(r"/w/(\w+)/facilitate/$", console_url)
        if found is None:
            raise CommandError(f"creating the workshop ended at {console_url}")
        code = found.group(1)
        people = [Browser(base) for _ in range(count)]
        await asyncio.gather(
            *(
                asyncio.to_thread(p.post, "/join/", {"code": code, "display_name": f"参加者{n}"})
                for n, p in enumerate(people, 1)
            )
        )
        step = STEPS[options["mode"]]
        await asyncio.to_thread(
            facilitator.post, f"/w/{code}/facilitate/step/", {"action": "goto", "step": step}
        )
        await self._seed(code, people, options["board"])

        ws = base.replace("http", "ws", 1)
        viewers = [(p, "participant") for p in people]
        viewers += [(facilitator, "facilitator"), (facilitator, "projector")]
        sockets = await asyncio.gather(
            *(
                connect(
                    f"{ws}/ws/rooms/{code}/{role}/",
                    origin=base,  # type: ignore[arg-type]
                    additional_headers=browser.socket_headers(),
                    proxy=None,
                    max_size=None,
                    create_connection=CountingConnection,
                )
                for browser, role in viewers
            )
        )
        counted = [socket for socket in sockets if isinstance(socket, CountingConnection)]
        screens = [Screen(socket) for socket in sockets]
        texts = [f"嵐のポストイット {n:04d}" for n in range(count * each)]
        watched = set(texts)
        listening = [asyncio.create_task(screen.listen(watched)) for screen in screens]
        listening += [asyncio.create_task(screen.heartbeat()) for screen in screens]
        # Every screen has its snapshot, and the room's arrivals (presence) are pushed.
        deadline = time.perf_counter() + DELIVERY_TIMEOUT_S
        while time.perf_counter() < deadline and not all(screen.arrivals for screen in screens):
            await asyncio.sleep(0.05)
        await asyncio.sleep(1)
        for screen in screens:
            screen.counting = True

        cpu_before = _cpu_seconds(server.pid) if server else 0.0
        wire_before = sum(socket.wire_bytes for socket in counted)
        posted = await self._storm(code, people, texts, each, options["rate"])
        await self._wait(screens, posted, count)
        cpu = (_cpu_seconds(server.pid) - cpu_before) if server else None
        wire = sum(socket.wire_bytes for socket in counted) - wire_before
        for task in listening:
            task.cancel()
        await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)
        figures = self._figures(options, screens, posted, count, cpu, server)
        notes = max(len(posted), 1)
        figures["wire"] = f"{wire / notes / len(screens):.0f}"
        return figures

    async def _seed(self, code: str, people: list[Browser], notes: int) -> None:
        """The board before the storm, posted by the participants in turn."""
        for n in range(notes):
            author = people[n % len(people)]
            await asyncio.to_thread(_post_note, author, code, f"既にあるポストイット {n}")

    async def _storm(
        self, code: str, people: list[Browser], texts: list[str], each: int, rate: str
    ) -> dict[str, tuple[int, float]]:
        """Post every note; for each, its author's index and when its post started."""
        posted: dict[str, tuple[int, float]] = {}

        async def post(author: int, text: str, at: float) -> None:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            posted[text] = (author, time.perf_counter())
            await asyncio.to_thread(_post_note, people[author], code, text)

        start = time.perf_counter() + 0.1
        if rate == "max":
            # Everyone at once: each participant posts their notes one after the other.
            async def burst(author: int) -> None:
                for k in range(each):
                    await post(author, texts[author * each + k], start)

            await asyncio.gather(*(burst(author) for author in range(len(people))))
        else:
            gap = 1 / float(rate)
            await asyncio.gather(
                *(post(n % len(people), text, start + n * gap) for n, text in enumerate(texts))
            )
        return posted

    async def _wait(
        self, screens: list[Screen], posted: dict[str, tuple[int, float]], count: int
    ) -> None:
        deadline = time.perf_counter() + DELIVERY_TIMEOUT_S
        while time.perf_counter() < deadline:
            seqs = [screens[author].texts.get(text) for text, (author, _t) in posted.items()]
            if all(seqs) and all(
                screen.reached(max(s for s in seqs if s)) is not None for screen in screens
            ):
                return
            await asyncio.sleep(0.05)

    def _figures(
        self,
        options: dict[str, Any],
        screens: list[Screen],
        posted: dict[str, tuple[int, float]],
        count: int,
        cpu: float | None,
        server: ServerProcess | None,
    ) -> dict[str, Any]:
        latencies: list[float] = []
        lost = 0
        for text, (author, started) in posted.items():
            seq = screens[author].texts.get(text)
            for index, screen in enumerate(screens):
                if index == author:
                    continue
                arrived = screen.reached(seq) if seq else None
                if arrived is None:
                    lost += 1
                else:
                    latencies.append(max(0.0, arrived - started) * 1000)
        notes = max(len(posted), 1)
        cuts = statistics.quantiles(latencies, n=100, method="inclusive") if latencies else []
        return {
            "participants": count,
            "board": options["board"],
            "mode": options["mode"],
            "rate": options["rate"],
            "p50_ms": f"{statistics.median(latencies):.0f}" if latencies else "n/a",
            "p95_ms": f"{cuts[94]:.0f}" if cuts else "n/a",
            "bytes": f"{sum(s.bytes for s in screens) / notes / len(screens):.0f}",
            "cpu": f"{cpu * 1000 / notes:.1f}" if cpu is not None else "n/a",
            "out_of_order": sum(s.out_of_order for s in screens),
            "snapshots": sum(s.snapshots for s in screens),
            "lost": lost,
            "rss_mb": f"{server.rss_mb():.0f}" if server else "n/a",
        }


def _post_note(author: Browser, code: str, text: str) -> None:
    """A note through the composer's own action, as htmx posts it."""
    data = {"id": str(uuid.uuid4()), "kind": "customer", "cell": CELL, "text": text}
    author.post(f"/w/{code}/notes/", data, htmx=True)
