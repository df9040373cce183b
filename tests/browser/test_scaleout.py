"""Scale-out by configuration only: two server processes (daphne and uvicorn) on one PostgreSQL
database and one Redis channel layer serve one workshop; a browser on each sees the other's
changes. Skips where PostgreSQL or Redis is not reachable, unless GYAKUSAN_REQUIRE_SERVICES=true.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from sessions.management.server_process import ServerProcess, migrate, server_env
from tests.browser.conftest import create_workshop, join_workshop
from tests.services import fresh_database, scaleout_services


@pytest.fixture(scope="module")
def services() -> Iterator[tuple[str, str]]:
    """A fresh PostgreSQL database for this run, and the Redis URL."""
    database_url, redis_url = scaleout_services()
    with fresh_database(database_url, "gyakusan_scaleout") as fresh:
        yield fresh, redis_url


@pytest.fixture(scope="module")
def two_servers(services: tuple[str, str]) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    database_url, redis_url = services
    env = server_env(DATABASE_URL=database_url, REDIS_URL=redis_url)
    migrate(env)
    with ServerProcess("daphne", env) as first, ServerProcess("uvicorn", env) as second:
        yield first, second


def test_a_browser_on_each_process_sees_the_others_changes(two_servers, new_context) -> None:
    first, second = two_servers
    console = new_context(1440, 900).new_page()
    code = create_workshop(console, first.url, title="スケールアウト確認", team="基盤チーム")

    laptop = new_context().new_page()
    join_workshop(laptop, second.url, code, "高橋 さくら")
    # Her joining, served by the second process, reaches the console on the first.
    expect(console.locator("#participants")).to_contain_text("高橋 さくら")
    expect(console.locator("#participants")).to_contain_text("1 人中 1 人オンライン")

    # The facilitator's change on the first process reaches her on the second.
    console.locator("#step-next").click()
    expect(laptop.locator("#step h1")).to_have_text("顧客は誰か？")
    expect(console.locator("#step h1")).to_have_text("顧客は誰か？")
    console.locator("#timer-start").click()
    expect(laptop.locator("#timer")).to_have_attribute("data-state", "running")

    # A projector on the second process follows the console on the first.
    projector = console.context.new_page()
    projector.goto(f"{second.url}/w/{code.replace('-', '')}/projector/")
    expect(projector.locator("#connection")).to_have_attribute("data-state", "online")
    console.locator("#step-next").click()
    expect(projector.locator("#step h1")).to_have_text("顧客について何を知っているか？")
    expect(laptop.locator("#step h1")).to_have_text("顧客について何を知っているか？")
