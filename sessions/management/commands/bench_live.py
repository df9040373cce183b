"""Measure live delivery: N real WebSocket clients, M step/timer changes, latency per delivery.

    python manage.py bench_live --clients 30 --events 50 [--server daphne|uvicorn] [--url URL]
        [--baseline [--push-bytes BYTES]]
    python manage.py bench_live --soak 120 --clients 30 [--database-url URL] [--redis-url URL]

Starts a server process (daphne by default, on a fresh SQLite database) unless --url names a
running one, creates a workshop and joins the clients through the same HTTP forms as people
do, connects their sockets, then makes the facilitator's changes through the same HTTP actions
as the console, once the join storm is over (every socket has its snapshot and, since, no push
for a second: the pushes queued for a socket while its snapshot was rendered still come after
it, and a new one would wait behind them; a line says how many came so; a socket still short
of the storm's last push after 15 s of quiet lost it for good, and a line says which). Latency
runs from just before the facilitator's POST (which calls the service) to the moment each
client has the push.
Each event is posted once every socket has the last one, or 5 s after the POST's answer. Ends
with one line:

    bench_live clients=30 events=50 p50_ms=… p95_ms=… p99_ms=… lost=… rss_mb=…

A workshop seats MAX_PARTICIPANTS (120): clients past the seats are second tabs (a third past
twice the seats, …) of the participants already joined, in turn: the same session cookie, a
socket of their own, as a person with the room open twice. ``lost`` counts every event a socket
did not have within those 5 s; when there are any, a line before the last says on which sockets
(by seat and tab), in which events, and how many came later after all. Another line counts the
events no one posted that happened meanwhile (presence that flapped), whose pushes the
facilitator's wait behind.

--baseline measures the same against a bare Channels broadcast (sessions/management/
bare_broadcast.py: one group, a POST that group_sends to it, no Django view, database or
rendering), served by the same kind of server on the same channel layer (the in-memory one).
The two run one after the other, never side by side: the app first, its server stopped, then
the bare server on a free port of its own, stopped at the end. The bare server replays the
app's pushes of the events (for each, the first message to reach a client) in the same order,
each renumbered: the same sizes and the same content (which matters under uvicorn, whose
sockets compress); --push-bytes BYTES sends made-up pushes of that size instead. The same
clients (the same code, their count, heartbeats and settling), the same events one after
another, each once every socket has it, and the same clock. The line then adds, after the
fields above:

    baseline_p50_ms=… baseline_p95_ms=… ratio_p50=… ratio_p95=… cpu_ms_per_delivery=…
    baseline_cpu_ms_per_delivery=… baseline_lost=… baseline_rss_mb=… push_bytes=…

where a ratio is the app's figure over the baseline's, the CPU per delivery is the server
process's user + system time (/proc/<pid>/stat) over the event phase, divided by clients ×
events (n/a for the app under --url), and push_bytes is the median size (UTF-8) of the pushes
measured.

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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from sessions.management import bare_broadcast
from sessions.management.server_process import (
    SERVERS,
    ServerProcess,
    benchmark_env,
    fresh_database,
)
from sessions.management.web_client import Browser
from sessions.services.participants import MAX_PARTICIPANTS

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
# The join storm is over once no socket has had a push for this long (pongs aside)...
QUIET_S = 1.0
# ... and each has seen the last of its events, or has waited this long for it in vain: more
# than a heartbeat's period, after which a socket the layer dropped from its groups is back.
BEHIND_S = 15.0
HEARTBEAT_S = 10.0  # static/js/live.js, PING_EVERY_MS for a participant
TRACEBACK = "Traceback (most recent call last)"


class Client:
    """One participant's socket, noting when each sequence number arrives (and, in ``texts``
    when given, shared by all the clients, the first message that brought it)."""

    def __init__(self, socket: ClientConnection, texts: dict[int, str] | None = None) -> None:
        self.socket = socket
        self.arrivals: dict[int, float] = {}
        self.texts = texts
        self.latest = 0
        self.snapshots = 0
        self.heard = time.perf_counter()  # when the last push (not a pong) arrived
        self.snapshot_at: float | None = None
        self.snapshot_seq = 0
        # Pushes older than the snapshot, still arriving after it: the join storm's backlog.
        self.stale = 0
        self.stale_chars = 0
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
                self.heard = time.perf_counter()
                match = SEQ.match(text)
                if match:
                    seq = int(match.group(1))
                    if "data-snapshot" in text and self.snapshot_at is None:
                        self.snapshot_at, self.snapshot_seq = self.heard, seq
                    elif self.snapshot_at is not None and seq <= self.snapshot_seq:
                        self.stale += 1
                        self.stale_chars += len(text)
                    self.arrivals.setdefault(seq, time.perf_counter())
                    if self.texts is not None:
                        self.texts.setdefault(seq, text)
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


@dataclass
class Room:
    """A server's side of one measurement: whose sockets to open (the same browser twice is a
    second tab), when the joining is over, and the action that makes the index-th push."""

    name: str  # for the "connected" line
    browsers: list[Browser]  # one per socket
    path: str  # the socket's
    settled_seq: int  # the sequence number every socket has seen once the joins are over
    post: Callable[[int], int]  # blocking; the sequence number of the push it causes
    describe: Callable[[int], str]


class Command(BaseCommand):
    help = "Measure latency and loss of live pushes to many WebSocket clients."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=30)
        parser.add_argument("--events", type=int, default=50)
        parser.add_argument("--server", choices=SERVERS, default="daphne")
        parser.add_argument("--url", help="a running server to use instead of starting one")
        parser.add_argument(
            "--baseline",
            action="store_true",
            help="then measure a bare Channels broadcast the same way, and print the ratios",
        )
        parser.add_argument(
            "--push-bytes",
            type=int,
            default=0,
            metavar="BYTES",
            help="--baseline: made-up pushes of this size instead of the app's, replayed",
        )
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
            if options["baseline"]:
                raise CommandError("--baseline measures one process: not with --soak")
            self.soak(options)
            return
        with tempfile.TemporaryDirectory() as folder:
            env = benchmark_env(folder) if options["baseline"] or not options["url"] else {}
            if options["url"]:
                result = asyncio.run(self.run([options["url"].rstrip("/")], options))
                result["rss_mb"] = "n/a"
            else:
                with ServerProcess(options["server"], env) as server:
                    self.stdout.write(
                        f"server={options['server']} url={server.url} pid={server.pid}"
                    )
                    result = asyncio.run(self.run([server.url], options, cpu=server.cpu_ms))
                    result["rss_mb"] = f"{server.rss_mb():.1f}"
            line = (
                "bench_live clients={clients} events={events} p50_ms={p50_ms} p95_ms={p95_ms} "
                "p99_ms={p99_ms} lost={lost} rss_mb={rss_mb}".format(**result)
            )
            if options["baseline"]:
                line += " " + self.baseline(options, env, Path(folder), result)
        self.stdout.write(line)

    def baseline(
        self, options: dict[str, Any], env: dict[str, str], folder: Path, app: dict[str, Any]
    ) -> str:
        """The bare broadcast measured as the app was (its server started now, on a port of
        its own, and stopped before returning); the fields the line adds."""
        if options["push_bytes"]:
            pushes = [bare_broadcast.synthetic_push(options["push_bytes"])]
        else:
            pushes = app["pushes"]
        sizes = [len(push.encode()) for push in pushes]
        if sizes:
            self.stdout.write(
                f"pushes: {len(sizes)} replayed, {statistics.median(sizes):.0f} bytes median, "
                f"{min(sizes)}–{max(sizes)}"
            )
        path = folder / "pushes.json"
        bare_broadcast.write_pushes(path, pushes)
        bare_env = {**env, bare_broadcast.PUSHES_ENV: str(path)}
        with ServerProcess(options["server"], bare_env, app=bare_broadcast.APP) as server:
            self.stdout.write(f"baseline server={server.server} url={server.url} pid={server.pid}")
            bare = asyncio.run(self.measure(bare_room(server.url, options), options, server.cpu_ms))
            bare["rss_mb"] = f"{server.rss_mb():.1f}"
        return (
            f"baseline_p50_ms={bare['p50_ms']} baseline_p95_ms={bare['p95_ms']} "
            f"ratio_p50={_ratio(app['p50'], bare['p50'])} "
            f"ratio_p95={_ratio(app['p95'], bare['p95'])} "
            f"cpu_ms_per_delivery={app['cpu_ms_per_delivery']} "
            f"baseline_cpu_ms_per_delivery={bare['cpu_ms_per_delivery']} "
            f"baseline_lost={bare['lost']} baseline_rss_mb={bare['rss_mb']} "
            f"push_bytes={f'{statistics.median(sizes):.0f}' if sizes else 'n/a'}"
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

    async def run(
        self,
        bases: list[str],
        options: dict[str, Any],
        cpu: Callable[[], float] | None = None,
    ) -> dict[str, Any]:
        """Clients joined to each server of ``bases`` in turn; the facilitator on the first."""
        return await self.measure(await app_room(bases, options), options, cpu)

    async def measure(
        self, room: Room, options: dict[str, Any], cpu: Callable[[], float] | None
    ) -> dict[str, Any]:
        """Open the room's sockets, wait for the joins to settle (and for --soak's quiet), then
        post the events one after another, each once every socket has the last or 5 s have
        passed. ``cpu`` reads the server's CPU time (ms), before and after the events."""
        count, events = len(room.browsers), options["events"]
        retries: list[str] = []
        sockets = await asyncio.gather(*(_open(b, room.path, retries) for b in room.browsers))
        if retries:
            self.stdout.write(
                f"{room.name} handshakes failed {len(retries)} times, tried again as live.js "
                f"does: {' '.join(sorted(set(retries)))}"
            )
        texts: dict[int, str] = {}
        clients = [Client(socket, texts) for socket in sockets]
        tasks = [asyncio.create_task(c.listen()) for c in clients]
        tasks += [asyncio.create_task(c.heartbeat()) for c in clients]
        opened = time.perf_counter()
        behind = await _settled(clients, room.settled_seq, timeout_s=60.0 + count)
        self.stdout.write(f"{room.name} connected={len(clients)}")
        if behind:
            where = _places(room.browsers)
            self.stdout.write(
                f"{room.name} {len(behind)} sockets never had the join storm's last pushes "
                f"(up to {room.settled_seq}): "
                + " ".join(
                    f"#{n + 1}(seat {where[n][0]} tab {where[n][1]} latest {clients[n].latest})"
                    for n in behind[:40]
                )
            )
        stale = sum(client.stale for client in clients)
        if stale:
            last_snapshot = max(client.snapshot_at or opened for client in clients)
            self.stdout.write(
                f"{room.name} join storm: the last snapshot {last_snapshot - opened:.1f}s after "
                f"the sockets opened; then {stale} pushes older than their snapshots "
                f"({sum(c.stale_chars for c in clients) / 1e6:.0f} M characters) for "
                f"{max(c.heard for c in clients) - last_snapshot:.1f}s more"
            )

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
        seqs: list[int] = []
        before = max((client.latest for client in clients), default=0)
        # By socket, the events (their sequence numbers) it did not have in time.
        missed: list[list[int]] = [[] for _ in clients]
        cpu_before = cpu() if cpu else 0.0
        for index in range(events):
            started = time.perf_counter()
            seq = await asyncio.to_thread(room.post, index)
            posted = time.perf_counter()
            await _delivered(clients, seq)
            these = [
                (client.arrivals[seq] - started) * 1000
                for client in clients
                if seq in client.arrivals
            ]
            latencies += these
            seqs.append(seq)
            for n, client in enumerate(clients):
                if seq not in client.arrivals:
                    missed[n].append(seq)
            if options["verbosity"] >= 2:
                first, last = (f"{min(these):.1f}", f"{max(these):.1f}") if these else ("-", "-")
                self.stdout.write(
                    f"event {index + 1} {room.describe(index)} seq={seq} "
                    f"post_ms={(posted - started) * 1000:.1f} first_ms={first} "
                    f"last_ms={last} got={len(these)}"
                )
        cpu_per_delivery = "n/a"
        if cpu:
            cpu_per_delivery = f"{(cpu() - cpu_before) / (count * events):.3f}" if events else "n/a"
        others = seqs[-1] - before - len(seqs) if seqs else 0
        if others > 0:
            self.stdout.write(
                f"{room.name} {others} events besides the {events} posted happened meanwhile "
                "(presence coming and going, most likely)"
            )
        lost = sum(len(gone) for gone in missed)
        if lost:
            # Those that came after their 5 s, before the end of the events: late, not lost.
            late = sum(
                s in c.arrivals for c, gone in zip(clients, missed, strict=True) for s in gone
            )
            self.stdout.write(
                f"{room.name} {_losses(room.browsers, missed, seqs)}; {late} came later"
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
            "cpu_ms_per_delivery": cpu_per_delivery,
            "pushes": [texts[seq] for seq in seqs if seq in texts],
            **_percentiles(latencies),
            "p50": statistics.median(latencies) if latencies else None,
            "p95": _quantile(latencies, 95),
        }


