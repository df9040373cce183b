"""The one way a write ends: lock, bump the sequence, log the event, publish after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from sessions import live
from sessions.models import Event, Workshop
from sessions.rules.steps import Part


class InvalidAction(ValueError):
    """The request is well-formed but does not apply now (e.g. pausing a paused timer)."""


# ``personal_to`` for a change every participant's private view shows (a step change).
ALL_PARTICIPANTS = live.ALL_PARTICIPANTS


def lock_workshop(workshop_id: int) -> Workshop:
    """The workshop row, locked until the transaction ends: writes to one workshop queue up."""
    return Workshop.objects.select_for_update().get(pk=workshop_id)


def record(
    workshop: Workshop,
    *,
    kind: str,
    actor: str,
    parts: Iterable[Part] = (),
    data: dict[str, Any] | None = None,
    fields: Iterable[str] = (),
    personal_to: Iterable[int] | str = (),
    notes: Iterable[live.NoteChange] = (),
    groups: Iterable[live.GroupChange] = (),
    entries: Iterable[live.EntryChange] = (),
    presence: Iterable[int] = (),
    private_parts: Iterable[Part] = (),
    plan_cells: Iterable[tuple[str, str]] = (),
) -> Event:
    """Save ``fields`` of the locked workshop with the next sequence number and log the event.

    The changed ``parts`` of the room (drawn whole), ``notes``, ``groups``, ``entries`` and
    the participants whose ``presence`` changed (drawn one by one) are rendered and pushed only
    once the transaction commits. ``personal_to`` names the participants (or
    ``ALL_PARTICIPANTS``) whose private view changed; ``private_parts`` are drawn for them
    alone (what changed is theirs: a mark, an unshared idea). ``plan_cells`` (column, row)
    are drawn one by one. Call inside ``transaction.atomic()`` on a workshop from
    ``lock_workshop``.
    """
    workshop.seq += 1
    workshop.save(update_fields=[*fields, "seq"])
    event = Event.objects.create(
        workshop=workshop, seq=workshop.seq, kind=kind, actor=actor, data=data or {}
    )
    pending = live.Pending(
        seq=workshop.seq,
        parts=tuple(parts),
        personal_to=personal_to if isinstance(personal_to, str) else frozenset(personal_to),
        notes=tuple(notes),
        groups=tuple(groups),
        entries=tuple(entries),
        presence=tuple(presence),
        private_parts=tuple(private_parts),
        plan_cells=tuple(plan_cells),
    )
    workshop_id = workshop.pk
    # Pushes are hints: a channel layer that fails must not turn a committed write into an error.
    transaction.on_commit(lambda: live.publish(workshop_id, pending), robust=True)
    return event
