"""Nothing knocks the room over: joins are rate-limited per address and per workshop, and the
facilitator can close joining once everyone is in."""

from __future__ import annotations

import re
import time
from typing import Any
from uuid import UUID

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from sessions import ratelimit
from sessions.access import Actor, Role
from sessions.models import Participant, Workshop
from sessions.services import participants as participant_services

KEY = UUID("6f1c1d1e-2a4b-4c3d-8e9f-0a1b2c3d4e5f")


def _newcomer(address: str) -> Client:
    """A browser nobody has seen before: a script makes a fresh one for every fake join."""
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="ja")


def _join(browser: Client, workshop: Workshop, name: str) -> int:
    response = browser.post("/join/", {"code": workshop.join_code, "display_name": name})
    return response.status_code


def test_one_address_cannot_fill_the_room(workshop: Workshop, settings) -> None:
    settings.JOINS_PER_ADDRESS_PER_MINUTE = 5
    answers = [_join(_newcomer("198.51.100.7"), workshop, f"偽者{n}") for n in range(60)]
    assert answers[:5] == [302] * 5
    assert set(answers[5:]) == {429}
    assert Participant.objects.count() == 5
    # Real people, from their own addresses, still get a seat.
    assert _join(_newcomer("203.0.113.20"), workshop, "山田 花子") == 302


def test_many_addresses_cannot_fill_the_room_at_once(workshop: Workshop, settings) -> None:
    settings.JOINS_PER_WORKSHOP_PER_MINUTE = 8
    answers = [_join(_newcomer(f"198.51.100.{n}"), workshop, f"偽者{n}") for n in range(12)]
    assert answers == [302] * 8 + [429] * 4
    assert Participant.objects.count() == 8
    refused = _newcomer("203.0.113.20").post(
        "/join/", {"code": workshop.join_code, "display_name": "山田 花子"}
    )
    assert "参加が集中しています" in refused.content.decode()


def test_the_limits_of_one_workshop_leave_another_alone(
    workshop: Workshop, other_workshop, settings
) -> None:
    settings.JOINS_PER_WORKSHOP_PER_MINUTE = 2
    for n in range(3):
        _join(_newcomer(f"198.51.100.{n}"), workshop, f"偽者{n}")
    assert _join(_newcomer("203.0.113.20"), other_workshop.workshop, "山田 花子") == 302


def test_the_facilitator_closes_joining_and_newcomers_are_told_so(
    workshop: Workshop, facilitator: Actor
) -> None:
    participant_services.joining_set(actor=facilitator, open=False)
    page = _newcomer("203.0.113.20").get(reverse("join_code", args=[workshop.join_code]))
    assert "参加を締め切りました" in page.content.decode()
    refused = _newcomer("203.0.113.20").post(
        "/join/", {"code": workshop.join_code, "display_name": "山田 花子"}
    )
    assert refused.status_code == 403
    assert "参加を締め切りました" in refused.content.decode()
    assert not Participant.objects.exists()

    participant_services.joining_set(actor=facilitator, open=True)
    assert _join(_newcomer("203.0.113.20"), workshop, "山田 花子") == 302


def test_the_join_page_says_joining_is_closed_in_the_workshops_language(
    workshop: Workshop, facilitator: Actor
) -> None:
    Workshop.objects.filter(pk=workshop.pk).update(language="en")
    participant_services.joining_set(actor=facilitator, open=False)
    page = _newcomer("203.0.113.20").get(reverse("join_code", args=[workshop.join_code]))
    assert "The facilitator has closed joining" in page.content.decode()
    assert page["Content-Language"] == "en"


def test_a_participant_with_a_seat_comes_back_while_joining_is_closed(
    workshop: Workshop, facilitator: Actor, alice_client: Client
) -> None:
    participant_services.joining_set(actor=facilitator, open=False)
    back = alice_client.get(reverse("join_code", args=[workshop.join_code]))
    assert back["Location"] == reverse("room", args=[workshop.join_code])
    again = alice_client.post("/join/", {"code": workshop.join_code, "display_name": "有栖"})
    assert again["Location"] == reverse("room", args=[workshop.join_code])
    assert alice_client.get(back["Location"]).status_code == 200
    assert Participant.objects.count() == 1


def test_a_join_form_sent_twice_still_joins_once_after_joining_closed(
    workshop: Workshop, facilitator: Actor
) -> None:
    """The retry of a join that went through finds its seat (the same join key)."""
    first = participant_services.participant_join(
        workshop=workshop, display_name="山田 花子", join_key=KEY
    )
    participant_services.joining_set(actor=facilitator, open=False)
    retried = participant_services.participant_join(
        workshop=workshop, display_name="山田 花子", join_key=KEY
    )
    assert retried == first
    with pytest.raises(participant_services.JoiningClosed):
        participant_services.participant_join(workshop=workshop, display_name="坊 ボブ")


@pytest.mark.parametrize("who", ["alice", "projector"])
def test_only_the_facilitator_may_close_joining(who: str, workshop: Workshop, alice: Actor) -> None:
    actor = alice if who == "alice" else Actor(workshop, Role.PROJECTOR)
    with pytest.raises(PermissionDenied):
        participant_services.joining_set(actor=actor, open=False)
    assert Workshop.objects.get(pk=workshop.pk).joining_open


