"""The facilitator's actions. Participants get 403; the result reaches every screen as a push."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.views.decorators.http import require_POST

from sessions.access import Actor, Role
from sessions.forms import StepForm, TimerForm
from sessions.models import Workshop
from sessions.services import room as room_services
from sessions.views.helpers import get_actor


def _facilitator_action(
    request: HttpRequest, code: str, act: Callable[[Actor], Workshop]
) -> HttpResponse:
    actor = get_actor(request, code, Role.FACILITATOR)
    if actor is None:
        raise PermissionDenied
    translation.activate(actor.workshop.language)  # a refusal speaks the room's language
    try:
        workshop = act(actor)
    except room_services.InvalidAction as refusal:
        return HttpResponse(str(refusal), status=409, content_type="text/plain; charset=utf-8")
    if request.headers.get("HX-Request") == "true":
        # Every screen, this one included, is updated by the push that follows the commit;
        # the header tells which sequence number that push carries.
        return HttpResponse(status=204, headers={"X-Gyakusan-Seq": str(workshop.seq)})
    return redirect("console", code=actor.workshop.join_code)


@require_POST
def step(request: HttpRequest, code: str) -> HttpResponse:
    form = StepForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400)
    action = form.cleaned_data["action"]
    key = form.cleaned_data.get("step") or None
    seen = form.cleaned_data.get("seen") or None

    def act(actor: Actor) -> Workshop:
        if action == "goto":
            return room_services.step_go(actor=actor, to=key, seen=seen)
        delta = 1 if action == "next" else -1
        return room_services.step_go(actor=actor, delta=delta, seen=seen)

    return _facilitator_action(request, code, act)


@require_POST
def timer(request: HttpRequest, code: str) -> HttpResponse:
    form = TimerForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400)
    action = room_services.TimerAction(form.cleaned_data["action"])

    def act(actor: Actor) -> Workshop:
        return room_services.timer_control(actor=actor, action=action)

    return _facilitator_action(request, code, act)
