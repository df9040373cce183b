"""Run the ASGI app in a server subprocess (daphne or uvicorn), for benchmarks and browser tests.

Each server gets its own environment: a file-backed SQLite database by default, or whatever
DATABASE_URL / REDIS_URL the caller passes, so that several processes can share one workshop.
Another ASGI application can be served the same way (``app=``): bench_live's bare broadcast.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit, urlunsplit

import psycopg

from workshop.limits import WEBSOCKET_MAX_BYTES

BASE_DIR = Path(__file__).resolve().parents[2]
SERVERS = ("daphne", "uvicorn")
APP = "workshop.asgi:application"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


def collectstatic(env: dict[str, str]) -> None:
    """Production settings (DEBUG=false) serve static files from collectstatic's manifest."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


@contextmanager
def fresh_database(database_url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database beside the one of ``database_url``, dropped afterwards;
    its URL. Server processes of one run share it, and nothing else does."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(database_url, autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(**overrides: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "workshop.settings", **overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def benchmark_env(folder: str, **overrides: str) -> dict[str, str]:
    """A production-like server for a benchmark, its files in ``folder``, migrated and with its
    static files collected: DEBUG off, a fresh secret key, and the join limits lifted (every
    benchmark client comes from one address). SQLite and the in-memory layer unless
    ``overrides`` name a DATABASE_URL and a REDIS_URL."""
    settings = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SQLITE_PATH": str(Path(folder) / "bench.sqlite3"),
        "STATIC_ROOT": str(Path(folder) / "static"),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "JOIN_ATTEMPTS_PER_MINUTE": "100000",
        "JOINS_PER_ADDRESS_PER_MINUTE": "100000",
        "JOINS_PER_WORKSHOP_PER_MINUTE": "100000",
    }
    env = server_env(**{**settings, **overrides})
    migrate(env)
    collectstatic(env)
    return env


class ServerProcess:
    """``with ServerProcess("daphne", env) as server: server.url``

    ``app`` names the ASGI application (``module:attribute``), Gyakusan's by default; it is
    served the same way whatever it is, and must answer a GET of ``/`` once it is up.
    """

    def __init__(
        self, server: str, env: dict[str, str], *, port: int | None = None, app: str = APP
    ) -> None:
        if server not in SERVERS:
            raise ValueError(f"server must be one of {SERVERS}")
        self.server = server
        self.env = env
        self.app = app
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        # Whether stop() had to kill it: a server that ignores SIGTERM would also hang a deploy.
        self.killed = False

    def command(self) -> list[str]:
        app = self.app
        if self.server == "daphne":
            # As scripts/serve.sh runs it: daphne with the secret links masked in its access log.
            server = "workshop.server"
            return [sys.executable, "-m", server, "-b", "127.0.0.1", "-p", str(self.port), app]
        return [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
            "--no-access-log",
            # As the README runs it: a frame past the room's limit closes the socket (1009).
            "--ws-max-size",
            str(WEBSOCKET_MAX_BYTES),
        ]

    def start(self, timeout: float = 30) -> ServerProcess:
        # The server's log goes to a file: a pipe nobody reads fills up and stalls the server.
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - open while the server runs
            prefix=f"gyakusan-{self.server}-", suffix=".log"
        )
        self.process = subprocess.Popen(
            self.command(), cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.server} exited early:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):
                    return self
            except urllib.error.HTTPError as answer:
                raise RuntimeError(f"{self.server} answers {answer.code} on {self.url}/") from None
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.server} did not answer on {self.url} within {timeout}s")

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def rss_mb(self) -> float:
        """Resident memory of the server process, from /proc (Linux)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_ms(self) -> float:
        """CPU time the server process has used so far (user + system, all its threads), in
        milliseconds, from /proc (Linux): the difference of two readings is what lay between."""
        # The fields after the command's name, which is in parentheses and may hold spaces:
        # utime and stime are the 14th and 15th of the line, in clock ticks.
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])
        return ticks * 1000 / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.killed = True
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
