"""Notes, groups, scores and the persona: a Form, one service, then the push updates every view."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions import boards as layouts
from sessions.access import Actor, Role
from sessions.forms import (
    BoardKindForm,
    GroupNameForm,
    MoveForm,
    NoteEditForm,
    NoteForm,
    OwnerForm,
    PersonaForm,
    PointsForm,
    ScoreForm,
)
from sessions.services import boards as board_services
from sessions.services import groups as group_services
from sessions.services.events import InvalidAction
from sessions.views.helpers import get_actor, get_workshop

# Who may post to a view. A browser can hold both roles (a product manager who also
# facilitates): a participant's action is always taken as the participant.
AS_PARTICIPANT = (Role.PARTICIPANT,)
AS_FACILITATOR = (Role.FACILITATOR,)
AS_EITHER = (Role.FACILITATOR, Role.PARTICIPANT)


def _actor(request: HttpRequest, code: str, roles: tuple[Role, ...]) -> Actor:
    """The first of ``roles`` this browser holds in the workshop."""
    for role in roles:
        actor = get_actor(request, code, role)
        if actor is not None:
            translation.activate(actor.workshop.language)  # refusals speak the room's language
            return actor
    raise PermissionDenied


def _done(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        return HttpResponse(status=204)  # the push shows the result on every screen
    name = "console" if actor.is_facilitator else "room"
    return redirect(name, code=actor.workshop.join_code)


def _act(
    request: HttpRequest,
    code: str,
    form: Any,
    act: Callable[[Actor, dict[str, Any]], object],
    roles: tuple[Role, ...] = AS_EITHER,
) -> HttpResponse:
    actor = _actor(request, code, roles)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    try:
        act(actor, form.cleaned_data)
    except InvalidAction as refusal:
        return HttpResponse(str(refusal), status=409, content_type="text/plain; charset=utf-8")
    return _done(request, actor)


@require_POST
def note_create(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request, code, AS_PARTICIPANT)
    form = NoteForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            board_services.note_create(
                actor=actor,
                note_id=data["id"],
                kind=data["kind"],
                text=data["text"],
                cell=data["cell"],
                influence=data["influence"],
                situation=data["situation"],
                is_assumption=data["is_assumption"],
            )
        except InvalidAction as refusal:
            errors.append(str(refusal))
    else:
        errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
    if request.headers.get("HX-Request") != "true":
        return _done(request, actor)
    kind = request.POST.get("kind", "")
    cell_key = request.POST.get("cell", "")
    context = {
        "workshop": actor.workshop,
        "kind": kind,
        "cell_key": cell_key,
        "hint": next(
            (cell.hint for cell in layouts.CELLS.get(kind, ()) if cell.key == cell_key), ""
        ),
        "hints": layouts.PROBLEM_HINTS,
        "errors": errors,
        # A refused note keeps what was typed; a posted one leaves an empty composer.
        "values": request.POST if errors else {},
        "sent": not errors,
    }
    return render(request, "phases/board.html#composer", context, status=200)


@require_POST
def note_update(request: HttpRequest, code: str, note_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        code,
        NoteEditForm(request.POST),
        lambda actor, data: board_services.note_update(
            actor=actor,
            note_id=note_id,
            text=data["text"] or None,
            is_assumption=data["is_assumption"],
        ),
        roles=AS_PARTICIPANT,
    )


@require_POST
def note_delete(request: HttpRequest, code: str, note_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        code,
        forms.Form(data={}),  # nothing to read but the note in the address
        lambda actor, data: board_services.note_delete(actor=actor, note_id=note_id),
        roles=AS_PARTICIPANT,
    )


@require_POST
def note_points(request: HttpRequest, code: str, note_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        code,
        PointsForm(request.POST),
        lambda actor, data: board_services.note_set_points(
            actor=actor, note_id=note_id, points=data["points"]
        ),
        roles=AS_PARTICIPANT,
    )


@require_POST
def note_move(request: HttpRequest, code: str, note_id: uuid.UUID) -> HttpResponse:
    def act(actor: Actor, data: dict[str, Any]) -> object:
        target = data["target"]
        to_group = None
        if target not in ("", "new", "out"):
            try:
                to_group = uuid.UUID(target)
            except ValueError:
                raise InvalidAction(_("That group no longer exists.")) from None
        return group_services.note_move(
            actor=actor,
            note_id=note_id,
            to_group=to_group,
            onto_note=data["onto"],
            new_group=target == "new",
        )

    return _act(request, code, MoveForm(request.POST), act)


@require_POST
def group_rename(request: HttpRequest, code: str, group_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        code,
        GroupNameForm(request.POST),
        lambda actor, data: group_services.group_rename(
            actor=actor, group_id=group_id, name=data["name"]
        ),
    )


@require_POST
def group_score(request: HttpRequest, code: str, group_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        code,
        ScoreForm(request.POST),
        lambda actor, data: group_services.group_score(
            actor=actor, group_id=group_id, score=data["score"]
        ),
    )


@require_POST
def groups_propose(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        BoardKindForm(request.POST),
        lambda actor, data: group_services.groups_apply_proposals(actor=actor, kind=data["kind"]),
    )


@require_POST
def boards_reveal(request: HttpRequest, code: str) -> HttpResponse:
    def act(actor: Actor, data: dict[str, Any]) -> object:
        kinds = tuple(get_workshop(code).step.writes) or (data["kind"],)
        return board_services.boards_reveal(actor=actor, kinds=kinds)

    return _act(
        request,
        code,
        BoardKindForm(request.POST),
        act,
        roles=AS_FACILITATOR,
    )


@require_POST
def board_owner(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        OwnerForm(request.POST),
        lambda actor, data: board_services.board_set_owner(
            actor=actor, kind=data["kind"], participant_id=data["participant"]
        ),
        roles=AS_FACILITATOR,
    )


@require_POST
def persona_update(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        PersonaForm(request.POST),
        lambda actor, data: board_services.persona_update(
            actor=actor, name=data["name"], description=data["description"]
        ),
    )
