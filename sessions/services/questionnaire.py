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

# The refusals, shared with the form (sessions/forms.py) so that both say the same.
RATING_REFUSED = format_lazy(
    _("Rate each phase from {low} to {high}."), low=RATINGS[0], high=RATINGS[-1]
)
COMMENT_TOO_LONG = _(
    "A comment has at most %(limit_value)d characters (this one has %(show_value)d)."
)


def questionnaire_save(
    *, actor: Actor, go_straight: bool | None, ratings: dict[str, tuple[int | None, str]]
) -> QuestionnaireAnswer:
    """Save (or change) your answers: for each phase a rating 1–5 (5 = needs improving most)
    and an optional comment."""
    if actor.participant is None:
        raise PermissionDenied("Only participants answer the questionnaire.")
    cleaned = {}
    for phase, (rating, raw_comment) in ratings.items():
        if phase not in PHASES or (rating is not None and rating not in RATINGS):
            raise InvalidAction(RATING_REFUSED)
        comment = raw_comment.strip()
        limit = QuestionnaireAnswer.COMMENT_MAX_LENGTH
        if len(comment) > limit:  # refused, never cut: the author decides what to leave out
            sizes = {"limit_value": limit, "show_value": len(comment)}
            raise InvalidAction(COMMENT_TOO_LONG % sizes)
        if rating is not None or comment:
            cleaned[phase] = {"rating": rating, "comment": comment}
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        if workshop.step.workspace != Workspace.QUESTIONNAIRE:
            raise InvalidAction(_("The questionnaire is answered in the next step."))
        answer, _created = QuestionnaireAnswer.objects.update_or_create(
            participant=actor.participant,
            defaults={"go_straight": go_straight, "ratings": cleaned},
        )
        # The summary changes (the console's and the projector's); the participant's own form
        # is answered by their request.
        record(workshop, kind="questionnaire.saved", actor=actor.label, parts=(Part.BOARD,))
    return answer
