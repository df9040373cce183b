"""Live updates: render a change once per audience after commit, and push it (DESIGN.md).

Every connection is in exactly one role group (facilitator, participants, projector) and, for a
participant, in their own private group. Each event is rendered once for each role group; the
message starts with the sequence marker, so a client that sees a gap asks for a snapshot.
Channel layers drop messages when a channel is full: the database is the truth, pushes are hints.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable
from typing import IO, Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sessions.access import Role
from sessions.models import Workshop
from sessions.room_state import room_context

logger = logging.getLogger(__name__)

ROOM_TEMPLATE = "room/room.html"
# The swappable parts of a room, each a partial of ROOM_TEMPLATE with a stable id.
ALL_PARTS = ("agenda", "step", "timer", "participants")
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
    workshop: Workshop, role: Role, parts: Iterable[str], *, snapshot: bool = False
) -> str:
    """The sequence marker followed by each part, rendered for ``role`` in the workshop's
    language, each swapping itself in by id."""
    with translation.override(workshop.language):
        context = room_context(workshop, role, now=timezone.now())
        context.update(seq=workshop.seq, snapshot=snapshot, oob=True)
        html = [render_to_string(f"{ROOM_TEMPLATE}#seq", context)]
        html += [render_to_string(f"{ROOM_TEMPLATE}#{part}", context) for part in parts]
    return "".join(html)


def snapshot(workshop: Workshop, role: Role) -> str:
    return render_parts(workshop, role, ALL_PARTS, snapshot=True)


def publish(workshop_id: int, seq: int, parts: Iterable[str]) -> None:
    """Render the changed parts once per audience and send them to its group.

    Called after commit with the sequence number of the event: the state read here may already
    be newer (a later event committed meanwhile); clients take the newest state and the
    sequence numbers only ever move forward.
    """
    workshop = Workshop.objects.get(pk=workshop_id)
    parts = tuple(parts)
    layer = get_channel_layer()
    assert layer is not None
    for role in AUDIENCES:
        message = {"type": PUSH_TYPE, "seq": seq, "html": render_parts(workshop, role, parts)}
        async_to_sync(layer.group_send)(role_group(workshop_id, role), message)


# --- One process only with the in-memory layer ---------------------------------------------

_claimed: list[IO[Any]] = []


def claim_in_memory_layer() -> None:
    """Refuse to serve with the in-memory channel layer from a second process.

    With the in-memory layer, a push reaches only the sockets of the process that made it: a
    second server process on the same database would silently leave its clients behind. Each
    server process takes an exclusive lock named after its database; the second one fails to
    start with an explanation. Configure REDIS_URL to run several processes.
    """
    backend = str(settings.CHANNEL_LAYERS["default"]["BACKEND"])
    if not backend.endswith("InMemoryChannelLayer") or _claimed:
        return
    database = settings.DATABASES["default"]
    identity = f"{database.get('HOST', '')}:{database.get('PORT', '')}/{database['NAME']}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    path = os.path.join(tempfile.gettempdir(), f"gyakusan-inmemory-{digest}.lock")
    handle = open(path, "a+")  # noqa: SIM115 - held open for the life of the process
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise ImproperlyConfigured(
            "Another server process already serves this database with the in-memory channel "
            "layer, which cannot reach across processes. Run one process, or set REDIS_URL "
            "(and DATABASE_URL) to run several."
        ) from None
    _claimed.append(handle)
