"""Sending the questionnaire; the summary reaches the console and the projector as a push."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions.rules.questionnaire import PHASES
from sessions.services.events import InvalidAction
from sessions.services.questionnaire import questionnaire_save
from sessions.views.helpers import AS_PARTICIPANT, HtmxHttpRequest, acting, done


def _rating(raw: str) -> int | None:
    return int(raw) if raw in {"1", "2", "3", "4", "5"} else None


@require_POST
def save(request: HtmxHttpRequest, code: str) -> HttpResponse:
    actor = acting(request, code, AS_PARTICIPANT)
    go = {"yes": True, "no": False}.get(request.POST.get("go_straight", ""))
    ratings = {
        phase: (
            _rating(request.POST.get(f"{phase}_rating", "")),
            request.POST.get(f"{phase}_comment", "")[:300],
        )
        for phase in PHASES
    }
    errors: list[str] = []
    answer = None
    try:
        answer = questionnaire_save(actor=actor, go_straight=go, ratings=ratings)
    except InvalidAction as refusal:
        errors.append(str(refusal))
    if not request.htmx:
        return done(request, actor)
    context = {
        "workshop": actor.workshop,
        "phases": PHASES,
        "my_answer": answer,
        "saved": answer is not None,
        "errors": errors or ([] if answer else [_("Not saved.")]),
    }
    return render(request, "phases/next.html#form", context)
