"""Measure live delivery: N real WebSocket clients, M step/timer changes, latency per delivery.

    python manage.py bench_live --clients 30 --events 50 [--server daphne|uvicorn] [--url URL]
    python manage.py bench_live --soak 120 --clients 30 [--database-url URL] [--redis-url URL]

Starts a server process (daphne by default, on a fresh SQLite database) unless --url names a
running one, creates a workshop and joins the clients through the same HTTP forms as people
do, connects their sockets, then makes the facilitator's changes through the same HTTP actions
as the console. Latency runs from just before the facilitator's POST (which calls the service)
to the moment each client has the push. Ends with one line:

    bench_live clients=30 events=50 p50_ms=… p95_ms=… p99_ms=… lost=… rss_mb=…

--soak SECONDS runs the scale-out shape instead: two server processes on a fresh PostgreSQL
database (created beside --database-url, dropped afterwards) and Redis (--redis-url; a database
number of its own keeps other runs' groups and counters apart), the clients joined to each in
turn, left idle but beating as browsers do for SECONDS, then the usual events. Its line adds
how many sockets the servers closed, the tracebacks in their logs, the pushes during the quiet
(presence that flapped), and the heartbeats' round trips while idle:

    bench_live soak_s=120 servers=2 clients=30 events=50 closes=… errors=… soak_pushes=…
    ping_p95_ms=… p50_ms=… p95_ms=… p99_ms=… lost=… rss_mb=…+…

Benchmarks print figures; they assert nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import statistics
import tempfile
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from sessions.management.server_process import (
    SERVERS,
    ServerProcess,
    benchmark_env,
    fresh_database,
)
from sessions.management.web_client import Browser

SEQ = re.compile(r'^<div id="live-seq" data-seq="(\d+)"')
PONG = '<template id="live-pong"'
# A cycle of facilitator actions that is valid from any point of itself.
ACTIONS = [
    ("step", {"action": "next"}),
    ("timer", {"action": "start"}),
    ("timer", {"action": "add_minute"}),
    ("timer", {"action": "pause"}),
    ("timer", {"action": "resume"}),
    ("step", {"action": "prev"}),
]
DELIVERY_TIMEOUT_S = 5.0
HEARTBEAT_S = 10.0  # static/js/live.js, PING_EVERY_MS for a participant
TRACEBACK = "Traceback (most recent call last)"


class Client:
    """One participant's socket, noting when each sequence number arrives."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.arrivals: dict[int, float] = {}
        self.latest = 0
        self.snapshots = 0
        self.ping_sent: float | None = None
        self.round_trips: list[float] = []  # heartbeat answers, ms
        self.leaving = False  # set before the benchmark closes it: not the server's close
        self.closed_by_server: str | None = None

    async def listen(self) -> None:
        try:
            async for message in self.socket:
                text = str(message)
                if text.startswith(PONG):
                    if self.ping_sent is not None:
                        self.round_trips.append((time.perf_counter() - self.ping_sent) * 1000)
                        self.ping_sent = None
                    continue
                match = SEQ.match(text)
                if match:
                    seq = int(match.group(1))
                    self.arrivals.setdefault(seq, time.perf_counter())
                    self.latest = max(self.latest, seq)
                    self.snapshots += "data-snapshot" in text
        except ConnectionClosed:
            pass
        if not self.leaving:
            self.closed_by_server = f"{self.socket.close_code}"

    async def heartbeat(self) -> None:
        """As a participant's live.js: a ping on opening, then every 10 s ±10 % (presence
        lapses after 25 s without one)."""
        try:
            while True:
                self.ping_sent = time.perf_counter()
                await self.socket.send(json.dumps({"type": "ping"}))
                await asyncio.sleep(HEARTBEAT_S * random.uniform(0.9, 1.1))
        except ConnectionClosed:
            return


