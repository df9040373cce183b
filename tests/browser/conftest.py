"""Browser tests: Debian's Chromium driven by Playwright against a real ASGI server process.

They run in their own pytest invocation (``pytest -m browser``): once the sync Playwright
driver has run, later asyncio tests in the same process fail.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from sessions.management.server_process import ServerProcess, migrate, server_env

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup.sh (it installs Debian's chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    database = tmp_path_factory.mktemp("db") / "browser.sqlite3"
    env = server_env(SQLITE_PATH=str(database), DATABASE_URL="", REDIS_URL="")
    migrate(env)
    with ServerProcess("daphne", env) as running:
        yield running


@pytest.fixture
def new_context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Any]:
    contexts: list[BrowserContext] = []

    def make(width: int = 1280, height: int = 800, *, is_mobile: bool = False) -> BrowserContext:
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="ja-JP", is_mobile=is_mobile
        )
        contexts.append(context)
        return context

    yield make
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for index, context in enumerate(contexts):
            for number, page in enumerate(context.pages):
                page.screenshot(path=ARTIFACTS / f"{request.node.name}-{index}-{number}.png")
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def create_workshop(page: Page, base_url: str, *, title: str, team: str) -> str:
    """Create a workshop through the form, typing as a person would; returns the join code."""
    page.goto(base_url + "/")
    page.locator("#id_title").press_sequentially(title)
    page.locator("#id_team_name").press_sequentially(team)
    page.get_by_role("button", name="ワークショップを作成").click()
    expect(page).to_have_url(re.compile(r"/w/\w+/facilitate/$"))
    return page.locator("#join-code").inner_text()


def join_workshop(page: Page, base_url: str, code: str, name: str) -> None:
    page.goto(base_url + "/join/")
    page.locator("#id_code").press_sequentially(code)
    page.locator("#id_display_name").press_sequentially(name)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/w/\w+/$"))
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")
