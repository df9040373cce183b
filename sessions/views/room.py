"""The three views of a live room: participant, facilitator console and projector."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from sessions.access import Role, facilitator_token
from sessions.views.helpers import get_actor, public_url, render_room


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
    return render_room(request, actor, {"share_url": share})


def projector(request: HttpRequest, code: str) -> HttpResponse:
    actor = get_actor(request, code, Role.PROJECTOR)
    if actor is None:
        raise PermissionDenied
    return render_room(request, actor)
