"""Answering the next-step questionnaire."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sessions.access import Actor
from sessions.models import QuestionnaireAnswer
from sessions.rules.questionnaire import PHASES
from sessions.rules.scales import RATINGS
from sessions.rules.steps import Part, Workspace
from sessions.services.events import InvalidAction, lock_workshop, record


def questionnaire_save(
    *, actor: Actor, go_straight: bool | None, ratings: dict[str, tuple[int | None, str]]
) -> QuestionnaireAnswer:
    """Save (or change) your answers: for each phase a rating 1–5 (5 = needs improving most)
    and an optional comment."""
    if actor.participant is None:
        raise PermissionDenied("Only participants answer the questionnaire.")
    cleaned = {}
    for phase, (rating, comment) in ratings.items():
        if phase not in PHASES or (rating is not None and rating not in RATINGS):
            raise InvalidAction(
                format_lazy(
                    _("Rate each phase from {low} to {high}."), low=RATINGS[0], high=RATINGS[-1]
                )
            )
        if rating is not None or comment.strip():
            cleaned[phase] = {"rating": rating, "comment": comment.strip()[:300]}
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        if workshop.step.workspace != Workspace.QUESTIONNAIRE:
            raise InvalidAction(_("The questionnaire is answered in the next step."))
        answer, _created = QuestionnaireAnswer.objects.update_or_create(
            participant=actor.participant,
            defaults={"go_straight": go_straight, "ratings": cleaned},
        )
        # The summary changes for everyone; the participant's own form is theirs alone.
        record(
            workshop,
            kind="questionnaire.saved",
            actor=actor.label,
            parts=(Part.BOARD,),
            personal_to=(actor.participant.pk,),
        )
    return answer
