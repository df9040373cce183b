"""A full board in real browsers: a note posted on a 150-note board reaches the others once, in
its cell, with the right counts, and only its author gets its controls (issue 11)."""

from __future__ import annotations

import concurrent.futures
import uuid

from playwright.sync_api import expect

from sessions.management.web_client import Browser

SEEDED = 150
CELL = "customer-facts"


def _seed(base_url: str, code: str) -> None:
    """150 notes by five colleagues, posted through the composer's own action."""

    def colleague(number: int) -> None:
        browser = Browser(base_url)
        browser.post("/join/", {"code": code, "display_name": f"同僚 {number}"})
        for n in range(SEEDED // 5):
            browser.post(
                f"/w/{code}/notes/",
                {
                    "id": str(uuid.uuid4()),  # a new note (an id seen before is refused)
                    "kind": "customer",
                    "cell": CELL,
                    "text": f"同僚 {number} の事実 {n} 番",
                },
                htmx=True,
            )

    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        list(pool.map(colleague, range(1, 6)))


def _full_board(room, server):
    """Hanako and Ichiro in the group step of Listen, 150 notes on the board."""
    opened = room(title="満員のボード", team="計測", people=("山田 花子", "佐藤 一郎"))
    for title in ("顧客は誰か？", "顧客について何を知っているか？", "顧客ボードを共有する"):
        opened.console.locator("#step-next").click()
        expect(opened.console.locator("#step h1")).to_have_text(title)
    _seed(server.url, opened.code)
    return opened


def test_a_note_on_a_150_note_board_appears_once_in_its_cell_with_its_controls_for_its_author(
    room, server
) -> None:
    opened = _full_board(room, server)
    _code, console, _projector, (hanako, ichiro) = opened
    ichiro.reload()  # his page is drawn whole, 150 notes and all
    cell = f"#cell-customer-{CELL}"
    expect(ichiro.locator(f"{cell} .note")).to_have_count(SEEDED)
    expect(hanako.locator(f"{cell} .note")).to_have_count(SEEDED)  # by 150 pushes

    composer = hanako.locator(f"#composer-customer-{CELL}-text")
    composer.click()
    composer.press_sequentially("学校の予算は年度末に余る")
    hanako.keyboard.press("Enter")
    expect(composer).to_have_value("")

    for page in (ichiro, hanako, opened.projector, console):
        notes = page.locator(f"{cell} .note", has_text="学校の予算は年度末に余る")
        expect(notes).to_have_count(1)
        expect(page.locator(f"{cell} .note")).to_have_count(SEEDED + 1)
        expect(page.locator("#signal-customer")).to_contain_text(f"ポストイット {SEEDED + 1} 枚")
    # Her note has her controls; his view of it has none, nor has the projector's.
    mine = hanako.locator(f"{cell} .note", has_text="学校の予算は年度末に余る")
    expect(mine.get_by_role("button", name="仮定にする")).to_be_visible()
    theirs = ichiro.locator(f"{cell} .note", has_text="学校の予算は年度末に余る")
    expect(theirs.locator("form")).to_have_count(0)
    expect(ichiro.locator(f"{cell} .note-actions")).to_have_count(0)
    expect(opened.projector.locator(".note-tools")).to_have_count(0)
    # The controls work, and the change reaches him as that note alone.
    mine.get_by_role("button", name="仮定にする").click()
    expect(theirs.locator(".note-kind")).to_have_text("仮定")
    expect(mine.get_by_role("button", name="事実にする")).to_be_visible()
    expect(ichiro.locator(f"{cell} .note")).to_have_count(SEEDED + 1)


def test_a_move_on_a_150_note_board_lands_once_in_its_group_and_keeps_an_open_editor(
    room, server
) -> None:
    _code, console, projector, (hanako, ichiro) = _full_board(room, server)
    cell = f"#cell-customer-{CELL}"
    composer = hanako.locator(f"#composer-customer-{CELL}-text")
    composer.click()
    composer.press_sequentially("教員は夏休みに教材を準備する")
    hanako.keyboard.press("Enter")
    for page in (ichiro, hanako, console, projector):
        expect(page.locator(f"{cell} .note")).to_have_count(SEEDED + 1)
    loose = f"#loose-customer-{CELL} .note .note-text"
    written = ichiro.locator(loose).all_inner_texts()

    # Hanako is rewording her note when the facilitator groups it.
    mine = hanako.locator(f"{cell} .note", has_text="教員は夏休みに教材を準備する")
    mine.locator(".note-edit summary").click()
    editor = mine.locator("textarea")
    editor.fill("")
    editor.press_sequentially("教員は春休みに")
    console.locator(f"{cell} .note", has_text="教員は夏休みに教材を準備する").get_by_label(
        "グループへ移動"
    ).select_option(label="新しいグループ")
    for page in (ichiro, hanako, projector, console):
        group = page.locator(f"{cell} .note-group")
        expect(group).to_have_count(1)
        expect(group.locator(".note")).to_have_count(1)
        expect(group.locator(".group-count")).to_have_text("1 枚")
        expect(page.locator(f"{cell} .note")).to_have_count(SEEDED + 1)  # moved, not copied
    editor = hanako.locator(f"{cell} .note-group .note textarea")
    expect(editor).to_be_visible()
    expect(editor).to_have_value("教員は春休みに")

    # An older note joins the group: it lands before hers, as a reload draws them.
    older = console.locator(f"{cell} .note", has_text="同僚 1 の事実 3 番")
    move = older.get_by_label("グループへ移動")
    move.focus()  # the menu lists the groups as the board stands when it is opened
    move.select_option(label="グループ (1)")
    for page in (ichiro, projector):
        group = page.locator(f"{cell} .note-group")
        expect(group.locator(".group-count")).to_have_text("2 枚")
        expect(group.locator(".note").first).to_contain_text("同僚 1 の事実 3 番")
        expect(group.locator(".note").nth(1)).to_contain_text("教員は夏休みに教材を準備する")
        expect(page.locator(f"{cell} .note")).to_have_count(SEEDED + 1)
    shown = ichiro.locator(f"{cell} .note-group .note-text").all_inner_texts()
    ichiro.reload()
    expect(ichiro.locator(f"{cell} .note-group .note")).to_have_count(2)
    assert ichiro.locator(f"{cell} .note-group .note-text").all_inner_texts() == shown

    # Out again, one by one: the emptied group goes, the notes are back in their places.
    for text in ("同僚 1 の事実 3 番", "教員は夏休みに教材を準備する"):
        console.locator(f"{cell} .note-group .note", has_text=text).get_by_label(
            "グループへ移動"
        ).select_option(label="グループから外す")
    for page in (ichiro, projector):
        expect(page.locator(f"{cell} .note-group")).to_have_count(0)
        expect(page.locator(loose)).to_have_count(SEEDED + 1)
        assert page.locator(loose).all_inner_texts() == written
    expect(hanako.locator(f"{cell} .note textarea")).to_have_value("教員は春休みに")
