"""The workshop's arithmetic (WORKSHOP.md "2. Define" and "3. Invent") as pure functions.

No database here: the service layer loads rows, passes plain mappings keyed by ids and stores
what comes back; the numbers come from rules/scales.py. Keys only need to be hashable and
orderable (ints, strings, UUIDs): ordering them is what makes every tie-break independent of dict
order.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any, Generic, Literal, Protocol, TypeAlias, TypeVar, get_args

from sessions.rules import scales


class Key(Protocol):
    """What an id must support: hashing for mappings, ``<`` for deterministic tie order."""

    def __hash__(self) -> int: ...

    def __lt__(self, other: Any, /) -> bool: ...


GroupId = TypeVar("GroupId", bound=Key)
Who = TypeVar("Who", bound=Key)  # a participant
IdeaId = TypeVar("IdeaId", bound=Key)
T = TypeVar("T")

# Scores are exact so that "tied" means tied: 0.5 + 0.5 + ... never drifts away from an integer.
Score: TypeAlias = Fraction | int
DecidedBy: TypeAlias = Literal["votes", "total", "dice"]
# How a winner is recorded: by one of the rules, or by the facilitator's choice with a reason.
OVERRIDE = "override"
RULES: tuple[str, ...] = get_args(DecidedBy)  # how the rules decide, without the facilitator
DECISIONS: tuple[str, ...] = (*RULES, OVERRIDE)
# The scale defaults to the Day 1 deck's (rules/scales.py); later editions changed it, so callers
# may pass a workshop's own.


# --- 2. Define ---------------------------------------------------------------------------------


def group_totals(
    notes: Iterable[tuple[GroupId | None, int]], groups: Iterable[GroupId] = ()
) -> dict[GroupId, int]:
    """Sum the points of the notes in each group (Define, group work: "sums the points").

    ``notes`` are ``(group, points)`` pairs; notes not yet grouped (``None``) count for nothing.
    A group appears when one of its notes does or when it is listed in ``groups`` (so an empty
    group still shows a total of 0).
    """
    totals: dict[GroupId, int] = dict.fromkeys(groups, 0)
    for group, points in notes:
        if group is not None:
            totals[group] = totals.get(group, 0) + points
    return totals


def _positions(totals: Mapping[GroupId, int]) -> dict[GroupId, int]:
    """Competition ranking ("1224"): one plus the number of groups with a strictly higher total."""
    ordered = sorted(totals, key=lambda group: (-totals[group], group))
    positions: dict[GroupId, int] = {}
    for index, group in enumerate(ordered):
        if index and totals[group] == totals[ordered[index - 1]]:
            positions[group] = positions[ordered[index - 1]]
        else:
            positions[group] = index + 1
    return positions


def propose_scores(
    totals: Mapping[GroupId, int], scale: Sequence[int] = scales.SCALE
) -> dict[GroupId, int | None]:
    """Propose a score for each group from its point total (Define: "highest total → 8, …").

    The deck leaves ties and a sixth group to the team, so the proposal is only a starting point:
    groups are ranked by total with competition ranking (totals 9, 7, 7, 3 rank 1, 2, 2, 4), each
    group is proposed the scale value at its rank (8, 5, 5, 2), and a group ranked past the end of
    the scale is proposed ``None``: the side's owner decides. Groups with total 0 are ranked like
    any other. The result is ordered by rank, then by group id.
    """
    return {
        group: scale[position - 1] if position <= len(scale) else None
        for group, position in _positions(totals).items()
    }


def tied_groups(totals: Mapping[GroupId, int]) -> set[GroupId]:
    """Groups sharing their total with another group: their proposal is the team's call (Define)."""
    counts = Counter(totals.values())
    return {group for group, total in totals.items() if counts[total] > 1}


# --- 3. Invent ---------------------------------------------------------------------------------


