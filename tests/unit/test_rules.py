"""The workshop's arithmetic (WORKSHOP.md "2. Define", "3. Invent"): no database involved."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessions.rules.scoring import (
    Mark,
    decide_winner,
    first_places,
    group_totals,
    idea_score,
    mark_spread,
    propose_scores,
    score_table,
    tied_groups,
)

CIRCLE, TRIANGLE, BLANK = Mark.SOLVES, Mark.PARTLY, Mark.BLANK
Scores = dict[str, dict[str, Fraction]]


class RecordingDice:
    """A dice that always picks the last candidate and remembers every roll."""

    def __init__(self) -> None:
        self.rolls: list[tuple[str, ...]] = []

    def __call__(self, candidates: Sequence[str]) -> str:
        self.rolls.append(tuple(candidates))
        return candidates[-1]


def never_rolled(candidates: Sequence[str]) -> str:
    raise AssertionError(f"dice rolled on {candidates!r} without a true tie")


def scores(**rows: dict[str, float]) -> Scores:
    return {
        who: {idea: Fraction(value) for idea, value in row.items()} for who, row in rows.items()
    }


# --- Define: group totals ------------------------------------------------------------------------


def test_a_group_total_is_the_sum_of_its_notes_points() -> None:
    assert group_totals([("a", 3), ("b", 2), ("a", 1), ("a", 2)]) == {"a": 6, "b": 2}


def test_ungrouped_notes_count_for_nothing() -> None:
    assert group_totals([(None, 3), ("a", 1), (None, 2)]) == {"a": 1}


def test_a_group_without_points_has_total_zero() -> None:
    assert group_totals([("a", 0), ("b", 2)]) == {"a": 0, "b": 2}
    assert group_totals([("b", 2)], groups=["a", "b"]) == {"a": 0, "b": 2}


# --- Define: proposed scores ---------------------------------------------------------------------


def test_the_highest_total_gets_eight() -> None:
    proposal = propose_scores({"a": 4, "b": 12, "c": 7, "d": 1, "e": 3})
    assert proposal == {"b": 8, "c": 5, "a": 3, "e": 2, "d": 1}
    assert list(proposal) == ["b", "c", "a", "e", "d"]


def test_tied_totals_share_the_higher_score_and_use_up_the_positions() -> None:
    totals = {"a": 9, "b": 7, "c": 7, "d": 3}
    assert propose_scores(totals) == {"a": 8, "b": 5, "c": 5, "d": 2}
    assert tied_groups(totals) == {"b", "c"}


def test_a_tie_at_the_top_gives_every_tied_group_eight() -> None:
    assert propose_scores({"a": 6, "b": 6, "c": 2}) == {"a": 8, "b": 8, "c": 3}


def test_groups_past_the_fifth_position_get_no_proposal() -> None:
    totals = {"a": 7, "b": 6, "c": 5, "d": 4, "e": 3, "f": 2, "g": 1}
    assert propose_scores(totals) == {
        "a": 8,
        "b": 5,
        "c": 3,
        "d": 2,
        "e": 1,
        "f": None,
        "g": None,
    }
    assert {group for group, score in propose_scores(totals).items() if score is None} == {"f", "g"}
    assert tied_groups(totals) == set()


def test_a_tie_on_the_fifth_position_keeps_the_fifth_score_for_all() -> None:
    totals = {"a": 9, "b": 8, "c": 7, "d": 6, "e": 2, "f": 2}
    assert propose_scores(totals) == {"a": 8, "b": 5, "c": 3, "d": 2, "e": 1, "f": 1}
    assert None not in propose_scores(totals).values()


def test_groups_with_zero_total_are_still_ranked() -> None:
    assert propose_scores({"a": 0, "b": 5, "c": 0}) == {"b": 8, "a": 5, "c": 5}


def test_no_groups_no_proposal() -> None:
    assert propose_scores({}) == {}


def test_a_workshop_scale_replaces_eight_five_three_two_one() -> None:
    assert propose_scores({"a": 1, "b": 2, "c": 3, "d": 0}, scale=(5, 3, 1)) == {
        "c": 5,
        "b": 3,
        "a": 1,
        "d": None,
    }


# --- Invent: idea scores -------------------------------------------------------------------------


def test_the_decks_worked_example_scores_three_and_a_half() -> None:
    # Customer weights 1, 2, 3 and business weights 2, 1, 3, one id per problem group.
    group_scores = {"c1": 1, "c2": 2, "c3": 3, "b1": 2, "b2": 1, "b3": 3}
    marks = {"c1": CIRCLE, "c3": TRIANGLE, "b2": CIRCLE}
    assert idea_score(marks, group_scores) == Fraction(7, 2)


def test_marks_weigh_one_a_half_and_nothing() -> None:
    assert (CIRCLE.weight, TRIANGLE.weight, BLANK.weight) == (1, Fraction(1, 2), 0)
    assert (CIRCLE.symbol, TRIANGLE.symbol, BLANK.symbol) == ("○", "△", "")
    assert idea_score({"a": BLANK, "b": BLANK}, {"a": 8, "b": 5}) == 0


def test_a_mark_on_a_group_without_a_score_counts_nothing() -> None:
    assert idea_score({"a": CIRCLE, "b": CIRCLE, "c": TRIANGLE}, {"a": 8, "b": None}) == 8


def test_changing_a_group_score_after_marking_changes_the_idea_score() -> None:
    marks = {"a": CIRCLE, "b": TRIANGLE}
    assert idea_score(marks, {"a": 8, "b": 5}) == Fraction(21, 2)
    assert idea_score(marks, {"a": 2, "b": 5}) == Fraction(9, 2)


def test_the_score_table_includes_ideas_nobody_marked() -> None:
    table = score_table({"alice": {"x": {"a": CIRCLE}}, "bob": {}}, {"a": 8}, ideas=["x", "y"])
    assert table == {"alice": {"x": 8, "y": 0}, "bob": {"x": 0, "y": 0}}


# --- Invent: first places ------------------------------------------------------------------------


def test_a_participants_first_place_is_their_highest_score() -> None:
    assert first_places(scores(alice={"x": 3, "y": 10.5, "z": 1})) == {"alice": {"y"}}


def test_a_shared_top_score_gives_several_first_places() -> None:
    assert first_places(scores(alice={"x": 8, "y": 8, "z": 1})) == {"alice": {"x", "y"}}


def test_a_participant_with_no_marks_has_no_first_place() -> None:
    assert first_places(scores(alice={"x": 0, "y": 0}, bob={})) == {"alice": set(), "bob": set()}


# --- Invent: the winner --------------------------------------------------------------------------


def test_the_idea_chosen_first_by_most_participants_wins() -> None:
    result = decide_winner(
        scores(alice={"x": 9, "y": 3}, bob={"x": 5, "y": 1}, carol={"x": 1, "y": 20}),
        dice=never_rolled,
    )
    assert result.winner == "x"
    assert result.decided_by == "votes"
    assert result.votes == {"x": 2, "y": 1}
    assert result.totals == {"x": 15, "y": 24}
    assert result.tied == ()
    assert result.ballots == {"alice": "x", "bob": "x", "carol": "y"}


def test_a_tie_in_votes_goes_to_the_higher_total() -> None:
    result = decide_winner(
        scores(alice={"x": 9, "y": 3, "z": 0}, bob={"x": 1, "y": 8, "z": 1}), dice=never_rolled
    )
    assert result.winner == "y"
    assert result.decided_by == "total"
    assert result.totals == {"x": 10, "y": 11, "z": 1}
    assert result.tied == ("x", "y")


def test_a_tie_in_votes_and_total_is_decided_by_dice() -> None:
    dice = RecordingDice()
    result = decide_winner(
        scores(bob={"x": 2, "y": 8}, alice={"x": 8, "y": 2}, carol={"x": 0, "y": 0}), dice=dice
    )
    assert dice.rolls == [("x", "y")]
    assert result.winner == "y"
    assert result.decided_by == "dice"
    assert result.tied == ("x", "y")


def test_dice_only_sees_the_ideas_still_tied_after_the_total() -> None:
    dice = RecordingDice()
    result = decide_winner(
        scores(
            alice={"x": 5, "y": 1, "z": 0},
            bob={"x": 1, "y": 5, "z": 0},
            carol={"x": 0, "y": 0, "z": 6},
        ),
        dice=dice,
    )
    assert result.votes == {"x": 1, "y": 1, "z": 1}
    assert dice.rolls == [("x", "y", "z")]
    dice = RecordingDice()
    result = decide_winner(
        scores(
            alice={"x": 5, "y": 1, "z": 0},
            bob={"x": 1, "y": 5, "z": 0},
            carol={"x": 0, "y": 0, "z": 4},
        ),
        dice=dice,
    )
    assert dice.rolls == [("x", "y")]
    assert result.tied == ("x", "y")


def test_a_participant_with_a_shared_top_and_no_pick_is_undecided() -> None:
    result = decide_winner(scores(alice={"x": 8, "y": 8}, bob={"x": 1, "y": 5}), dice=never_rolled)
    assert result.undecided == frozenset({"alice"})
    assert result.votes == {"x": 0, "y": 1}
    assert result.winner == "y"


def test_a_pick_resolves_a_shared_top() -> None:
    result = decide_winner(
        scores(alice={"x": 8, "y": 8, "z": 1}, bob={"x": 1, "y": 5, "z": 0}, carol={"x": 3}),
        picks={"alice": "x"},
        dice=never_rolled,
    )
    assert result.undecided == frozenset()
    assert result.votes == {"x": 2, "y": 1, "z": 0}
    assert result.winner == "x"


def test_a_pick_outside_the_shared_top_is_ignored() -> None:
    result = decide_winner(
        scores(alice={"x": 8, "y": 8, "z": 1}), picks={"alice": "z"}, dice=never_rolled
    )
    assert result.undecided == frozenset({"alice"})
    assert result.winner is None


def test_a_pick_against_a_single_first_place_is_ignored() -> None:
    result = decide_winner(scores(alice={"x": 8, "y": 3}), picks={"alice": "y"})
    assert result.ballots == {"alice": "x"}


def test_a_participant_with_no_marks_casts_no_vote() -> None:
    result = decide_winner(
        scores(alice={"x": 0, "y": 0}, bob={}, carol={"x": 0, "y": 1}), dice=never_rolled
    )
    assert result.ballots == {"carol": "y"}
    assert result.undecided == frozenset()
    assert result.winner == "y"


def test_an_idea_nobody_marked_gets_no_votes_and_no_total() -> None:
    result = decide_winner(scores(alice={"x": 3}), ideas=["x", "nobody"], dice=never_rolled)
    assert result.votes == {"nobody": 0, "x": 1}
    assert result.totals == {"nobody": 0, "x": 3}
    assert result.winner == "x"


def test_nobody_voting_means_no_winner() -> None:
    result = decide_winner(scores(alice={"x": 0}, bob={}), dice=never_rolled)
    assert (result.winner, result.decided_by, result.tied) == (None, None, ())
    assert decide_winner({}, dice=never_rolled).winner is None


def test_a_dice_choosing_outside_the_tie_is_refused() -> None:
    with pytest.raises(ValueError, match="not among"):
        decide_winner(scores(alice={"x": 1}, bob={"y": 1}), dice=lambda _candidates: "z")


def test_group_scores_changed_after_marking_change_the_winner() -> None:
    marks = {
        "alice": {"x": {"a": CIRCLE}, "y": {"b": CIRCLE}},
        "bob": {"x": {"a": CIRCLE}, "y": {"b": CIRCLE}},
        "carol": {"x": {"b": TRIANGLE}, "y": {"a": TRIANGLE}},
    }
    before = decide_winner(score_table(marks, {"a": 8, "b": 5}), dice=never_rolled)
    after = decide_winner(score_table(marks, {"a": 2, "b": 5}), dice=never_rolled)
    assert (before.winner, before.votes) == ("x", {"x": 2, "y": 1})
    assert (after.winner, after.votes) == ("y", {"x": 1, "y": 2})


# --- Next step: agreement ------------------------------------------------------------------------


def test_the_spread_is_zero_when_everybody_agrees() -> None:
    marks = {"alice": {"a": CIRCLE, "b": TRIANGLE}, "bob": {"a": CIRCLE, "b": TRIANGLE}}
    assert mark_spread(marks, ["a", "b", "c"]) == 0


def test_the_spread_is_zero_with_a_single_participant() -> None:
    assert mark_spread({"alice": {"a": CIRCLE}}, ["a"]) == 0
    assert mark_spread({"alice": {"a": CIRCLE}, "bob": {}}, []) == 0


def test_an_even_split_between_solves_and_blank_is_the_widest_spread() -> None:
    marks: dict[str, dict[str, Mark]] = {"alice": {"a": CIRCLE}, "bob": {}}
    assert mark_spread(marks, ["a"]) == pytest.approx(0.5)
    assert mark_spread(marks, ["a", "b"]) == pytest.approx(0.25)


def test_a_partial_mark_disagrees_less_than_a_blank() -> None:
    partly = mark_spread({"alice": {"a": CIRCLE}, "bob": {"a": TRIANGLE}}, ["a"])
    blank = mark_spread({"alice": {"a": CIRCLE}, "bob": {"a": BLANK}}, ["a"])
    assert 0 < partly < blank


# --- Properties ----------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=75, deadline=None)
groups = st.sampled_from("abcdefgh")
participants = st.sampled_from(["alice", "bob", "carol", "dave", "erin", "frank"])
ideas = st.sampled_from("xyzw")
# Halves from 0 to 3: ties in votes and totals are common enough to exercise every level.
idea_scores = st.integers(0, 6).map(lambda n: Fraction(n, 2))
score_maps = st.dictionaries(participants, st.dictionaries(ideas, idea_scores))
pick_maps = st.dictionaries(participants, ideas)


def first_in_order(candidates: Sequence[str]) -> str:
    return candidates[0]


def expected_votes(
    table: Mapping[str, Mapping[str, Fraction]], picks: Mapping[str, str]
) -> dict[str, int]:
    """The votes as the deck counts them, written out independently of the code under test."""
    votes: dict[str, int] = {}
    for who, row in table.items():
        top = max(row.values(), default=Fraction(0))
        best = [idea for idea, score in row.items() if score == top and top > 0]
        if len(best) == 1:
            choice: str | None = best[0]
        else:
            choice = picks.get(who) if picks.get(who) in best else None
        if choice is not None:
            votes[choice] = votes.get(choice, 0) + 1
    return votes


@PROPERTY_SETTINGS
@given(st.dictionaries(groups, st.integers(0, 20)))
def test_proposed_scores_never_rise_as_the_total_falls(totals: dict[str, int]) -> None:
    proposal = propose_scores(totals)
    assert set(proposal) == set(totals)
    # No proposal ranks below every score: the group is past the end of the scale.
    rank = {group: -1 if score is None else score for group, score in proposal.items()}
    for a in totals:
        for b in totals:
            if totals[a] == totals[b]:
                assert proposal[a] == proposal[b]
            elif totals[a] > totals[b]:
                assert rank[a] >= rank[b]


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(st.one_of(st.none(), groups), st.sampled_from([0, 1, 2, 3]))))
def test_group_totals_add_up_to_every_grouped_point(notes: list[tuple[str | None, int]]) -> None:
    totals = group_totals(notes)
    assert sum(totals.values()) == sum(points for group, points in notes if group is not None)
    assert set(totals) == {group for group, _points in notes if group is not None}


@PROPERTY_SETTINGS
@given(score_maps, pick_maps)
def test_the_winner_has_the_most_first_places(table: Scores, picks: dict[str, str]) -> None:
    result = decide_winner(table, picks, dice=first_in_order)
    votes = expected_votes(table, picks)
    assert {idea: n for idea, n in result.votes.items() if n} == votes
    if votes:
        assert result.winner is not None
        assert votes[result.winner] == max(votes.values())
    else:
        assert result.winner is None


@PROPERTY_SETTINGS
@given(score_maps, pick_maps, st.randoms(use_true_random=False))
def test_the_order_participants_are_listed_in_never_changes_the_winner(
    table: Scores, picks: dict[str, str], rnd: random.Random
) -> None:
    def shuffled(mapping: Mapping[str, object]) -> list[str]:
        keys = list(mapping)
        rnd.shuffle(keys)
        return keys

    reordered = {
        who: {idea: table[who][idea] for idea in shuffled(table[who])} for who in shuffled(table)
    }
    picks_reordered = {who: picks[who] for who in shuffled(picks)}
    assert decide_winner(reordered, picks_reordered, dice=first_in_order) == decide_winner(
        table, picks, dice=first_in_order
    )


@PROPERTY_SETTINGS
@given(score_maps, pick_maps)
def test_dice_is_rolled_only_when_votes_and_totals_are_both_tied(
    table: Scores, picks: dict[str, str]
) -> None:
    dice = RecordingDice()
    result = decide_winner(table, picks, dice=dice)
    votes = expected_votes(table, picks)
    totals: dict[str, Fraction] = {}
    for row in table.values():
        for idea, score in row.items():
            totals[idea] = totals.get(idea, Fraction(0)) + score
    leaders = [idea for idea, n in votes.items() if n == max(votes.values())]
    finalists = [idea for idea in leaders if totals[idea] == max(totals[i] for i in leaders)]
    if len(finalists) > 1:
        assert dice.rolls == [tuple(sorted(finalists))]
        assert result.decided_by == "dice"
    else:
        assert dice.rolls == []
        assert result.decided_by != "dice"
