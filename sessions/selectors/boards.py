"""The boards of Listen and Define as a screen shows them: cells, groups with their totals and
proposed scores, and the notes a viewer may read.

Read in a fixed number of queries whatever the number of notes. A note's text is read only for
those who may see it: everyone once its board is revealed, otherwise its author alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from sessions.models import Board, Note, NoteGroup, Participant, Workshop
from sessions.rules import boards as layouts
from sessions.rules import scoring
from sessions.rules.boards import BoardKind
from sessions.rules.questionnaire import LISTEN_MIN_NOTES


@dataclass
class GroupView:
    group: NoteGroup
    notes: list[Note] = field(default_factory=list)
    total: int = 0
    proposal: int | None = None
    tied: bool = False


@dataclass
class CellView:
    cell: layouts.Cell | None
    groups: list[GroupView] = field(default_factory=list)
    loose: list[Note] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.cell.key if self.cell else "all"


@dataclass
class BoardView:
    board: Board
    revealed: bool
    cells: list[CellView]
    groups: list[GroupView]
    counts: list[tuple[str, int]]  # (participant label, notes) while private
    note_count: int
    assumption_count: int

    @property
    def kind(self) -> str:
        return self.board.kind

    @property
    def needs_another_look(self) -> bool:
        """Listen signal: too few notes, or more than half of them assumptions."""
        return self.note_count < LISTEN_MIN_NOTES or self.assumption_count * 2 > self.note_count


def _board_view(
    board: Board,
    notes: list[Note],
    groups: list[NoteGroup],
    counts: dict[int, int],
    labels: dict[int, str],
    assumptions: int,
) -> BoardView:
    by_group: dict[Any, list[Note]] = defaultdict(list)
    for note in notes:
        note.author_label = labels.get(note.author_id, "")  # type: ignore[attr-defined]
        by_group[note.group_id].append(note)
    totals = scoring.group_totals(
        (note.group_id, note.points or 0) for note in notes if note.group_id
    )
    group_views = {
        group.pk: GroupView(group, by_group.get(group.pk, []), totals.get(group.pk, 0))
        for group in groups
    }
    if board.kind != BoardKind.CUSTOMER and group_views:
        all_totals = {pk: view.total for pk, view in group_views.items()}
        proposals = scoring.propose_scores(all_totals)
        tied = scoring.tied_groups(all_totals)
        for pk, view in group_views.items():
            view.proposal = proposals.get(pk)
            view.tied = pk in tied
    layout = layouts.CELLS[board.kind]
    if board.kind == BoardKind.CUSTOMER:
        cells = [
            CellView(
                cell,
                [view for view in group_views.values() if view.group.cell == cell.key],
                [note for note in by_group.get(None, []) if note.cell == cell.key],
            )
            for cell in layout
        ]
    elif layout:
        cells = [
            CellView(cell, [], [note for note in by_group.get(None, []) if note.cell == cell.key])
            for cell in layout
        ]
    else:
        cells = [CellView(None, [], by_group.get(None, []))]
    ordered_groups = sorted(group_views.values(), key=lambda view: -view.total)
    return BoardView(
        board=board,
        revealed=board.revealed,
        cells=cells,
        groups=ordered_groups if board.kind != BoardKind.CUSTOMER else list(group_views.values()),
        counts=sorted(
            ((labels.get(author, "?"), count) for author, count in counts.items()),
            key=lambda item: item[0],
        ),
        note_count=sum(counts.values()),
        assumption_count=assumptions,
    )


def board_views(
    workshop: Workshop,
    kinds: tuple[str, ...],
    viewer: Participant | None,
    labels: dict[int, str],
) -> dict[str, BoardView]:
    """The boards of ``kinds`` in that order, each with the notes ``viewer`` may read."""
    boards = {
        board.kind: board
        for board in Board.objects.filter(workshop=workshop, kind__in=kinds).select_related("owner")
    }
    for kind in kinds:
        if kind not in boards:  # not written to yet: an empty board, made by the first write
            boards[kind] = Board(workshop=workshop, kind=kind)
    visible = [board.pk for board in boards.values() if board.revealed]
    own = [board.pk for board in boards.values() if not board.revealed]
    readable = Q(board_id__in=visible)
    if viewer is not None:
        readable |= Q(board_id__in=own, author=viewer)
    notes = list(Note.objects.filter(readable).order_by("created_at"))
    groups = list(NoteGroup.objects.filter(board_id__in=visible).order_by("created_at"))
    stats = (
        Note.objects.filter(board_id__in=[board.pk for board in boards.values() if board.pk])
        .values("board_id", "author_id", "is_assumption")
        .annotate(n=Count("id"))
    )
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    assumptions: Counter[int] = Counter()
    for row in stats:
        counts[row["board_id"]][row["author_id"]] += row["n"]
        if row["is_assumption"]:
            assumptions[row["board_id"]] += row["n"]
    return {  # in the given order: customer problems first
        kind: _board_view(
            board,
            [note for note in notes if note.board_id == board.pk],
            [group for group in groups if group.board_id == board.pk],
            counts[board.pk],
            labels,
            assumptions[board.pk],
        )
        for kind, board in ((kind, boards[kind]) for kind in kinds)
    }
