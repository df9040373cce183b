"""Tests that need PostgreSQL or Redis skip where those do not answer, with the reason, and
fail instead when GYAKUSAN_REQUIRE_SERVICES=true (as .ci/run sets)."""

from __future__ import annotations

from typing import NoReturn

import psycopg
import pytest
from django.db import connection

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
