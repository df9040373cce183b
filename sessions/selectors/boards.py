"""The boards of Listen and Define as a screen shows them: cells, groups with their totals and
proposed scores, and the notes a viewer may read.

Read in a fixed number of queries whatever the number of notes. A note's text is read only for
those who may see it: everyone once its board is revealed, otherwise its author alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

from django.db.models import Count, Q, Sum
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sessions.models import Board, Note, NoteGroup, Participant, Workshop
from sessions.rules import boards as board_rules
from sessions.rules import scoring
from sessions.rules.boards import PROBLEM_KINDS, BoardKind
from sessions.rules.questionnaire import mostly_assumptions, too_few_notes
from sessions.selectors.shapes import in_seat_order, isolated, isolated_sentence, view_of

# The order notes are shown in, everywhere: as written (the id settles a tie).
WRITTEN = ("created_at", "pk")


@dataclass(frozen=True)
class NoteView:
    """A note as every screen and the document show it: its author named, its parts read as
    one sentence."""

    pk: UUID
    text: str
    cell: str
    influence: str
    situation: str
    is_assumption: bool
    points: int | None
    group_id: UUID | None
    author_id: int
    author_label: str

    @classmethod
    def of(cls, note: Note, labels: Mapping[int, str]) -> NoteView:
        return view_of(cls, note, author_label=labels.get(note.author_id, ""))

    @property
    def sentence(self) -> str:
        """A customer problem's three parts as one sentence, whatever each part is (a verb
        phrase, a noun, an adjective): the situation leads, the impact follows in brackets, so
        no joining word has to agree with what was typed. Any other note: its text."""
        return self._sentence(plain=True)

    @property
    def sentence_html(self) -> SafeString:
        """The sentence as a page shows it: each part the author typed in its own isolate, so
        that no part turns the others (or the author's name) around."""
        return SafeString(self._sentence(plain=False))

    def _sentence(self, *, plain: bool) -> str:
        def join(template: str, **parts: str) -> str:
            return template % parts if plain else isolated_sentence(template, parts)

        sentence = self.text if plain else isolated(self.text)
        if self.situation:
            sentence = join(
                _("%(situation)s, %(problem)s"), situation=self.situation, problem=sentence
            )
        if self.influence:
            sentence = join(
                _("%(problem)s (impact: %(influence)s)"), problem=sentence, influence=self.influence
            )
        return sentence


@dataclass(frozen=True)
class GroupView:
    group: NoteGroup
    notes: list[NoteView] = field(default_factory=list)
    total: int = 0
    proposal: int | None = None
    tied: bool = False
    counted: int | None = None  # how many notes it holds, when they are not read

    @property
    def note_count(self) -> int:
        return len(self.notes) if self.counted is None else self.counted


@dataclass(frozen=True)
class CellView:
    cell: board_rules.Cell | None
    groups: list[GroupView] = field(default_factory=list)
    loose: list[NoteView] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.cell.key if self.cell else "all"


@dataclass(frozen=True)
class BoardView:
    board: Board
    revealed: bool
    cells: list[CellView]
    groups: list[GroupView]
    counts: list[tuple[str, int]]  # (participant label, notes) while private, in seat order
    note_count: int
    assumption_count: int

    @property
    def kind(self) -> str:
        return self.board.kind

    @property
    def groups_as_made(self) -> list[GroupView]:
        """In the order they were made, as the board shows them: a group keeps its place
        while its notes and points change (the scores show the ranking)."""
        return sorted(self.groups, key=lambda view: view.group.created_at)

    @property
    def ties_to_decide(self) -> list[GroupView]:
        """Groups tied on points that have no score yet: the side's owner decides."""
        return [view for view in self.groups if view.tied and not view.group.score]

    @property
    def scored_groups(self) -> list[GroupView]:
        """The scored groups, highest score first: this side of the evaluation table."""
        return _scored_first([view for view in self.groups if view.group.score])

    @property
    def needs_another_look(self) -> bool:
        """Listen signal: too few notes, or more than half of them assumptions."""
        return too_few_notes(self.note_count) or mostly_assumptions(
            self.note_count, self.assumption_count
        )


class ScoredItem(Protocol):
    """A scored group as a side of the evaluation table lists it (Define's group view, or
    Invent's group with the viewer's mark)."""

    @property
    def group(self) -> NoteGroup: ...


@dataclass(frozen=True)
class YardstickSide:
    """One side of the evaluation table (customer or business problems): its scored groups,
    each with its ``group``, highest score first."""

    kind: str
    scored: Sequence[ScoredItem]


def _scored_first(views: Sequence[GroupView]) -> list[GroupView]:
    return sorted(views, key=lambda view: (-(view.group.score or 0), view.group.created_at))


GroupSizes = Mapping[UUID, tuple[int, int]]  # a group's (notes, point total), counted


def _group_views(
    board: Board,
    groups: list[NoteGroup],
    by_group: Mapping[UUID | None, list[NoteView]],
    sizes: GroupSizes | None = None,
) -> dict[UUID, GroupView]:
    """Each group with its notes (``by_group``) or, when ``sizes`` counts them instead, with
    how many it holds; its point total, and its proposed score."""
    if sizes is None:
        summed = scoring.group_totals(
            (group.pk, note.points or 0) for group in groups for note in by_group.get(group.pk, [])
        )
        totals = {group.pk: summed.get(group.pk, 0) for group in groups}
    else:
        totals = {group.pk: sizes.get(group.pk, (0, 0))[1] for group in groups}
    proposals: dict[UUID, int | None] = {}
    tied: set[UUID] = set()
    if board.kind != BoardKind.CUSTOMER and totals:
        proposals = scoring.propose_scores(totals)
        tied = scoring.tied_groups(totals)
    return {
        group.pk: GroupView(
            group,
            by_group.get(group.pk, []),
            totals[group.pk],
            proposals.get(group.pk),
            group.pk in tied,
            counted=None if sizes is None else sizes.get(group.pk, (0, 0))[0],
        )
        for group in groups
    }


def _board_view(
    board: Board,
    notes: list[Note],
    groups: list[NoteGroup],
    counts: dict[int, int],
    labels: dict[int, str],
    assumptions: int,
    sizes: GroupSizes | None = None,
) -> BoardView:
    by_group: dict[UUID | None, list[NoteView]] = defaultdict(list)
    for note in notes:
        by_group[note.group_id].append(NoteView.of(note, labels))
    group_views = _group_views(board, groups, by_group, sizes)
    loose = by_group.get(None, [])
    layout = board_rules.CELLS[board.kind]
    if layout:
        cells = [
            CellView(
                cell,
                [view for view in group_views.values() if view.group.cell == cell.key]
                if board.kind == BoardKind.CUSTOMER
                else [],
                [note for note in loose if note.cell == cell.key],
            )
            for cell in layout
        ]
    else:
        cells = [CellView(None, [], loose)]
    ordered = list(group_views.values())
    if board.kind != BoardKind.CUSTOMER:
        ordered.sort(key=lambda view: -view.total)
    return BoardView(
        board=board,
        revealed=board.revealed,
        cells=cells,
        groups=ordered,
        counts=in_seat_order(labels, counts),
        note_count=sum(counts.values()),
        assumption_count=assumptions,
    )


def board_views(
    *,
    workshop: Workshop,
    kinds: tuple[str, ...],
    viewer: Participant | None,
    labels: dict[int, str],
) -> dict[str, BoardView]:
    """The boards of ``kinds`` in that order, each with the notes ``viewer`` may read."""
    if not kinds:
        return {}
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
    notes = list(Note.objects.filter(readable).order_by(*WRITTEN))
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


@dataclass(frozen=True)
class NoteChangesView:
    """What a change of some notes or groups changes on a board's screen, read in a fixed
    number of queries whatever the board's size: those notes as they are now (a note missing
    was deleted, or is not this viewer's to read), the board's summaries (its counts and
    signal; no cells), and, when groups changed, every group of the board counted, not
    listed (a group's count, total and proposal)."""

    board: BoardView
    notes: dict[UUID, NoteView]
    groups: dict[UUID, GroupView]
    # A moved note's place in its list: the note it now stands before (None: at the end).
    places: dict[UUID, UUID | None]


def note_changes_view(
    *,
    workshop: Workshop,
    kind: str,
    note_ids: Sequence[UUID],
    viewer: Participant | None,
    labels: dict[int, str],
    groups_changed: bool = False,
    moved: Collection[UUID] = (),
    made: Collection[UUID] = (),
) -> NoteChangesView:
    """``moved``: notes moved to another list (their new places are read); ``made``: notes
    written, which a push adds at the end of their lists."""
    board = Board.objects.filter(workshop=workshop, kind=kind).first() or Board(
        workshop=workshop, kind=kind
    )
    readable = Q(pk__in=note_ids, board_id=board.pk)
    if not board.revealed:
        readable &= Q(author=viewer) if viewer is not None else Q(pk__in=())
    notes = list(Note.objects.filter(readable).order_by(*WRITTEN)) if board.pk else []
    stats = (
        Note.objects.filter(board_id=board.pk)
        .values("author_id", "is_assumption")
        .annotate(n=Count("id"))
    )
    counts: Counter[int] = Counter()
    assumptions = 0
    for row in stats:
        counts[row["author_id"]] += row["n"]
        assumptions += row["n"] if row["is_assumption"] else 0
    groups: list[NoteGroup] = []
    sizes: dict[UUID, tuple[int, int]] = {}
    if groups_changed and board.pk:
        groups = list(NoteGroup.objects.filter(board=board).order_by("created_at"))
        grouped = (
            Note.objects.filter(board=board, group__isnull=False)
            .values("group_id")
            .annotate(n=Count("id"), total=Sum("points"))
        )
        sizes = {row["group_id"]: (row["n"], row["total"] or 0) for row in grouped}
    view = _board_view(board, [], groups, dict(counts), labels, assumptions, sizes)
    passing = {*moved, *made}
    placed = passing - set(made)  # a note made goes at the end of its list
    return NoteChangesView(
        board=view,
        notes={note.pk: NoteView.of(note, labels) for note in notes},
        groups={group.group.pk: group for group in view.groups},
        places={note.pk: _place(note, passing=passing) for note in notes if note.pk in placed},
    )


def _place(note: Note, *, passing: Collection[UUID]) -> UUID | None:
    """The note ``note`` now stands before in its list (its group's, or its cell's loose
    notes; in the order written), leaving out the notes ``passing`` through in the same push
    (placed one by one, in the order written, they land in order)."""
    same_list = Q(group_id=note.group_id) if note.group_id else Q(group=None, cell=note.cell)
    later = Q(created_at__gt=note.created_at) | Q(created_at=note.created_at, pk__gt=note.pk)
    return (
        Note.objects.filter(same_list, later, board_id=note.board_id)
        .exclude(pk__in=passing)
        .order_by(*WRITTEN)
        .values_list("pk", flat=True)
        .first()
    )


def yardstick(workshop: Workshop) -> list[YardstickSide]:
    """The evaluation table, read on its own: each problem side's scored groups."""
    scored = [
        GroupView(group)
        for group in NoteGroup.objects.filter(
            board__workshop=workshop, board__kind__in=PROBLEM_KINDS, score__isnull=False
        ).select_related("board")
    ]
    return [
        YardstickSide(
            kind, _scored_first([view for view in scored if view.group.board.kind == kind])
        )
        for kind in PROBLEM_KINDS
    ]
