"""A server killed outright (SIGKILL: out of memory, a supervisor giving up) takes its PDF
workers with it: nothing it spawned keeps running, holding a couple of hundred megabytes each."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from sessions.management.server_process import ServerProcess, server_env
from sessions.management.web_client import Browser
from tests.services import seed_demo

GONE_WITHIN_S = 5.0


def _stat(pid: int) -> tuple[int, str, str] | None:
    """Parent, state and start time of a process from /proc (Linux), or None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name in parentheses may hold spaces: the fields follow its last ")".
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], fields[19]


def _children(parent: int) -> dict[int, str]:
    """Every process whose parent is ``parent``, with its start time (a pid can be reused)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[0] == parent:
                found[int(entry.name)] = stat[2]
    return found


def _running(pid: int, started: str) -> bool:
    """Still this process, and not merely a zombie waiting to be reaped."""
    stat = _stat(pid)
    return stat is not None and stat[2] == started and stat[1] != "Z"


def _describe(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return f"{pid} (gone)"
    rss = next((line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")), "?")
    return f"{pid} ({int(rss) // 1024 if rss.isdigit() else rss} MB): {command[:120]}"


def test_the_pdf_workers_end_when_the_server_is_killed_outright(
    tmp_path: Path,
) -> None:
    if not Path("/proc/self/stat").exists():
        pytest.skip("reads the process tree from /proc (Linux)")
    env = server_env(SQLITE_PATH=str(tmp_path / "workers.sqlite3"), DATABASE_URL="", REDIS_URL="")
    seeded = seed_demo(env)
    code, link = seeded.code, seeded.facilitator_link

    with ServerProcess("daphne", env) as server:
        facilitator = Browser(server.url)
        facilitator.get(link)
        body = facilitator.download(f"/w/{code}/document.pdf", timeout=120)
        assert body.startswith(b"%PDF")
        # The PDF worker (and multiprocessing's resource tracker): nothing else is spawned.
        spawned = _children(server.pid)
        assert spawned, "no worker process was found under the server"
        try:
            os.kill(server.pid, signal.SIGKILL)
            killed = time.monotonic()
            deadline = killed + GONE_WITHIN_S
            while time.monotonic() < deadline and any(
                _running(pid, started) for pid, started in spawned.items()
            ):
                time.sleep(0.1)
            left = [_describe(pid) for pid, started in spawned.items() if _running(pid, started)]
            print(f"{len(spawned)} children of the server gone {time.monotonic() - killed:.1f}s")
            assert left == [], (
                f"still running {GONE_WITHIN_S}s after the server was killed:\n" + "\n".join(left)
            )
        finally:
            for pid, started in spawned.items():
                if _running(pid, started):  # a failed run must not leave them behind either
                    os.kill(pid, signal.SIGKILL)
