"""Rendering pushes: a batch of committed events, once per audience (DESIGN.md).

Every connection is in exactly one role group (facilitator, participants, projector) and, for a
participant, in their own private group. A batch is rendered once for each role group, and once
for each participant whose private view changed; each message starts with the sequence marker
(the batch's first and last sequence numbers), so a client that sees a gap waits for what is
missing, then asks for a snapshot. Parts are drawn whole; a change of a note, a group, a Refine
entry, a plan cell or someone's presence draws that piece alone, with the summaries it changes,
so that its cost does not grow with the board.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from sessions.access import Role
from sessions.live.batches import (
    Batch,
    EntryChange,
    GroupChange,
    NoteChange,
    Personal,
    PlanCellKey,
)
from sessions.live.names import ALL_PARTICIPANTS, AUDIENCES, participant_group, role_group
from sessions.models import Participant, Presence, Workshop
from sessions.rules import scales
from sessions.rules.boards import PROBLEM_KINDS, BoardKind
from sessions.rules.refine import EntryKind
from sessions.rules.steps import Part, Workspace
from sessions.selectors.boards import (
    GroupView,
    NoteChangesView,
    NoteView,
    note_changes_view,
    yardstick,
)
from sessions.selectors.plan import plan_view
from sessions.selectors.room import (
    ParticipantRow,
    participant_labels,
    participant_rows,
    room_view,
)
from sessions.selectors.workspace import boards_shown, is_personal, shared_view

ROOM_TEMPLATE = "room/room.html"
BOARD_TEMPLATE = "phases/board.html"
DEFINE_TEMPLATE = "phases/define.html"
PLAN_TEMPLATE = "phases/test.html"
REFINE_TEMPLATE = "phases/refine.html"
REFINE_WORKSPACES = (Workspace.REFINE, Workspace.PROPOSAL)
# What a snapshot holds: every part of a room (the workspace holds the board and note counts).
ALL_PARTS = (
    Part.AGENDA,
    Part.STEP,
    Part.TIMER,
    Part.PARTICIPANTS,
    Part.JOINING,
    Part.WORKSPACE,
)
# Parts that show a board: while it is private, each participant has their own.
PERSONAL_PARTS = frozenset({Part.WORKSPACE, Part.BOARD})
# The room's progress with its private work is the console's and the projector's.
NOT_FOR_PARTICIPANTS = frozenset({Part.PROGRESS})

Delivery = tuple[str, str]  # (group, html)


def render_parts(
    workshop: Workshop,
    role: Role,
    parts: Iterable[Part],
    *,
    seq: int,
    first_seq: int | None = None,
    snapshot: bool = False,
    viewer: Participant | None = None,
) -> str:
    """The sequence marker followed by each part, rendered for ``role`` (and, for a private
    view, for ``viewer`` alone) in the workshop's language, each swapping itself in by id."""
    with translation.override(workshop.language):
        parts = tuple(parts)
        room = room_view(
            workshop=workshop, role=role, viewer=viewer, now=timezone.now(), parts=frozenset(parts)
        )
        context = room.template_names()
        # A participant's own view, pushed alone, carries the private marker (live.js).
        private = viewer is not None and not snapshot
        context.update(oob=True)
        html = [marker(seq=seq, first_seq=first_seq, private=private, snapshot=snapshot)]
        html += [render_to_string(f"{ROOM_TEMPLATE}#{part}", context) for part in parts]
    return "".join(html)


def marker(
    *, seq: int, first_seq: int | None = None, private: bool = False, snapshot: bool = False
) -> str:
    """The sequence marker (room.html#seq) every push and snapshot starts with."""
    context: dict[str, object] = {"seq": seq, "oob": True, "private": private, "snapshot": snapshot}
    if first_seq is not None and first_seq < seq:
        context["first_seq"] = first_seq
    return render_to_string(f"{ROOM_TEMPLATE}#seq", context)


def snapshot(workshop: Workshop, role: Role, viewer: Participant | None = None) -> str:
    return render_parts(workshop, role, ALL_PARTS, seq=workshop.seq, snapshot=True, viewer=viewer)


