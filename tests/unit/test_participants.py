"""Joining and presence."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from sessions.models import Event, Participant, Presence, Workshop
from sessions.selectors.room import participant_rows
from sessions.services import participants as services


def test_joining_takes_the_next_seat_and_is_an_event(workshop: Workshop) -> None:
    first = services.participant_join(workshop=workshop, display_name="山田 花子")
    second = services.participant_join(workshop=workshop, display_name="佐藤 一郎")
    assert (first.seat, second.seat) == (1, 2)
    assert Event.objects.filter(workshop=workshop, kind="participant.joined").count() == 2


def test_two_people_with_the_same_name_stay_distinguishable(workshop: Workshop) -> None:
    services.participant_join(workshop=workshop, display_name="山田")
    services.participant_join(workshop=workshop, display_name="山田")
    services.participant_join(workshop=workshop, display_name="佐藤")
    assert [row.label for row in participant_rows(workshop)] == ["山田 #1", "山田 #2", "佐藤"]


def test_a_full_workshop_refuses_another_participant(workshop: Workshop) -> None:
    Participant.objects.bulk_create(
        Participant(workshop=workshop, display_name=f"参加者{n}", seat=n)
        for n in range(1, services.MAX_PARTICIPANTS + 1)
    )
    with pytest.raises(services.WorkshopFull):
        services.participant_join(workshop=workshop, display_name="遅刻者")


def test_a_participant_is_online_while_a_socket_is_open(
    workshop: Workshop, alice_participant: Participant
) -> None:
    services.presence_open(participant=alice_participant, channel_name="tab-1")
    services.presence_open(participant=alice_participant, channel_name="tab-2")
    assert [row.online for row in participant_rows(workshop)] == [True]
    services.presence_close(participant=alice_participant, channel_name="tab-1")
    assert [row.online for row in participant_rows(workshop)] == [True]
    services.presence_close(participant=alice_participant, channel_name="tab-2")
    assert [row.online for row in participant_rows(workshop)] == [False]
    kinds = list(
        Event.objects.filter(workshop=workshop, kind__startswith="presence").values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["presence.online", "presence.offline"]  # one each, not one per tab


def test_a_socket_that_stops_beating_goes_offline(
    workshop: Workshop, alice_participant: Participant, bob_participant: Participant
) -> None:
    services.presence_open(participant=alice_participant, channel_name="alice")
    services.presence_open(participant=bob_participant, channel_name="bob")
    Presence.objects.filter(channel_name="alice").update(
        seen_at=timezone.now() - timedelta(minutes=5)
    )
    services.presence_heartbeat(participant=bob_participant, channel_name="bob")
    assert not Presence.objects.filter(channel_name="alice").exists()
    assert [(row.label, row.online) for row in participant_rows(workshop)] == [
        ("有栖 アリス", False),
        ("坊 ボブ", True),
    ]
    assert Event.objects.filter(workshop=workshop, kind="presence.offline").count() == 1


def test_joining_twice_with_the_same_key_makes_one_participant(workshop: Workshop) -> None:
    key = uuid.uuid4()
    first = services.participant_join(workshop=workshop, display_name="山田", join_key=key)
    again = services.participant_join(workshop=workshop, display_name="山田", join_key=key)
    assert first == again
    assert Participant.objects.filter(workshop=workshop).count() == 1
    assert Event.objects.filter(workshop=workshop, kind="participant.joined").count() == 1


def test_the_consoles_heartbeat_also_sends_a_vanished_participant_offline(
    workshop: Workshop, alice_participant: Participant
) -> None:
    services.presence_open(participant=alice_participant, channel_name="alice")
    Presence.objects.update(seen_at=timezone.now() - timedelta(minutes=5))
    services.presence_sweep(workshop_id=workshop.pk)
    assert [row.online for row in participant_rows(workshop)] == [False]
    assert Event.objects.filter(workshop=workshop, kind="presence.offline").count() == 1
