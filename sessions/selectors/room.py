"""What every view of a room shows, read in a fixed, small number of queries.

The page and the live pushes render the same partials from this one context, so that what a
push swaps in is exactly what a reload would show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from sessions.access import Role
from sessions.models import Participant, Presence, TimerState, Workshop
from sessions.rules import steps
from sessions.rules.steps import Part
from sessions.selectors.shapes import names_of
from sessions.selectors.workspace import WorkspaceView, workspace_view


@dataclass(frozen=True)
class AgendaItem:
    step: steps.Step
    number: int
    state: str  # "done", "current" or "todo"
    starts_phase: bool


@dataclass(frozen=True)
class ParticipantRow:
    pk: int
    label: str
    initial: str
    seat: int
    online: bool


def _epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def agenda(workshop: Workshop) -> list[AgendaItem]:
    current = workshop.step_index
    items = []
    previous_phase = None
    for index, step in enumerate(steps.DAY1):
        state = "done" if index < current else "current" if index == current else "todo"
        items.append(AgendaItem(step, index + 1, state, step.phase != previous_phase))
        previous_phase = step.phase
    return items


@dataclass(frozen=True)
class TimerView:
    """The step's time box as a deadline: browsers count down locally (DESIGN.md, 6)."""

    state: str
    running: bool
    paused: bool
    ends_at_ms: int | str  # "" while not running
    remaining_ms: int
    box_ms: int
    server_now_ms: int
    display: str


def timer(workshop: Workshop, now: datetime) -> TimerView:
    remaining_ms = int(workshop.timer_remaining_at(now).total_seconds() * 1000)
    return TimerView(
        state=workshop.timer_state,
        running=workshop.timer_state == TimerState.RUNNING,
        paused=workshop.timer_state == TimerState.PAUSED,
        ends_at_ms=_epoch_ms(workshop.timer_ends_at) if workshop.timer_ends_at else "",
        remaining_ms=remaining_ms,
        box_ms=workshop.step.seconds * 1000,
        server_now_ms=_epoch_ms(now),
        display=f"{remaining_ms // 60000:02d}:{(remaining_ms // 1000) % 60:02d}",
    )


def participant_rows(workshop: Workshop) -> list[ParticipantRow]:
    """Participants in seat order: nobody jumps around when someone comes online."""
    online = Presence.objects.filter(
        participant=OuterRef("pk"), seen_at__gte=Presence.fresh_since()
    )
    people = list(Participant.objects.filter(workshop=workshop).annotate(online=Exists(online)))
    labels = _labels(people)
    return [
        ParticipantRow(
            pk=person.pk,
            label=labels[person.pk],
            initial=person.initial,
            seat=person.seat,
            online=person.online,
        )
        for person in people
    ]


def participant_labels(workshop: Workshop) -> dict[int, str]:
    """Each participant's name as every screen shows it, by id (no presence read)."""
    return _labels(list(Participant.objects.filter(workshop=workshop).only("display_name", "seat")))


def _labels(people: Sequence[Participant]) -> dict[int, str]:
    """Two people called the same get their seat number, so they stay distinguishable."""
    name_counts = Counter(person.display_name for person in people)
    return {
        person.pk: (
            f"{person.display_name} #{person.seat}"
            if name_counts[person.display_name] > 1
            else person.display_name
        )
        for person in people
    }


# The parts that read the boards (and so need the notes, groups and ideas).
BOARD_PARTS = frozenset({Part.WORKSPACE, Part.BOARD, Part.NOTE_COUNTS, Part.PROGRESS})


@dataclass(frozen=True)
class RoomView:
    """Everything a room's partials show one audience (and, for a private view, one viewer)."""

    workshop: Workshop
    role: str
    is_facilitator: bool
    is_projector: bool
    step: steps.Step
    step_number: int
    step_count: int
    is_first_step: bool
    is_last_step: bool
    agenda: list[AgendaItem]
    timer: TimerView
    participants: list[ParticipantRow]
    participant_count: int
    online_count: int
    workspace_view: WorkspaceView | None  # None when no part shown reads the boards

    def template_names(self) -> dict[str, object]:
        """The names the room's template reads: the room's, and its workspace's."""
        names = names_of(self)
        del names["workspace_view"]
        if self.workspace_view is not None:
            names.update(self.workspace_view.template_names())
        return names


def room_view(
    *,
    workshop: Workshop,
    role: Role,
    viewer: Participant | None = None,
    now: datetime | None = None,
    parts: frozenset[str] | None = None,
) -> RoomView:
    """``parts`` (all, by default) limits the reading to what those partials show: a timer
    push reads no participants and no boards."""
    now = now or timezone.now()
    people: list[ParticipantRow] = []
    if parts is None or parts & (BOARD_PARTS | {Part.PARTICIPANTS}):
        people = participant_rows(workshop)
    workspace = None
    if parts is None or parts & BOARD_PARTS:
        workspace = workspace_view(
            workshop=workshop,
            viewer=viewer,
            labels={person.pk: person.label for person in people},
            facilitating=role == Role.FACILITATOR,
        )
    return RoomView(
        workshop=workshop,
        role=str(role),
        is_facilitator=role == Role.FACILITATOR,
        is_projector=role == Role.PROJECTOR,
        step=workshop.step,
        step_number=workshop.step_index + 1,
        step_count=len(steps.DAY1),
        is_first_step=workshop.step_index == 0,
        is_last_step=workshop.step_index == len(steps.DAY1) - 1,
        agenda=agenda(workshop),
        timer=timer(workshop, now),
        participants=people,
        participant_count=len(people),
        online_count=sum(1 for person in people if person.online),
        workspace_view=workspace,
    )
