"""Invent: ideas, the stage, marks, picks, the reveal and the override."""

from __future__ import annotations

import uuid

from django import forms
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from sessions.access import Actor
from sessions.forms import IdeaForm, MarkForm, OverrideForm
from sessions.services import invent as services
from sessions.views.helpers import (
    AS_FACILITATOR,
    AS_PARTICIPANT,
    HtmxHttpRequest,
    act_on,
    acting,
    composer_response,
    labelled_errors,
)


@require_POST
def idea_save(request: HtmxHttpRequest, code: str) -> HttpResponse:
    actor = acting(request, code, AS_PARTICIPANT)

    def act(form: IdeaForm) -> object:
        slots = {**form.cleaned_data, "data": form.cleaned_data["data_source"]}
        return services.idea_save(actor=actor, idea_id=form.cleaned_data["id"], slots=slots)

    return composer_response(
        request,
        actor,
        IdeaForm(request.POST),
        act,
        "phases/invent.html#idea-form",
        {},
        errors_of=labelled_errors,
    )


@require_POST
def idea_share(request: HtmxHttpRequest, code: str, idea_id: uuid.UUID) -> HttpResponse:
    return act_on(
        request,
        code,
        forms.Form(data={}),
        lambda actor, form: services.idea_share(actor=actor, idea_id=idea_id),
        roles=AS_PARTICIPANT,
    )


@require_POST
def idea_stage(request: HtmxHttpRequest, code: str, idea_id: uuid.UUID) -> HttpResponse:
    return act_on(
        request,
        code,
        forms.Form(data={}),
        lambda actor, form: services.idea_stage(actor=actor, idea_id=idea_id),
        roles=AS_FACILITATOR,
    )


@require_POST
def mark_set(request: HtmxHttpRequest, code: str) -> HttpResponse:
    def act(actor: Actor, form: MarkForm) -> object:
        services.mark_set(
            actor=actor,
            idea_id=form.cleaned_data["idea"],
            group_id=form.cleaned_data["group"],
            value=form.cleaned_data["value"],
        )
        return None

    return act_on(
        request,
        code,
        MarkForm(request.POST),
        act,
        roles=AS_PARTICIPANT,
    )


@require_POST
def pick_set(request: HtmxHttpRequest, code: str, idea_id: uuid.UUID) -> HttpResponse:
    def act(actor: Actor, form: forms.Form) -> object:
        services.pick_set(actor=actor, idea_id=idea_id)
        return None

    return act_on(
        request,
        code,
        forms.Form(data={}),
        act,
        roles=AS_PARTICIPANT,
    )


@require_POST
def results_reveal(request: HtmxHttpRequest, code: str) -> HttpResponse:
    return act_on(
        request,
        code,
        forms.Form(data={}),
        lambda actor, form: services.results_reveal(actor=actor),
        roles=AS_FACILITATOR,
    )


@require_POST
def winner_override(request: HtmxHttpRequest, code: str) -> HttpResponse:
    return act_on(
        request,
        code,
        OverrideForm(request.POST),
        lambda actor, form: services.winner_override(
            actor=actor, idea_id=form.cleaned_data["idea"], reason=form.cleaned_data["reason"]
        ),
        roles=AS_FACILITATOR,
    )
