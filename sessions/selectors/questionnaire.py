"""The questionnaire's form and summary, with the signals measured during Day 1."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean

from django.utils.functional import Promise

from sessions.models import (
    Note,
    Participant,
    PlanCell,
    QuestionnaireAnswer,
    Workshop,
)
from sessions.rules import questionnaire as next_step
from sessions.rules import scoring
from sessions.rules.boards import BoardKind
from sessions.rules.plan import empty_required
from sessions.rules.steps import PHASE_LABELS, Phase
from sessions.selectors.invent import marks_table, scored_groups
from sessions.selectors.refine import red_entries


@dataclass(frozen=True)
class QuestionnaireView:
    phases: tuple[str, ...]
    my_answer: QuestionnaireAnswer | None
    answered: int
    summaries: list[next_step.PhaseSummary]
    signals: next_step.Signals
    # Each phase named as the agenda names it (Phase values are the questionnaire's keys).
    ranking: list[tuple[next_step.Recommendation, Promise]]
    go_yes: int
    go_no: int


def measured_signals(workshop: Workshop) -> next_step.Signals:
    listen = Note.objects.filter(board__workshop=workshop, board__kind=BoardKind.CUSTOMER)
    group_ids = [group.pk for group in scored_groups(workshop=workshop)]
    table = marks_table(workshop=workshop)
    spreads = [scoring.mark_spread(table.evaluations(idea), group_ids) for idea in table.by_idea()]
    texts = {
        (cell.column, cell.row): cell.text for cell in PlanCell.objects.filter(workshop=workshop)
    }
    return next_step.Signals(
        listen_notes=listen.count(),
        listen_assumptions=listen.filter(is_assumption=True).count(),
        invent_spread=round(mean(spreads), 2) if spreads else 0.0,
        red_entries=red_entries(workshop),
        empty_plan_cells=empty_required(texts),
    )


def questionnaire_view(*, workshop: Workshop, viewer: Participant | None) -> QuestionnaireView:
    answers = list(QuestionnaireAnswer.objects.filter(participant__workshop=workshop))
    ratings = [
        (phase, int(value["rating"]), str(value.get("comment", "")))
        for answer in answers
        for phase, value in answer.ratings.items()
        if value.get("rating")
    ]
    summaries = next_step.summarise(ratings)
    signals = measured_signals(workshop)
    mine = next((a for a in answers if viewer is not None and a.participant_id == viewer.pk), None)
    yes, no = next_step.go_straight(a.go_straight for a in answers if a.go_straight is not None)
    return QuestionnaireView(
        phases=next_step.PHASES,
        my_answer=mine,
        answered=len(answers),
        summaries=summaries,
        signals=signals,
        ranking=[
            (item, PHASE_LABELS[Phase(item.phase)])
            for item in next_step.recommend(summaries, signals)
        ],
        go_yes=yes,
        go_no=no,
    )
