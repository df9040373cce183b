"""Invent in real browsers: ideas shared and marked privately, the results revealed on the
projector, and a tie on first places decided by the higher total."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_boards import _problem

SLOTS = (
    ("customer", "中小企業の経理担当"),
    ("situation", "月末の締め作業に追われている"),
    ("customer_metric", "締め作業の時間"),
    ("business_metric", "有料プランの継続率"),
    ("data_source", "仕分けの修正履歴"),
)


def _jump(console: Page, title: str) -> None:
    console.locator("#agenda").get_by_role("button", name=re.compile(title)).click()
    expect(console.locator("#step h1")).to_contain_text(title)


def _write_idea(page: Page, capability: str) -> None:
    form = page.locator("#idea-composer")
    for name, value in (*SLOTS, ("capability", capability)):
        form.locator(f"input[name={name}]").press_sequentially(value)
    form.get_by_role("button", name="アイデアを保存").click()
    expect(page.locator(".idea-card", has_text=capability)).to_be_visible()
    page.locator(".idea-card", has_text=capability).get_by_role("button", name="共有する").click()


def _mark(page: Page, marks: tuple[str, str], score: str) -> None:
    rows = page.locator(".mark-form")
    for index, value in enumerate(marks):
        rows.nth(index).locator(f"label:has(input[value={value}])").click()
    expect(page.locator("#my-score")).to_have_text(score)


def test_ideas_are_marked_privately_and_the_results_decide_by_total(room) -> None:
    _code, console, projector, (hanako, ichiro, jiro) = room(
        title="解決策ワークショップ",
        team="会計SaaS",
        people=("山田 花子", "佐藤 一郎", "鈴木 次郎"),
    )

    # The yardstick: two customer problem groups, scored 8 and 5.
    _jump(console, "顧客の課題")
    _problem(hanako, "業務効率", "月末", "締め作業に時間がかかる")
    _problem(hanako, "人手不足", "繁忙期", "入力ミスが多い")
    _jump(console, "課題をカテゴリにまとめ")
    for problem in ("締め作業", "入力ミス"):
        console.locator(".note", has_text=problem).get_by_label("グループへ移動").select_option(
            label="新しいグループ"
        )
        expect(console.locator(".note-group", has_text=problem)).to_have_count(1)
    scores = console.locator("#scores-customer_problems .scored-group")
    scores.nth(0).get_by_label("スコア").select_option("8")
    expect(scores.nth(0).locator(".score-badge")).to_have_text("8")
    scores.nth(1).get_by_label("スコア").select_option("5")
    expect(projector.locator("#yardstick .yardstick-score")).to_have_text(["8", "5"])

    _jump(console, "解決策の共有と評価")
    _write_idea(hanako, "請求書を自動で仕分け")
    _write_idea(ichiro, "入力内容を自動チェック")
    # Shared ideas reach the console; the facilitator puts the first on stage.
    console.locator(".idea-item", has_text="請求書を自動で仕分け").get_by_role("button").click()
    expect(projector.locator(".stage")).to_contain_text("請求書を自動で仕分けできる")
    _mark(hanako, ("solves", "blank"), "8")
    _mark(ichiro, ("blank", "partly"), "2.5")
    # Marks are private: the console and the projector see how many marked, not what.
    expect(console.locator(".shared-ideas")).to_contain_text("2 人が評価しました")
    console.locator(".idea-item", has_text="入力内容を自動チェック").get_by_role("button").click()
    expect(jiro.locator(".stage")).to_contain_text("入力内容を自動チェックできる")
    _mark(hanako, ("blank", "solves"), "5")
    _mark(ichiro, ("solves", "solves"), "13")

    # One first place each: the higher total (18 against 10.5) wins.
    _jump(console, "評価の共有")
    expect(hanako.locator(".my-results")).to_contain_text("8 ★")
    console.once("dialog", lambda dialog: dialog.accept())
    console.locator("#results-reveal").click()
    winner = projector.locator(".winner")
    expect(winner).to_contain_text("入力内容を自動チェックできる")
    expect(winner).to_contain_text("合計得点の高い方を採択")
    table = projector.locator(".results-table")
    expect(table.locator(".result-winner")).to_contain_text("18")
    expect(table.locator("tr", has_text="請求書を自動で仕分け")).to_contain_text("10.5")
    expect(jiro.locator(".winner")).to_contain_text("入力内容を自動チェックできる")
