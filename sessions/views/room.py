"""The three views of a live room (participant, facilitator console, projector) and the
facilitator's actions on it: participants get 403; the result reaches every screen as a push."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from sessions.access import Actor, Role, facilitator_token, projector_token
from sessions.forms import JoiningForm, StepForm, TimerForm
from sessions.models import Workshop
from sessions.services import participants as participant_services
from sessions.services import room as room_services
from sessions.views.helpers import (
    AS_FACILITATOR,
    HtmxHttpRequest,
    act_on,
    get_actor,
    public_url,
    render_room,
)


def room(request: HttpRequest, code: str) -> HttpResponse:
    actor = get_actor(request, code, Role.PARTICIPANT)
    if actor is None:
        return redirect("join_code", code=code)
    return render_room(request, actor)


def console(request: HttpRequest, code: str) -> HttpResponse:
    actor = get_actor(request, code, Role.FACILITATOR)
    if actor is None:
        raise PermissionDenied
    token = facilitator_token(request.session, actor.workshop)
    share = public_url(request, reverse("facilitator_link", args=[token]))
    projector_path = reverse(
        "projector_link", args=[actor.workshop.join_code, projector_token(actor.workshop)]
    )
    return render_room(
        request,
        actor,
        share_url=share,
        projector_path=projector_path,
        projector_url=public_url(request, projector_path),
    )


def projector(request: HttpRequest, code: str) -> HttpResponse:
    actor = get_actor(request, code, Role.PROJECTOR)
    if actor is None:
        raise PermissionDenied
    return render_room(request, actor)


@require_POST
def step(request: HtmxHttpRequest, code: str) -> HttpResponse:
    def act(actor: Actor, form: StepForm) -> Workshop:
        seen = form.cleaned_data.get("seen") or None
        if form.cleaned_data["action"] == "goto":
            return room_services.step_go(
                actor=actor, to=form.cleaned_data.get("step") or None, seen=seen
            )
        delta = 1 if form.cleaned_data["action"] == "next" else -1
        return room_services.step_go(actor=actor, delta=delta, seen=seen)

    return act_on(request, code, StepForm(request.POST), act, roles=AS_FACILITATOR)


@require_POST
def timer(request: HtmxHttpRequest, code: str) -> HttpResponse:
    def act(actor: Actor, form: TimerForm) -> Workshop:
        action = room_services.TimerAction(form.cleaned_data["action"])
        return room_services.timer_control(actor=actor, action=action)

    return act_on(request, code, TimerForm(request.POST), act, roles=AS_FACILITATOR)


@require_POST
def joining(request: HtmxHttpRequest, code: str) -> HttpResponse:
    def act(actor: Actor, form: JoiningForm) -> Workshop:
        return participant_services.joining_set(actor=actor, open=form.open)

    return act_on(request, code, JoiningForm(request.POST), act, roles=AS_FACILITATOR)
