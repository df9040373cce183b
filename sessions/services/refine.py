"""Refine: roles, the planner's summary, the FAQ and demo entries, and reading aloud.

Anyone may read everything; each part is edited by its role and the facilitator. Entries keep
one total order per list: every move is applied, under the workshop's lock, to the order of
the moment, and the positions are renumbered 0…n-1.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sessions.access import Actor, Role
from sessions.live import EntryChange
from sessions.models import (
    Participant,
    Proposal,
    ProposalEntry,
    SummarySlot,
    Workshop,
)
from sessions.rules import refine
from sessions.rules.refine import EntryKind, RefineRole, Section
from sessions.rules.steps import Part, Phase, Workspace
from sessions.services.events import ALL_PARTICIPANTS, InvalidAction, lock_workshop, record
from sessions.services.versions import check_version

WORKSPACE = (Part.WORKSPACE,)  # roles changed: the layout, the composers and the controls
BOARD = (Part.BOARD,)  # content changed: the lists and the sentence; composers stay put
DELETED = _("This entry was deleted meanwhile.")


def _publish(
    workshop: Workshop,
    actor: Actor,
    kind: str,
    data: dict[str, object],
    parts: tuple[Part, ...] = BOARD,
) -> None:
    # Everyone's view changes; each participant's own controls depend on their role.
    record(
        workshop,
        kind=kind,
        actor=actor.label,
        data=data,
        parts=parts,
        personal_to=ALL_PARTICIPANTS,
    )


def _publish_entry(
    workshop: Workshop, actor: Actor, kind: str, change: EntryChange, data: dict[str, object]
) -> None:
    """An entry's change, drawn alone (or its list, when its order or length changed) for
    each audience and each role: the rest of the proposal stays as it is."""
    record(workshop, kind=kind, actor=actor.label, data=data, entries=(change,))


def _require_refine(workshop: Workshop) -> None:
    if workshop.step.phase != Phase.REFINE:
        raise InvalidAction(_("The proposal is written in Refine."))


def _current_role(actor: Actor) -> str:
    """The actor's Refine role, read fresh: the facilitator may have changed it meanwhile."""
    if actor.participant is None:
        raise PermissionDenied("The projector is read-only.")
    return str(
        Participant.objects.values_list("refine_role", flat=True).get(pk=actor.participant.pk)
    )


def _require_writer(actor: Actor, section: Section) -> None:
    if actor.role == Role.FACILITATOR:
        return
    role = _current_role(actor)
    if not refine.may_write(role, section):
        raise PermissionDenied(f"Role {role!r} does not write the {section} section.")


def role_assign(*, actor: Actor, participant_id: int, role: str) -> Participant:
    actor.require_facilitator()
    if role and role not in set(RefineRole):
        raise InvalidAction(_("There is no such role."))
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        participant = Participant.objects.filter(pk=participant_id, workshop=workshop).first()
        if participant is None:
            raise InvalidAction(_("This participant is not in the workshop."))
        participant.refine_role = role
        participant.save(update_fields=["refine_role"])
        _publish(
            workshop,
            actor,
            "refine.role",
            {"participant": participant.pk, "role": role},
            WORKSPACE,
        )
    return participant


def roles_deal(*, actor: Actor) -> Workshop:
    """Give everyone without a role one, in seat order, keeping the three roles even."""
    actor.require_facilitator()
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        people = list(Participant.objects.filter(workshop=workshop))
        held = [person.refine_role for person in people if person.refine_role]
        for person in people:
            if person.refine_role:
                continue
            person.refine_role = min(RefineRole, key=lambda role: held.count(role))
            held.append(person.refine_role)
            person.save(update_fields=["refine_role"])
        _publish(workshop, actor, "refine.roles_dealt", {}, WORKSPACE)
    return workshop


def summary_slot_save(*, actor: Actor, slot: str, text: str, version: int) -> SummarySlot:
    if slot not in refine.SLOT_KEYS:
        raise InvalidAction(_("There is no such slot in the summary."))
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        _require_writer(actor, Section.SUMMARY)
        _require_refine(workshop)
        saved, _created = SummarySlot.objects.get_or_create(workshop=workshop, slot=slot)
        check_version(saved, version)
        saved.text = text
        saved.updated_by = actor.label
        saved.save()
        _publish(workshop, actor, "summary.saved", {"slot": slot, "version": saved.version})
    return saved


def _entries(workshop: Workshop, kind: str) -> list[ProposalEntry]:
    return list(ProposalEntry.objects.select_for_update().filter(workshop=workshop, kind=kind))


def _renumber(entries: list[ProposalEntry]) -> None:
    changed = [entry for index, entry in enumerate(entries) if entry.position != index]
    for index, entry in enumerate(entries):
        entry.position = index
    ProposalEntry.objects.bulk_update(changed, ["position"])


def _entry(workshop: Workshop, entry_id: UUID) -> ProposalEntry:
    entry = ProposalEntry.objects.filter(pk=entry_id, workshop=workshop).first()
    if entry is None:
        raise InvalidAction(DELETED)
    return entry


