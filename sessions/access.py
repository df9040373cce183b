"""Who is acting: the facilitator, a participant or the projector, read from the browser session.

No accounts: the facilitator's secret link marks a browser session as facilitating a workshop,
the projector's link as showing its projector view (nothing more), and joining as that
participant. Every service takes an ``Actor`` and checks it.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied

from sessions.codes import hash_token, projector_link_token, projector_link_valid
from sessions.models import Participant, Workshop

_FACILITATING = "gyakusan.facilitating"
_PARTICIPANTS = "gyakusan.participants"
_PROJECTING = "gyakusan.projecting"

Session = MutableMapping[str, Any]


class Role(StrEnum):
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"
    PROJECTOR = "projector"


@dataclass(frozen=True)
class Actor:
    workshop: Workshop
    role: Role
    participant: Participant | None = None

    @property
    def is_facilitator(self) -> bool:
        return self.role == Role.FACILITATOR

    @property
    def label(self) -> str:
        """How the event log names this actor."""
        if self.participant is not None:
            return f"participant:{self.participant.pk}"
        return str(self.role)

    def require_facilitator(self) -> None:
        if not self.is_facilitator:
            raise PermissionDenied("Only the facilitator can do this.")


def grant_facilitator(session: Session, workshop: Workshop, token: str) -> None:
    """Remember that this browser holds the workshop's secret link (to show it again)."""
    links = dict(session.get(_FACILITATING, {}))
    links[str(workshop.pk)] = token
    session[_FACILITATING] = links


def facilitator_token(session: Session, workshop: Workshop) -> str | None:
    token = session.get(_FACILITATING, {}).get(str(workshop.pk))
    if token and hash_token(token) == workshop.facilitator_token_hash:
        return str(token)
    return None


def is_facilitating(session: Session, workshop: Workshop) -> bool:
    return facilitator_token(session, workshop) is not None


def projector_token(workshop: Workshop) -> str:
    """The token of the projector's link (for the console to show)."""
    return projector_link_token(workshop.join_code, workshop.facilitator_token_hash)


def grant_projector(session: Session, workshop: Workshop, token: str) -> None:
    """Remember that this browser opened the projector's link: it may show the projector view,
    and nothing else (no console, no facilitator action, no export)."""
    links = dict(session.get(_PROJECTING, {}))
    links[str(workshop.pk)] = token
    session[_PROJECTING] = links


def is_projector_token(workshop: Workshop, token: str) -> bool:
    return projector_link_valid(workshop.join_code, workshop.facilitator_token_hash, token)


def is_projecting(session: Session, workshop: Workshop) -> bool:
    token = session.get(_PROJECTING, {}).get(str(workshop.pk))
    return bool(token) and is_projector_token(workshop, str(token))


def belongs_to(session: Session, workshop: Workshop) -> bool:
    """Whether this browser was let into the workshop (it joined, or holds a secret link):
    its requests by code are no guesses. Reads the session only, no query."""
    return (
        str(workshop.pk) in session.get(_PARTICIPANTS, {})
        or is_facilitating(session, workshop)
        or is_projecting(session, workshop)
    )


def remember_participant(session: Session, participant: Participant) -> None:
    known = dict(session.get(_PARTICIPANTS, {}))
    known[str(participant.workshop_id)] = participant.pk
    session[_PARTICIPANTS] = known


def participant_in(session: Session, workshop: Workshop) -> Participant | None:
    participant_id = session.get(_PARTICIPANTS, {}).get(str(workshop.pk))
    if participant_id is None:
        return None
    return Participant.objects.filter(pk=participant_id, workshop=workshop).first()


def actor_for(session: Session, workshop: Workshop, *, wants: Role) -> Actor | None:
    """The actor this session may be in this workshop for the view it asks for, or None."""
    if wants == Role.FACILITATOR:
        return Actor(workshop, wants) if is_facilitating(session, workshop) else None
    if wants == Role.PROJECTOR:
        # The facilitator may show the projector view too; the projector's link shows only it.
        shows = is_facilitating(session, workshop) or is_projecting(session, workshop)
        return Actor(workshop, wants) if shows else None
    participant = participant_in(session, workshop)
    return Actor(workshop, Role.PARTICIPANT, participant) if participant else None
