"""Joining and presence."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from sessions.access import Role
from sessions.models import Event, Participant, Presence, Workshop
from sessions.selectors.room import participant_rows
from sessions.services import participants as services
from tests.pushes import PushRecorder


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


class TestPresenceFollowsTime:
    """Presence is a deadline: a socket counts while it beat in the last
    PRESENCE_TIMEOUT_SECONDS (~25 s). Times are passed in: nothing sleeps."""

    @pytest.fixture
    def t0(self) -> datetime:
        return timezone.now()

    def test_the_timeout_is_about_25_seconds_and_well_above_a_heartbeat(self) -> None:
        # live.js beats every 10 s (±10 %): two beats may be late or lost before it lapses.
        assert 22 <= settings.PRESENCE_TIMEOUT_SECONDS <= 25

    def test_a_participant_whose_server_died_goes_offline_at_the_next_sweep_after_25_s(
        self,
        workshop: Workshop,
        alice_participant: Participant,
        bob_participant: Participant,
        pushes: PushRecorder,
        t0: datetime,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        services.presence_open(participant=alice_participant, channel_name="dead", now=t0)
        services.presence_open(participant=bob_participant, channel_name="alive", now=t0)
        for later in (10, 20):  # Bob's browser beats; Alice's process died with her socket
            services.presence_heartbeat(
                participant=bob_participant, channel_name="alive", now=t0 + timedelta(seconds=later)
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.presence_sweep(workshop_id=workshop.pk, now=t0 + timedelta(seconds=24))
        assert [row.online for row in participant_rows(workshop)] == [True, True]
        assert pushes.received(Role.FACILITATOR) == []

        # The console's sweep (every ~4 s) after 26 s: within 30 s of the death.
        with django_capture_on_commit_callbacks(execute=True):
            services.presence_sweep(workshop_id=workshop.pk, now=t0 + timedelta(seconds=26))
        assert [row.online for row in participant_rows(workshop)] == [False, True]
        [push] = pushes.received(Role.FACILITATOR)
        assert f'id="participant-{alice_participant.pk}"' in push["html"]
        assert "2 人中 1 人オンライン" in push["html"]
        assert Event.objects.filter(workshop=workshop, kind="presence.offline").count() == 1

    def test_a_heartbeat_keeps_a_participant_online_past_the_timeout(
        self, workshop: Workshop, alice_participant: Participant, t0: datetime
    ) -> None:
        services.presence_open(participant=alice_participant, channel_name="tab", now=t0)
        for later in range(10, 300, 10):
            services.presence_heartbeat(
                participant=alice_participant, channel_name="tab", now=t0 + timedelta(seconds=later)
            )
        assert Presence.objects.get(channel_name="tab").seen_at == t0 + timedelta(seconds=290)
        assert not Event.objects.filter(workshop=workshop, kind="presence.offline").exists()

    def test_a_late_heartbeat_brings_a_lapsed_participant_back_online_with_an_event(
        self, workshop: Workshop, alice_participant: Participant, t0: datetime
    ) -> None:
        """A laptop that slept 40 s: its presence lapsed (not yet swept); its next beat counts
        as coming online again, so that screens that drew it offline meanwhile redraw it."""
        services.presence_open(participant=alice_participant, channel_name="tab", now=t0)
        services.presence_heartbeat(
            participant=alice_participant, channel_name="tab", now=t0 + timedelta(seconds=40)
        )
        kinds = list(
            Event.objects.filter(workshop=workshop, kind__startswith="presence")
            .order_by("seq")
            .values_list("kind", flat=True)
        )
        assert kinds == ["presence.online", "presence.online"]