def entry_add(
    *, actor: Actor, entry_id: UUID, kind: str, text: str, answer: str = "", red: bool = False
) -> ProposalEntry:
    section = refine.ENTRY_SECTIONS.get(kind)
    if section is None:
        raise InvalidAction(_("There is no such list in the proposal."))
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        _require_writer(actor, section)
        existing = ProposalEntry.objects.filter(pk=entry_id).first()
        if existing is not None:  # the same post again: it is already there
            if existing.workshop_id != workshop.pk:
                raise InvalidAction(_("This entry could not be added. Reload and try again."))
            return existing
        _require_refine(workshop)
        entry = ProposalEntry.objects.create(
            id=entry_id,
            workshop=workshop,
            kind=kind,
            text=text,
            answer=answer if kind == EntryKind.FAQ else "",
            red=red,
            position=ProposalEntry.objects.filter(workshop=workshop, kind=kind).count(),
            updated_by=actor.label,
        )
        _publish_entry(
            workshop,
            actor,
            "entry.added",
            EntryChange(entry.pk, kind, listed=True),
            {"entry": str(entry.pk), "kind": kind},
        )
    return entry


def _writable_entry(actor: Actor, entry_id: UUID) -> tuple[Workshop, ProposalEntry]:
    """The locked workshop and the entry, once the actor may edit it now. Call in a transaction."""
    kind = (
        ProposalEntry.objects.filter(pk=entry_id, workshop_id=actor.workshop.pk)
        .values_list("kind", flat=True)
        .first()
    )
    if kind is None:
        raise InvalidAction(DELETED)
    workshop = lock_workshop(actor.workshop.pk)
    _require_writer(actor, refine.ENTRY_SECTIONS[kind])
    _require_refine(workshop)
    return workshop, _entry(workshop, entry_id)


def entry_save(
    *, actor: Actor, entry_id: UUID, text: str, answer: str, version: int
) -> ProposalEntry:
    with transaction.atomic():
        workshop, entry = _writable_entry(actor, entry_id)
        check_version(entry, version)
        entry.text = text
        entry.answer = answer if entry.kind == EntryKind.FAQ else ""
        entry.updated_by = actor.label
        entry.save()
        _publish_entry(
            workshop,
            actor,
            "entry.saved",
            EntryChange(entry.pk, entry.kind),
            {"entry": str(entry.pk), "version": entry.version},
        )
    return entry


def entry_flag(*, actor: Actor, entry_id: UUID, red: bool) -> ProposalEntry:
    """Mark an entry red (a concern) or clear it; setting, not toggling, so a retry is harmless."""
    with transaction.atomic():
        workshop, entry = _writable_entry(actor, entry_id)
        entry.red = red
        entry.save(update_fields=["red"])
        _publish_entry(
            workshop,
            actor,
            "entry.flagged",
            EntryChange(entry.pk, entry.kind),
            {"entry": str(entry.pk), "red": red},
        )
    return entry


def entry_move(
    *, actor: Actor, entry_id: UUID, after: UUID | None = None, delta: int = 0
) -> ProposalEntry:
    """Put an entry right after ``after`` (first when None: a drag), or ``delta`` places on
    (the keyboard's move up / down)."""
    with transaction.atomic():
        workshop, entry = _writable_entry(actor, entry_id)
        entries = _entries(workshop, entry.kind)
        order = [item.pk for item in entries]
        if delta:
            order = refine.shifted(order, entry.pk, delta)
        else:
            order = refine.placed_after(order, entry.pk, after)
        by_id = {item.pk: item for item in entries}
        _renumber([by_id[pk] for pk in order])
        _publish_entry(
            workshop,
            actor,
            "entry.moved",
            EntryChange(entry.pk, entry.kind, listed=True),
            {"entry": str(entry.pk), "order": len(order)},
        )
    return entry


def entry_delete(*, actor: Actor, entry_id: UUID) -> Workshop:
    with transaction.atomic():
        workshop, entry = _writable_entry(actor, entry_id)
        kind = entry.kind
        entry.delete()
        _renumber(_entries(workshop, kind))
        _publish_entry(
            workshop,
            actor,
            "entry.deleted",
            EntryChange(entry_id, kind, listed=True),
            {"entry": str(entry_id), "kind": kind},
        )
    return workshop


class ReadingAction(StrEnum):
    START = "start"
    NEXT = "next"
    PREV = "prev"
    STOP = "stop"


def reading_go(*, actor: Actor, action: ReadingAction, seen: str | None = None) -> Proposal:
    """Start, move or end the read-aloud. The facilitator does anything; the participant who
    reads the section on stage hands over to the next one. ``seen`` is the section the button
    was drawn for: a second click on a stale button changes nothing."""
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        if workshop.step.workspace != Workspace.PROPOSAL:
            raise InvalidAction(_("The proposal is read aloud in the merge step."))
        # Made by the first reading: a stale click before it writes nothing at all.
        proposal = Proposal.objects.filter(workshop=workshop).first() or Proposal(workshop=workshop)
        if seen is not None and seen != proposal.reading:
            return proposal
        if not actor.is_facilitator:
            role = _current_role(actor)
            on_stage = Section(proposal.reading) if proposal.reading else None
            if action != ReadingAction.NEXT or on_stage is None:
                raise PermissionDenied("Only the facilitator starts, goes back or ends.")
            if not refine.may_write(role, on_stage):
                raise PermissionDenied("Only the reader of this section hands over.")
        if action == ReadingAction.START:
            target = str(Section.SUMMARY)
        elif action == ReadingAction.STOP:
            target = ""
        else:
            target = refine.next_section(
                proposal.reading, 1 if action == ReadingAction.NEXT else -1
            )
        proposal.reading = target
        proposal.save()
        _publish(workshop, actor, "proposal.reading", {"section": target}, BOARD)
    return proposal
