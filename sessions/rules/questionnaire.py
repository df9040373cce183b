"""Next step: the questionnaire's summary and the recommended Day 2 focus, as pure functions.

WORKSHOP.md, "Next step": each participant rates every phase 1–5 (5 = needs improving most) and
says whether to go straight to implementation; the program adds signals it can compute (a thin
or assumption-heavy Listen board, marks that disagree in Invent, red entries left in the
proposal, empty cells in the measurement plan) and ranks the phases to re-run on Day 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import mean

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sessions.rules.scales import RATINGS
from sessions.rules.steps import Phase

# The phases rated, in the deck's order, each with the deck's question (its "Next Step" slide).
PHASES: tuple[str, ...] = (Phase.LISTEN, Phase.DEFINE, Phase.INVENT, Phase.REFINE, Phase.TEST)
QUESTIONS: dict[str, Promise] = {
    Phase.LISTEN: _(
        "Listen: have the customer and the factors in their decisions been listed well enough? "
        "Was the information shared across the team?"
    ),
    Phase.DEFINE: _("Define: do the number and weights of the evaluation axes need to change?"),
    Phase.INVENT: _("Invent: were there enough examples and ideas? Were the evaluations stable?"),
    Phase.REFINE: _("Refine: how many red (concern) entries does the proposal still have?"),
    Phase.TEST: _(
        "Test/Iterate: can it really be measured? Are the Who / What gathering and the How "
        "threshold right?"
    ),
}
LISTEN_MIN_NOTES = 9  # fewer notes on the customer board: Listen needs a look (a later deck)
SPREAD_THRESHOLD = 0.3  # mean ○/△ disagreement (0 … 0.5) above which evaluations "wobble"
SIGNAL_WEIGHT = 1.0  # one signal counts like one point of the 1–5 rating
MAX_COUNTED = 4  # red entries / empty cells counted at most, so one signal cannot swamp the rest
NEUTRAL_RATING = float(mean(RATINGS))  # 3: what a phase nobody rated counts for
HIGH_RATING = RATINGS[-2]  # 4: an average from here up reads "rated as needing improvement"


@dataclass(frozen=True)
class Signals:
    """What the program measured during Day 1."""

    listen_notes: int = 0
    listen_assumptions: int = 0
    invent_spread: float = 0.0
    red_entries: int = 0
    empty_plan_cells: int = 0


@dataclass(frozen=True)
class PhaseSummary:
    phase: str
    answers: int
    average: float | None  # None when nobody rated the phase
    comments: tuple[str, ...]


@dataclass(frozen=True)
class Recommendation:
    phase: str
    score: float
    reasons: tuple[str, ...] = field(default_factory=tuple)  # codes the template words


def summarise(ratings: Iterable[tuple[str, int, str]]) -> list[PhaseSummary]:
    """Per phase, in the deck's order: how many answered, the average rating, the comments."""
    by_phase: dict[str, list[int]] = {phase: [] for phase in PHASES}
    comments: dict[str, list[str]] = {phase: [] for phase in PHASES}
    for phase, rating, comment in ratings:
        if phase not in by_phase or rating not in RATINGS:
            continue
        by_phase[phase].append(rating)
        if comment.strip():
            comments[phase].append(comment.strip())
    return [
        PhaseSummary(
            phase,
            len(by_phase[phase]),
            round(mean(by_phase[phase]), 2) if by_phase[phase] else None,
            tuple(comments[phase]),
        )
        for phase in PHASES
    ]


def marks_disagree(spread: float) -> bool:
    """Whether participants' ○/△ for an idea disagree enough to ask "were the evaluations
    stable?" (Next step); ``spread`` is scoring.mark_spread's."""
    return spread >= SPREAD_THRESHOLD


def too_few_notes(notes: int) -> bool:
    """Listen signal: the customer board is thin."""
    return notes < LISTEN_MIN_NOTES


def mostly_assumptions(notes: int, assumptions: int) -> bool:
    """Listen signal: more than half of the customer board is assumptions, not facts."""
    return assumptions * 2 > notes > 0


def signal_reasons(signals: Signals) -> dict[str, tuple[str, float]]:
    """Which phases the measured signals point at, why, and how much weight that adds."""
    reasons: dict[str, list[tuple[str, float]]] = {phase: [] for phase in PHASES}
    if too_few_notes(signals.listen_notes):
        reasons[Phase.LISTEN].append(("few_notes", SIGNAL_WEIGHT))
    if mostly_assumptions(signals.listen_notes, signals.listen_assumptions):
        reasons[Phase.LISTEN].append(("many_assumptions", SIGNAL_WEIGHT))
    if marks_disagree(signals.invent_spread):
        reasons[Phase.INVENT].append(("marks_disagree", SIGNAL_WEIGHT))
    if signals.red_entries:
        weight = SIGNAL_WEIGHT * min(signals.red_entries, MAX_COUNTED) / 2
        reasons[Phase.REFINE].append(("red_entries", weight))
    if signals.empty_plan_cells:
        weight = SIGNAL_WEIGHT * min(signals.empty_plan_cells, MAX_COUNTED) / 2
        reasons[Phase.TEST].append(("empty_cells", weight))
    return {
        phase: (",".join(code for code, _w in found), sum(w for _c, w in found))
        for phase, found in reasons.items()
        if found
    }


def explain(reason: str, signals: Signals) -> str:
    """A reason code of ``recommend`` in words, with the figure it comes from."""
    words: dict[str, str] = {
        "rated_high": gettext("rated as needing improvement"),
        "few_notes": gettext("only %(n)s notes on the customer board")
        % {"n": signals.listen_notes},
        "many_assumptions": gettext("more than half of the customer notes are assumptions"),
        "marks_disagree": gettext("the ○/△ evaluations disagreed"),
        "red_entries": gettext("%(n)s red entries left in the proposal")
        % {"n": signals.red_entries},
        "empty_cells": gettext("%(n)s empty cells in the measurement plan")
        % {"n": signals.empty_plan_cells},
    }
    return words[reason]


def recommend(summaries: Iterable[PhaseSummary], signals: Signals) -> list[Recommendation]:
    """The phases to re-run first: the average rating (or the neutral middle when nobody rated it)
    plus the weight of its signals, highest first; ties keep the deck's order."""
    measured = signal_reasons(signals)
    ranked = []
    for summary in summaries:
        codes, weight = measured.get(summary.phase, ("", 0.0))
        reasons = tuple(code for code in codes.split(",") if code)
        if summary.average is not None and summary.average >= HIGH_RATING:
            reasons = ("rated_high", *reasons)
        base = summary.average if summary.average is not None else NEUTRAL_RATING
        ranked.append(Recommendation(summary.phase, round(base + weight, 2), reasons))
    order = {phase: index for index, phase in enumerate(PHASES)}
    return sorted(ranked, key=lambda item: (-item.score, order[item.phase]))


def go_straight(answers: Iterable[bool]) -> tuple[int, int]:
    """How many said yes, and no, to "go straight to implementation?"."""
    votes = list(answers)
    return sum(votes), len(votes) - sum(votes)
