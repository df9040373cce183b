"""Where pushes go: a room's socket path and its channel-layer groups."""

from __future__ import annotations

from sessions.access import Role

AUDIENCES = (Role.FACILITATOR, Role.PARTICIPANT, Role.PROJECTOR)
PUSH_TYPE = "room.push"
# ``personal_to`` for a change every participant's private view shows (a step change).
ALL_PARTICIPANTS = "all"


def socket_path(code: str, role: Role) -> str:
    """Where a room's WebSocket is served (see workshop/routing.py)."""
    return f"/ws/rooms/{code}/{role}/"


def role_group(workshop_id: int, role: Role) -> str:
    return f"workshop.{workshop_id}.{role}"


def participant_group(workshop_id: int, participant_id: int) -> str:
    return f"workshop.{workshop_id}.participant.{participant_id}"
