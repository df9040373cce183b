"""Notes on the Listen and Define boards: write, edit, delete, points, reveal, persona."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sessions.access import Actor
from sessions.live import NoteChange
from sessions.models import Board, Note, Persona, Workshop
from sessions.rules import boards as board_rules
from sessions.rules import scales
from sessions.rules.boards import BoardKind
from sessions.rules.steps import Part
from sessions.services.events import ALL_PARTICIPANTS, InvalidAction, lock_workshop, record

WORKSPACE = (Part.WORKSPACE,)  # a change of what the step shows (persona, owner, reveal)
BOARD = (Part.BOARD,)  # a change of notes or groups: composers (and what is typed) stay put


class NoteRefused(InvalidAction):
    """The write does not fit the workshop's rules; the message says why, for the author."""


def board_of(workshop: Workshop, kind: str) -> Board:
    board, _created = Board.objects.get_or_create(workshop=workshop, kind=kind)
    return board


def _require_writable(workshop: Workshop, kind: str) -> None:
    if kind not in workshop.step.writes:
        raise NoteRefused(_("This board is not open for notes in this step."))


def _own_note(actor: Actor, workshop: Workshop, note_id: UUID) -> Note:
    note = Note.objects.select_related("board").filter(pk=note_id, board__workshop=workshop).first()
    if note is None:
        raise NoteRefused(_("This note no longer exists."))
    if actor.participant is None or note.author_id != actor.participant.pk:
        raise PermissionDenied("Only its author can change a note.")
    return note


def _record_note(
    workshop: Workshop,
    board: Board,
    note: Note,
    kind: str,
    actor: Actor,
    *,
    created: bool = False,
    also: tuple[Note, ...] = (),
) -> None:
    """The push draws this note alone, and ``also`` the notes the change touched with it (and
    the board's counts, and their groups' counts and totals): while the board is private, on
    its author's screen only."""
    record(
        workshop,
        kind=kind,
        actor=actor.label,
        data={"note": str(note.pk), "board": board.kind, "also": [str(n.pk) for n in also]},
        notes=[
            NoteChange(
                note_id=changed.pk,
                board_kind=board.kind,
                author_id=changed.author_id,
                created=created and changed is note,
                groups=frozenset({changed.group_id}) if changed.group_id else frozenset(),
            )
            for changed in (note, *also)
        ],
    )


def note_create(
    *,
    actor: Actor,
    note_id: UUID,
    kind: str,
    text: str,
    cell: str = "",
    influence: str = "",
    situation: str = "",
    is_assumption: bool = False,
) -> Note:
    if actor.participant is None:
        raise PermissionDenied("Only participants write notes.")
    if board_rules.CELLS[kind] and cell not in board_rules.cell_keys(kind):
        raise NoteRefused(_("Choose a cell for the note."))
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        existing = Note.objects.filter(pk=note_id).first()
        if existing is not None:  # the same post again: it is already there
            if existing.author_id != actor.participant.pk:
                raise NoteRefused(
                    _("This note could not be posted. Reload the page and try again.")
                )
            return existing
        _require_writable(workshop, kind)
        board = board_of(workshop, kind)
        written = Note.objects.filter(board=board).aggregate(
            mine=Count("pk", filter=Q(author=actor.participant)), all=Count("pk")
        )
        if written["mine"] >= board_rules.MAX_NOTES_PER_PERSON:
            raise NoteRefused(_("You have reached the number of notes one person can post here."))
        if written["all"] >= board_rules.MAX_NOTES_PER_BOARD:
            raise NoteRefused(_("This board is full."))
        note = Note.objects.create(
            id=note_id,
            board=board,
            author=actor.participant,
            cell=cell if board_rules.CELLS[kind] else "",
            text=text,
            influence=influence if kind == BoardKind.CUSTOMER_PROBLEMS else "",
            situation=situation if kind == BoardKind.CUSTOMER_PROBLEMS else "",
            is_assumption=is_assumption,
        )
        _record_note(workshop, board, note, "note.created", actor, created=True)
    return note


