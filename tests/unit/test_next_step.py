"""The questionnaire's arithmetic: summaries, signals and the ranked Day 2 focus."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from sessions.rules.questionnaire import (
    PHASES,
    Signals,
    go_straight,
    recommend,
    signal_reasons,
    summarise,
)


def test_each_phase_gets_its_answer_count_average_and_comments() -> None:
    summary = summarise(
        [
            ("listen", 5, "顧客の声が足りない"),
            ("listen", 4, ""),
            ("invent", 2, ""),
            ("test", 9, "x"),
        ]
    )
    by_phase = {item.phase: item for item in summary}
    assert [item.phase for item in summary] == list(PHASES)
    assert (by_phase["listen"].answers, by_phase["listen"].average) == (2, 4.5)
    assert by_phase["listen"].comments == ("顧客の声が足りない",)
    assert by_phase["define"].average is None  # nobody rated it
    assert by_phase["test"].answers == 0  # a 9 is not a rating


def test_signals_point_at_their_phases() -> None:
    thin = signal_reasons(Signals(listen_notes=6, listen_assumptions=4))
    assert thin["listen"][0] == "few_notes,many_assumptions"
    assert "invent" not in thin
    noisy = signal_reasons(
        Signals(listen_notes=20, invent_spread=0.4, red_entries=3, empty_plan_cells=2)
    )
    assert set(noisy) == {"invent", "refine", "test"}


def test_the_ranking_puts_rated_and_signalled_phases_first() -> None:
    summaries = summarise([("define", 5, ""), ("define", 5, ""), ("listen", 3, "")])
    ranked = recommend(summaries, Signals(listen_notes=4, red_entries=1))
    assert [item.phase for item in ranked][:2] == ["define", "listen"]
    assert ranked[0].reasons == ("rated_high",)
    assert ranked[1].reasons == ("few_notes",)


def test_the_go_straight_question_is_counted() -> None:
    assert go_straight([True, False, False]) == (1, 2)


@given(
    st.lists(st.tuples(st.sampled_from(PHASES), st.integers(1, 5), st.text(max_size=5))),
    st.integers(0, 30),
    st.integers(0, 30),
    st.floats(0, 0.5),
    st.integers(0, 10),
    st.integers(0, 9),
)
def test_the_ranking_covers_every_phase_once_in_descending_score(
    answers, notes, assumptions, spread, reds, empty
) -> None:
    ranked = recommend(
        summarise(answers),
        Signals(min(notes, 30), min(assumptions, notes), spread, reds, empty),
    )
    assert sorted(item.phase for item in ranked) == sorted(PHASES)
    assert all(a.score >= b.score for a, b in itertools.pairwise(ranked))


@given(st.lists(st.tuples(st.sampled_from(PHASES), st.integers(1, 5), st.just(""))))
def test_a_higher_rating_never_lowers_a_phase(answers) -> None:
    before = {item.phase: item.score for item in recommend(summarise(answers), Signals(20))}
    after = {
        item.phase: item.score
        for item in recommend(summarise([*answers, ("refine", 5, "")]), Signals(20))
    }
    assert after["refine"] >= before["refine"] or before["refine"] == 5
