"""The questionnaire's form and summary, with the signals measured during Day 1."""

from __future__ import annotations

from statistics import mean
from typing import Any

from sessions.models import (
    Mark,
    Note,
    NoteGroup,
    Participant,
    PlanCell,
    QuestionnaireAnswer,
    Workshop,
)
from sessions.rules import questionnaire as next_step
from sessions.rules import scoring
from sessions.rules.boards import PROBLEM_KINDS, BoardKind
from sessions.rules.plan import empty_required
from sessions.rules.steps import PHASE_LABELS, Phase
from sessions.selectors.refine import red_entries


def measured_signals(workshop: Workshop) -> next_step.Signals:
    listen = Note.objects.filter(board__workshop=workshop, board__kind=BoardKind.CUSTOMER)
    group_ids = list(
        NoteGroup.objects.filter(
            board__workshop=workshop, board__kind__in=PROBLEM_KINDS, score__isnull=False
        ).values_list("id", flat=True)
    )
    by_idea: dict[Any, dict[int, dict[Any, scoring.Mark]]] = {}
    for idea_id, participant_id, group_id, value in Mark.objects.filter(
        idea__workshop=workshop
    ).values_list("idea_id", "participant_id", "group_id", "value"):
        by_idea.setdefault(idea_id, {}).setdefault(participant_id, {})[group_id] = scoring.Mark(
            value
        )
    spreads = [scoring.mark_spread(marks, group_ids) for marks in by_idea.values()]
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


def questionnaire_context(workshop: Workshop, viewer: Participant | None) -> dict[str, Any]:
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
    return {
        "phases": next_step.PHASES,
        "my_answer": mine,
        "answered": len(answers),
        "summaries": summaries,
        "signals": signals,
        # Each phase named as the agenda names it (Phase values are the questionnaire's keys).
        "ranking": [
            (item, PHASE_LABELS[Phase(item.phase)])
            for item in next_step.recommend(summaries, signals)
        ],
        "go_yes": yes,
        "go_no": no,
    }
