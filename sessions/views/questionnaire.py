"""Sending the questionnaire; the summary reaches the console and the projector as a push."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from sessions.forms import QuestionnaireForm
from sessions.models import QuestionnaireAnswer
from sessions.rules.questionnaire import PHASES
from sessions.services.events import InvalidAction
from sessions.services.questionnaire import questionnaire_save
from sessions.views.helpers import AS_PARTICIPANT, HtmxHttpRequest, acting, done


def _as_sent(form: QuestionnaireForm) -> QuestionnaireAnswer:
    """The answers as sent, unsaved, to show again next to the refusal: what was valid as
    read, the comments as typed so that they can be shortened rather than typed again."""
    valid = form.cleaned_data
    return QuestionnaireAnswer(
        go_straight=valid.get("go_straight"),
        ratings={
            phase: {
                "rating": valid.get(f"{phase}_rating"),
                "comment": form.data.get(f"{phase}_comment", "").replace("\x00", ""),
            }
            for phase in PHASES
        },
    )


@require_POST
def save(request: HtmxHttpRequest, code: str) -> HttpResponse:
    actor = acting(request, code, AS_PARTICIPANT)
    form = QuestionnaireForm(request.POST)
    errors: list[str] = []
    answer = None
    if form.is_valid():
        try:
            answer = questionnaire_save(
                actor=actor, go_straight=form.cleaned_data["go_straight"], ratings=form.ratings()
            )
        except InvalidAction as refusal:
            errors.append(str(refusal))
    else:
        errors = form.errors_by_phase()
    if not request.htmx:
        if errors:  # a form posted without JavaScript: say why, rather than drop it
            return HttpResponse(
                "\n".join(errors), status=400, content_type="text/plain; charset=utf-8"
            )
        return done(request, actor)
    context = {
        "workshop": actor.workshop,
        "phases": PHASES,
        "my_answer": answer if answer is not None else _as_sent(form),
        "saved": answer is not None,
        "errors": errors,
    }
    return render(request, "phases/next.html#form", context)
