"""Joining with a code or the QR code: no account, a display name."""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from sessions import ratelimit
from sessions.access import participant_in, remember_participant
from sessions.codes import join_link_valid, normalise_join_code
from sessions.forms import JoinForm, JoinLinkForm
from sessions.models import Workshop
from sessions.services.participants import JoiningClosed, WorkshopFull, participant_join
from sessions.views.helpers import find_workshop


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str = "") -> HttpResponse:
    if request.method == "GET":
        return _join_page(request, normalise_join_code(code))

    form = JoinForm(request.POST)
    try:
        if not form.is_valid():
            ratelimit.slow_down(request)  # a malformed code is an attempt too
            return _render(request, form, None, status=400)
        code, token = form.cleaned_data["code"], form.cleaned_data["link"]
        workshop = find_workshop(request, code, by_link=join_link_valid(code, token))
    except ratelimit.Throttled as throttled:
        return _too_many(request, form, None, throttled.seconds)
    if workshop is None:
        ratelimit.join_failed(request)
        form.add_error(
            "code", _("No workshop has this code. Check it on the projector and try again.")
        )
        return _render(request, form, None, status=404)
    if participant_in(request.session, workshop) is None:
        return _take_a_seat(request, form, workshop)
    return redirect("room", code=workshop.join_code)


def _join_page(request: HttpRequest, code: str) -> HttpResponse:
    """The form, the code filled in when the address has one (the QR code's link, with its
    token kept in the form so that sending it skips the lockout). Telling a live code from an
    unknown one by its title, this page is the one a stranger's lookups by code lead to: they
    are counted, and an unknown code counts as a wrong one."""
    query = JoinLinkForm(request.GET)
    token = query.cleaned_data["k"] if query.is_valid() else ""
    by_link = bool(code) and join_link_valid(code, token)
    workshop = None
    if code:
        try:
            workshop = find_workshop(request, code, by_link=by_link)
        except ratelimit.Throttled as throttled:
            return _too_many(request, JoinForm(), None, throttled.seconds)
        if workshop is None:
            ratelimit.join_failed(request)
    if workshop is not None and participant_in(request.session, workshop):
        # The same browser coming back is the same person.
        return redirect("room", code=workshop.join_code)
    shown = workshop.display_code if workshop else code
    form = JoinForm(initial={"code": shown, "link": token if by_link else ""})
    unknown = _("No workshop has this code. Check it on the projector and try again.")
    return _render(request, form, workshop, refusal=unknown if code and not workshop else "")


def _take_a_seat(request: HttpRequest, form: JoinForm, workshop: Workshop) -> HttpResponse:
    """A newcomer's seat, within the limits that keep a script from filling the room."""
    with translation.override(workshop.language):  # refusals speak the room's language
        if not workshop.joining_open:
            return _render(request, form, workshop, status=403)
        used_up = ratelimit.seats_used_up(request, workshop)
        if used_up == "address":
            return _too_many(request, form, workshop, 60)
        if used_up == "workshop":
            busy = _("Many people are joining at once. Wait a minute and try again.")
            return _render(request, form, workshop, status=429, refusal=busy)
        try:
            participant = participant_join(
                workshop=workshop,
                display_name=form.cleaned_data["display_name"],
                join_key=form.cleaned_data["join_key"],
            )
        except JoiningClosed:  # closed while this form was being sent: say so
            workshop.refresh_from_db(fields=["joining_open"])
            return _render(request, form, workshop, status=403)
        except WorkshopFull:
            form.add_error(None, _("This workshop is full."))
            return _render(request, form, workshop, status=409)
    ratelimit.seat_taken(request, workshop)
    remember_participant(request.session, participant)
    # A new key with the new rights: a session cookie planted in this browser beforehand
    # (session fixation) must not become this participant.
    request.session.cycle_key()
    return redirect("room", code=workshop.join_code)


def _too_many(
    request: HttpRequest, form: JoinForm, workshop: Workshop | None, seconds: int
) -> HttpResponse:
    minutes = math.ceil(seconds / 60)
    refusal = ngettext(
        "Too many attempts from this network. Try again in %(minutes)d minute.",
        "Too many attempts from this network. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = _render(request, form, workshop, status=429, refusal=refusal)
    response["Retry-After"] = str(seconds)
    return response


def _render(
    request: HttpRequest,
    form: JoinForm,
    workshop: Workshop | None,
    status: int = 200,
    *,
    refusal: str = "",
) -> HttpResponse:
    """The join page, with why a join was refused; once the code names a workshop, in that
    workshop's language (what it says about joining is the room's to say)."""
    context = {"form": form, "workshop": workshop, "refusal": refusal}
    if workshop is None:
        return render(request, "pages/join.html", context, status=status)
    with translation.override(workshop.language):
        response = render(request, "pages/join.html", context, status=status)
    response["Content-Language"] = workshop.language
    return response


class ThrottledMiddleware(MiddlewareMixin):  # the mixin serves sync and async views alike
    """A lookup by code refused anywhere for its address (views.helpers.find_workshop) answers
    429 with the join page saying how long to wait, whatever the code."""

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ratelimit.Throttled):
            return _too_many(request, JoinForm(), None, exception.seconds)
        return None