def test_closing_joining_is_pushed_to_every_screen(
    facilitator: Actor, workshop: Workshop, pushes, django_capture_on_commit_callbacks
) -> None:
    seq = workshop.seq
    with django_capture_on_commit_callbacks(execute=True):
        participant_services.joining_set(actor=facilitator, open=False)
    html = {}
    for role in (Role.FACILITATOR, Role.PARTICIPANT, Role.PROJECTOR):
        [message] = pushes.received(role)
        assert message["seq"] == seq + 1
        assert 'id="joining"' in message["html"] and "参加の受付は終了しました" in message["html"]
        html[role] = message["html"]
    # Only the console gets the control to open joining again.
    assert 'id="joining-open"' in html[Role.FACILITATOR]
    assert 'id="joining-open"' not in html[Role.PARTICIPANT] + html[Role.PROJECTOR]
    assert workshop.events.filter(kind="joining.closed").exists()


def test_the_console_has_the_control_and_the_room_shows_the_state(
    facilitator_client: Client, alice_client: Client, workshop: Workshop, facilitator: Actor
) -> None:
    console = facilitator_client.get(reverse("console", args=[workshop.join_code]))
    assert 'id="joining-close"' in console.content.decode()
    participant_services.joining_set(actor=facilitator, open=False)
    console = facilitator_client.get(reverse("console", args=[workshop.join_code]))
    assert 'id="joining-open"' in console.content.decode()
    room = alice_client.get(reverse("room", args=[workshop.join_code])).content.decode()
    assert "参加の受付は終了しました" in room
    assert 'id="joining-open"' not in room


# One person guessing must not lock the office out: wrong codes slow guessing down with short
# lockouts that grow, and the QR code's link (the code read off the room's screen) skips them.

OFFICE = "203.0.113.9"  # one public address for the whole office


def _type_code(code: str, name: str = "山田 花子") -> Any:  # the test client's response
    return _newcomer(OFFICE).post("/join/", {"code": code, "display_name": name})


def _guess_wrong(times: int) -> None:
    for _ in range(times):
        assert _type_code("ACDE-FGHJ", "当てずっぽう").status_code == 404


def test_ten_wrong_codes_do_not_lock_the_office_out(workshop: Workshop) -> None:
    _guess_wrong(10)
    assert _type_code(workshop.join_code).status_code == 302


def test_wrong_codes_beyond_the_allowance_lock_out_briefly_then_longer(
    workshop: Workshop, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.JOIN_WRONG_CODES_ALLOWED = 3
    settings.JOIN_LOCKOUT_SECONDS = 30
    now = time.time()
    monkeypatch.setattr(ratelimit, "_now", lambda: now, raising=False)
    _guess_wrong(4)  # the fourth wrong code locks the address out for 30 s
    locked = _type_code(workshop.join_code)
    assert locked.status_code == 429
    assert locked["Retry-After"] == "30"
    assert "試行が多すぎます" in locked.content.decode()
    neighbour = Client(REMOTE_ADDR="203.0.113.10")
    assert _join(neighbour, workshop, "隣の人") == 302

    now += 31
    _guess_wrong(1)  # the next wrong code locks it out twice as long
    assert _type_code(workshop.join_code)["Retry-After"] == "60"
    now += 61
    assert _type_code(workshop.join_code).status_code == 302


def _participant_link(facilitator_client: Client, workshop: Workshop) -> str:
    """The link the console offers participants (the QR code's), as a path."""
    console = facilitator_client.get(reverse("console", args=[workshop.join_code]))
    found = re.search(r'id="participant-url"[^>]*value="([^"]+)"', console.content.decode())
    assert found, "the console offers no participant link"
    return found.group(1).replace("&amp;", "&").removeprefix("http://testserver")


def test_the_qr_link_joins_while_the_address_is_locked_out(
    workshop: Workshop, facilitator_client: Client
) -> None:
    link = _participant_link(facilitator_client, workshop)
    assert workshop.join_code in link
    _guess_wrong(11)  # the eleventh locks the office out
    assert _type_code(workshop.join_code).status_code == 429
    colleague = _newcomer(OFFICE)
    page = colleague.get(link)
    assert page.status_code == 200
    hidden = re.search(r'name="link" value="([^"]+)"', page.content.decode())
    assert hidden
    joined = colleague.post(
        "/join/",
        {"code": workshop.display_code, "display_name": "佐藤 一郎", "link": hidden.group(1)},
    )
    assert joined.status_code == 302
    assert Participant.objects.get().display_name == "佐藤 一郎"


def test_a_forged_or_borrowed_link_token_skips_nothing(
    workshop: Workshop, other_workshop, facilitator_client: Client
) -> None:
    link = _participant_link(facilitator_client, workshop)
    token = link.split("k=")[1]
    _guess_wrong(11)  # the eleventh locks the office out
    other = other_workshop.workshop.join_code
    for code, forged in ((workshop.join_code, "x" * len(token)), (other, token)):
        refused = _newcomer(OFFICE).post(
            "/join/", {"code": code, "display_name": "偽者", "link": forged}
        )
        assert refused.status_code == 429
    assert not Participant.objects.exists()
