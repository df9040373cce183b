"""Small pieces the views share: finding a workshop, checking the role, rendering the room."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from sessions.access import Actor, Role, actor_for
from sessions.codes import normalise_join_code
from sessions.live import ROOM_TEMPLATE, socket_path
from sessions.models import Workshop
from sessions.room_state import room_context


def get_workshop(code: str) -> Workshop:
    workshop = Workshop.objects.filter(join_code=normalise_join_code(code)).first()
    if workshop is None:
        raise Http404("No workshop has this code")
    return workshop


def get_actor(request: HttpRequest, code: str, role: Role) -> Actor | None:
    return actor_for(request.session, get_workshop(code), wants=role)


def public_url(request: HttpRequest, path: str) -> str:
    """An address other devices in the room can open (PUBLIC_URL, when set, over localhost)."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    return request.build_absolute_uri(path)


def join_url(request: HttpRequest, workshop: Workshop) -> str:
    return public_url(request, reverse("join_code", args=[workshop.join_code]))


def qr_svg(url: str) -> SafeString:
    # segno writes the SVG itself from a URL we built: no user text reaches it.
    return mark_safe(segno.make(url, error="m").svg_inline(border=2, omitsize=True))


def render_room(
    request: HttpRequest, actor: Actor, extra: dict[str, Any] | None = None
) -> HttpResponse:
    workshop = actor.workshop
    translation.activate(workshop.language)
    url = join_url(request, workshop)
    context = room_context(workshop, actor.role, viewer=actor.participant)
    context.update(
        seq=workshop.seq,
        me=actor.participant,
        join_url=url,
        qr_svg=qr_svg(url),
        ws_path=socket_path(workshop.join_code, actor.role),
        **(extra or {}),
    )
    response = render(request, ROOM_TEMPLATE, context)
    response["Content-Language"] = workshop.language
    return response