@dataclass(frozen=True)
class BoardChanges:
    """A board's note and group changes in one push, with what they read."""

    view: NoteChangesView
    notes: tuple[NoteChange, ...]
    groups: tuple[GroupChange, ...]

    @property
    def made_groups(self) -> list[GroupView]:
        made = {change.group_id for change in self.groups if change.created}
        return [group for pk, group in self.view.groups.items() if pk in made]

    @property
    def heads(self) -> list[GroupView]:
        """The groups there before whose count, total or name changed."""
        touched = {pk for change in self.notes for pk in change.groups}
        touched |= {change.group_id for change in self.groups}
        made = {change.group_id for change in self.groups if change.created}
        return [group for pk, group in self.view.groups.items() if pk in touched - made]

    @property
    def dropped_groups(self) -> list[UUID]:
        return [change.group_id for change in self.groups if change.dropped]

    @property
    def groups_changed(self) -> bool:
        return bool(self.groups) or any(change.groups for change in self.notes)


def render_note_changes(
    workshop: Workshop,
    role: Role,
    changes: BoardChanges,
    *,
    notes: bool = True,
    summaries: bool = True,
) -> str:
    """What changed on a board, piece by piece: each group made (empty, at the end of the
    groups), each changed note where it is now (made: at the end of its list; moved: into its
    place in its new list; changed: in its place; gone or not for this viewer: removed), the
    heads of the groups it changed, each group dropped; then the side's scores (Define) and the
    board's summaries: its counts while private, its Listen signal once revealed."""
    view = changes.view
    context = {
        "workshop": workshop,
        "role": str(role),
        "is_facilitator": role == Role.FACILITATOR,
        "is_projector": role == Role.PROJECTOR,
        "board": view.board,
        "score_choices": scales.SCALE,
        "oob": True,
    }
    made = {change.note_id for change in changes.notes if change.created}
    html = []
    with translation.override(workshop.language):
        if notes:
            html += [_group_made(context, view, group) for group in changes.made_groups]
            html += [
                _note_change(context, view, note_id, made=note_id in made)
                for note_id in _in_order(view, changes.notes)
            ]
            html += [
                render_to_string(f"{BOARD_TEMPLATE}#group-head", {**context, "group": group})
                for group in changes.heads
            ]
            html += [
                format_html('<div id="group-{}" hx-swap-oob="delete" data-gone></div>', pk)
                for pk in changes.dropped_groups
            ]
            if changes.groups_changed and _shows_scores(workshop, view):
                html.append(render_to_string(f"{DEFINE_TEMPLATE}#scored-groups", context))
        if summaries and not view.board.revealed:
            html.append(render_to_string(f"{BOARD_TEMPLATE}#counts", context))
        elif summaries and view.board.kind == BoardKind.CUSTOMER:
            html.append(render_to_string(f"{BOARD_TEMPLATE}#signal", context))
    return "".join(html)


def _shows_scores(workshop: Workshop, view: NoteChangesView) -> bool:
    """Whether the step shows this board's scored groups and the evaluation table."""
    return workshop.step.workspace == Workspace.GROUPING and view.board.kind in PROBLEM_KINDS


def _in_order(view: NoteChangesView, changes: Sequence[NoteChange]) -> list[UUID]:
    """The notes that are there in the order they were written (so that notes made or moved
    together land in a list as a reload shows them), then those that are gone."""
    changed = {change.note_id for change in changes}
    there = [note_id for note_id in view.notes if note_id in changed]
    return there + [change.note_id for change in changes if change.note_id not in view.notes]


def _list_of(view: NoteChangesView, note: NoteView) -> str:
    """The id of the list a note is in: its group's, or its cell's loose notes."""
    if note.group_id:
        return f"group-notes-{note.group_id}"
    return f"loose-{view.board.kind}-{note.cell or 'all'}"


