"""A note reads as one sentence wherever it is shown (board, projector, PDF, Markdown), and a
customer problem's three parts make grammatical Japanese whatever each part is."""

from __future__ import annotations

import uuid

import pytest
from django.utils import translation

from sessions.selectors.boards import NoteView


def _note(text: str, situation: str = "", influence: str = "") -> NoteView:
    return NoteView(
        pk=uuid.uuid4(),
        text=text,
        cell="",
        influence=influence,
        situation=situation,
        is_assumption=False,
        points=None,
        group_id=None,
        author_id=1,
        author_label="山田 花子",
    )


@pytest.mark.parametrize(
    ("situation", "influence", "sentence"),
    [
        # A noun, a noun phrase with a particle, a clause, a verb phrase, an adjective.
        (
            "月末の締めのとき",
            "残業が増える",
            "月末の締めのとき、領収書の仕訳に時間がかかる（影響：残業が増える）",
        ),
        ("繁忙期に", "ミスが増える", "繁忙期に、領収書の仕訳に時間がかかる（影響：ミスが増える）"),
        ("兼務の担当者が", "疲弊", "兼務の担当者が、領収書の仕訳に時間がかかる（影響：疲弊）"),
        ("決算前", "不安", "決算前、領収書の仕訳に時間がかかる（影響：不安）"),
        ("", "残業が増える", "領収書の仕訳に時間がかかる（影響：残業が増える）"),
        ("月末", "", "月末、領収書の仕訳に時間がかかる"),
        ("", "", "領収書の仕訳に時間がかかる"),
    ],
)
def test_a_problem_reads_as_one_japanese_sentence(
    situation: str, influence: str, sentence: str
) -> None:
    with translation.override("ja"):
        assert _note("領収書の仕訳に時間がかかる", situation, influence).sentence == sentence


def test_a_problem_reads_as_one_english_sentence() -> None:
    note = _note("booking receipts takes hours", "At month end", "overtime grows")
    with translation.override("en"):
        assert (
            note.sentence == "At month end, booking receipts takes hours (impact: overtime grows)"
        )


def test_the_sentence_never_runs_markup() -> None:
    note = _note("<b>太字</b>", "<i>月末</i>", "<script>x</script>")
    with translation.override("ja"):
        assert note.sentence == "<i>月末</i>、<b>太字</b>（影響：<script>x</script>）"
    # Plain text: the templates escape it (autoescape), so it is never marked safe here.
    assert not hasattr(note.sentence, "__html__")