async def app_room(bases: list[str], options: dict[str, Any]) -> Room:
    """A new workshop with its participants joined (one per socket, up to the seats; then
    second tabs), and its facilitator's console."""
    count = options["clients"]
    facilitator = Browser(bases[0])
    # Creating the workshop redirects through the secret link to /w/<code>/facilitate/.
    console = await asyncio.to_thread(
        facilitator.post, "/", {"title": "負荷計測", "team_name": "ベンチ", "language": "ja"}
    )
    found = re.search(r"/w/(\w+)/facilitate/$", console)
    if found is None:
        raise RuntimeError(f"creating the workshop ended at {console}")
    code = found.group(1)
    seats = min(count, MAX_PARTICIPANTS)
    participants = [Browser(bases[n % len(bases)]) for n in range(seats)]
    await asyncio.gather(
        *(
            asyncio.to_thread(p.post, "/join/", {"code": code, "display_name": f"参加者{n}"})
            for n, p in enumerate(participants, 1)
        )
    )

    def post(index: int) -> int:
        kind, data = ACTIONS[index % len(ACTIONS)]
        return int(facilitator.post(f"/w/{code}/facilitate/{kind}/", data, htmx=True))

    def describe(index: int) -> str:
        kind, data = ACTIONS[index % len(ACTIONS)]
        return f"{kind} {data['action']}"

    return Room(
        name=f"workshop={code}",
        browsers=[participants[n % seats] for n in range(count)],
        path=f"/ws/rooms/{code}/participant/",
        # The workshop's creation, then each participant's join and coming online (one event
        # each, a second tab none).
        settled_seq=1 + 2 * seats,
        post=post,
        describe=describe,
    )