def note_update(
    *,
    actor: Actor,
    note_id: UUID,
    text: str | None = None,
    influence: str | None = None,
    situation: str | None = None,
    is_assumption: bool | None = None,
) -> Note:
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        note = _own_note(actor, workshop, note_id)
        _require_writable(workshop, note.board.kind)
        if note.board.kind != BoardKind.CUSTOMER_PROBLEMS:
            influence = situation = None  # the other boards' notes have one part
        for field, value in (
            ("text", text),
            ("influence", influence),
            ("situation", situation),
            ("is_assumption", is_assumption),
        ):
            if value is not None:
                setattr(note, field, value)
        note.save()
        _record_note(workshop, note.board, note, "note.updated", actor)
    return note


def note_delete(*, actor: Actor, note_id: UUID) -> None:
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        note = _own_note(actor, workshop, note_id)
        _require_writable(workshop, note.board.kind)
        group = note.group
        if group is not None and group.marks.exists():
            raise NoteRefused(_("Ideas were marked against this group: its notes stay."))
        # Recorded first, while the note still has its id: the push finds it gone.
        _record_note(workshop, note.board, note, "note.deleted", actor)
        note.delete()
        if group is not None and not group.notes.exists():
            group.delete()


def note_set_points(*, actor: Actor, note_id: UUID, points: int | None) -> Note:
    """Give one of your own problem notes points (a value of scales.POINTS, each once per
    side), or take the points back (``None``)."""
    if points is not None and points not in scales.POINTS:
        raise NoteRefused(
            format_lazy(_("Points are {points}."), points=scales.alternatives(scales.POINTS))
        )
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        note = _own_note(actor, workshop, note_id)
        if note.board.kind == BoardKind.CUSTOMER:
            raise NoteRefused(_("Points are given to problems, in Define."))
        _require_writable(workshop, note.board.kind)
        if note.board.kind in workshop.step.groups:
            raise NoteRefused(_("Points are given in the individual work, before the grouping."))
        # Each value once per person and side: given again, it moves here, as a sticker would.
        moved_from = tuple(
            Note.objects.filter(board=note.board, author=note.author_id, points=points)
            .exclude(pk=note.pk)
            .exclude(points=None)
        )
        for other in moved_from:
            other.points = None
            other.save(update_fields=["points", "updated_at"])
        note.points = points
        note.save(update_fields=["points", "updated_at"])
        _record_note(workshop, note.board, note, "note.points", actor, also=moved_from)
    return note


def boards_reveal(*, actor: Actor, kinds: tuple[str, ...]) -> Workshop:
    """Show every note of these boards to everyone (the facilitator's reveal)."""
    actor.require_facilitator()
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        reveal(workshop, kinds)
        record(
            workshop,
            kind="boards.revealed",
            actor=actor.label,
            data={"boards": list(kinds)},
            parts=WORKSPACE,
        )
    return workshop


def reveal(workshop: Workshop, kinds: tuple[str, ...]) -> None:
    """Inside a write that already locked the workshop (the reveal, or a step change)."""
    for kind in kinds:
        board_of(workshop, kind)
    Board.objects.filter(workshop=workshop, kind__in=kinds).update(revealed=True)


def board_set_owner(*, actor: Actor, kind: str, participant_id: int | None) -> Board:
    """Put a participant in charge of grouping (and scoring) a board."""
    actor.require_facilitator()
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        board = board_of(workshop, kind)
        owner = None
        if participant_id is not None:
            owner = workshop.participants.filter(pk=participant_id).first()
            if owner is None:
                raise NoteRefused(_("That participant is not in this workshop."))
        board.owner = owner
        board.save(update_fields=["owner"])
        record(
            workshop,
            kind="board.owner",
            actor=actor.label,
            data={"board": kind, "owner": participant_id},
            parts=WORKSPACE,
            personal_to=ALL_PARTICIPANTS,
        )
    return board


def persona_update(*, actor: Actor, name: str, description: str) -> Persona:
    """Anyone in the room may write the persona: the product manager usually does."""
    if actor.role == "projector":
        raise PermissionDenied("The projector is read-only.")
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        persona, _created = Persona.objects.get_or_create(workshop=workshop)
        persona.name, persona.description = name, description
        persona.save()
        record(
            workshop,
            kind="persona.updated",
            actor=actor.label,
            parts=WORKSPACE,
            personal_to=ALL_PARTICIPANTS,
        )
    return persona
