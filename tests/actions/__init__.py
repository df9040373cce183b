"""Every action a room's browser can POST, described once: who may take it, who is refused, the
state it needs (set up with the services) and the state it changes.

tests/unit/test_action_views.py runs each description three ways: over htmx by whoever may,
without JavaScript (a redirect back to the room), and by everyone else (403, nothing changed).
One module per area: room, boards, invent, refine, later (the plan and the questionnaire).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.test import Client

from sessions.access import Actor
from sessions.models import Workshop
from sessions.services.room import step_go

# The browsers of the cast, by name: the facilitator's, alice's, bob's, a stranger's, and the
# projector laptop's (it opened the projector's link: it may show the room, and do nothing).
FACILITATOR = ("facilitator",)
ALICE = ("alice",)
EITHER = ("facilitator", "alice")
NOT_THE_FACILITATOR = ("alice", "outsider", "projector")  # a facilitator's action
NOT_A_PARTICIPANT = ("facilitator", "outsider", "projector")  # a participant's own action
NOT_HERS = ("bob", "facilitator", "outsider")  # an action on what alice wrote
OUTSIDERS = ("outsider",)


@dataclass(frozen=True)
class Cast:
    """A workshop and everyone around it: actors for the services that set the scene up, and
    browsers (Django test clients) for the views under test."""

    workshop: Workshop
    facilitator: Actor
    alice: Actor
    bob: Actor
    browsers: dict[str, Client]

    def at(self, step: str) -> None:
        step_go(actor=self.facilitator, to=step)

    def pk(self, name: str) -> int:
        actor = self.alice if name == "alice" else self.bob
        assert actor.participant is not None
        return actor.participant.pk

    def seq(self) -> int:
        """The room's sequence number: every recorded change (and so every push) bumps it."""
        return Workshop.objects.values_list("seq", flat=True).get(pk=self.workshop.pk)

    def fresh(self) -> Workshop:
        return Workshop.objects.get(pk=self.workshop.pk)


@dataclass(frozen=True)
class Post:
    """What the browser sends: the form, and the address's ids after the join code."""

    data: dict[str, str] = field(default_factory=dict)
    args: tuple[object, ...] = ()


@dataclass(frozen=True)
class Action:
    url: str  # the name in sessions/urls.py
    what: str  # how the test ids read: "alice-edit-her-note", "bob-edit-her-note"
    by: tuple[str, ...]  # who may
    refused: tuple[str, ...]  # who gets 403
    arrange: Callable[[Cast], Post]  # the state the action needs, and what to post
    reads: Callable[[Cast], object]  # the state it changes
    answer: int = 204  # over htmx: 204 (the push updates the screen), 200 for a composer

    def __str__(self) -> str:
        return self.what


def new_id() -> str:
    """The id a browser makes for what it creates (a retry never duplicates)."""
    return str(uuid.uuid4())
