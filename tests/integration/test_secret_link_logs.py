"""The facilitator's secret link never reaches the server's log: opening it is in daphne's access
log with the token masked, and so is a wrong link in Django's "Not Found" warning. Whoever
reads the logs must not be able to take control of a workshop."""

from __future__ import annotations

import re
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest

from sessions.management.server_process import ServerProcess, migrate, server_env
from sessions.management.web_client import Browser

SECRET_LINK = re.compile(r"/f/([\w-]{43})/")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    database = tmp_path_factory.mktemp("db") / "links.sqlite3"
    env = server_env(SQLITE_PATH=str(database), DATABASE_URL="", REDIS_URL="")
    migrate(env)
    with ServerProcess("daphne", env) as running:
        yield running


def test_the_secret_link_is_masked_in_the_servers_log(server: ServerProcess) -> None:
    facilitator = Browser(server.url)
    console = facilitator.post(
        "/", {"title": "秘密のリンク", "team_name": "ログ確認チーム", "language": "ja"}
    )
    page = facilitator.download(console.removeprefix(server.url)).decode()
    token = SECRET_LINK.search(page).group(1)  # type: ignore[union-attr]  # the link to share
    # The link opened on another device, and a link that is one character short.
    Browser(server.url).get(f"/f/{token}/")
    with pytest.raises(urllib.error.HTTPError):
        Browser(server.url).get(f"/f/{token[:-1]}/")

    log = Path(server.log.name).read_text(errors="replace")
    assert token[:-1] not in log
    opened = [line for line in log.splitlines() if '"GET /f/' in line]
    assert len(opened) == 3, log  # created, opened, mistyped: each logged, none readable
    assert "Not Found: /f/" in log