class Mark(StrEnum):
    """A participant's evaluation of one idea against one problem group (Invent)."""

    SOLVES = "solves"  # ○: solves it directly
    PARTLY = "partly"  # △: solves it partly
    BLANK = "blank"

    @property
    def symbol(self) -> str:
        """The sign on the evaluation table: ○, △ or nothing (Invent)."""
        return MARK_SYMBOLS[self]

    @property
    def weight(self) -> Fraction:
        """○ = 1, △ = 0.5, blank = 0 (Invent)."""
        return MARK_WEIGHTS[self]


MARK_SYMBOLS: dict[Mark, str] = {Mark.SOLVES: "○", Mark.PARTLY: "△", Mark.BLANK: ""}
MARK_WEIGHTS: dict[Mark, Fraction] = {
    Mark.SOLVES: scales.SOLVES,
    Mark.PARTLY: scales.PARTLY,
    Mark.BLANK: Fraction(0),
}
# The marks a participant gives; a blank is the absence of one (no row is kept for it).
GIVEN_MARKS = (Mark.SOLVES, Mark.PARTLY)
MARK_CHOICES = [(mark.value, mark.symbol) for mark in GIVEN_MARKS]


def idea_score(
    marks: Mapping[GroupId, Mark], group_scores: Mapping[GroupId, int | None]
) -> Fraction:
    """One participant's score for one idea: Σ group score × mark weight (Invent).

    Scores come from the groups' current scores, so changing a group's score after the marks were
    given changes the idea's score. A mark on a group with no score (unknown or ``None``) counts 0.
    """
    total = Fraction(0)
    for group, mark in marks.items():
        score = group_scores.get(group)
        if score is not None:
            total += score * mark.weight
    return total


def score_table(
    marks: Mapping[Who, Mapping[IdeaId, Mapping[GroupId, Mark]]],
    group_scores: Mapping[GroupId, int | None],
    ideas: Iterable[IdeaId] = (),
) -> dict[Who, dict[IdeaId, Fraction]]:
    """Every participant's score for every idea (Invent), ready for :func:`decide_winner`.

    ``ideas`` lists ideas to include even where a participant marked nothing for them (score 0).
    """
    listed = list(ideas)
    table: dict[Who, dict[IdeaId, Fraction]] = {}
    for participant, by_idea in marks.items():
        row = dict.fromkeys(listed, Fraction(0))
        for idea, idea_marks in by_idea.items():
            row[idea] = idea_score(idea_marks, group_scores)
        table[participant] = row
    return table


def first_places(scores: Mapping[Who, Mapping[IdeaId, Score]]) -> dict[Who, set[IdeaId]]:
    """Each participant's first place: the ideas with their highest score (Invent).

    Several ideas when the top score is shared (the participant then picks one). A participant
    whose scores are all zero, or who has none, found no idea solving anything and has no first
    place: an empty set.
    """
    places: dict[Who, set[IdeaId]] = {}
    for participant, by_idea in scores.items():
        top = max(by_idea.values(), default=0)
        places[participant] = (
            {idea for idea, score in by_idea.items() if score == top} if top > 0 else set()
        )
    return places


_SYSTEM_RANDOM = random.SystemRandom()


def roll_dice(candidates: Sequence[T]) -> T:
    """The deck's dice (⚡ とりあえず決める): a fair pick among the still-tied ideas."""
    return _SYSTEM_RANDOM.choice(candidates)


@dataclass(frozen=True)
class Result(Generic[Who, IdeaId]):
    """How the winning idea was decided (Invent), in the form the document records it.

    ``votes`` and ``totals`` cover every idea. ``ballots`` is the idea each voting participant's
    first place counted for. ``tied`` lists, in id order, the ideas that were still tied when the
    deciding rule applied: empty when votes decided, the ideas sharing the most votes when the
    total decided, the ideas sharing votes and total when dice decided. ``undecided`` are the
    participants whose top score is shared and who have not picked one of those ideas yet.
    """

    votes: dict[IdeaId, int]
    totals: dict[IdeaId, Fraction]
    winner: IdeaId | None
    decided_by: DecidedBy | None
    tied: tuple[IdeaId, ...] = ()
    undecided: frozenset[Who] = field(default_factory=frozenset)
    ballots: dict[Who, IdeaId] = field(default_factory=dict)


