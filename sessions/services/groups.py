"""Grouping notes, naming groups and scoring them (Listen group work, Define grouping)."""

from __future__ import annotations

import uuid
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sessions.access import Actor
from sessions.live import GroupChange, NoteChange
from sessions.models import Board, Mark, Note, NoteGroup, Workshop
from sessions.rules import scales, scoring
from sessions.rules.boards import BoardKind
from sessions.services.boards import BOARD, NoteRefused, board_of
from sessions.services.events import lock_workshop, record


def _require_grouper(actor: Actor, workshop: Workshop, board: Board) -> None:
    if board.kind not in workshop.step.groups:
        raise NoteRefused(_("Notes are grouped in the group work step."))
    if Mark.objects.filter(group__board=board).exists():
        # The evaluation table is what the ideas were measured against: it stays as it was.
        raise NoteRefused(_("Ideas were marked against these groups: they no longer change."))
    if actor.is_facilitator:
        return
    if actor.participant is None or board.owner_id != actor.participant.pk:
        raise PermissionDenied("Only the person in charge of this board groups its notes.")


def _note_in(workshop: Workshop, note_id: UUID) -> Note:
    note = Note.objects.select_related("board").filter(pk=note_id, board__workshop=workshop).first()
    if note is None:
        raise NoteRefused(_("This note no longer exists."))
    return note


def _cell(note: Note) -> str:
    """Customer-board groups stay within a cell; problem categories may span phases."""
    return note.cell if note.board.kind == BoardKind.CUSTOMER else ""


def _drop_empty_groups(board: Board) -> list[UUID]:
    """Delete the board's groups that no note is in: their ids."""
    empty = NoteGroup.objects.filter(board=board, notes__isnull=True)
    dropped = list(empty.values_list("pk", flat=True))
    NoteGroup.objects.filter(pk__in=dropped).delete()
    return dropped


def _moved(note: Note, left: UUID | None) -> NoteChange:
    """``note`` moved out of the group ``left`` (or out of its cell's loose notes) to where it
    is now."""
    groups = {group for group in (left, note.group_id) if group is not None}
    return NoteChange(
        note_id=note.pk,
        board_kind=note.board.kind,
        author_id=note.author_id,
        moved=True,
        groups=frozenset(groups),
    )


def note_move(
    *,
    actor: Actor,
    note_id: UUID,
    to_group: UUID | None = None,
    onto_note: UUID | None = None,
    new_group: bool = False,
) -> Note:
    """Move a note into a group, onto another note (both form a new group, or it joins that
    note's group), into a new group of its own, or out of its group (no target).

    Two people moving the same note at once queue on the workshop's lock: the later move wins
    and every screen shows its result.
    """
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        note = _note_in(workshop, note_id)
        board = note.board
        _require_grouper(actor, workshop, board)
        left = note.group_id
        moves: list[NoteChange] = []
        made: list[UUID] = []
        if to_group is not None:
            group = NoteGroup.objects.filter(pk=to_group, board=board).first()
            if group is None:
                raise NoteRefused(_("That group no longer exists."))
        elif onto_note is not None:
            other = _note_in(workshop, onto_note)
            if other.board_id != board.pk or other.pk == note.pk:
                raise NoteRefused(_("Notes are grouped within one board."))
            group = other.group
            if group is None:
                group = NoteGroup.objects.create(id=uuid.uuid4(), board=board, cell=_cell(other))
                made.append(group.pk)
                other.group = group
                other.save(update_fields=["group"])
                moves.append(_moved(other, None))
        elif new_group:
            group = NoteGroup.objects.create(id=uuid.uuid4(), board=board, cell=_cell(note))
            made.append(group.pk)
        else:
            group = None
        if group is not None and group.cell and note.cell != group.cell:
            raise NoteRefused(_("Notes are grouped within one cell."))
        note.group = group
        note.save(update_fields=["group"])
        moves.append(_moved(note, left))
        dropped = _drop_empty_groups(board)
        record(
            workshop,
            kind="note.moved",
            actor=actor.label,
            data={"note": str(note.pk), "group": str(group.pk) if group else None},
            notes=moves,
            groups=[GroupChange(pk, board.kind, created=True) for pk in made]
            + [GroupChange(pk, board.kind, dropped=True) for pk in dropped],
        )
    return note


def _group_in(workshop: Workshop, group_id: UUID) -> NoteGroup:
    group = (
        NoteGroup.objects.select_related("board")
        .filter(pk=group_id, board__workshop=workshop)
        .first()
    )
    if group is None:
        raise NoteRefused(_("That group no longer exists."))
    return group


def group_rename(*, actor: Actor, group_id: UUID, name: str) -> NoteGroup:
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        group = _group_in(workshop, group_id)
        _require_grouper(actor, workshop, group.board)
        group.name = name
        group.save(update_fields=["name"])
        record(
            workshop,
            kind="group.renamed",
            actor=actor.label,
            groups=(GroupChange(group.pk, group.board.kind),),
        )
    return group


def group_score(*, actor: Actor, group_id: UUID, score: int | None) -> NoteGroup:
    """Set a problem group's score (a value of scales.SCALE), or clear it."""
    if score is not None and score not in scales.SCALE:
        raise NoteRefused(
            format_lazy(_("A score is {scale}."), scale=scales.alternatives(scales.SCALE))
        )
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        group = _group_in(workshop, group_id)
        if group.board.kind == BoardKind.CUSTOMER:
            raise NoteRefused(_("Only problem groups are scored."))
        _require_grouper(actor, workshop, group.board)
        group.score = score
        group.save(update_fields=["score"])
        record(
            workshop,
            kind="group.scored",
            actor=actor.label,
            data={"group": str(group.pk), "score": score},
            groups=(GroupChange(group.pk, group.board.kind),),
        )
    return group


def groups_apply_proposals(*, actor: Actor, kind: str) -> list[NoteGroup]:
    """Give every group of a side the score the program proposes from the point totals;
    groups the proposal leaves open (past the fifth) keep theirs, and so do groups tied on
    points: the deck leaves a tie to the team, and the side's owner is asked to decide."""
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        board = board_of(workshop, kind)
        if board.kind == BoardKind.CUSTOMER:
            raise NoteRefused(_("Only problem groups are scored."))
        _require_grouper(actor, workshop, board)
        groups = list(NoteGroup.objects.filter(board=board))
        grouped = Note.objects.filter(board=board, group__isnull=False)
        totals = scoring.group_totals(
            (group_id, points or 0)
            for group_id, points in grouped.values_list("group_id", "points")
        )
        side = {group.pk: totals.get(group.pk, 0) for group in groups}
        proposals = scoring.propose_scores(side)
        tied = scoring.tied_groups(side)
        for group in groups:
            if proposals.get(group.pk) is not None and group.pk not in tied:
                group.score = proposals[group.pk]
        NoteGroup.objects.bulk_update(groups, ["score"])
        record(workshop, kind="groups.proposed", actor=actor.label, parts=BOARD)
    return groups
