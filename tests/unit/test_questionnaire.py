"""The next-step questionnaire: answers, the summary and the measured signals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from sessions.access import Actor
from sessions.models import QuestionnaireAnswer, Workshop
from sessions.selectors.questionnaire import questionnaire_view
from sessions.services.events import InvalidAction
from sessions.services.questionnaire import questionnaire_save
from sessions.services.room import step_go


@pytest.fixture
def at_questionnaire(facilitator: Actor) -> None:
    step_go(actor=facilitator, to="next-questionnaire")


def test_answers_are_saved_and_summarised(
    at_questionnaire: None, alice: Actor, bob: Actor, workshop: Workshop
) -> None:
    questionnaire_save(actor=alice, go_straight=False, ratings={"listen": (5, "顧客の声が少ない")})
    questionnaire_save(actor=bob, go_straight=True, ratings={"listen": (3, ""), "invent": (4, "")})
    questionnaire_save(actor=bob, go_straight=False, ratings={"listen": (4, "")})  # changed
    context = questionnaire_view(workshop=Workshop.objects.get(pk=workshop.pk), viewer=None)
    listen = context.summaries[0]
    assert (listen.answers, listen.average, listen.comments) == (2, 4.5, ("顧客の声が少ない",))
    assert (context.go_yes, context.go_no) == (0, 2)
    top, label = context.ranking[0]
    assert (top.phase, str(label)) == ("listen", "Listen")
    assert "few_notes" in top.reasons  # an empty customer board
    assert context.signals.empty_plan_cells == 6


def test_only_participants_answer_in_the_questionnaire_step(
    alice: Actor, facilitator: Actor
) -> None:
    with pytest.raises(InvalidAction):
        questionnaire_save(actor=alice, go_straight=True, ratings={})
    step_go(actor=facilitator, to="next-questionnaire")
    with pytest.raises(PermissionDenied):
        questionnaire_save(actor=facilitator, go_straight=True, ratings={})
    with pytest.raises(InvalidAction):
        questionnaire_save(actor=alice, go_straight=True, ratings={"listen": (6, "")})


def test_the_form_posts_through_the_view(
    at_questionnaire: None, alice_client: Client, workshop: Workshop
) -> None:
    response = alice_client.post(
        reverse("questionnaire_save", args=[workshop.join_code]),
        {"go_straight": "no", "define_rating": "4", "define_comment": "重みを見直す"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    answer = QuestionnaireAnswer.objects.get()
    assert answer.go_straight is False
    assert answer.ratings == {"define": {"rating": 4, "comment": "重みを見直す"}}