def bare_room(base: str, options: dict[str, Any]) -> Room:
    """The bare broadcast's sockets, each a browser of its own, and its POST."""
    poster = Browser(base)
    poster.get("/")  # its csrftoken cookie, as the facilitator has one before the events
    return Room(
        name="baseline",
        browsers=[Browser(base) for _ in range(options["clients"])],
        path="/ws/",
        settled_seq=0,  # a snapshot marker on connecting, of no push yet
        post=lambda index: int(poster.post("/push/", {"event": str(index)}, htmx=True)),
        describe=lambda index: "push",
    )


def _places(browsers: list[Browser]) -> list[tuple[int, int]]:
    """For each socket, the seat of its browser (from 1, in the order they come) and which of
    that browser's tabs it is (from 1)."""
    seat_of: dict[int, int] = {}
    tabs: dict[int, int] = {}
    where = []
    for browser in browsers:
        seat = seat_of.setdefault(id(browser), len(seat_of) + 1)
        tabs[seat] = tabs.get(seat, 0) + 1
        where.append((seat, tabs[seat]))
    return where


def _losses(browsers: list[Browser], missed: list[list[int]], seqs: list[int]) -> str:
    """Which sockets lost events, and which events (by number, from 1): for each socket (by
    number, from 1) the seat of its browser, which of its tabs it is, and how many it lost."""
    where = _places(browsers)
    losers = [n for n, seqs_missed in enumerate(missed) if seqs_missed]
    by_tab: dict[int, int] = {}
    for n in losers:
        by_tab[where[n][1]] = by_tab.get(where[n][1], 0) + len(missed[n])
    events = sorted({seqs.index(seq) + 1 for n in losers for seq in missed[n]})
    listed = " ".join(
        f"#{n + 1}(seat {where[n][0]} tab {where[n][1]})={len(missed[n])}" for n in losers[:40]
    )
    return (
        f"lost {sum(by_tab.values())} deliveries on {len(losers)} of {len(browsers)} sockets "
        f"(by tab: {' '.join(f'tab{tab}={lost}' for tab, lost in sorted(by_tab.items()))}); "
        f"events {_ranges(events)}; sockets {listed}{' …' if len(losers) > 40 else ''}"
    )


