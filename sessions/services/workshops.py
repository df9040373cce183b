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


def workshop_made_with(creation_key: str) -> CreatedWorkshop | None:
    """The workshop a create form with ``creation_key`` already made, with its secret link."""
    if not creation_key:
        return None
    made = Workshop.objects.filter(creation_key_hash=codes.hash_token(creation_key)).first()
    return CreatedWorkshop(made, codes.facilitator_token_for(creation_key)) if made else None


def workshop_create(
    *, title: str, team_name: str, language: str, creation_key: str = ""
) -> CreatedWorkshop:
    """A new workshop; the same ``creation_key`` again (a double click, a retry after a lost
    answer) returns the one it made, with the same secret link."""
    if creation_key:
        token = codes.facilitator_token_for(creation_key)
        key_hash: str | None = codes.hash_token(creation_key)
    else:
        token, key_hash = codes.new_facilitator_token(), None
    for _attempt in range(10):
        made = workshop_made_with(creation_key)
        if made is not None:
            return made
        try:
            with transaction.atomic():
                workshop = Workshop.objects.create(
                    creation_key_hash=key_hash,
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
        except IntegrityError:  # a join code drawn twice, or the same create at once: again
            continue
    raise RuntimeError("Could not draw a free join code")  # pragma: no cover


def workshop_for_token(token: str) -> Workshop | None:
    return Workshop.objects.filter(facilitator_token_hash=codes.hash_token(token)).first()