def _note_change(
    context: dict[str, object], view: NoteChangesView, note_id: UUID, *, made: bool
) -> str:
    note = view.notes.get(note_id)
    if note is None:  # data-gone: a page that never had it has nothing to remove (live.js)
        return format_html('<div id="note-{}" hx-swap-oob="delete" data-gone></div>', note_id)
    if made:
        fragment = render_to_string(f"{BOARD_TEMPLATE}#note", {**context, "note": note})
        return format_html(
            '<div hx-swap-oob="beforeend:#{}" data-change>{}</div>',
            _list_of(view, note),
            mark_safe(fragment),
        )
    changed = {**context, "note": note, "swap_oob": True}  # swaps itself in, by its id
    html = render_to_string(f"{BOARD_TEMPLATE}#note", changed)
    if note_id not in view.places:
        return html
    # Moved: a slot where it now belongs, which live.js fills with the note as the page has
    # it (its open editor and all), before the note swaps itself in.
    before = view.places[note_id]
    target = f"beforebegin:#note-{before}" if before else f"beforeend:#{_list_of(view, note)}"
    slot = format_html('<span class="note-slot" data-slot-for="{}"></span>', note_id)
    return format_html('<div hx-swap-oob="{}" data-change>{}</div>', target, slot) + html


def _group_made(context: dict[str, object], view: NoteChangesView, group: GroupView) -> str:
    """A new group, its notes still to come: after the cell's other groups (the customer
    board) or after the side's (a problem board)."""
    fragment = render_to_string(f"{BOARD_TEMPLATE}#group", {**context, "group": group})
    if view.board.kind == BoardKind.CUSTOMER:
        target = f"beforebegin:#loose-{view.board.kind}-{group.group.cell}"
    else:
        target = f"beforeend:#group-row-{view.board.kind}"
    return format_html('<div hx-swap-oob="{}" data-change>{}</div>', target, mark_safe(fragment))


def render_entry_changes(
    workshop: Workshop,
    role: Role,
    changes: Sequence[EntryChange],
    *,
    viewer: Participant | None = None,
) -> str:
    """Each changed Refine entry in its place, as ``role`` (and ``viewer``'s Refine role) sees
    it: its list whole when the list's order or length changed; then the concerns and, in the
    merge step, the read-aloud (the projector shows the section on stage)."""
    if not changes or workshop.step.workspace not in REFINE_WORKSPACES:
        return ""  # none, or the step moved on: no screen shows the proposal
    with translation.override(workshop.language):
        room = room_view(
            workshop=workshop,
            role=role,
            viewer=viewer,
            now=timezone.now(),
            parts=frozenset({Part.BOARD}),
        )
        context = {**room.template_names(), "oob": True}
        proposal = room.workspace_view.phase if room.workspace_view else None
        listed = {change.kind for change in changes if change.listed}
        html = [
            render_to_string(
                f"{REFINE_TEMPLATE}#entries",
                {**context, "kind": kind, "entries": context[kind], "can": context[f"can_{kind}"]},
            )
            for kind in EntryKind
            if kind in listed
        ]
        for change in changes:
            if change.kind in listed:
                continue
            entries = getattr(proposal, change.kind, [])  # its list: faq or demo
            found = [n for n, entry in enumerate(entries) if entry.pk == change.entry_id]
            if not found:  # deleted since: its list follows in a later push
                continue
            html.append(
                render_to_string(
                    f"{REFINE_TEMPLATE}#entry",
                    {
                        **context,
                        "kind": change.kind,
                        "entry": entries[found[0]],
                        "can": context[f"can_{change.kind}"],
                        "first": found[0] == 0,
                        "last": found[0] == len(entries) - 1,
                        "swap_oob": True,
                    },
                )
            )
        html.append(render_to_string(f"{REFINE_TEMPLATE}#concerns", context))
        if workshop.step.workspace == Workspace.PROPOSAL:
            html.append(render_to_string(f"{REFINE_TEMPLATE}#reading", context))
    return "".join(html)


def _includes(personal: Personal, participant_id: int) -> bool:
    return personal == ALL_PARTICIPANTS or participant_id in personal


