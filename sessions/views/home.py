"""Creating a workshop, and the secret links: the facilitator's and the projector's."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from sessions.access import grant_facilitator, grant_projector, is_projector_token
from sessions.codes import new_creation_key
from sessions.exports.portable_import import import_workshop
from sessions.exports.portable_reader import MAX_BYTES, ImportRefused, parse
from sessions.forms import ImportForm, WorkshopCreateForm
from sessions.services.workshops import workshop_create, workshop_for_token
from sessions.views.helpers import find_workshop
from sessions.views.uploads import UploadLimit


@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    form = WorkshopCreateForm(request.POST or None, initial={"creation_key": new_creation_key()})
    if request.method == "POST" and form.is_valid():
        created = workshop_create(**form.cleaned_data)
        return redirect("facilitator_link", token=created.facilitator_token)
    return _home(request, form)


def _home(
    request: HttpRequest,
    form: WorkshopCreateForm,
    import_errors: Sequence[str] = (),
    *,
    status: int = 200,
) -> HttpResponse:
    """The home page: its create form, and the import form with a creation key of its own."""
    context = {
        "form": form,
        "import_form": ImportForm(
            initial={"creation_key": new_creation_key()}, auto_id="import_%s"
        ),
        "import_errors": import_errors,
    }
    return render(request, "pages/home.html", context, status=status)


@csrf_exempt  # checked below, once the upload's limit is in place
@require_POST
def workshop_import(request: HttpRequest) -> HttpResponse:
    """A new workshop from an exported file; whoever imports it facilitates it.

    The file is read with a limit: CSRF protection reads the posted form, file included, so
    the limit goes in before it and the token is checked after (as Django's documentation
    does for upload handlers)."""
    limit = UploadLimit(request, MAX_BYTES)
    request.upload_handlers.insert(0, limit)
    return _workshop_import(request, limit)


@csrf_protect
def _workshop_import(request: HttpRequest, limit: UploadLimit) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    errors: list[str] = []
    status = 400
    if limit.too_large:
        errors.append(_("The file is larger than 5 MB."))
        status = 413
    elif not form.is_valid():
        errors += [str(error) for field in form.errors.values() for error in field]
    else:
        key = form.cleaned_data["creation_key"]
        try:
            created = import_workshop(parse(form.cleaned_data["file"].read()), creation_key=key)
        except ImportRefused as refusal:
            errors.append(str(refusal))
        else:
            return redirect("facilitator_link", token=created.facilitator_token)
    create_form = WorkshopCreateForm(initial={"creation_key": new_creation_key()})
    return _home(request, create_form, errors, status=status)


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