class Command(BaseCommand):
    help = "Measure latency and loss of live pushes to many WebSocket clients."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=30)
        parser.add_argument("--events", type=int, default=50)
        parser.add_argument("--server", choices=SERVERS, default="daphne")
        parser.add_argument("--url", help="a running server to use instead of starting one")
        parser.add_argument(
            "--soak",
            type=float,
            default=0,
            metavar="SECONDS",
            help="two server processes on PostgreSQL and Redis; idle clients for SECONDS first",
        )
        parser.add_argument(
            "--database-url",
            default=os.environ.get(
                "SCALEOUT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
            ),
            help="--soak: a PostgreSQL database to create the run's own database from",
        )
        parser.add_argument(
            "--redis-url",
            default=os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/0"),
            help="--soak: the Redis of the channel layer and the cache",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["soak"]:
            self.soak(options)
            return
        if options["url"]:
            result = asyncio.run(self.run([options["url"].rstrip("/")], options))
            result["rss_mb"] = "n/a"
        else:
            with tempfile.TemporaryDirectory() as folder:
                env = benchmark_env(folder)
                with ServerProcess(options["server"], env) as server:
                    self.stdout.write(
                        f"server={options['server']} url={server.url} pid={server.pid}"
                    )
                    result = asyncio.run(self.run([server.url], options))
                    result["rss_mb"] = f"{server.rss_mb():.1f}"
        self.stdout.write(
            "bench_live clients={clients} events={events} p50_ms={p50_ms} p95_ms={p95_ms} "
            "p99_ms={p99_ms} lost={lost} rss_mb={rss_mb}".format(**result)
        )

    def soak(self, options: dict[str, Any]) -> None:
        with (
            tempfile.TemporaryDirectory() as folder,
            fresh_database(options["database_url"], "gyakusan_soak") as database_url,
        ):
            env = benchmark_env(folder, DATABASE_URL=database_url, REDIS_URL=options["redis_url"])
            with (
                ServerProcess(options["server"], env) as first,
                ServerProcess(options["server"], env) as second,
            ):
                servers = [first, second]
                self.stdout.write(
                    " ".join(f"server={s.server} url={s.url} pid={s.pid}" for s in servers)
                )
                result = asyncio.run(self.run([s.url for s in servers], options))
                result["rss_mb"] = "+".join(f"{s.rss_mb():.0f}" for s in servers)
                logs = [s.output() for s in servers]
        tracebacks = [
            "\n".join(log.splitlines()[number : number + 12])
            for log in logs
            for number, line in enumerate(log.splitlines())
            if TRACEBACK in line
        ]
        for traceback in tracebacks[:3]:
            self.stdout.write(f"server log:\n{traceback}")
        self.stdout.write(
            "bench_live soak_s={soak:g} servers=2 clients={clients} events={events} "
            "closes={closes} errors={errors} soak_pushes={soak_pushes} "
            "ping_p95_ms={ping_p95_ms} p50_ms={p50_ms} p95_ms={p95_ms} p99_ms={p99_ms} "
            "lost={lost} rss_mb={rss_mb}".format(
                soak=options["soak"], errors=len(tracebacks), **result
            )
        )

    async def run(self, bases: list[str], options: dict[str, Any]) -> dict[str, Any]:
        """Clients joined to each server of ``bases`` in turn; the facilitator on the first."""
        count, events = options["clients"], options["events"]
        facilitator = Browser(bases[0])
        # Creating the workshop redirects through the secret link to /w/<code>/facilitate/.
        console = await asyncio.to_thread(
            facilitator.post, "/", {"title": "負荷計測", "team_name": "ベンチ", "language": "ja"}
        )
        found = re.search(r"/w/(\w+)/facilitate/$", console)
        if found is None:
            raise RuntimeError(f"creating the workshop ended at {console}")
        code = found.group(1)
        participants = [Browser(bases[n % len(bases)]) for n in range(count)]
        await asyncio.gather(
            *(
                asyncio.to_thread(p.post, "/join/", {"code": code, "display_name": f"参加者{n}"})
                for n, p in enumerate(participants, 1)
            )
        )
        sockets = await asyncio.gather(
            *(
                connect(
                    f"{p.base.replace('http', 'ws', 1)}/ws/rooms/{code}/participant/",
                    origin=p.base,  # type: ignore[arg-type]
                    additional_headers=p.socket_headers(),
                    proxy=None,
                    max_size=None,
                )
                for p in participants
            )
        )
        clients = [Client(socket) for socket in sockets]
        tasks = [asyncio.create_task(c.listen()) for c in clients]
        tasks += [asyncio.create_task(c.heartbeat()) for c in clients]
        await _settled(clients)
        self.stdout.write(f"workshop={code} connected={len(clients)}")

        soak_pushes = 0
        ping_p95 = "n/a"
        if options["soak"]:
            before = max(client.latest for client in clients)
            for client in clients:
                client.round_trips.clear()  # the join storm's are not the quiet's
            await asyncio.sleep(options["soak"])
            soak_pushes = max(client.latest for client in clients) - before
            ping_p95 = _percentiles([ms for c in clients for ms in c.round_trips])["p95_ms"]
            self.stdout.write(f"idle for {options['soak']:g}s: {soak_pushes} pushes")

        latencies: list[float] = []
        lost = 0
        for index in range(events):
            kind, data = ACTIONS[index % len(ACTIONS)]
            started = time.perf_counter()
            seq = int(
                await asyncio.to_thread(
                    facilitator.post, f"/w/{code}/facilitate/{kind}/", data, htmx=True
                )
            )
            posted = time.perf_counter()
            await _delivered(clients, seq)
            these = [
                (client.arrivals[seq] - started) * 1000
                for client in clients
                if seq in client.arrivals
            ]
            lost += len(clients) - len(these)
            latencies += these
            if options["verbosity"] >= 2 and these:
                self.stdout.write(
                    f"event {index + 1} {kind} {data['action']} seq={seq} "
                    f"post_ms={(posted - started) * 1000:.1f} first_ms={min(these):.1f} "
                    f"last_ms={max(these):.1f} got={len(these)}"
                )
        closed = [client.closed_by_server for client in clients if client.closed_by_server]
        if closed:
            self.stdout.write(f"closed by the server, with codes: {' '.join(closed)}")
        for client in clients:
            client.leaving = True
        for task in tasks:
            task.cancel()
        await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)
        return {
            "clients": count,
            "events": events,
            "lost": lost,
            "closes": len(closed),
            "soak_pushes": soak_pushes,
            "ping_p95_ms": ping_p95,
            **_percentiles(latencies),
        }


async def _settled(clients: list[Client], timeout_s: float = 60.0) -> None:
    """Wait for the connection storm to pass: every client has its snapshot, and has seen the
    workshop's creation and each participant's join and coming online (one event each)."""
    expected = 1 + 2 * len(clients)
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        if all(client.latest >= expected and client.snapshots for client in clients):
            await asyncio.sleep(3)  # the server finishes the join storm (compression, GC)
            return
        await asyncio.sleep(0.05)
    raise RuntimeError(f"clients did not all reach sequence {expected} in {timeout_s}s")


async def _delivered(clients: list[Client], seq: int) -> None:
    deadline = time.perf_counter() + DELIVERY_TIMEOUT_S
    while time.perf_counter() < deadline:
        if all(seq in client.arrivals for client in clients):
            return
        await asyncio.sleep(0.001)


def _percentiles(latencies: list[float]) -> dict[str, str]:
    if not latencies:
        return {"p50_ms": "n/a", "p95_ms": "n/a", "p99_ms": "n/a"}
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "p50_ms": f"{statistics.median(latencies):.1f}",
        "p95_ms": f"{cuts[94]:.1f}",
        "p99_ms": f"{cuts[98]:.1f}",
    }
