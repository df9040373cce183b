"""A post whose answer never arrives is posted again by the person, and what it creates
exists once: the id is minted once per draft, kept with the draft, and the server answers a
repeat with what the first post made."""

from __future__ import annotations

import re

from playwright.sync_api import Route, expect


def test_a_note_whose_answer_was_lost_is_posted_again_and_exists_once(room) -> None:
    _code, console, _projector, (hanako,) = room(
        title="再送の確認", team="通信の悪い会議室", people=("山田 花子",)
    )
    for title in ("顧客は誰か？", "顧客について何を知っているか？"):
        console.locator("#step-next").click()
        expect(hanako.locator("#step h1")).to_have_text(title)

    dropped: list[int] = []

    def lose_the_first_answer(route: Route) -> None:
        if dropped:
            route.continue_()
            return
        answer = route.fetch()  # the server handles the post…
        dropped.append(answer.status)
        route.abort("connectionreset")  # …and the answer is lost on the way back

    hanako.route(re.compile(r"/w/\w+/notes/$"), lose_the_first_answer)
    field = hanako.locator("#composer-customer-customer-facts-text")
    field.click()
    field.press_sequentially("月末は経理担当が一人で残業している")
    with hanako.expect_event("requestfailed"):
        hanako.keyboard.press("Enter")
    # The post failed as far as the browser knows: what was typed is back in the composer.
    expect(field).to_have_value("月末は経理担当が一人で残業している")
    assert dropped == [200], dropped  # the composer, emptied: the note was stored
    hanako.keyboard.press("Enter")  # she tries again
    expect(field).to_have_value("")
    notes = hanako.locator("#board-customer .note", has_text="月末は経理担当が一人で残業している")
    expect(notes).to_have_count(1)
    # The facilitator's count of private notes says one too (a reload reads the database).
    console.reload()
    expect(console.locator("#note-counts-customer")).to_contain_text("山田 花子 1")

    # The next note is a new one: the id was freed once the post went through.
    field.press_sequentially("経理担当は 40 代")
    hanako.keyboard.press("Enter")
    expect(field).to_have_value("")
    expect(hanako.locator("#board-customer .note")).to_have_count(2)