def render_plan_cells(workshop: Workshop, role: Role, cells: Sequence[PlanCellKey]) -> str:
    """Each saved cell of the measurement plan in its place (an editor open in it is kept)."""
    if workshop.step.workspace != Workspace.PLAN:
        return ""  # the step moved on: no screen shows the plan
    context = {
        "workshop": workshop,
        "is_projector": role == Role.PROJECTOR,
        "swap_oob": True,
    }
    wanted = set(cells)
    with translation.override(workshop.language):
        view = plan_view(workshop=workshop)
        return "".join(
            render_to_string(f"{PLAN_TEMPLATE}#cell", {**context, "cell": cell})
            for _label, row in view.plan_rows
            for cell in row
            if (cell.column, cell.row) in wanted
        )


def render_presence(workshop: Workshop, people: Sequence[ParticipantRow], changed: set[int]) -> str:
    """The rows of those who came online or went offline, and the count of those online: the
    same for every audience (whose row says "you" is each page's own style)."""
    context = {
        "participant_count": len(people),
        "online_count": sum(1 for person in people if person.online),
        "swap_oob": True,
    }
    with translation.override(workshop.language):
        html = [render_to_string(f"{ROOM_TEMPLATE}#participants-count", context)]
        html += [
            render_to_string(f"{ROOM_TEMPLATE}#participant", {**context, "person": person})
            for person in people
            if person.pk in changed
        ]
    return "".join(html)


def render_batch(workshop_id: int, batch: Batch) -> list[Delivery]:
    """Every message a batch sends, in the order to send them: the three audiences', then each
    private view's."""
    workshop = Workshop.objects.get(pk=workshop_id)
    shown = boards_shown(workshop.step.workspace)
    # A note or group on a board this step does not show changes no screen.
    kinds = [kind for kind in shown if kind in batch.notes or kind in batch.groups]
    # Presence reads every row (and so every label); notes alone need the labels only.
    people = participant_rows(workshop) if batch.presence else None
    labels: dict[int, str] = {}
    if people is not None:
        labels = {person.pk: person.label for person in people}
    elif kinds:
        labels = participant_labels(workshop)
    boards = {kind: _board_changes(workshop, batch, kind, labels) for kind in kinds}
    after = ""  # what every audience gets after the boards
    if any(
        changes.groups_changed and _shows_scores(workshop, changes.view)
        for changes in boards.values()
    ):
        with translation.override(workshop.language):
            context = {"yardstick": yardstick(workshop), "oob": True}
            after += render_to_string(f"{DEFINE_TEMPLATE}#yardstick", context)
    if people is not None:
        after += render_presence(workshop, people, set(batch.presence))
    deliveries = _shared_deliveries(workshop, batch, boards, after)
    deliveries += _private_deliveries(workshop, batch, boards, labels)
    return deliveries


def _board_changes(
    workshop: Workshop, batch: Batch, kind: str, labels: dict[int, str]
) -> BoardChanges:
    notes = batch.notes.get(kind, ())
    groups = batch.groups.get(kind, ())
    view = note_changes_view(
        workshop=workshop,
        kind=kind,
        note_ids=[change.note_id for change in notes],
        viewer=None,
        labels=labels,
        groups_changed=bool(groups) or any(change.groups for change in notes),
        moved=[change.note_id for change in notes if change.moved],
        made=[change.note_id for change in notes if change.created],
    )
    return BoardChanges(view, notes, groups)


