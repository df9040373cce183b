"""Test/Iterate and the next step: the measurement plan (anyone in the room) and the
questionnaire (each participant's own)."""

from __future__ import annotations

from sessions.models import PlanCell, QuestionnaireAnswer
from tests.actions import ALICE, EITHER, NOT_A_PARTICIPANT, OUTSIDERS, Action, Cast, Post


def _a_plan_cell(cast: Cast) -> Post:
    cast.at("test-plan")
    return Post(
        {"column": "customer", "row": "who", "text": "最初の 3 か月の保護者", "version": "0"}
    )


def _the_questionnaire(cast: Cast) -> Post:
    cast.at("next-questionnaire")
    return Post({"go_straight": "no", "define_rating": "5", "define_comment": "採点に迷った"})


ACTIONS = (
    Action(
        "plan_cell_save",
        "write-a-plan-cell",
        by=EITHER,
        refused=OUTSIDERS,
        arrange=_a_plan_cell,
        reads=lambda cast: list(
            PlanCell.objects.filter(workshop=cast.workshop).values_list("text", flat=True)
        ),
        answer=200,  # the cell's form again, on its new version
    ),
    Action(
        "questionnaire_save",
        "answer-the-questionnaire",
        by=ALICE,
        refused=NOT_A_PARTICIPANT,
        arrange=_the_questionnaire,
        reads=lambda cast: list(
            QuestionnaireAnswer.objects.filter(participant__workshop=cast.workshop).values_list(
                "participant", "go_straight", "ratings"
            )
        ),
        answer=200,  # the form again, saved
    ),
)
