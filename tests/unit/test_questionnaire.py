"""The next-step questionnaire: answers, the summary and the measured signals."""

from __future__ import annotations

from typing import Any

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


def _send(
    client: Client, workshop: Workshop, answers: dict[str, str], *, htmx: bool = True
) -> Any:  # the test client's response
    return client.post(
        reverse("questionnaire_save", args=[workshop.join_code]),
        answers,
        headers={"HX-Request": "true"} if htmx else {},
    )


@pytest.mark.parametrize("rating", ["0", "6", "7", "4.5", "five"])
def test_a_rating_outside_one_to_five_is_refused_and_nothing_is_saved(
    at_questionnaire: None, alice_client: Client, workshop: Workshop, rating: str
) -> None:
    response = _send(
        alice_client,
        workshop,
        {"go_straight": "yes", "listen_rating": rating, "define_rating": "4"},
    )
    assert response.status_code == 200
    assert "各フェーズを 1〜5 で評価してください。" in response.content.decode()
    assert not QuestionnaireAnswer.objects.exists()


def test_an_over_long_comment_is_refused_not_cut_and_the_answer_stays_as_it_was(
    at_questionnaire: None, alice_client: Client, workshop: Workshop
) -> None:
    _send(alice_client, workshop, {"go_straight": "no", "listen_rating": "3"})
    typed = "顧" * 301  # one past the 300 a comment may have
    response = _send(
        alice_client,
        workshop,
        {"go_straight": "yes", "listen_rating": "5", "listen_comment": typed},
    )
    page = response.content.decode()
    assert "コメントは 300 文字までです（このコメントは 301 文字）。" in page
    assert typed in page  # given back whole, to be shortened rather than typed again
    answer = QuestionnaireAnswer.objects.get()
    assert (answer.go_straight, answer.ratings) == (False, {"listen": {"rating": 3, "comment": ""}})


def test_a_comment_with_a_nul_character_is_refused_and_nothing_is_saved(
    at_questionnaire: None, alice_client: Client, workshop: Workshop
) -> None:
    response = _send(alice_client, workshop, {"invent_rating": "2", "invent_comment": "事例\x00"})
    # The shared refusal of control characters (sessions/forms.py), naming the character.
    assert "見えない制御文字（U+0000）を取り除いてください。" in response.content.decode()
    assert not QuestionnaireAnswer.objects.exists()


def test_go_straight_is_yes_or_no_and_anything_else_is_refused(
    at_questionnaire: None, alice_client: Client, workshop: Workshop
) -> None:
    response = _send(alice_client, workshop, {"go_straight": "maybe", "test_rating": "1"})
    assert "「はい」か「いいえ」で答えてください。" in response.content.decode()
    assert not QuestionnaireAnswer.objects.exists()


def test_a_refusal_without_javascript_says_why_instead_of_redirecting(
    at_questionnaire: None, alice_client: Client, workshop: Workshop
) -> None:
    response = _send(alice_client, workshop, {"refine_rating": "9"}, htmx=False)
    assert response.status_code == 400
    assert "各フェーズを 1〜5 で評価してください。" in response.content.decode()
    assert not QuestionnaireAnswer.objects.exists()


def test_the_service_refuses_an_over_long_comment_rather_than_cutting_it(
    at_questionnaire: None, alice: Actor
) -> None:
    with pytest.raises(InvalidAction):
        questionnaire_save(
            actor=alice,
            go_straight=None,
            ratings={"listen": (4, "長" * 301)},
        )
    assert not QuestionnaireAnswer.objects.exists()
