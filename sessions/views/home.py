"""Creating a workshop, and the secret links: the facilitator's and the projector's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sessions.access import grant_facilitator, grant_projector, is_projector_token
from sessions.exports.portable_import import import_workshop
from sessions.exports.portable_reader import MAX_BYTES, ImportRefused, parse
from sessions.forms import WorkshopCreateForm
from sessions.services.workshops import workshop_create, workshop_for_token
from sessions.views.helpers import find_workshop


@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    form = WorkshopCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = workshop_create(**form.cleaned_data)
        return redirect("facilitator_link", token=created.facilitator_token)
    return render(request, "pages/home.html", {"form": form})


@require_POST
def workshop_import(request: HttpRequest) -> HttpResponse:
    """A new workshop from an exported file; whoever imports it facilitates it."""
    upload = request.FILES.get("file")
    errors: list[str] = []
    if upload is None:
        errors.append(_("Choose a workshop file."))
    elif upload.size is not None and upload.size > MAX_BYTES:
        errors.append(_("The file is larger than 5 MB."))
    else:
        try:
            created = import_workshop(parse(upload.read()))
        except ImportRefused as refusal:
            errors.append(str(refusal))
        else:
            return redirect("facilitator_link", token=created.facilitator_token)
    context = {"form": WorkshopCreateForm(), "import_errors": errors}
    return render(request, "pages/home.html", context, status=400)


def facilitator_link(request: HttpRequest, token: str) -> HttpResponse:
    """The secret link: opening it on any device makes that browser a facilitator."""
    workshop = workshop_for_token(token)
    if workshop is None:
        return render(request, "pages/not_found.html", status=404)
    grant_facilitator(request.session, workshop, token)
    # A new key with the new rights: a session cookie planted in this browser beforehand
    # (session fixation) must not end up in control of the workshop.
    request.session.cycle_key()
    return redirect(reverse("console", args=[workshop.join_code]))


def projector_link(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The projector's link: opening it on the projector laptop shows the room there, read-only,
    without the facilitator's rights (no console, no action, no export of unrevealed work)."""
    workshop = find_workshop(request, code)
    if workshop is None or not is_projector_token(workshop, token):
        return render(request, "pages/not_found.html", status=404)
    grant_projector(request.session, workshop, token)
    # A new key with the new rights: a session cookie planted in this browser beforehand
    # (session fixation) must not end up showing the workshop.
    request.session.cycle_key()
    return redirect(reverse("projector", args=[workshop.join_code]))
