"""Invent: ideas in six slots, shared on stage, marked ○ / △ against the evaluation table, and the
winner decided by the workshop's rules (WORKSHOP.md, 3. Invent)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sessions.access import Actor
from sessions.models import Idea, Invent, Mark, NoteGroup, Pick, Workshop
from sessions.rules import scales, scoring
from sessions.rules.boards import PROBLEM_KINDS
from sessions.rules.invent import SLOT_KEYS
from sessions.rules.steps import SHARE_MINUTES, Part, Workspace
from sessions.selectors.invent import current_result
from sessions.services.events import ALL_PARTICIPANTS, InvalidAction, lock_workshop, record
from sessions.services.room import TIMER_FIELDS, start_timer

WORKSPACE = (Part.WORKSPACE,)
PROGRESS = (Part.PROGRESS,)


def invent_of(workshop: Workshop) -> Invent:
    return Invent.objects.get_or_create(workshop=workshop)[0]


def _participant(actor: Actor) -> Any:
    if actor.participant is None:
        raise PermissionDenied("Only participants do this.")
    return actor.participant


def _require_open(workshop: Workshop) -> Invent:
    invent = invent_of(workshop)
    if invent.revealed:
        raise InvalidAction(_("The results are out: ideas and marks are closed."))
    if workshop.step.workspace not in (Workspace.IDEAS, Workspace.RESULTS):
        raise InvalidAction(_("Ideas are shared and evaluated in Invent."))
    return invent


def idea_save(*, actor: Actor, idea_id: UUID, slots: dict[str, str]) -> Idea:
    """Write or rewrite one of your own ideas (the same id again updates it)."""
    author = _participant(actor)
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        _require_open(workshop)
        idea = Idea.objects.filter(pk=idea_id).first()
        if idea is not None and (idea.workshop_id != workshop.pk or idea.author_id != author.pk):
            raise PermissionDenied("Only its author changes an idea.")
        values = {key: slots[key] for key in SLOT_KEYS}
        if idea is None:
            idea = Idea.objects.create(id=idea_id, workshop=workshop, author=author, **values)
        else:
            for field, value in values.items():
                setattr(idea, field, value)
            idea.save()
        shared = idea.shared_at is not None
        record(
            workshop,
            kind="idea.saved",
            actor=actor.label,
            data={"idea": str(idea.pk)},
            # Shared, the room reads it; unshared, it is its author's alone, and the room
            # sees one more idea prepared.
            parts=WORKSPACE if shared else PROGRESS,
            private_parts=() if shared else WORKSPACE,
            personal_to=ALL_PARTICIPANTS if shared else (author.pk,),
        )
    return idea


def idea_share(*, actor: Actor, idea_id: UUID) -> Idea:
    """Its author shares an idea with the room: the facilitator may then put it on stage."""
    author = _participant(actor)
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        _require_open(workshop)
        idea = Idea.objects.filter(pk=idea_id, workshop=workshop).first()
        if idea is None:
            raise InvalidAction(_("This idea no longer exists."))
        if idea.author_id != author.pk:
            raise PermissionDenied("Only its author shares an idea.")
        if idea.shared_at is None:
            idea.shared_at = timezone.now()
            idea.save(update_fields=["shared_at"])
        record(
            workshop,
            kind="idea.shared",
            actor=actor.label,
            data={"idea": str(idea.pk)},
            # The console's and the projector's list, and the author's card: the others see
            # the stage alone, and it has not changed.
            parts=WORKSPACE,
            personal_to=(author.pk,),
        )
    return idea


def idea_stage(*, actor: Actor, idea_id: UUID) -> Idea:
    """The facilitator puts a shared idea on stage: the projector shows it, everyone marks it."""
    actor.require_facilitator()
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        invent = _require_open(workshop)
        idea = Idea.objects.filter(pk=idea_id, workshop=workshop, shared_at__isnull=False).first()
        if idea is None:
            raise InvalidAction(_("Only a shared idea goes on stage."))
        invent.staged = idea
        invent.save(update_fields=["staged"])
        # The presenter's 4 minutes start with the stage (WORKSHOP.md: 4 min each).
        start_timer(workshop, timedelta(minutes=SHARE_MINUTES))
        record(
            workshop,
            kind="idea.staged",
            actor=actor.label,
            data={"idea": str(idea.pk)},
            parts=(*WORKSPACE, Part.TIMER),
            fields=TIMER_FIELDS,
            personal_to=ALL_PARTICIPANTS,
        )
    return idea


def mark_set(*, actor: Actor, idea_id: UUID, group_id: UUID, value: str) -> None:
    """Your ○ ("solves"), △ ("partly") or blank for a shared idea against a scored group."""
    participant = _participant(actor)
    if value not in set(scoring.Mark):
        signs = [mark.symbol for mark in scoring.GIVEN_MARKS]
        raise InvalidAction(
            format_lazy(
                _("A mark is {marks}."),
                marks=scales.alternatives([*signs, pgettext_lazy("mark", "blank")]),
            )
        )
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        _require_open(workshop)
        idea = Idea.objects.filter(pk=idea_id, workshop=workshop, shared_at__isnull=False).first()
        group = NoteGroup.objects.filter(
            pk=group_id,
            board__workshop=workshop,
            board__kind__in=PROBLEM_KINDS,
            score__isnull=False,
        ).first()
        if idea is None or group is None:
            raise InvalidAction(_("Only shared ideas are marked, against scored groups."))
        if value == scoring.Mark.BLANK:
            Mark.objects.filter(idea=idea, participant=participant, group=group).delete()
        else:
            Mark.objects.update_or_create(
                idea=idea, participant=participant, group=group, defaults={"value": value}
            )
        # Marks stay private until the results are revealed: the room sees who has marked.
        record(
            workshop,
            kind="mark.set",
            actor=actor.label,
            parts=PROGRESS,
            private_parts=WORKSPACE,
            personal_to=(participant.pk,),
        )


def pick_set(*, actor: Actor, idea_id: UUID) -> None:
    """Choose one of the ideas that share your top score: your vote."""
    participant = _participant(actor)
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        _require_open(workshop)
        idea = Idea.objects.filter(pk=idea_id, workshop=workshop, shared_at__isnull=False).first()
        if idea is None:
            raise InvalidAction(_("This idea no longer exists."))
        Pick.objects.update_or_create(participant=participant, defaults={"idea": idea})
        record(
            workshop,
            kind="pick.set",
            actor=actor.label,
            private_parts=WORKSPACE,  # a vote is secret until the results
            personal_to=(participant.pk,),
        )


def results_reveal(*, actor: Actor, dice: Any = scoring.roll_dice) -> Invent:
    """Reveal everyone's scores and decide the winner; a dice, if needed, is rolled once here
    on the server and kept with the result."""
    actor.require_facilitator()
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        invent = invent_of(workshop)
        if invent.revealed:
            return invent
        result = current_result(workshop=workshop, dice=dice)
        invent.revealed = True
        invent.winner_id = result.winner
        invent.decided_by = result.decided_by or ""
        invent.tied = [str(idea) for idea in result.tied]
        invent.save()
        record(
            workshop,
            kind="results.revealed",
            actor=actor.label,
            data={"winner": str(result.winner), "decided_by": result.decided_by},
            parts=WORKSPACE,
            personal_to=ALL_PARTICIPANTS,
        )
    return invent


def winner_override(
    *, actor: Actor, idea_id: UUID, reason: str, dice: Any = scoring.roll_dice
) -> Invent:
    """The facilitator picks the winner, with a reason the document will show next to what
    the rules had decided (a dice included), which stays on record."""
    actor.require_facilitator()
    if not reason.strip():
        raise InvalidAction(_("Say why the winner is overridden."))
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        invent = invent_of(workshop)
        idea = Idea.objects.filter(pk=idea_id, workshop=workshop, shared_at__isnull=False).first()
        if idea is None:
            raise InvalidAction(_("This idea no longer exists."))
        if invent.decided_by != scoring.OVERRIDE:  # the first override: the rules' record
            if not invent.revealed:  # not decided yet: as the reveal would have
                result = current_result(workshop=workshop, dice=dice)
                invent.winner_id = result.winner
                invent.decided_by = result.decided_by or ""
                invent.tied = [str(tied) for tied in result.tied]
            invent.ruled_winner_id = invent.winner_id
            invent.ruled_by = invent.decided_by
        invent.revealed = True
        invent.winner = idea
        invent.decided_by = scoring.OVERRIDE
        invent.reason = reason.strip()
        invent.save()
        record(
            workshop,
            kind="results.overridden",
            actor=actor.label,
            data={"winner": str(idea.pk), "reason": invent.reason},
            parts=WORKSPACE,
            personal_to=ALL_PARTICIPANTS,
        )
    return invent
