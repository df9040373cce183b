"""Joining a workshop, and who is online.

A participant is online while a socket of theirs has beaten in the last
``settings.PRESENCE_TIMEOUT_SECONDS``: a closed socket says goodbye, a socket whose server
process died cannot, and the next sweep lets it go. The presence functions take ``now`` so that
tests can move time instead of sleeping; the consumer leaves it to the clock.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sessions.access import Actor
from sessions.models import Participant, Presence, Workshop
from sessions.rules.steps import Part
from sessions.services.events import lock_workshop, record

MAX_PARTICIPANTS = 120  # the deck plans for 3–6; big rooms and load tests go far past 30


class WorkshopFull(Exception):
    pass


class JoiningClosed(Exception):
    """The facilitator closed joining: nobody new takes a seat."""


def participant_join(
    *, workshop: Workshop, display_name: str, join_key: UUID | None = None
) -> Participant:
    """A new participant; the same ``join_key`` again returns the one it made."""
    with transaction.atomic():
        locked = lock_workshop(workshop.pk)
        if join_key is not None:
            existing = Participant.objects.filter(workshop=locked, join_key=join_key).first()
            if existing is not None:
                return existing  # a retry of a join that went through, even once closed
        if not locked.joining_open:
            raise JoiningClosed
        taken = locked.participants.aggregate(last=Max("seat"))["last"] or 0
        if taken >= MAX_PARTICIPANTS:
            raise WorkshopFull
        participant = Participant.objects.create(
            workshop=locked, display_name=display_name, seat=taken + 1, join_key=join_key
        )
        record(
            locked,
            kind="participant.joined",
            actor=f"participant:{participant.pk}",
            data={"seat": participant.seat},
            # The workspace too: owner menus and result columns list the participants.
            parts=(Part.PARTICIPANTS, Part.WORKSPACE),
            personal_to=(participant.pk,),
        )
    return participant


def joining_set(*, actor: Actor, open: bool) -> Workshop:
    """Open or close joining. Every screen's join panel says which, so the room sees that
    latecomers need the facilitator; a second click (or a second console) changes nothing."""
    actor.require_facilitator()
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        if workshop.joining_open == open:
            return workshop
        workshop.joining_open = open
        record(
            workshop,
            kind="joining.opened" if open else "joining.closed",
            actor=actor.label,
            parts=(Part.JOINING,),
            fields=("joining_open",),
        )
    return workshop


def presence_open(
    *, participant: Participant, channel_name: str, now: datetime | None = None
) -> None:
    """A socket of this participant opened: they are online (an event only if they were not)."""
    now = now or timezone.now()
    with transaction.atomic():
        workshop = lock_workshop(participant.workshop_id)
        was_online = _online(participant.pk, now)
        Presence.objects.update_or_create(
            channel_name=channel_name, defaults={"participant": participant, "seen_at": now}
        )
        if not was_online:
            _record_presence(workshop, participant.pk, online=True)


def presence_close(
    *, participant: Participant, channel_name: str, now: datetime | None = None
) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        workshop = lock_workshop(participant.workshop_id)
        Presence.objects.filter(channel_name=channel_name).delete()
        if not _online(participant.pk, now):
            _record_presence(workshop, participant.pk, online=False)


def presence_heartbeat(
    *, participant: Participant, channel_name: str, now: datetime | None = None
) -> None:
    """Keep this socket fresh (one UPDATE: heartbeats are frequent), and let go of sockets in
    the workshop that stopped beating (a server that died cannot say goodbye for them)."""
    now = now or timezone.now()
    refreshed = Presence.objects.filter(
        channel_name=channel_name, seen_at__gte=Presence.fresh_since(now)
    ).update(seen_at=now)
    if not refreshed:
        # Swept meanwhile, or lapsed and not swept yet (a laptop that slept): screens may show
        # them offline, so they come online again as an event, as on a new socket.
        presence_open(participant=participant, channel_name=channel_name, now=now)
    presence_sweep(workshop_id=participant.workshop_id, now=now)


def presence_sweep(*, workshop_id: int, now: datetime | None = None) -> None:
    """Let go of the workshop's sockets that stopped beating. Every heartbeat sweeps, the
    console's and the projector's too (they beat every ~4 s, live.js), so a participant whose
    server died goes offline within the timeout and one of their beats."""
    now = now or timezone.now()
    stale = Presence.objects.filter(
        participant__workshop_id=workshop_id, seen_at__lt=Presence.fresh_since(now)
    )
    if not stale.exists():
        return
    with transaction.atomic():
        workshop = lock_workshop(workshop_id)
        gone = set(stale.values_list("participant_id", flat=True))
        stale.delete()
        for participant_id in sorted(gone):
            if not _online(participant_id, now):
                _record_presence(workshop, participant_id, online=False)


def _online(participant_id: int, now: datetime) -> bool:
    return Presence.objects.filter(
        participant_id=participant_id, seen_at__gte=Presence.fresh_since(now)
    ).exists()


def _record_presence(workshop: Workshop, participant_id: int, *, online: bool) -> None:
    record(
        workshop,
        kind="presence.online" if online else "presence.offline",
        actor=f"participant:{participant_id}",
        data={"participant": participant_id},
        presence=(participant_id,),
    )
