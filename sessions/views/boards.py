"""Notes, groups, scores and the persona: a Form, one service, then the push updates every view."""

from __future__ import annotations

import uuid

from django import forms
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions.access import Actor
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
from sessions.rules import boards as board_rules
from sessions.services import boards as board_services
from sessions.services import groups as group_services
from sessions.services.events import InvalidAction
from sessions.views.helpers import (
    AS_FACILITATOR,
    AS_PARTICIPANT,
    HtmxHttpRequest,
    act_on,
    acting,
    composer_response,
)


@require_POST
def note_create(request: HtmxHttpRequest, code: str) -> HttpResponse:
    actor = acting(request, code, AS_PARTICIPANT)
    kind = request.POST.get("kind", "")
    cell_key = request.POST.get("cell", "")
    return composer_response(
        request,
        actor,
        NoteForm(request.POST),
        lambda form: board_services.note_create(
            actor=actor,
            note_id=form.cleaned_data["id"],
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            cell=form.cleaned_data["cell"],
            influence=form.cleaned_data["influence"],
            situation=form.cleaned_data["situation"],
            is_assumption=form.cleaned_data["is_assumption"],
        ),
        "phases/board.html#composer",
        {
            "kind": kind,
            "cell_key": cell_key,
            "hint": next(
                (cell.hint for cell in board_rules.CELLS.get(kind, ()) if cell.key == cell_key), ""
            ),
            "hints": board_rules.PROBLEM_HINTS,
        },
    )


@require_POST
def note_update(request: HtmxHttpRequest, code: str, note_id: uuid.UUID) -> HttpResponse:
    return act_on(
        request,
        code,
        NoteEditForm(request.POST),
        lambda actor, form: board_services.note_update(
            actor=actor,
            note_id=note_id,
            text=form.cleaned_data["text"] or None,
            influence=form.cleaned_data["influence"] or None,
            situation=form.cleaned_data["situation"] or None,
            is_assumption=form.cleaned_data["is_assumption"],
        ),
        roles=AS_PARTICIPANT,
    )


@require_POST
def note_delete(request: HtmxHttpRequest, code: str, note_id: uuid.UUID) -> HttpResponse:
    return act_on(
        request,
        code,
        forms.Form(data={}),  # nothing to read but the note in the address
        lambda actor, form: board_services.note_delete(actor=actor, note_id=note_id),
        roles=AS_PARTICIPANT,
    )


@require_POST
def note_points(request: HtmxHttpRequest, code: str, note_id: uuid.UUID) -> HttpResponse:
    return act_on(
        request,
        code,
        PointsForm(request.POST),
        lambda actor, form: board_services.note_set_points(
            actor=actor, note_id=note_id, points=form.cleaned_data["points"]
        ),
        roles=AS_PARTICIPANT,
    )


@require_POST
def note_move(request: HtmxHttpRequest, code: str, note_id: uuid.UUID) -> HttpResponse:
    def act(actor: Actor, form: MoveForm) -> object:
        target = form.cleaned_data["target"]
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
            onto_note=form.cleaned_data["onto"],
            new_group=target == "new",
        )

    return act_on(request, code, MoveForm(request.POST), act)


@require_POST
def group_rename(request: HtmxHttpRequest, code: str, group_id: uuid.UUID) -> HttpResponse:
    return act_on(
        request,
        code,
        GroupNameForm(request.POST),
        lambda actor, form: group_services.group_rename(
            actor=actor, group_id=group_id, name=form.cleaned_data["name"]
        ),
    )


@require_POST
def group_score(request: HtmxHttpRequest, code: str, group_id: uuid.UUID) -> HttpResponse:
    return act_on(
        request,
        code,
        ScoreForm(request.POST),
        lambda actor, form: group_services.group_score(
            actor=actor, group_id=group_id, score=form.cleaned_data["score"]
        ),
    )


@require_POST
def groups_propose(request: HtmxHttpRequest, code: str) -> HttpResponse:
    return act_on(
        request,
        code,
        BoardKindForm(request.POST),
        lambda actor, form: group_services.groups_apply_proposals(
            actor=actor, kind=form.cleaned_data["kind"]
        ),
    )


@require_POST
def boards_reveal(request: HtmxHttpRequest, code: str) -> HttpResponse:
    def act(actor: Actor, form: BoardKindForm) -> object:
        kinds = tuple(actor.workshop.step.writes) or (form.cleaned_data["kind"],)
        return board_services.boards_reveal(actor=actor, kinds=kinds)

    return act_on(
        request,
        code,
        BoardKindForm(request.POST),
        act,
        roles=AS_FACILITATOR,
    )


@require_POST
def board_owner(request: HtmxHttpRequest, code: str) -> HttpResponse:
    return act_on(
        request,
        code,
        OwnerForm(request.POST),
        lambda actor, form: board_services.board_set_owner(
            actor=actor,
            kind=form.cleaned_data["kind"],
            participant_id=form.cleaned_data["participant"],
        ),
        roles=AS_FACILITATOR,
    )


@require_POST
def persona_update(request: HtmxHttpRequest, code: str) -> HttpResponse:
    return act_on(
        request,
        code,
        PersonaForm(request.POST),
        lambda actor, form: board_services.persona_update(
            actor=actor,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
        ),
    )
