"""Test/Iterate and Next step in real browsers: two people saving one cell of the plan, and
the questionnaire's answers reaching the projector's summary."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_a_plan_cell_saved_twice_keeps_both_texts_and_answers_reach_the_summary(room) -> None:
    _code, console, projector, (hanako, ichiro) = room(
        title="計測計画ワークショップ",
        team="ECサイト",
        people=("山田 花子", "佐藤 一郎"),
        phones=("佐藤 一郎",),
    )

    console.locator("#agenda").get_by_role("button", name=re.compile("目標の計測方法")).click()
    expect(projector.locator("#plan")).to_contain_text("例: 会員登録して 3 カ月以内の顧客")
    for page in (hanako, ichiro):
        page.locator("#plan-edit-customer-who summary").click()
    ichiro.locator("#plan-input-customer-who").press_sequentially("全ての顧客")
    hanako.locator("#plan-input-customer-who").press_sequentially("会員登録して 3 カ月以内の顧客")
    hanako.locator("#plan-edit-customer-who").get_by_role("button", name="保存").click()
    expect(projector.locator("#plan-text-customer-who")).to_have_text(
        "会員登録して 3 カ月以内の顧客"
    )
    # Ichiro saves on the version he started from: refused, both texts on his screen.
    ichiro.locator("#plan-edit-customer-who").get_by_role("button", name="保存").click()
    editor = ichiro.locator("#plan-edit-customer-who")
    expect(editor.locator(".field-error")).to_contain_text("他の人が先に保存しました")
    expect(editor.locator(".plan-theirs")).to_have_text("会員登録して 3 カ月以内の顧客")
    expect(editor.locator("textarea")).to_have_value("全ての顧客")
    expect(projector.locator("#plan-text-customer-who")).to_have_text(
        "会員登録して 3 カ月以内の顧客"
    )

    console.locator("#step-next").click()
    for page, rating in ((hanako, "5"), (ichiro, "4")):
        form = page.locator("#questionnaire-form")
        form.locator("label:has(input[name=go_straight][value=no])").click()
        form.locator(f"label:has(input[name=listen_rating][value='{rating}'])").click()
        form.locator("input[name=listen_comment]").press_sequentially("顧客の声が足りない")
        form.get_by_role("button", name="回答を送信").click()
        expect(page.locator("#questionnaire-form .saved")).to_be_visible()
    summary = projector.locator("#questionnaire-summary")
    expect(summary).to_contain_text("2 人が回答しました")
    expect(summary).to_contain_text("いいえ 2")
    expect(summary.locator(".ranking-top")).to_contain_text("Listen")
    expect(summary.locator(".ranking-top")).to_contain_text("改善が必要と評価")
