"""The one way a write ends: lock, bump the sequence, log the event, publish after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from sessions import live
from sessions.models import Event, Workshop


def lock_workshop(workshop_id: int) -> Workshop:
    """The workshop row, locked until the transaction ends: writes to one workshop queue up."""
    return Workshop.objects.select_for_update().get(pk=workshop_id)


def record(
    workshop: Workshop,
    *,
    kind: str,
    actor: str,
    parts: Iterable[str],
    data: dict[str, Any] | None = None,
    fields: Iterable[str] = (),
) -> Event:
    """Save ``fields`` of the locked workshop with the next sequence number and log the event.

    The changed ``parts`` of the room are rendered and pushed only once the transaction commits.
    Call inside ``transaction.atomic()`` on a workshop from ``lock_workshop``.
    """
    workshop.seq += 1
    workshop.save(update_fields=[*fields, "seq"])
    event = Event.objects.create(
        workshop=workshop, seq=workshop.seq, kind=kind, actor=actor, data=data or {}
    )
    changed = tuple(parts)
    workshop_id, seq = workshop.pk, workshop.seq
    transaction.on_commit(lambda: live.publish(workshop_id, seq, changed))
    return event
