"""Fixtures the unit tests of several phases share."""

from __future__ import annotations

import uuid

import pytest

from sessions.access import Actor
from sessions.models import Note, NoteGroup
from sessions.services import boards as board_services
from sessions.services import groups as group_services
from sessions.services.room import step_go


@pytest.fixture
def yardstick(facilitator: Actor, alice: Actor) -> list[NoteGroup]:
    """Two scored customer-problem groups: 8 and 3."""
    step_go(actor=facilitator, to="define-customer")
    notes = [
        board_services.note_create(
            actor=alice,
            note_id=uuid.uuid4(),
            kind="customer_problems",
            text=text,
            influence="業務",
            situation="月末",
        )
        for text in ("時間がかかる", "ミスが多い")
    ]
    step_go(actor=facilitator, to="define-grouping")
    for note in notes:
        group_services.note_move(actor=facilitator, note_id=note.pk, new_group=True)
    groups = [Note.objects.get(pk=note.pk).group for note in notes]
    for group, score in zip(groups, (8, 3), strict=True):
        assert group is not None
        group_services.group_score(actor=facilitator, group_id=group.pk, score=score)
    step_go(actor=facilitator, to="invent-share")
    return [group for group in groups if group is not None]
