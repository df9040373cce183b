"""Refine in real browsers: three roles write their parts at once, the merged proposal is read
aloud on the projector, its red entries become the concerns, and the questionnaire counts them."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def _jump(console: Page, title: str, everyone: list[Page]) -> None:
    console.locator("#agenda").get_by_role("button", name=re.compile(title)).click()
    for page in (console, *everyone):
        expect(page.locator("#step h1")).to_contain_text(title)


def _add_entry(page: Page, kind: str, text: str, answer: str = "", *, red: bool = False) -> None:
    form = page.locator(f"#composer-{kind}")
    form.locator("input[name=text]").press_sequentially(text)
    if answer:
        form.locator("textarea[name=answer]").press_sequentially(answer)
    if red:
        form.locator("input[name=red]").check()
    form.get_by_role("button", name="追加").click()
    expect(page.locator(f"#refine-{kind}")).to_contain_text(text)
    expect(form.locator("input[name=text]")).to_have_value("")


def _texts(page: Page, kind: str) -> list[str]:
    return page.locator(f"#refine-{kind} .entry-body > p:first-child").all_inner_texts()


def test_three_roles_write_merge_read_aloud_and_the_concerns_reach_day_two(room) -> None:
    _code, console, projector, (planner, sales, developer) = room(
        title="提案づくり",
        team="会計アプリチーム",
        people=("山田 花子", "佐藤 一郎", "鈴木 次郎"),
        phones=("山田 花子",),
    )
    people = [planner, sales, developer, projector]

    # The facilitator gives each person a role; each sees theirs and what it writes.
    _jump(console, "役割ごとのワーク", people)
    for index, role in enumerate(("企画役", "営業役", "開発者役"), start=1):
        console.locator("#roles-panel select").nth(index - 1).select_option(label=role)
        expect(console.locator("#refine-summary, #roles-panel").first).to_be_visible()
    expect(planner.locator("#my-role")).to_contain_text("あなたの役割：企画役")
    expect(sales.locator("#my-role")).to_contain_text("あなたの役割：営業役")
    expect(developer.locator("#my-role")).to_contain_text("あなたの役割：開発者役")
    # Each part has its writer's controls only.
    expect(sales.locator("#composer-faq")).to_be_visible()
    expect(sales.locator("#composer-demo")).to_have_count(0)
    expect(planner.locator("#slot-edit-customer")).to_be_visible()
    expect(developer.locator("#slot-edit-customer")).to_have_count(0)

    # All three write at once. The planner edits a slot; the sentence follows the typing.
    planner.locator("#slot-edit-customer").click()
    editor = planner.locator("#editor")
    slot = editor.locator("input[name=text]")
    slot.press_sequentially("中小企業の経理担当")
    sales.locator("#composer-faq input[name=text]").press_sequentially("スマホでも使えますか？")
    developer.locator("#composer-demo input[name=text]").press_sequentially("ログインする")
    expect(editor.locator(".editor-preview [data-slot=customer]")).to_have_text(
        "中小企業の経理担当"
    )
    editor.get_by_role("button", name="保存").click()
    expect(editor).to_be_hidden()
    developer.locator("#composer-demo input[name=text]").press("Enter")
    sales.locator("#composer-faq textarea[name=answer]").press_sequentially(
        "はい、ブラウザで使えます。"
    )
    sales.locator("#composer-faq").get_by_role("button", name="追加").click()
    for page in (console, planner, sales, developer, projector):
        expect(page.locator("#refine-summary")).to_contain_text("中小企業の経理担当の顧客")
        expect(page.locator("#refine-faq")).to_contain_text("スマホでも使えますか？")
        expect(page.locator("#refine-demo")).to_contain_text("ログインする")

    _add_entry(sales, "faq", "オフラインでも使えますか？", "いいえ、今はできません。", red=True)
    for step in ("レシートを撮影する", "仕訳の候補を確認する"):
        _add_entry(developer, "demo", step)
    # The developer reorders by keyboard: the last step moves up, keeping the focus.
    last = developer.locator("#refine-demo .entry").last
    last.locator("button[id^=entry-up-]").click()
    expect(developer.locator("#refine-demo .entry").nth(1)).to_contain_text("仕訳の候補を確認する")
    developer.keyboard.press("Enter")  # the focus stayed on ↑: the step moves up again
    expect(developer.locator("#refine-demo .entry").first).to_contain_text("仕訳の候補を確認する")
    # … and by dragging the handle: the first step back to the end.
    handle = developer.locator("#refine-demo .entry").first.locator(".entry-handle")
    target = developer.locator("#refine-demo .entry").last
    box = target.bounding_box()
    assert box is not None
    start = handle.bounding_box()
    assert start is not None
    developer.mouse.move(start["x"] + 4, start["y"] + 4)
    developer.mouse.down()
    developer.mouse.move(box["x"] + 20, box["y"] + box["height"] - 4, steps=12)
    developer.mouse.up()
    expected = ["ログインする", "レシートを撮影する", "仕訳の候補を確認する"]
    expect(projector.locator("#refine-demo .entry-step")).to_have_text(expected)
    # A risky step is marked red.
    developer.locator("#refine-demo .entry", has_text="レシートを撮影する").get_by_role(
        "button", name="赤"
    ).click()
    expect(projector.locator("#refine-concerns")).to_contain_text("レシートを撮影する")

    # Two people edit the same entry: the second sees the other's text, and keeps their own.
    faq = "#refine-faq .entry:has-text('スマホでも使えますか？')"
    console.locator(faq).get_by_role("button", name="編集").click()
    sales.locator(faq).get_by_role("button", name="編集").click()
    sales.locator("#editor textarea[name=answer]").fill("")
    sales.locator("#editor textarea[name=answer]").press_sequentially("はい、アプリもあります。")
    sales.locator("#editor").get_by_role("button", name="保存").click()
    expect(sales.locator("#editor")).to_be_hidden()
    answer = console.locator("#editor textarea[name=answer]")
    answer.fill("")
    answer.press_sequentially("はい、スマホ対応です。")
    console.locator("#editor").get_by_role("button", name="保存").click()
    expect(console.locator("#editor .field-error")).to_contain_text("他の人が先に保存しました")
    expect(console.locator("#editor .editor-theirs")).to_contain_text("はい、アプリもあります。")
    expect(answer).to_have_value("はい、スマホ対応です。")
    console.locator("#editor").get_by_role("button", name="キャンセル").click()
    expect(projector.locator("#refine-faq")).to_contain_text("はい、アプリもあります。")

    # Merged: one document in the deck's order, read aloud section by section.
    _jump(console, "マージして読み上げる", people)
    headings = projector.locator(".proposal .panel-head h2")
    expect(headings).to_have_text(["概要", "FAQ", "デモシナリオ"])
    console.locator("#reading-start").click()
    stage = projector.locator(".reading-stage")
    expect(projector.locator(".reading-section")).to_have_text("概要")
    expect(stage).to_contain_text("中小企業の経理担当の顧客")
    expect(projector.locator(".proposal")).to_be_hidden()
    expect(sales.locator("#reading-next")).to_have_count(0)  # not the reader now
    planner.locator("#reading-next").click()
    expect(projector.locator(".reading-section")).to_have_text("FAQ")
    expect(stage).to_contain_text("オフラインでも使えますか？")
    sales.locator("#reading-next").click()
    expect(projector.locator(".reading-section")).to_have_text("デモシナリオ")
    expect(stage.locator(".entry-step")).to_have_text(expected)
    developer.locator("#reading-next").click()
    expect(projector.locator(".reading-section")).to_have_text("Day 2 に持ち帰る懸念点")
    expect(stage.locator(".concern")).to_have_text(
        [re.compile("オフラインでも使えますか？"), re.compile("レシートを撮影する")]
    )

    # The questionnaire, answered by all three, counts the concerns left in the proposal.
    _jump(console, "Next Step", people)
    for page in (planner, sales, developer):
        form = page.locator("#questionnaire-form")
        form.locator("label:has(input[name=go_straight][value=yes])").click()
        form.locator("label:has(input[name=refine_rating][value='4'])").click()
        form.locator("input[name=refine_comment]").press_sequentially("懸念が残っている")
        form.get_by_role("button", name="回答を送信").click()
        expect(page.locator("#questionnaire-form .saved")).to_be_visible()
    summary = projector.locator("#questionnaire-summary")
    expect(summary).to_contain_text("3 人が回答しました")
    expect(summary).to_contain_text("はい 3")
    expect(summary.locator(".ranking-top")).to_contain_text("Refine")
    expect(summary.locator(".ranking-top")).to_contain_text("提案書に赤字が 2 件残っている")
