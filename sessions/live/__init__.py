"""Live updates: after commit, each change is rendered once per audience and pushed (DESIGN.md).

- ``names``: where pushes go (a room's socket path and its groups);
- ``batches``: what a run of events asks to redraw, merged into one push (pure);
- ``render``: the pushes of a batch, and the snapshot a socket starts with;
- ``publisher``: one publisher per workshop, serial, in sequence order, coalescing bursts.

Channel layers drop messages when a channel is full: the database is the truth, pushes are
hints, and a page that sees a gap in the sequence numbers takes a snapshot.
"""

from __future__ import annotations

from sessions.live.batches import EntryChange, GroupChange, NoteChange, Pending
from sessions.live.names import (
    ALL_PARTICIPANTS,
    AUDIENCES,
    PUSH_TYPE,
    participant_group,
    role_group,
    socket_path,
)
from sessions.live.publisher import publish
from sessions.live.render import ROOM_TEMPLATE, render_parts, snapshot

__all__ = [
    "ALL_PARTICIPANTS",
    "AUDIENCES",
    "PUSH_TYPE",
    "ROOM_TEMPLATE",
    "EntryChange",
    "GroupChange",
    "NoteChange",
    "Pending",
    "participant_group",
    "publish",
    "render_parts",
    "role_group",
    "snapshot",
    "socket_path",
]
