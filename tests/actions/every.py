"""Every action of the room, from each area's descriptions."""

from __future__ import annotations

from tests.actions import Action, boards, invent, later, refine, room

ACTIONS: tuple[Action, ...] = (
    *room.ACTIONS,
    *boards.ACTIONS,
    *invent.ACTIONS,
    *refine.ACTIONS,
    *later.ACTIONS,
)
