"""The Content-Security-Policy in a real browser: the console, the projector and a participant's
page work under it (the live socket, htmx, the timer, drag and drop), and nothing is blocked nor
logged as an error while a note is posted and the step changes."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, ConsoleMessage, expect

from sessions.management.server_process import ServerProcess
from tests.browser.conftest import create_workshop, join_workshop

# Set before any script of a page runs: every violation of its policy, reported to the test.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.gyakusanReportViolation(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") + " at "
    + event.sourceFile + ":" + event.lineNumber + " " + (event.sample || "")
  );
});
"""


def _watched(context: BrowserContext, problems: list[str]) -> BrowserContext:
    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(
                f"console error on {message.page.url if message.page else '?'}: {message.text}"
            )

    def on_error(error: Any) -> None:
        problems.append(f"uncaught {error.error}")

    context.expose_function("gyakusanReportViolation", lambda text: problems.append(f"CSP {text}"))
    context.add_init_script(REPORT_VIOLATIONS)
    context.on("console", on_console)
    context.on("weberror", on_error)
    return context


def test_no_policy_violation_nor_console_error_while_the_room_works(
    server: ServerProcess, new_context: Any
) -> None:
    problems: list[str] = []
    facilitator = _watched(new_context(1440, 900), problems)
    console = facilitator.new_page()
    code = create_workshop(console, server.url, title="CSP の確認", team="学習アプリ")
    projector = facilitator.new_page()
    projector.goto(console.url.replace("/facilitate/", "/projector/"))
    hanako = _watched(new_context(), problems).new_page()
    join_workshop(hanako, server.url, code, "山田 花子")
    everyone = (console, projector, hanako)
    for page in everyone:
        expect(page.locator("#connection")).to_have_attribute("data-state", "online")

    # The step changes twice, by the button and by the keyboard (keys.js).
    console.locator("#step-next").click()
    expect(console.locator("#step h1")).to_have_text("顧客は誰か？")
    console.keyboard.press("ArrowRight")
    for page in everyone:
        expect(page.locator("#step h1")).to_have_text("顧客について何を知っているか？")
    console.locator("#timer-start").click()
    expect(hanako.locator("#timer")).to_have_attribute("data-state", "running")

    # A note is posted (Enter, notes.js) and reaches her board; revealed, everyone sees it.
    field = hanako.locator("#composer-customer-customer-facts-text")
    field.click()
    field.press_sequentially("予算は年 300 万円")
    hanako.keyboard.press("Enter")
    expect(field).to_have_value("")
    expect(hanako.locator("#board-customer")).to_contain_text("予算は年 300 万円")
    console.locator("#step-next").click()
    for page in everyone:
        expect(page.locator("#board-customer")).to_contain_text("予算は年 300 万円")
    expect(hanako.locator(".note .own-only").first).to_be_visible()  # the nonce'd style

    # The language switch sends itself (autosubmit.js, no onchange attribute).
    visitor = _watched(new_context(), problems).new_page()
    visitor.goto(server.url + "/")
    visitor.locator("#lang-select").select_option("en")
    expect(visitor.locator("html")).to_have_attribute("lang", "en")

    # The document preview is a page of its own, under the same policy.
    document = facilitator.new_page()
    document.goto(console.url.replace("/facilitate/", "/document/"))
    expect(document.locator(".cover-title")).to_have_text("CSP の確認")
    hanako.wait_for_timeout(500)  # a late report still arrives before the verdict
    assert problems == [], "\n".join(problems)

    # The watch is not blind: an inline script put into a page is blocked, and reported.
    document.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ranInline = true'; document.body.appendChild(s); }"
    )
    document.wait_for_timeout(300)
    assert document.evaluate("window.ranInline === undefined")
    reported = [problem.split(" blocked ")[0] for problem in problems if problem.startswith("CSP")]
    assert reported == ["CSP script-src-elem"], problems
