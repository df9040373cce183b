"""Small pieces the views share: finding a workshop, checking the role, rendering the room."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

import segno
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django_htmx.middleware import HtmxDetails

from sessions import ratelimit
from sessions.access import Actor, Role, actor_for, belongs_to
from sessions.codes import join_link_token, normalise_join_code
from sessions.live import ROOM_TEMPLATE, socket_path
from sessions.models import Workshop
from sessions.selectors.room import room_view
from sessions.services.events import InvalidAction

FormT = TypeVar("FormT", bound=forms.Form)


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it: ``request.htmx`` is true for a request
    htmx made (and tells its target, trigger and current URL)."""

    htmx: HtmxDetails


def find_workshop(request: HttpRequest, code: str, *, by_link: bool = False) -> Workshop | None:
    """The workshop a code names, for every view that takes one from the address.

    A browser that belongs to the workshop is never slowed down. Anyone else asking by code
    may be guessing: each lookup counts against their address (ratelimit.Throttled, answered
    429, once too many). Callers refuse a stranger the same way whether the code names a
    workshop or not (None), so that only the join page, which counts wrong codes, tells.
    """
    workshop = Workshop.objects.filter(join_code=normalise_join_code(code)).first()
    if workshop is not None and belongs_to(request.session, workshop):
        return workshop
    ratelimit.slow_down(request, by_link=by_link)
    return workshop


def get_actor(request: HttpRequest, code: str, role: Role) -> Actor | None:
    workshop = find_workshop(request, code)
    return actor_for(request.session, workshop, wants=role) if workshop else None


def public_url(request: HttpRequest, path: str) -> str:
    """An address other devices in the room can open (PUBLIC_URL, when set, over localhost)."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    return request.build_absolute_uri(path)


def join_link(request: HttpRequest, workshop: Workshop) -> str:
    """The QR code's link, also offered on the console to send in a chat: the join page with
    the code filled in and the token showing it was read off the room's screen, which skips the
    lockout for wrong codes (an office behind one address keeps joining while someone guesses)."""
    path = reverse("join_code", args=[workshop.join_code])
    query = urlencode({"k": join_link_token(workshop.join_code)})
    return public_url(request, f"{path}?{query}")


def qr_svg(url: str) -> SafeString:
    # segno writes the SVG itself from a URL we built: no user text reaches it.
    return mark_safe(segno.make(url, error="m").svg_inline(border=2, omitsize=True))


def render_room(
    request: HttpRequest,
    actor: Actor,
    *,
    share_url: str = "",
    projector_path: str = "",
    projector_url: str = "",
) -> HttpResponse:
    """A room's whole page for ``actor``; the console's also shows the secret links: the
    facilitator's (``share_url``) and the projector's (its path, and its public address)."""
    workshop = actor.workshop
    translation.activate(workshop.language)
    link = join_link(request, workshop)
    room = room_view(workshop=workshop, role=actor.role, viewer=actor.participant)
    context = room.template_names()
    context.update(
        seq=workshop.seq,
        me=actor.participant,
        # Short enough to type off the projector; the code is shown next to it.
        join_url=public_url(request, reverse("join")),
        join_link=link,
        qr_svg=qr_svg(link),
        ws_path=socket_path(workshop.join_code, actor.role),
        share_url=share_url,
        projector_path=projector_path,
        projector_url=projector_url,
    )
    response = render(request, ROOM_TEMPLATE, context)
    response["Content-Language"] = workshop.language
    return response


# Who may post to a view. A browser can hold both roles (a product manager who also
# facilitates): a participant's action is always taken as the participant.
AS_PARTICIPANT = (Role.PARTICIPANT,)
AS_FACILITATOR = (Role.FACILITATOR,)
AS_EITHER = (Role.FACILITATOR, Role.PARTICIPANT)


def acting(request: HttpRequest, code: str, roles: tuple[Role, ...]) -> Actor:
    """The first of ``roles`` this browser holds in the workshop; a stranger is refused alike
    whether the code names a workshop or not."""
    workshop = find_workshop(request, code)
    if workshop is not None:
        for role in roles:
            actor = actor_for(request.session, workshop, wants=role)
            if actor is not None:
                translation.activate(workshop.language)  # refusals speak the room's language
                return actor
    raise PermissionDenied


def done(request: HtmxHttpRequest, actor: Actor, result: object = None) -> HttpResponse:
    if request.htmx:
        # Every screen, this one included, is updated by the push that follows the commit;
        # for a change of the room, the header tells which sequence number that push carries.
        headers = {"X-Gyakusan-Seq": str(result.seq)} if isinstance(result, Workshop) else {}
        return HttpResponse(status=204, headers=headers)
    name = "console" if actor.is_facilitator else "room"
    return redirect(name, code=actor.workshop.join_code)


def act_on(
    request: HtmxHttpRequest,
    code: str,
    form: FormT,
    act: Callable[[Actor, FormT], object],
    roles: tuple[Role, ...] = AS_EITHER,
) -> HttpResponse:
    """The action of an actor holding one of ``roles``: ``act`` runs with the valid form;
    a refusal is 409 with its reason, an invalid form 400."""
    actor = acting(request, code, roles)
    if not form.is_valid():
        return refused(labelled_errors(form))
    try:
        result = act(actor, form)
    except InvalidAction as refusal:
        return HttpResponse(str(refusal), status=409, content_type="text/plain; charset=utf-8")
    return done(request, actor, result)


def refused(errors: list[str]) -> HttpResponse:
    """A form refused: each reason on its own line, as text (what errors.js shows in a toast;
    without JavaScript, the page itself)."""
    return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")


def field_errors(form: forms.Form) -> list[str]:
    """Each refusal alone: for a form that shows them next to its fields."""
    return [str(error) for errors in form.errors.values() for error in errors]


def labelled_errors(form: forms.Form) -> list[str]:
    """Each refusal led by its field's label ("Group name: …"), for an answer shown away from
    the form (a toast); a refusal of the whole form, or of a field without a label, alone."""
    return [
        f"{form.fields[name].label}: {error}"
        if name in form.fields and form.fields[name].label
        else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]


def composer_response(
    request: HtmxHttpRequest,
    actor: Actor,
    form: FormT,
    act: Callable[[FormT], object],
    template: str,
    context: Mapping[str, object],
    *,
    errors_of: Callable[[FormT], list[str]] = field_errors,
) -> HttpResponse:
    """A composer's post (a note, an idea, an entry): the service on a valid form, then for
    htmx the composer again, empty once sent, or keeping what was typed and saying why not."""
    errors: list[str] = []
    if form.is_valid():
        try:
            act(form)
        except InvalidAction as refusal:
            errors.append(str(refusal))
    else:
        errors = errors_of(form)
    if not request.htmx:
        if errors:  # a form posted without JavaScript: say why, rather than drop it
            return refused(errors)
        return done(request, actor)
    return render(
        request,
        template,
        {
            "workshop": actor.workshop,
            **context,
            "errors": errors,
            "values": request.POST if errors else {},
            "sent": not errors,
        },
    )
