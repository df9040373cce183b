"""What is one participant's alone (a mark, a vote, an idea not shared yet) is redrawn for them
alone; the room is sent how far it has got, not everyone's view (issue 11)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from sessions import live
from sessions.access import Actor, Role
from sessions.models import Idea, NoteGroup, Participant, Presence, Workshop
from sessions.services import invent as services
from sessions.services.participants import participant_join
from tests.ideas import SLOTS
from tests.pushes import PushRecorder

ROOM = ("佐藤 さくら", "高橋 健", "田中 美咲")


def _online(workshop: Workshop, participant: Participant) -> str:
    """A socket of ``participant``'s, listening on their own group: its channel."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(live.participant_group(workshop.pk, participant.pk), channel)
    Presence.objects.create(participant=participant, channel_name=channel)
    return channel


@pytest.fixture
def room(workshop: Workshop, alice: Actor, bob: Actor) -> dict[int, str]:
    """Alice, Bob and three more online: each participant's private channel, by id."""
    people = [alice.participant, bob.participant] + [
        participant_join(workshop=workshop, display_name=name) for name in ROOM
    ]
    return {person.pk: _online(workshop, person) for person in people if person is not None}


@pytest.fixture
def staged(
    yardstick: list[NoteGroup],
    alice: Actor,
    facilitator: Actor,
) -> Idea:
    idea = services.idea_save(actor=alice, idea_id=uuid.uuid4(), slots=SLOTS)
    services.idea_share(actor=alice, idea_id=idea.pk)
    return services.idea_stage(actor=facilitator, idea_id=idea.pk)


def _private(room: dict[int, str]) -> dict[int, list[str]]:
    """What each participant's own group received, by participant."""
    return {
        pk: [message["html"] for message in PushRecorder.drain_channel(channel)]
        for pk, channel in room.items()
    }


def _shared(pushes: PushRecorder) -> dict[Role, str]:
    received = {}
    for role in live.AUDIENCES:
        [message] = pushes.received(role)
        received[role] = message["html"]
    return received


def test_a_mark_redraws_its_authors_view_alone_and_the_rooms_progress(
    staged: Idea,
    yardstick: list[NoteGroup],
    room: dict[int, str],
    alice: Actor,
    bob: Actor,
    workshop: Workshop,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _private(room)  # what the stage sent
    pushes = PushRecorder(workshop.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_set(actor=bob, idea_id=staged.pk, group_id=yardstick[0].pk, value="solves")
    shared = _shared(pushes)
    for role, html in shared.items():
        assert 'id="workspace"' not in html, role
        assert "仕分けの修正履歴" not in html  # the idea is not sent again
    assert "1 人が評価しました" in shared[Role.FACILITATOR]
    assert len(shared[Role.FACILITATOR].encode()) < 1024
    assert 'id="invent-progress"' in shared[Role.PROJECTOR]
    assert shared[Role.PARTICIPANT].count("<div") == 1  # the sequence marker alone
    private = _private(room)
    [bobs] = private.pop(bob.participant.pk)  # type: ignore[union-attr]
    assert 'id="workspace"' in bobs
    assert re.search(r'value="solves"\s+checked', bobs)
    assert all(messages == [] for messages in private.values())


def test_a_vote_is_redrawn_for_its_voter_alone(
    staged: Idea,
    room: dict[int, str],
    bob: Actor,
    facilitator: Actor,
    workshop: Workshop,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from sessions.services.room import step_go

    step_go(actor=facilitator, to="invent-results")
    _private(room)
    pushes = PushRecorder(workshop.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.pick_set(actor=bob, idea_id=staged.pk)
    for html in _shared(pushes).values():
        assert html.count("<div") == 1  # the sequence marker: nobody else's screen changed
    private = _private(room)
    assert [len(messages) for messages in private.values()].count(1) == 1
    [bobs] = private[bob.participant.pk]  # type: ignore[union-attr]
    assert 'id="workspace"' in bobs


def test_sharing_an_idea_redraws_the_authors_view_and_the_room_list_not_everyones_view(
    yardstick: list[NoteGroup],
    room: dict[int, str],
    alice: Actor,
    workshop: Workshop,
    django_capture_on_commit_callbacks: Any,
) -> None:
    pushes = PushRecorder(workshop.pk)
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.idea_save(
            actor=alice, idea_id=uuid.uuid4(), slots={**SLOTS, "capability": "締めを半日に"}
        )
    shared = _shared(pushes)
    # Not shared yet: the console sees one more idea prepared, by whom, and not the idea.
    assert "締めを半日に" not in shared[Role.FACILITATOR]
    assert 'id="invent-progress"' in shared[Role.FACILITATOR]
    assert "有栖 アリス" in shared[Role.FACILITATOR]
    assert 'id="workspace"' not in shared[Role.FACILITATOR]
    private = _private(room)
    assert "締めを半日に" in private.pop(alice.participant.pk)[0]  # type: ignore[union-attr]
    assert all(messages == [] for messages in private.values())

    with django_capture_on_commit_callbacks(execute=True):
        services.idea_share(actor=alice, idea_id=idea.pk)
    shared = _shared(pushes)
    assert "締めを半日に" in shared[Role.FACILITATOR]  # the console's list of shared ideas
    assert "締めを半日に" not in shared[Role.PARTICIPANT]  # not on stage: nothing to show
    private = _private(room)
    assert len(private.pop(alice.participant.pk)) == 1  # type: ignore[union-attr]
    assert all(messages == [] for messages in private.values())


def test_an_answer_to_the_questionnaire_redraws_the_summary_and_no_ones_own_view(
    room: dict[int, str],
    alice: Actor,
    facilitator: Actor,
    workshop: Workshop,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The answerer's form is answered by their own request: no push redraws it (nor anyone
    else's); the console and the projector get the summary."""
    from sessions.services.questionnaire import questionnaire_save
    from sessions.services.room import step_go

    step_go(actor=facilitator, to="next-questionnaire")
    pushes = PushRecorder(workshop.pk)
    with django_capture_on_commit_callbacks(execute=True):
        questionnaire_save(actor=alice, go_straight=False, ratings={"listen": (5, "声が少ない")})
    shared = _shared(pushes)
    for role in (Role.FACILITATOR, Role.PROJECTOR):
        assert 'id="questionnaire-summary"' in shared[role], role
        assert "声が少ない" in shared[role]
    assert shared[Role.PARTICIPANT].count("<div") == 1  # the sequence marker alone
    assert all(messages == [] for messages in _private(room).values())