def _ranges(numbers: list[int]) -> str:
    """1,2,3,5 → 1-3,5"""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ",".join(f"{a}-{b}" if a != b else f"{a}" for a, b in spans)


def _ratio(app: float | None, bare: float | None) -> str:
    return f"{app / bare:.2f}" if app is not None and bare else "n/a"


async def _open(browser: Browser, path: str, retries: list[str]) -> ClientConnection:
    """A socket as live.js opens one: a handshake that fails is tried again, soon and then
    every 1–2 s (wsReconnectDelay), here for at most a minute. Each failure is
    noted in ``retries``, by its kind."""
    deadline = time.perf_counter() + 60
    ceiling = 0.25
    while True:
        try:
            return await connect(
                f"{browser.base.replace('http', 'ws', 1)}{path}",
                origin=browser.base,  # type: ignore[arg-type]
                additional_headers=browser.socket_headers(),
                proxy=None,
                max_size=None,
            )
        except (OSError, TimeoutError, InvalidHandshake) as failure:
            if time.perf_counter() > deadline:
                raise
            retries.append(type(failure).__name__)
            await asyncio.sleep(ceiling / 2 + random.uniform(0, ceiling / 2))
            ceiling = min(2.0, ceiling * 2)


async def _settled(clients: list[Client], expected: int, timeout_s: float = 60.0) -> list[int]:
    """Wait for the connection storm to pass: every client has its snapshot, has seen
    ``expected`` (for the app, the workshop's creation and each participant's join and coming
    online), and has had no push for QUIET_S. (A snapshot carries the latest sequence number
    when it is rendered, but the pushes queued for the socket meanwhile still come after it:
    until they have, a new push waits behind them.) A client still short of ``expected`` after
    BEHIND_S of quiet has lost a push for good (live.js would take a snapshot): it is ready too,
    and its index is returned."""
    deadline = time.perf_counter() + timeout_s

    def ready(client: Client, now: float) -> bool:
        quiet = now - client.heard
        caught_up = client.latest >= expected or quiet >= BEHIND_S
        return bool(client.snapshots) and caught_up and quiet >= QUIET_S

    while time.perf_counter() < deadline:
        now = time.perf_counter()
        if all(ready(client, now) for client in clients):
            await asyncio.sleep(3)  # the server finishes the join storm (compression, GC)
            return [n for n, client in enumerate(clients) if client.latest < expected]
        await asyncio.sleep(0.05)
    now = time.perf_counter()
    behind = [
        f"#{n}(latest={client.latest} snapshots={client.snapshots} "
        f"quiet_s={now - client.heard:.1f} closed={client.closed_by_server})"
        for n, client in enumerate(clients, 1)
        if not ready(client, now)
    ]
    raise RuntimeError(
        f"{len(behind)} of {len(clients)} clients did not reach sequence {expected}, or did "
        f"not quieten, in {timeout_s:g}s: {' '.join(behind[:40])}"
    )


async def _delivered(clients: list[Client], seq: int) -> None:
    deadline = time.perf_counter() + DELIVERY_TIMEOUT_S
    while time.perf_counter() < deadline:
        if all(seq in client.arrivals for client in clients):
            return
        await asyncio.sleep(0.001)


def _cuts(latencies: list[float]) -> list[float]:
    """The 99 percentiles; one figure alone is each of them (a short soak may see one ping)."""
    return statistics.quantiles(
        latencies * (2 if len(latencies) == 1 else 1), n=100, method="inclusive"
    )


def _quantile(latencies: list[float], percent: int) -> float | None:
    if not latencies:
        return None
    return _cuts(latencies)[percent - 1]


def _percentiles(latencies: list[float]) -> dict[str, str]:
    if not latencies:
        return {"p50_ms": "n/a", "p95_ms": "n/a", "p99_ms": "n/a"}
    cuts = _cuts(latencies)
    return {
        "p50_ms": f"{statistics.median(latencies):.1f}",
        "p95_ms": f"{cuts[94]:.1f}",
        "p99_ms": f"{cuts[98]:.1f}",
    }
