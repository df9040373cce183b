"""The one-process rule of the in-memory channel layer, with two real server processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessions.management.server_process import ServerProcess, migrate, server_env


def test_a_second_server_process_refuses_the_in_memory_layer(tmp_path: Path) -> None:
    env = server_env(SQLITE_PATH=str(tmp_path / "one.sqlite3"), DATABASE_URL="", REDIS_URL="")
    migrate(env)
    with ServerProcess("daphne", env):
        second = ServerProcess("uvicorn", env)
        with pytest.raises(RuntimeError, match="in-memory channel layer"):
            second.start(timeout=20)
        second.stop()
