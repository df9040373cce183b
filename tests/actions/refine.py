"""Refine: roles (the facilitator's), the summary (the planner's), the FAQ (sales'), and the
read-aloud (the facilitator's, each reader handing over). Alice plans, bob sells."""

from __future__ import annotations

import uuid

from sessions.models import Participant, Proposal, ProposalEntry, SummarySlot
from sessions.rules.refine import SLOT_KEYS
from sessions.services import refine as refine_services
from tests.actions import EITHER, FACILITATOR, NOT_THE_FACILITATOR, Action, Cast, Post, new_id

SALES = ("facilitator", "bob")
NOT_THE_PLANNER = ("bob", "outsider")
NOT_SALES = ("alice", "outsider")


def _roles(cast: Cast) -> None:
    cast.at("refine-roles")
    for name, role in (("alice", "planner"), ("bob", "sales")):
        refine_services.role_assign(actor=cast.facilitator, participant_id=cast.pk(name), role=role)


def _question(cast: Cast, text: str = "価格は？") -> ProposalEntry:
    """A question of the FAQ, written by bob (sales)."""
    _roles(cast)
    return refine_services.entry_add(
        actor=cast.bob, entry_id=uuid.uuid4(), kind="faq", text=text, answer="月額千円"
    )


def _at_roles(cast: Cast) -> Post:
    cast.at("refine-roles")
    return Post({"participant": str(cast.pk("alice")), "role": "planner"})


def _to_deal(cast: Cast) -> Post:
    cast.at("refine-roles")
    return Post()


def _a_slot(cast: Cast) -> Post:
    _roles(cast)
    return Post({"text": "小学生の保護者", "version": "0"}, (SLOT_KEYS[0],))


def _a_new_question(cast: Cast) -> Post:
    _roles(cast)
    return Post({"id": new_id(), "kind": "faq", "text": "解約できる？", "answer": "いつでも"})


def _an_edit(cast: Cast) -> Post:
    question = _question(cast)
    return Post(
        {"text": "価格はいくら？", "answer": "月額千円", "version": str(question.version)},
        (question.pk,),
    )


def _a_move(cast: Cast) -> Post:
    first = _question(cast)
    _question(cast, "解約できる？")
    return Post({"delta": "1"}, (first.pk,))


def _the_merge(cast: Cast) -> Post:
    _roles(cast)
    cast.at("refine-merge")
    return Post({"action": "start"})


def _the_summary_read(cast: Cast) -> Post:
    """The planner is reading the summary aloud: the next section is sales' FAQ."""
    _the_merge(cast)
    refine_services.reading_go(actor=cast.facilitator, action=refine_services.ReadingAction.START)
    return Post({"action": "next", "seen": "summary"})


def _entries(cast: Cast, value: str) -> list[object]:
    return list(ProposalEntry.objects.filter(workshop=cast.workshop).values_list(value, flat=True))


def _reading(cast: Cast) -> list[str]:
    return list(Proposal.objects.filter(workshop=cast.workshop).values_list("reading", flat=True))


def _roles_held(cast: Cast) -> list[str]:
    people = Participant.objects.filter(workshop=cast.workshop).order_by("pk")
    return list(people.values_list("refine_role", flat=True))


ACTIONS = (
    Action(
        "refine_role",
        "give-a-role",
        by=FACILITATOR,
        refused=NOT_THE_FACILITATOR,
        arrange=_at_roles,
        reads=_roles_held,
    ),
    Action(
        "refine_roles_deal",
        "deal-the-roles",
        by=FACILITATOR,
        refused=NOT_THE_FACILITATOR,
        arrange=_to_deal,
        reads=_roles_held,
    ),
    Action(
        "refine_slot",
        "write-the-summary",
        by=EITHER,
        refused=NOT_THE_PLANNER,
        arrange=_a_slot,
        reads=lambda cast: list(
            SummarySlot.objects.filter(workshop=cast.workshop).values_list("text", flat=True)
        ),
    ),
    Action(
        "refine_entry_add",
        "add-a-question",
        by=SALES,
        refused=NOT_SALES,
        arrange=_a_new_question,
        reads=lambda cast: _entries(cast, "text"),
        answer=200,  # the composer again, empty
    ),
    Action(
        "refine_entry",
        "edit-a-question",
        by=SALES,
        refused=NOT_SALES,
        arrange=_an_edit,
        reads=lambda cast: _entries(cast, "text"),
    ),
    Action(
        "refine_entry_flag",
        "mark-a-question-red",
        by=SALES,
        refused=NOT_SALES,
        arrange=lambda cast: Post({"red": "on"}, (_question(cast).pk,)),
        reads=lambda cast: _entries(cast, "red"),
    ),
    Action(
        "refine_entry_move",
        "move-a-question",
        by=SALES,
        refused=NOT_SALES,
        arrange=_a_move,
        reads=lambda cast: _entries(cast, "text"),  # in the list's order
    ),
    Action(
        "refine_entry_delete",
        "delete-a-question",
        by=SALES,
        refused=NOT_SALES,
        arrange=lambda cast: Post({}, (_question(cast).pk,)),
        reads=lambda cast: _entries(cast, "text"),
    ),
    Action(
        "refine_reading",
        "start-the-reading",
        by=FACILITATOR,
        refused=NOT_THE_FACILITATOR,  # alice plans, but only the facilitator starts
        arrange=_the_merge,
        reads=_reading,
    ),
    Action(
        "refine_reading",
        "hand-the-reading-over",
        by=EITHER,  # alice reads the summary: she hands over to the FAQ
        refused=("bob", "outsider"),
        arrange=_the_summary_read,
        reads=_reading,
    ),
)