def decide_winner(
    scores: Mapping[Who, Mapping[IdeaId, Score]],
    picks: Mapping[Who, IdeaId] | None = None,
    dice: Callable[[Sequence[IdeaId]], IdeaId] = roll_dice,
    *,
    ideas: Iterable[IdeaId] = (),
) -> Result[Who, IdeaId]:
    """Decide the winning idea (Invent: most first places, then higher total, then dice).

    A participant with a single first place votes for it. One whose top is shared votes for their
    pick in ``picks`` if it is one of their top ideas; otherwise they are ``undecided`` and cast no
    vote yet. A pick by a participant whose top is not shared, or outside their top, is ignored.
    The idea with the most votes wins; among ideas sharing the most votes, the higher total (sum of
    every participant's score for it) wins; if that is tied too, ``dice`` is rolled once on the
    still-tied ideas in id order. Nobody voting means no winner. ``ideas`` adds ideas nobody has a
    score for, so they are reported with 0 votes and total 0.
    """
    picks = picks or {}
    everything = set(ideas)
    for by_idea in scores.values():
        everything.update(by_idea)
    order = sorted(everything)

    totals = {idea: Fraction(0) for idea in order}
    for by_idea in scores.values():
        for idea, score in by_idea.items():
            totals[idea] += score

    ballots: dict[Who, IdeaId] = {}
    undecided: set[Who] = set()
    for participant, top in first_places(scores).items():
        if len(top) == 1:
            ballots[participant] = next(iter(top))
        elif top:
            pick = picks.get(participant)
            if pick is not None and pick in top:
                ballots[participant] = pick
            else:
                undecided.add(participant)
    counted = Counter(ballots.values())
    votes = {idea: counted[idea] for idea in order}

    def result(
        winner: IdeaId | None, decided_by: DecidedBy | None, tied: Sequence[IdeaId] = ()
    ) -> Result[Who, IdeaId]:
        return Result(
            votes=votes,
            totals=totals,
            winner=winner,
            decided_by=decided_by,
            tied=tuple(tied),
            undecided=frozenset(undecided),
            ballots=dict(sorted(ballots.items())),
        )

    if not ballots:
        return result(None, None)
    most = max(votes.values())
    leaders = [idea for idea in order if votes[idea] == most]
    if len(leaders) == 1:
        return result(leaders[0], "votes")
    best = max(totals[idea] for idea in leaders)
    finalists = [idea for idea in leaders if totals[idea] == best]
    if len(finalists) == 1:
        return result(finalists[0], "total", leaders)
    rolled = dice(tuple(finalists))
    if rolled not in finalists:
        raise ValueError(f"the dice chose {rolled!r}, which is not among {finalists!r}")
    return result(rolled, "dice", finalists)


# --- Next step: signals for the questionnaire ----------------------------------------------------


def mark_spread(
    marks_by_participant: Mapping[Who, Mapping[GroupId, Mark]], groups: Iterable[GroupId]
) -> float:
    """How much participants disagree when evaluating one idea (Next step: "were the evaluations
    stable?", "the spread of the ○/△ evaluations").

    For each problem group, the population standard deviation of the participants' mark weights
    (○ 1, △ 0.5, blank or no mark 0); the spread is the mean over ``groups``. 0 means everybody
    marked alike; the maximum, 0.5, means the room split evenly between ○ and blank on every
    group. 0 with fewer than two participants or no groups: there is nobody to disagree with.
    Leave out participants who were not there: one who is present but gave no marks counts as
    blank everywhere.
    """
    listed = list(groups)
    rows = list(marks_by_participant.values())
    if len(rows) < 2 or not listed:
        return 0.0
    spreads: list[float] = []
    for group in listed:
        weights = [row.get(group, Mark.BLANK).weight for row in rows]
        mean = sum(weights, Fraction(0)) / len(weights)
        variance = sum(((weight - mean) ** 2 for weight in weights), Fraction(0)) / len(weights)
        spreads.append(math.sqrt(variance))
    return sum(spreads) / len(spreads)
