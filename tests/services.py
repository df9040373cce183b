"""Tests that need PostgreSQL or Redis skip where those do not answer, with the reason, and
fail instead when GYAKUSAN_REQUIRE_SERVICES=true (as .ci/run sets)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from typing import NoReturn

import psycopg
import pytest
import redis
from django.db import connection

from sessions.management.server_process import BASE_DIR, migrate
from sessions.management.server_process import fresh_database as fresh_database  # re-exported
from workshop.env import env_bool


def required() -> bool:
    return env_bool("GYAKUSAN_REQUIRE_SERVICES", False)


def unavailable(reason: str) -> NoReturn:
    if required():
        pytest.fail(f"{reason} (GYAKUSAN_REQUIRE_SERVICES=true turns this skip into a failure)")
    pytest.skip(reason)


def postgres_missing() -> str | None:
    """Why the default database cannot race real transactions here, or None when it can."""
    if connection.vendor != "postgresql":
        return "these tests race real transactions: run them with DATABASE_URL=postgres://…"
    database = connection.settings_dict
    try:
        psycopg.connect(
            host=database["HOST"] or None,
            port=database["PORT"] or None,
            user=database["USER"] or None,
            password=database["PASSWORD"] or None,
            dbname=database["NAME"],
            connect_timeout=3,
        ).close()
    except psycopg.Error as error:
        return f"PostgreSQL does not answer: {error}"
    return None


def scaleout_services() -> tuple[str, str]:
    """The PostgreSQL and Redis of a scale-out run, both answering: SCALEOUT_DATABASE_URL and
    SCALEOUT_REDIS_URL, at the standard local ports when unset (as scripts/test.sh), and not
    configured at all when set empty."""
    database_url = os.environ.get(
        "SCALEOUT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"
    )
    redis_url = os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/0")
    if not database_url or not redis_url:
        unavailable("SCALEOUT_DATABASE_URL or SCALEOUT_REDIS_URL is set empty: no scale-out here")
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        unavailable(f"Redis at {redis_url} does not answer: {error}")
    try:
        psycopg.connect(database_url, connect_timeout=3).close()
    except psycopg.Error as error:
        unavailable(f"PostgreSQL at {database_url} does not answer: {error}")
    return database_url, redis_url


@dataclass(frozen=True)
class SeededDemo:
    """The demo workshop in a server's database: its join code and the facilitator's link."""

    code: str
    facilitator_link: str


def seed_demo(env: dict[str, str]) -> SeededDemo:
    """Migrate the database of ``env`` and load the demo workshop into it (seed_demo)."""
    migrate(env)
    printed = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    code = re.search(r"code=(\S+)", printed)
    link = re.search(r"facilitator=(\S+)", printed)
    assert code and link, printed
    return SeededDemo(code.group(1).replace("-", ""), link.group(1))