def _shared_deliveries(
    workshop: Workshop, batch: Batch, boards: dict[str, BoardChanges], after: str
) -> list[Delivery]:
    personal = bool(PERSONAL_PARTS.intersection(batch.parts)) and is_personal(workshop)
    deliveries = []
    for role in AUDIENCES:
        role_parts = batch.parts
        if role == Role.PARTICIPANT:
            role_parts = tuple(part for part in role_parts if part not in NOT_FOR_PARTICIPANTS)
        if personal and role == Role.PARTICIPANT:
            role_parts = tuple(part for part in role_parts if part not in PERSONAL_PARTS)
            # Everyone's counts of private notes change with the notes (BOARD) alone. A step
            # change sends each participant's workspace, counts in it, on their own group: sent
            # ahead of it, counts found no element on a screen still showing the last step.
            if Part.BOARD in batch.parts:
                role_parts = (*role_parts, Part.NOTE_COUNTS)
        if role_parts:
            html = render_parts(
                workshop, role, role_parts, seq=batch.seq, first_seq=batch.first_seq
            )
        else:  # notes alone: no part of the room is read
            html = marker(seq=batch.seq, first_seq=batch.first_seq)
        # A private board's notes go to their authors alone; everyone gets its counts.
        html += "".join(
            render_note_changes(workshop, role, changes, notes=changes.view.board.revealed)
            for changes in boards.values()
        )
        if batch.plan_cells:
            html += render_plan_cells(workshop, role, batch.plan_cells)
        # Entries are drawn per Refine role: participants have theirs on their own groups.
        if role != Role.PARTICIPANT:
            html += render_entry_changes(workshop, role, batch.entries)
        deliveries.append((role_group(workshop.pk, role), html + after))
    return deliveries


def _private_deliveries(
    workshop: Workshop, batch: Batch, boards: dict[str, BoardChanges], labels: dict[int, str]
) -> list[Delivery]:
    """Each participant's own view, where it is theirs: the parts of a private view (and the
    batch's private parts) drawn whole for ``batch.personal_to``, and, on a private board, the
    notes each author changed."""
    deliveries: list[Delivery] = []
    wanted = set(batch.private_parts)
    if PERSONAL_PARTS.intersection(batch.parts) and is_personal(workshop):
        wanted.update(PERSONAL_PARTS.intersection(batch.parts))
    mine = tuple(part for part in Part if part in wanted)
    entries = batch.entries if workshop.step.workspace in REFINE_WORKSPACES else ()
    drawn: set[int] = set()
    if (mine and batch.personal_to) or entries:
        # Only those online: a participant who comes back gets a snapshot anyway.
        viewers = workshop.participants.filter(
            presences__seen_at__gte=Presence.fresh_since()
        ).distinct()
        if batch.personal_to != ALL_PARTICIPANTS and not entries:
            viewers = viewers.filter(pk__in=list(batch.personal_to))
        rendered: dict[tuple[str, bool], str] = {}  # by shared view: drawn once for all its viewers
        for viewer in viewers:
            theirs = bool(mine) and _includes(batch.personal_to, viewer.pk)
            key = shared_view(workshop, viewer)
            if key is not None and (key, theirs) in rendered:
                html = rendered[key, theirs]
            else:
                html = (
                    render_parts(workshop, Role.PARTICIPANT, mine, seq=batch.seq, viewer=viewer)
                    if theirs
                    else marker(seq=batch.seq, private=True)
                )
                html += render_entry_changes(workshop, Role.PARTICIPANT, entries, viewer=viewer)
                if key is not None:
                    rendered[key, theirs] = html
            deliveries.append((participant_group(workshop.pk, viewer.pk), html))
            drawn.add(viewer.pk)
    by_author: dict[int, dict[str, list[NoteChange]]] = {}
    for kind, board in boards.items():
        for change in board.notes:
            by_author.setdefault(change.author_id, {}).setdefault(kind, []).append(change)
    for author_id, kinds in by_author.items():
        private = {
            kind: written
            for kind, written in kinds.items()
            if author_id not in drawn and not boards[kind].view.board.revealed
        }
        if not private:
            continue
        author = Participant(pk=author_id, workshop=workshop)
        html = marker(seq=batch.seq, private=True)
        for kind, written in private.items():
            view = note_changes_view(
                workshop=workshop,
                kind=kind,
                note_ids=[change.note_id for change in written],
                viewer=author,
                labels=labels,
            )
            html += render_note_changes(
                workshop, Role.PARTICIPANT, BoardChanges(view, tuple(written), ()), summaries=False
            )
        deliveries.append((participant_group(workshop.pk, author_id), html))
    return deliveries
