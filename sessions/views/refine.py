"""Refine: roles, summary slots, FAQ and demo entries, and the read-aloud.

Slots and entries are edited in the room's editor dialog: a GET loads the editor with the saved
text and its version; a save answers 204 (the push updates every view and the dialog closes),
or the editor again with both texts when someone else saved first.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from sessions.access import Actor, Role
from sessions.forms import (
    EntryEditForm,
    EntryForm,
    EntryMoveForm,
    FlagForm,
    ReadingForm,
    RoleForm,
    SlotForm,
)
from sessions.models import ProposalEntry, SummarySlot
from sessions.rules import refine
from sessions.rules.refine import Section
from sessions.selectors.refine import revealed_winner, summary_sentence, summary_slots
from sessions.services import refine as refine_services
from sessions.services.events import InvalidAction
from sessions.services.versions import EditConflict
from sessions.views.helpers import (
    AS_EITHER,
    AS_FACILITATOR,
    HtmxHttpRequest,
    act_on,
    acting,
    composer_response,
    done,
    field_errors,
)

TEMPLATE = "phases/refine.html"


def _writer(actor: Actor, section: Section) -> Actor:
    """``actor``, if they may open an editor of ``section``: the facilitator, or a participant
    in its role."""
    if actor.role == Role.PARTICIPANT:
        role = actor.participant.refine_role if actor.participant else ""
        if not refine.may_write(role, section):
            raise PermissionDenied
    return actor


@require_POST
def role_assign(request: HtmxHttpRequest, code: str) -> HttpResponse:
    return act_on(
        request,
        code,
        RoleForm(request.POST),
        lambda actor, form: refine_services.role_assign(
            actor=actor,
            participant_id=form.cleaned_data["participant"],
            role=form.cleaned_data["role"],
        ),
        roles=AS_FACILITATOR,
    )


@require_POST
def roles_deal(request: HtmxHttpRequest, code: str) -> HttpResponse:
    return act_on(
        request,
        code,
        forms.Form(data={}),
        lambda actor, form: refine_services.roles_deal(actor=actor),
        roles=AS_FACILITATOR,
    )


def _slot_editor(
    request: HtmxHttpRequest,
    actor: Actor,
    key: str,
    *,
    mine: str | None = None,
    errors: Sequence[str] = (),
    conflict: str = "",
    theirs: str = "",
) -> HttpResponse:
    """The slot's editor: the saved text, or ``mine`` (what was typed) kept after a refusal or
    next to ``theirs`` after a conflict."""
    slots = summary_slots(actor.workshop, revealed_winner(actor.workshop))
    view = next(view for view in slots if view.key == key)
    context = {
        "workshop": actor.workshop,
        "slot": view.slot,
        "version": view.version,
        "mine": view.text if mine is None else mine,
        "summary_sentence": summary_sentence({slot.key: slot.html for slot in slots}),
        "errors": errors,
        "conflict": conflict,
        "theirs": theirs,
    }
    return render(request, f"{TEMPLATE}#slot-editor", context)


@require_http_methods(["GET", "POST"])
def slot(request: HtmxHttpRequest, code: str, key: str) -> HttpResponse:
    actor = _writer(acting(request, code, AS_EITHER), Section.SUMMARY)
    if key not in refine.SLOT_KEYS:
        return HttpResponse(status=404)
    if request.method == "GET":
        return _slot_editor(request, actor, key)
    form = SlotForm(request.POST)
    if not form.is_valid():
        return _slot_editor(request, actor, key, errors=field_errors(form))
    data = form.cleaned_data
    try:
        refine_services.summary_slot_save(
            actor=actor, slot=key, text=data["text"], version=data["version"]
        )
    except EditConflict as conflict:
        current = conflict.current
        assert isinstance(current, SummarySlot)
        # Their text in the sentence and above; yours stays in the box, now on their version,
        # so saving again is a deliberate choice to replace theirs.
        return _slot_editor(
            request, actor, key, conflict=str(conflict), theirs=current.text, mine=data["text"]
        )
    except InvalidAction as refusal:
        return _slot_editor(request, actor, key, errors=[str(refusal)], mine=data["text"])
    return done(request, actor)


@require_POST
def entry_add(request: HtmxHttpRequest, code: str) -> HttpResponse:
    actor = acting(request, code, AS_EITHER)
    return composer_response(
        request,
        actor,
        EntryForm(request.POST),
        lambda form: refine_services.entry_add(
            actor=actor,
            entry_id=form.cleaned_data["id"],
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            answer=form.cleaned_data["answer"],
            red=form.cleaned_data["red"],
        ),
        f"{TEMPLATE}#composer",
        {"kind": request.POST.get("kind", "")},
    )


def _entry_editor(
    request: HtmxHttpRequest,
    actor: Actor,
    entry: ProposalEntry,
    *,
    mine: Mapping[str, str] | None = None,
    version: int | None = None,
    errors: Sequence[str] = (),
    conflict: str = "",
    theirs: ProposalEntry | None = None,
) -> HttpResponse:
    """The entry's editor: the saved entry, or ``mine`` (what was typed) kept after a refusal
    or next to ``theirs`` after a conflict."""
    context = {
        "workshop": actor.workshop,
        "entry": entry,
        "version": entry.version if version is None else version,
        "mine": {"text": entry.text, "answer": entry.answer} if mine is None else mine,
        "errors": errors,
        "conflict": conflict,
        "theirs": theirs,
    }
    return render(request, f"{TEMPLATE}#entry-editor", context)


@require_http_methods(["GET", "POST"])
def entry(request: HtmxHttpRequest, code: str, entry_id: uuid.UUID) -> HttpResponse:
    actor = acting(request, code, AS_EITHER)
    saved = ProposalEntry.objects.filter(pk=entry_id, workshop=actor.workshop).first()
    if saved is None:
        return HttpResponse(
            str(refine_services.DELETED),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    _writer(actor, refine.ENTRY_SECTIONS[saved.kind])
    if request.method == "GET":
        return _entry_editor(request, actor, saved)
    form = EntryEditForm(request.POST)
    mine = {"text": request.POST.get("text", ""), "answer": request.POST.get("answer", "")}
    if not form.is_valid():
        return _entry_editor(request, actor, saved, errors=field_errors(form), mine=mine)
    data = form.cleaned_data
    try:
        refine_services.entry_save(
            actor=actor,
            entry_id=entry_id,
            text=data["text"],
            answer=data["answer"],
            version=data["version"],
        )
    except EditConflict as conflict:
        current = conflict.current
        assert isinstance(current, ProposalEntry)
        return _entry_editor(
            request, actor, current, conflict=str(conflict), theirs=current, mine=mine
        )
    except InvalidAction as refusal:
        # Deleted meanwhile: the dialog stays open with what was typed, to copy elsewhere.
        return _entry_editor(
            request, actor, saved, errors=[str(refusal)], mine=mine, version=data["version"]
        )
    return done(request, actor)


@require_POST
def entry_flag(request: HtmxHttpRequest, code: str, entry_id: uuid.UUID) -> HttpResponse:
    return act_on(
        request,
        code,
        FlagForm(request.POST),
        lambda actor, form: refine_services.entry_flag(
            actor=actor, entry_id=entry_id, red=form.cleaned_data["red"]
        ),
    )


@require_POST
def entry_move(request: HtmxHttpRequest, code: str, entry_id: uuid.UUID) -> HttpResponse:
    return act_on(
        request,
        code,
        EntryMoveForm(request.POST),
        lambda actor, form: refine_services.entry_move(
            actor=actor,
            entry_id=entry_id,
            after=form.cleaned_data["after"],
            delta=form.cleaned_data["delta"],
        ),
    )


@require_POST
def entry_delete(request: HtmxHttpRequest, code: str, entry_id: uuid.UUID) -> HttpResponse:
    return act_on(
        request,
        code,
        forms.Form(data={}),  # nothing to read but the entry in the address
        lambda actor, form: refine_services.entry_delete(actor=actor, entry_id=entry_id),
    )


@require_POST
def reading(request: HtmxHttpRequest, code: str) -> HttpResponse:
    return act_on(
        request,
        code,
        ReadingForm(request.POST),
        lambda actor, form: refine_services.reading_go(
            actor=actor,
            action=refine_services.ReadingAction(form.cleaned_data["action"]),
            seen=form.cleaned_data["seen"],
        ),
    )
