"""What a run of committed events asks the screens to redraw, merged into one push.

Pure: the publisher hands a batch of events (in sequence order) to ``coalesce`` and renders
what comes out once per audience.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from sessions.live.names import ALL_PARTICIPANTS
from sessions.rules.steps import Part

Personal = frozenset[int] | str  # participants' ids, or ALL_PARTICIPANTS
PlanCellKey = tuple[str, str]  # (column, row)


@dataclass(frozen=True)
class NoteChange:
    """One note written, edited, given points, moved or deleted: a push redraws that note where
    it is now (and the summaries it changes), not the board. ``groups``: the groups whose
    count or total it changes (the one it is in, the one it left)."""

    note_id: UUID
    board_kind: str
    author_id: int
    created: bool = False
    moved: bool = False  # into another list: a group, or its cell's loose notes
    groups: frozenset[UUID] = frozenset()

    def then(self, later: NoteChange) -> NoteChange:
        """This change followed by ``later`` on the same note, as one."""
        return NoteChange(
            self.note_id,
            later.board_kind,
            later.author_id,
            created=self.created or later.created,
            moved=self.moved or later.moved,
            groups=self.groups | later.groups,
        )


@dataclass(frozen=True)
class GroupChange:
    """A group made, renamed, scored or dropped (a move emptied it): a push redraws its head
    (and, in Define, the side's scores), or adds or removes it; not the board."""

    group_id: UUID
    board_kind: str
    created: bool = False
    dropped: bool = False

    def then(self, later: GroupChange) -> GroupChange | None:
        """This change followed by ``later`` on the same group, as one; None for a group made
        and dropped within the batch, which no screen has seen."""
        if self.created and later.dropped:
            return None
        return GroupChange(
            self.group_id, later.board_kind, created=self.created, dropped=later.dropped
        )


@dataclass(frozen=True)
class EntryChange:
    """A Refine entry written, edited or marked red (drawn alone), or added, moved or deleted
    (``listed``: its list's order and length changed, the list is drawn whole)."""

    entry_id: UUID
    kind: str  # its list: the FAQ or the demo steps
    listed: bool = False

    def then(self, later: EntryChange) -> EntryChange:
        return EntryChange(self.entry_id, later.kind, listed=self.listed or later.listed)


@dataclass(frozen=True)
class Pending:
    """A committed event, as ``events.record`` hands it to the publisher."""

    seq: int
    parts: tuple[Part, ...] = ()
    personal_to: Personal = frozenset()
    notes: tuple[NoteChange, ...] = ()
    groups: tuple[GroupChange, ...] = ()
    entries: tuple[EntryChange, ...] = ()
    presence: tuple[int, ...] = ()  # participants who came online or went offline
    # Parts drawn for ``personal_to`` alone: what changed is theirs (a mark, an unshared idea).
    private_parts: tuple[Part, ...] = ()
    plan_cells: tuple[PlanCellKey, ...] = ()  # cells of the measurement plan saved


@dataclass(frozen=True)
class Batch:
    """Events ``first_seq``..``seq`` as one push: the parts drawn whole, the notes and groups
    drawn one by one (by board, in the order they changed), and whose private view changed."""

    first_seq: int
    seq: int
    parts: tuple[Part, ...]
    personal_to: Personal
    notes: dict[str, tuple[NoteChange, ...]] = field(default_factory=dict)
    groups: dict[str, tuple[GroupChange, ...]] = field(default_factory=dict)  # by board
    entries: tuple[EntryChange, ...] = ()
    presence: tuple[int, ...] = ()  # drawn row by row, with the count of those online
    private_parts: tuple[Part, ...] = ()  # drawn for ``personal_to`` alone
    plan_cells: tuple[PlanCellKey, ...] = ()  # drawn cell by cell

    def drawn_whole(self, *, board_kind: str) -> Batch:
        """This batch with one board's note and group changes drawn as part of the whole
        board."""
        changes = self.notes.get(board_kind, ())
        authors = frozenset(change.author_id for change in changes)
        return Batch(
            first_seq=self.first_seq,
            seq=self.seq,
            parts=self.parts if Part.WORKSPACE in self.parts else _union(self.parts, (Part.BOARD,)),
            personal_to=_personal(self.personal_to, authors),
            notes={kind: notes for kind, notes in self.notes.items() if kind != board_kind},
            groups={kind: groups for kind, groups in self.groups.items() if kind != board_kind},
            entries=self.entries,
            presence=self.presence,
            private_parts=self.private_parts,
            plan_cells=self.plan_cells,
        )


def _union(parts: Iterable[Part], more: Iterable[Part]) -> tuple[Part, ...]:
    """In the order of Part, so that a push's layout does not depend on its events' order."""
    wanted = {*parts, *more}
    return tuple(part for part in Part if part in wanted)


def _personal(personal: Personal, more: Personal) -> Personal:
    if isinstance(personal, str) or isinstance(more, str):
        return ALL_PARTICIPANTS
    return personal | more


def coalesce(events: Sequence[Pending]) -> Batch:
    """One push for ``events`` (at least one; any order): every part any of them changed (for
    everyone, or for those whose own view changed alone), every participant whose own view
    changed, each changed note, group and entry once (a note or group made in the batch stays
    made), each participant whose presence changed and each plan cell saved. A note, a group,
    an entry, a presence or a cell on a part that is drawn whole anyway is left to the whole
    part."""
    ordered = sorted(events, key=lambda event: event.seq)
    parts: tuple[Part, ...] = ()
    private_parts: tuple[Part, ...] = ()
    personal: Personal = frozenset()
    notes: dict[UUID, NoteChange] = {}
    groups: dict[UUID, GroupChange | None] = {}  # None: made and dropped, never seen
    entries: dict[UUID, EntryChange] = {}
    presence: dict[int, None] = {}  # in order, once each
    plan_cells: dict[PlanCellKey, None] = {}
    for event in ordered:
        presence.update(dict.fromkeys(event.presence))
        plan_cells.update(dict.fromkeys(event.plan_cells))
        parts = _union(parts, event.parts)
        private_parts = _union(private_parts, event.private_parts)
        personal = _personal(personal, event.personal_to)
        for change in event.notes:
            earlier = notes.pop(change.note_id, None)
            notes[change.note_id] = change if earlier is None else earlier.then(change)
        for entry in event.entries:
            earlier_entry = entries.pop(entry.entry_id, None)
            entries[entry.entry_id] = entry if earlier_entry is None else earlier_entry.then(entry)
        for group in event.groups:
            if group.group_id in groups:
                before = groups[group.group_id]
                groups[group.group_id] = None if before is None else before.then(group)
            else:
                groups[group.group_id] = group
    by_board: dict[str, list[NoteChange]] = {}
    for change in notes.values():
        by_board.setdefault(change.board_kind, []).append(change)
    groups_by_board: dict[str, list[GroupChange]] = {}
    for group_change in groups.values():
        if group_change is not None:
            groups_by_board.setdefault(group_change.board_kind, []).append(group_change)
    batch = Batch(
        first_seq=ordered[0].seq,
        seq=ordered[-1].seq,
        parts=parts,
        personal_to=personal,
        notes={kind: tuple(changes) for kind, changes in by_board.items()},
        groups={kind: tuple(changes) for kind, changes in groups_by_board.items()},
        # The contents drawn whole draw every entry.
        entries=() if Part.BOARD in parts or Part.WORKSPACE in parts else tuple(entries.values()),
        # The whole list drawn anyway draws everyone's presence.
        presence=() if Part.PARTICIPANTS in parts else tuple(presence),
        private_parts=private_parts,
        # The plan drawn whole draws every cell.
        plan_cells=() if Part.BOARD in parts or Part.WORKSPACE in parts else tuple(plan_cells),
    )
    if Part.BOARD in parts or Part.WORKSPACE in parts:
        for kind in {*batch.notes, *batch.groups}:
            batch = batch.drawn_whole(board_kind=kind)
    return batch
