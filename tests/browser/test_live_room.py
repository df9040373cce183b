"""A facilitator and two participants in separate browsers share one live room."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from sessions.management.server_process import ServerProcess
from tests.browser.conftest import create_workshop, join_workshop


def _seconds_left(page: Page) -> int:
    minutes, seconds = page.locator("#timer .timer-display").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def test_three_browsers_share_steps_timer_and_presence(server: ServerProcess, new_context) -> None:
    console = new_context(1440, 900).new_page()
    code = create_workshop(
        console, server.url, title="AI機能企画ワークショップ", team="学習アプリチーム"
    )
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)

    hanako = new_context().new_page()
    join_workshop(hanako, server.url, code, "山田 花子")
    ichiro = new_context(390, 844, is_mobile=True).new_page()
    join_workshop(ichiro, server.url, code, "佐藤 一郎")

    # The facilitator sees both arrive, live, with their Japanese names as typed.
    people = console.locator("#participants")
    expect(people).to_contain_text("山田 花子")
    expect(people).to_contain_text("佐藤 一郎")
    expect(people).to_contain_text("2 人中 2 人オンライン")

    # The facilitator advances: both participants follow.
    console.locator("#step-next").click()
    for page in (console, hanako, ichiro):
        expect(page.locator("#step h1")).to_have_text("顧客は誰か？")
        expect(page.locator("#agenda [aria-current=step]")).to_contain_text("Listen")

    # A started timer shows the same remaining seconds everywhere.
    console.locator("#timer-start").click()
    for page in (console, hanako, ichiro):
        expect(page.locator("#timer")).to_have_attribute("data-state", "running")
    readings = [_seconds_left(page) for page in (console, hanako, ichiro)]
    assert max(readings) - min(readings) <= 1, readings
    assert 170 <= min(readings) <= 180
    console.locator("#timer-pause").click()
    expect(hanako.locator("#timer")).to_have_attribute("data-state", "paused")
    paused = _seconds_left(hanako)
    hanako.wait_for_timeout(1500)
    assert _seconds_left(hanako) == paused
    console.locator("#timer-add").click()
    expect(ichiro.locator("#timer .timer-display")).to_have_text(
        f"{(paused + 60) // 60:02d}:{(paused + 60) % 60:02d}"
    )

    # Hanako's laptop drops off the network; the room moves on without her.
    hanako.evaluate("window.__sameDocument = true")
    hanako.context.set_offline(True)
    expect(hanako.locator("#connection")).to_have_attribute("data-state", "offline")
    expect(hanako.locator(".offline-banner")).to_be_visible()
    # Her row in the console's list of people (ids are database keys: found by her name).
    her_row = console.locator("#participants li", has_text="山田 花子")
    expect(her_row).to_contain_text("オフライン")
    console.locator("#step-next").click()
    expect(ichiro.locator("#step h1")).to_have_text("顧客について何を知っているか？")
    expect(hanako.locator("#step h1")).to_have_text("顧客は誰か？")

    # Back online: she catches up without reloading the page.
    hanako.context.set_offline(False)
    expect(hanako.locator("#connection")).to_have_attribute("data-state", "online")
    expect(hanako.locator("#step h1")).to_have_text("顧客について何を知っているか？")
    expect(hanako.locator(".offline-banner")).to_be_hidden()
    assert hanako.evaluate("window.__sameDocument") is True
    expect(her_row).to_contain_text("オンライン")


def test_the_projector_follows_and_shows_the_join_code(room) -> None:
    code, console, projector, _people = room(title="プロジェクター確認", team="営業チーム")
    expect(projector.locator("#join-code")).to_have_text(code)
    expect(projector.locator(".join-qr svg")).to_be_visible()
    expect(projector.locator("#step-next")).to_have_count(0)
    console.locator("#agenda").get_by_role(
        "button", name=re.compile("課題をカテゴリにまとめ")
    ).click()
    expect(projector.locator("#step h1")).to_have_text("課題をカテゴリにまとめ、スコアをつける")
    expect(projector.locator("#timer .timer-display")).to_have_text("20:00")
    # The console's own buttons carry the step it shows: wait for its push too.
    expect(console.locator("#step h1")).to_have_text("課題をカテゴリにまとめ、スコアをつける")
    # A presentation clicker sends PageDown / PageUp to the console.
    console.keyboard.press("PageDown")
    expect(projector.locator("#step h1")).to_have_text("休憩しましょう！")
    expect(console.locator("#step h1")).to_have_text("休憩しましょう！")
    console.keyboard.press("ArrowLeft")
    expect(projector.locator("#step h1")).to_have_text("課題をカテゴリにまとめ、スコアをつける")


def test_a_wrong_code_is_explained_and_the_chime_can_be_muted(
    server: ServerProcess,
    new_context,
) -> None:
    console = new_context().new_page()
    code = create_workshop(console, server.url, title="確認", team="チーム")
    page = new_context().new_page()
    page.goto(server.url + "/join/")
    page.locator("#id_code").press_sequentially("ACDE-FGHJ")
    page.locator("#id_display_name").press_sequentially("田中")
    page.keyboard.press("Enter")
    expect(page.locator(".field-error")).to_contain_text(
        "このコードのワークショップは見つかりません"
    )
    join_workshop(page, server.url, code, "田中")
    mute = page.locator("#mute-toggle")
    expect(mute).to_have_attribute("aria-pressed", "false")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.locator("#mute-toggle")).to_have_attribute("aria-pressed", "true")


def test_closing_joining_reaches_every_screen_and_the_join_page(
    room, server: ServerProcess, new_context
) -> None:
    code, console, projector, (hanako,) = room(
        title="参加締め切り確認", team="営業チーム", people=("山田 花子",)
    )
    console.locator("#joining-close").click()
    for page in (console, projector, hanako):
        expect(page.locator("#joining")).to_contain_text("参加の受付は終了しました")
    latecomer = new_context().new_page()
    latecomer.goto(f"{server.url}/join/{code.replace('-', '')}/")
    expect(latecomer.locator("#joining-closed")).to_contain_text("参加を締め切りました")
    expect(latecomer.locator("#id_display_name")).to_have_count(0)
    # Hanako, who has a seat, comes back all the same.
    hanako.reload()
    expect(hanako.locator("#step h1")).to_be_visible()
    console.locator("#joining-open").click()
    expect(projector.locator("#joining")).not_to_contain_text("参加の受付は終了しました")
    latecomer.reload()
    expect(latecomer.locator("#id_display_name")).to_be_visible()


def test_the_projector_laptop_opens_its_own_link_and_shows_the_room_only(
    room, server: ServerProcess, new_context
) -> None:
    code, console, _projector, _people = room(title="プロジェクター用リンク", team="営業チーム")
    console.locator("details.share", has=console.locator("#projector-url")).click()
    link = console.locator("#projector-url").input_value()
    assert "/p/" in link
    laptop = new_context(1920, 1080).new_page()
    laptop.goto(link)
    expect(laptop).to_have_url(re.compile(r"/w/\w+/projector/$"))
    expect(laptop.locator("#join-code")).to_have_text(code)
    expect(laptop.locator("#connection")).to_have_attribute("data-state", "online")
    console.locator("#step-next").click()
    expect(laptop.locator("#step h1")).to_have_text("顧客は誰か？")
    workshop_path = laptop.url.removesuffix("projector/")
    assert laptop.request.get(workshop_path + "export/json").status == 403
    assert laptop.request.get(workshop_path + "facilitate/").status == 403
