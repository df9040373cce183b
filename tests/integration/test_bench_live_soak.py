"""bench_live --soak runs the scale-out shape end to end: two daphne processes on PostgreSQL and
Redis, idle clients, then events; its one line carries the figures. The figures are not
asserted (a benchmark reports them); what is: the run works, and a short quiet room closes no
socket, logs no traceback and flaps no presence.
Skips where PostgreSQL or Redis is not reachable, unless GYAKUSAN_REQUIRE_SERVICES=true.
"""

from __future__ import annotations

import re
import subprocess
import sys

from sessions.management.server_process import BASE_DIR, server_env
from tests.services import scaleout_services

LINE = re.compile(
    r"^bench_live soak_s=5 servers=2 clients=4 events=3 closes=(\d+) errors=(\d+) "
    r"soak_pushes=(\d+) ping_p95_ms=\S+ p50_ms=\S+ p95_ms=\S+ p99_ms=\S+ lost=\d+ "
    r"rss_mb=\d+\+\d+$",
    re.MULTILINE,
)


def test_a_short_soak_on_two_processes_prints_its_line() -> None:
    database_url, redis_url = scaleout_services()
    command = ["bench_live", "--soak", "5", "--clients", "4", "--events", "3"]
    command += ["--database-url", database_url, "--redis-url", redis_url]
    printed = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=BASE_DIR,
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=240,
    )
    print(printed.stdout)
    assert printed.returncode == 0, printed.stderr
    line = LINE.search(printed.stdout)
    assert line, printed.stdout
    closes, errors, soak_pushes = (int(figure) for figure in line.groups())
    assert (closes, errors, soak_pushes) == (0, 0, 0), printed.stdout
