"""Listen and Define: the persona, notes (each its author's), the reveal, and the grouping, which
is the facilitator's and the board owner's."""

from __future__ import annotations

import uuid

from sessions.models import Board, Note, NoteGroup, Persona
from sessions.services import boards as board_services
from sessions.services import groups as group_services
from tests.actions import (
    ALICE,
    EITHER,
    FACILITATOR,
    NOT_A_PARTICIPANT,
    NOT_HERS,
    NOT_THE_FACILITATOR,
    OUTSIDERS,
    Action,
    Cast,
    Post,
    new_id,
)

PROBLEMS = "customer_problems"
CELL = "organisation-facts"
NOT_THE_OWNER = ("bob", "outsider")  # alice owns the customer problems; bob only wrote


def _alices_note(cast: Cast) -> Note:
    """A note alice wrote alone in Listen; the room stays in that step."""
    cast.at("listen-individual")
    return board_services.note_create(
        actor=cast.alice, note_id=uuid.uuid4(), kind="customer", text="決裁は校長", cell=CELL
    )


def _alices_problem(cast: Cast, points: int | None = None) -> Note:
    """A customer problem alice wrote in Define; the room stays in that step."""
    cast.at("define-customer")
    note = board_services.note_create(
        actor=cast.alice,
        note_id=uuid.uuid4(),
        kind=PROBLEMS,
        text="成績の推移が分からない",
        influence="共働き",
        situation="面談の前",
    )
    if points is not None:
        board_services.note_set_points(actor=cast.alice, note_id=note.pk, points=points)
    return note


def _to_group(cast: Cast) -> Note:
    """The grouping step, alice in charge of the customer problems, her 3-point note loose."""
    note = _alices_problem(cast, points=3)
    cast.at("define-grouping")
    board_services.board_set_owner(
        actor=cast.facilitator, kind=PROBLEMS, participant_id=cast.pk("alice")
    )
    return note


def _a_group(cast: Cast) -> NoteGroup:
    note = _to_group(cast)
    group_services.note_move(actor=cast.facilitator, note_id=note.pk, new_group=True)
    group = Note.objects.get(pk=note.pk).group
    assert group is not None
    return group


def _a_new_note(cast: Cast) -> Post:
    cast.at("listen-individual")
    return Post({"id": new_id(), "kind": "customer", "cell": CELL, "text": "予算は年 300 万円"})


def _a_board_to_reveal(cast: Cast) -> Post:
    _alices_note(cast)
    return Post({"kind": "customer"})


def _groups_to_score(cast: Cast) -> Post:
    _a_group(cast)
    return Post({"kind": PROBLEMS})


def _notes(cast: Cast, value: str) -> list[object]:
    return sorted(
        Note.objects.filter(board__workshop=cast.workshop).values_list(value, flat=True),
        key=str,
    )


def _groups(cast: Cast, value: str) -> list[object]:
    return list(
        NoteGroup.objects.filter(board__workshop=cast.workshop).values_list(value, flat=True)
    )


ACTIONS = (
    Action(
        "persona_update",
        "write-the-persona",
        by=EITHER,
        refused=OUTSIDERS,
        arrange=lambda cast: Post({"name": "小学生の保護者", "description": "共働きで忙しい"}),
        reads=lambda cast: list(
            Persona.objects.filter(workshop=cast.workshop).values_list("name", flat=True)
        ),
    ),
    Action(
        "note_create",
        "write-a-note",
        by=ALICE,
        refused=NOT_A_PARTICIPANT,
        arrange=_a_new_note,
        reads=lambda cast: _notes(cast, "text"),
        answer=200,  # the composer again, empty
    ),
    Action(
        "note_update",
        "edit-her-note",
        by=ALICE,
        refused=NOT_HERS,
        arrange=lambda cast: Post({"text": "決裁は教頭"}, (_alices_note(cast).pk,)),
        reads=lambda cast: _notes(cast, "text"),
    ),
    Action(
        "note_delete",
        "delete-her-note",
        by=ALICE,
        refused=NOT_HERS,
        arrange=lambda cast: Post({}, (_alices_note(cast).pk,)),
        reads=lambda cast: _notes(cast, "text"),
    ),
    Action(
        "note_points",
        "give-her-note-points",
        by=ALICE,
        refused=NOT_HERS,
        arrange=lambda cast: Post({"points": "3"}, (_alices_problem(cast).pk,)),
        reads=lambda cast: _notes(cast, "points"),
    ),
    Action(
        "boards_reveal",
        "reveal-the-notes",
        by=FACILITATOR,
        refused=NOT_THE_FACILITATOR,
        arrange=_a_board_to_reveal,
        reads=lambda cast: list(
            Board.objects.filter(workshop=cast.workshop).values_list("revealed", flat=True)
        ),
    ),
    Action(
        "board_owner",
        "put-someone-in-charge-of-a-board",
        by=FACILITATOR,
        refused=NOT_THE_FACILITATOR,
        arrange=lambda cast: Post({"kind": PROBLEMS, "participant": str(cast.pk("bob"))}),
        reads=lambda cast: list(
            Board.objects.filter(workshop=cast.workshop).values_list("owner", flat=True)
        ),
    ),
    Action(
        "note_move",
        "group-a-note",
        by=EITHER,
        refused=NOT_THE_OWNER,
        arrange=lambda cast: Post({"target": "new"}, (_to_group(cast).pk,)),
        reads=lambda cast: _notes(cast, "group"),
    ),
    Action(
        "groups_propose",
        "take-the-proposed-scores",
        by=EITHER,
        refused=NOT_THE_OWNER,
        arrange=_groups_to_score,
        reads=lambda cast: _groups(cast, "score"),
    ),
    Action(
        "group_rename",
        "name-a-group",
        by=EITHER,
        refused=NOT_THE_OWNER,
        arrange=lambda cast: Post({"name": "見えない成績"}, (_a_group(cast).pk,)),
        reads=lambda cast: _groups(cast, "name"),
    ),
    Action(
        "group_score",
        "score-a-group",
        by=EITHER,
        refused=NOT_THE_OWNER,
        arrange=lambda cast: Post({"score": "5"}, (_a_group(cast).pk,)),
        reads=lambda cast: _groups(cast, "score"),
    ),
)
