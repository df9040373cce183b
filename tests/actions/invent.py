"""Invent: ideas (each its author's), the stage, marks and picks, the reveal and the override."""

from __future__ import annotations

import uuid

from sessions.models import Idea, Invent, Mark, Note, NoteGroup, Pick
from sessions.services import boards as board_services
from sessions.services import groups as group_services
from sessions.services import invent as invent_services
from tests.actions import (
    ALICE,
    FACILITATOR,
    NOT_A_PARTICIPANT,
    NOT_HERS,
    NOT_THE_FACILITATOR,
    Action,
    Cast,
    Post,
    new_id,
)

SLOTS = {
    "customer": "小学生の保護者",
    "situation": "面談の前",
    "capability": "成績の推移を一枚で見せる",
    "customer_metric": "面談の準備時間",
    "business_metric": "有料プランの継続率",
    "data": "テストの結果",
}


def _yardstick(cast: Cast) -> NoteGroup:
    """One customer-problem group scored 8, then the room in Invent."""
    cast.at("define-customer")
    note = board_services.note_create(
        actor=cast.alice,
        note_id=uuid.uuid4(),
        kind="customer_problems",
        text="成績の推移が分からない",
        influence="共働き",
        situation="面談の前",
    )
    cast.at("define-grouping")
    group_services.note_move(actor=cast.facilitator, note_id=note.pk, new_group=True)
    group = Note.objects.get(pk=note.pk).group
    assert group is not None
    group_services.group_score(actor=cast.facilitator, group_id=group.pk, score=8)
    cast.at("invent-share")
    return group


def _alices_idea(cast: Cast, *, shared: bool) -> Idea:
    cast.at("invent-share")
    idea = invent_services.idea_save(actor=cast.alice, idea_id=uuid.uuid4(), slots=SLOTS)
    if shared:
        invent_services.idea_share(actor=cast.alice, idea_id=idea.pk)
    return idea


def _a_new_idea(cast: Cast) -> Post:
    cast.at("invent-share")
    form = {name: text for name, text in SLOTS.items() if name != "data"}
    return Post({"id": new_id(), **form, "data_source": SLOTS["data"]})


def _a_mark(cast: Cast) -> Post:
    group = _yardstick(cast)
    idea = _alices_idea(cast, shared=True)
    return Post({"idea": str(idea.pk), "group": str(group.pk), "value": "solves"})


def _results_to_reveal(cast: Cast) -> Post:
    _alices_idea(cast, shared=True)
    cast.at("invent-results")
    return Post()


def _an_override(cast: Cast) -> Post:
    idea = _alices_idea(cast, shared=True)
    return Post({"idea": str(idea.pk), "reason": "実装の見通しが立つため"})


def _invent(cast: Cast, value: str) -> list[object]:
    return list(Invent.objects.filter(workshop=cast.workshop).values_list(value, flat=True))


ACTIONS = (
    Action(
        "idea_save",
        "write-an-idea",
        by=ALICE,
        refused=NOT_A_PARTICIPANT,
        arrange=_a_new_idea,
        reads=lambda cast: list(
            Idea.objects.filter(workshop=cast.workshop).values_list("capability", flat=True)
        ),
        answer=200,  # the idea form again, empty
    ),
    Action(
        "idea_share",
        "share-her-idea",
        by=ALICE,
        refused=NOT_HERS,
        arrange=lambda cast: Post({}, (_alices_idea(cast, shared=False).pk,)),
        reads=lambda cast: list(
            Idea.objects.filter(workshop=cast.workshop).values_list("shared_at", flat=True)
        ),
    ),
    Action(
        "idea_stage",
        "put-an-idea-on-stage",
        by=FACILITATOR,
        refused=NOT_THE_FACILITATOR,
        arrange=lambda cast: Post({}, (_alices_idea(cast, shared=True).pk,)),
        reads=lambda cast: _invent(cast, "staged"),
    ),
    Action(
        "mark_set",
        "mark-an-idea",
        by=ALICE,
        refused=NOT_A_PARTICIPANT,
        arrange=_a_mark,
        reads=lambda cast: list(
            Mark.objects.filter(idea__workshop=cast.workshop).values_list("value", flat=True)
        ),
    ),
    Action(
        "pick_set",
        "vote-for-an-idea",
        by=ALICE,
        refused=NOT_A_PARTICIPANT,
        arrange=lambda cast: Post({}, (_alices_idea(cast, shared=True).pk,)),
        reads=lambda cast: list(
            Pick.objects.filter(idea__workshop=cast.workshop).values_list("participant", "idea")
        ),
    ),
    Action(
        "results_reveal",
        "reveal-the-results",
        by=FACILITATOR,
        refused=NOT_THE_FACILITATOR,
        arrange=_results_to_reveal,
        reads=lambda cast: _invent(cast, "revealed"),
    ),
    Action(
        "winner_override",
        "override-the-winner",
        by=FACILITATOR,
        refused=NOT_THE_FACILITATOR,
        arrange=_an_override,
        reads=lambda cast: _invent(cast, "winner"),
    ),
)
