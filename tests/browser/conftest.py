"""Browser tests: Debian's Chromium driven by Playwright against a real ASGI server process.

They run in their own pytest invocation (``pytest -m browser``): once the sync Playwright
driver has run, later asyncio tests in the same process fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Generator, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

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


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server for every journey: each makes a workshop of its own, so none sees another's
    (a test that stops its server has one of its own: test_live_socket's ``restartable``)."""
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


class Room(NamedTuple):
    """A workshop open in browsers: its join code, the facilitator's console, the projector (a
    second tab of the facilitator's browser) and the participants' pages, in the order they
    joined. Unpacks: ``code, console, projector, (hanako, ichiro) = room(...)``."""

    code: str
    console: Page
    projector: Page
    people: tuple[Page, ...]

    @property
    def everyone(self) -> list[Page]:
        return [self.console, self.projector, *self.people]


@pytest.fixture
def room(server: ServerProcess, new_context: Any) -> Callable[..., Room]:
    """Opens a room: ``room(title=..., team=..., people=("山田 花子", ...), phones=(...))``.
    The console is a 1440×900 laptop, the projector 1920×1080, each participant a laptop of
    their own, or a phone (390×844) for the names in ``phones``."""

    def open_room(
        *, title: str, team: str, people: Sequence[str] = (), phones: Collection[str] = ()
    ) -> Room:
        facilitator = new_context(1440, 900)
        console = facilitator.new_page()
        code = create_workshop(console, server.url, title=title, team=team)
        projector = facilitator.new_page()
        projector.set_viewport_size({"width": 1920, "height": 1080})
        projector.goto(console.url.replace("/facilitate/", "/projector/"))
        pages = []
        for name in people:
            context = new_context(390, 844, is_mobile=True) if name in phones else new_context()
            page = context.new_page()
            join_workshop(page, server.url, code, name)
            pages.append(page)
        return Room(code, console, projector, tuple(pages))

    return open_room
