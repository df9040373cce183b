"""Creating a workshop."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from sessions import codes
from sessions.models import Event, Workshop
from sessions.rules import steps


@dataclass(frozen=True)
class CreatedWorkshop:
    workshop: Workshop
    facilitator_token: str  # shown once, in the facilitator's link; only its hash is stored


def workshop_create(*, title: str, team_name: str, language: str) -> CreatedWorkshop:
    token = codes.new_facilitator_token()
    for _attempt in range(10):
        try:
            with transaction.atomic():
                workshop = Workshop.objects.create(
                    title=title,
                    team_name=team_name,
                    language=language,
                    join_code=codes.new_join_code(),
                    facilitator_token_hash=codes.hash_token(token),
                    step_key=steps.FIRST.key,
                    timer_remaining_ms=steps.FIRST.seconds * 1000,
                    seq=1,
                )
                Event.objects.create(
                    workshop=workshop, seq=1, kind="workshop.created", actor="facilitator"
                )
            return CreatedWorkshop(workshop, token)
        except IntegrityError:  # a join code collision: draw another
            continue
    raise RuntimeError("Could not draw a free join code")  # pragma: no cover


def workshop_for_token(token: str) -> Workshop | None:
    return Workshop.objects.filter(facilitator_token_hash=codes.hash_token(token)).first()
