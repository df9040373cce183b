"""Live updates: render a change once per audience after commit, and push it (DESIGN.md).

Every connection is in exactly one role group (facilitator, participants, projector) and, for a
participant, in their own private group. Each event is rendered once for each role group; the
message starts with the sequence marker, so a client that sees a gap asks for a snapshot.
Channel layers drop messages when a channel is full: the database is the truth, pushes are hints.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sessions.access import Role
from sessions.models import Participant, Presence, Workshop
from sessions.rules.steps import Part
from sessions.selectors.room import room_view
from sessions.selectors.workspace import is_personal, shared_view

logger = logging.getLogger(__name__)

ROOM_TEMPLATE = "room/room.html"
# What a snapshot holds: every part of a room (the workspace holds the board and note counts).
ALL_PARTS = (
    Part.AGENDA,
    Part.STEP,
    Part.TIMER,
    Part.PARTICIPANTS,
    Part.JOINING,
    Part.WORKSPACE,
)
ALL_PARTICIPANTS = "all"
# Parts that show a board: while it is private, each participant has their own.
PERSONAL_PARTS = frozenset({Part.WORKSPACE, Part.BOARD})
AUDIENCES = (Role.FACILITATOR, Role.PARTICIPANT, Role.PROJECTOR)
PUSH_TYPE = "room.push"


def socket_path(code: str, role: Role) -> str:
    """Where a room's WebSocket is served (see workshop/routing.py)."""
    return f"/ws/rooms/{code}/{role}/"


def role_group(workshop_id: int, role: Role) -> str:
    return f"workshop.{workshop_id}.{role}"


def participant_group(workshop_id: int, participant_id: int) -> str:
    return f"workshop.{workshop_id}.participant.{participant_id}"


def render_parts(
    workshop: Workshop,
    role: Role,
    parts: Iterable[Part],
    *,
    seq: int,
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
        context.update(seq=seq, snapshot=snapshot, oob=True, private=private)
        html = [render_to_string(f"{ROOM_TEMPLATE}#seq", context)]
        html += [render_to_string(f"{ROOM_TEMPLATE}#{part}", context) for part in parts]
    return "".join(html)


def snapshot(workshop: Workshop, role: Role, viewer: Participant | None = None) -> str:
    return render_parts(workshop, role, ALL_PARTS, seq=workshop.seq, snapshot=True, viewer=viewer)


def publish(
    workshop_id: int, seq: int, parts: Iterable[Part], *, personal_to: Iterable[int] | str = ()
) -> None:
    """Render the changed parts once per audience and send them to its group.

    While the step's board is private, participants see the workspace each their own way: the
    participants' group gets only the note counts (when notes changed), and each participant in
    ``personal_to`` ("all" for everyone) gets their own workspace in their private group.

    Called after commit with the sequence number of the event: the state read here may already
    be newer (a later event committed meanwhile); clients take the newest state and the
    sequence numbers only ever move forward.
    """
    workshop = Workshop.objects.get(pk=workshop_id)
    parts = tuple(parts)
    personal = bool(PERSONAL_PARTS.intersection(parts)) and is_personal(workshop)
    layer = get_channel_layer()
    assert layer is not None
    send = async_to_sync(layer.group_send)
    for role in AUDIENCES:
        role_parts = parts
        if personal and role == Role.PARTICIPANT:
            role_parts = tuple(part for part in parts if part not in PERSONAL_PARTS)
            # Everyone's counts of private notes change with the notes (BOARD) alone. A step
            # change sends each participant's workspace, counts in it, on their own group: sent
            # ahead of it, counts found no element on a screen still showing the last step.
            if Part.BOARD in parts:
                role_parts = (*role_parts, Part.NOTE_COUNTS)
        html = render_parts(workshop, role, role_parts, seq=seq)
        send(role_group(workshop_id, role), {"type": PUSH_TYPE, "seq": seq, "html": html})
    if not personal:
        return
    # Only those online: a participant who comes back gets a snapshot anyway.
    viewers = workshop.participants.filter(
        presences__seen_at__gte=Presence.fresh_since()
    ).distinct()
    if personal_to != ALL_PARTICIPANTS:
        viewers = viewers.filter(pk__in=list(personal_to))
    mine = tuple(part for part in parts if part in PERSONAL_PARTS)
    rendered: dict[str, str] = {}  # by shared view: rendered once for all who share it
    for viewer in viewers:
        key = shared_view(workshop, viewer)
        if key is not None and key in rendered:
            html = rendered[key]
        else:
            html = render_parts(workshop, Role.PARTICIPANT, mine, seq=seq, viewer=viewer)
            if key is not None:
                rendered[key] = html
        send(
            participant_group(workshop_id, viewer.pk), {"type": PUSH_TYPE, "seq": seq, "html": html}
        )
