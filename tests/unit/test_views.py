"""The HTTP side: create, join, the three room views, and the facilitator's actions."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from sessions.models import Participant, Workshop
from sessions.rules import steps
from sessions.services.workshops import CreatedWorkshop


def _reload(workshop: Workshop) -> Workshop:
    return Workshop.objects.get(pk=workshop.pk)


def test_creating_a_workshop_lands_on_the_facilitator_console(db: None) -> None:
    client = Client()
    response = client.post(
        "/", {"title": "AI機能企画", "team_name": "学習アプリチーム", "language": "ja"}
    )
    assert response.status_code == 302
    link = response["Location"]
    assert re.fullmatch(r"/f/[\w-]{43}/", link)
    workshop = Workshop.objects.get()
    console = client.get(link, follow=True)
    assert console.redirect_chain[-1][0] == reverse("console", args=[workshop.join_code])
    page = console.content.decode()
    assert "AI機能企画" in page and workshop.display_code in page
    assert "http://testserver" + link in page  # the link to share control
    assert 'id="step-next"' in page


def test_the_secret_link_works_on_another_device(created: CreatedWorkshop) -> None:
    projector_laptop = Client()
    link = reverse("facilitator_link", args=[created.facilitator_token])
    response = projector_laptop.get(link, follow=True)
    assert response.status_code == 200
    assert (
        projector_laptop.get(reverse("projector", args=[created.workshop.join_code])).status_code
        == 200
    )


def test_a_wrong_secret_link_is_a_friendly_404(db: None) -> None:
    response = Client().get("/f/not-a-token/")
    assert response.status_code == 404
    assert "ワークショップが見つかりませんでした" in response.content.decode()


def test_creating_with_empty_fields_says_what_is_missing(db: None) -> None:
    response = Client().post("/", {"title": "", "team_name": "x" * 500, "language": "ja"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="field-error"') == 2
    assert not Workshop.objects.exists()


def test_joining_with_the_code_lands_in_the_room(workshop: Workshop) -> None:
    client = Client()
    typed = workshop.display_code.lower()  # case and the dash do not matter
    response = client.post("/join/", {"code": typed, "display_name": "山田 花子"})
    assert response.status_code == 302
    assert response["Location"] == reverse("room", args=[workshop.join_code])
    page = client.get(response["Location"]).content.decode()
    assert "山田 花子" in page and "ようこそ" in page
    assert Participant.objects.get().display_name == "山田 花子"


def test_coming_back_from_the_same_browser_restores_who_you_were(workshop: Workshop) -> None:
    client = Client()
    client.post("/join/", {"code": workshop.join_code, "display_name": "山田 花子"})
    again = client.get(reverse("join_code", args=[workshop.join_code]))
    assert again.status_code == 302
    client.post("/join/", {"code": workshop.join_code, "display_name": "別名"})
    assert Participant.objects.count() == 1


def _planted_session(victim: Client) -> str:
    """A session key of the attacker's own, planted as the victim browser's cookie."""
    session = SessionStore()
    session.create()
    assert session.session_key is not None
    victim.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return session.session_key


def _browser_holding(session_key: str) -> Client:
    browser = Client()
    browser.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return browser


def test_joining_renews_the_session_key_so_a_planted_cookie_gains_nothing(
    workshop: Workshop,
) -> None:
    victim = Client()
    planted = _planted_session(victim)
    victim.post("/join/", {"code": workshop.join_code, "display_name": "山田 花子"})
    assert victim.cookies[settings.SESSION_COOKIE_NAME].value != planted
    room = reverse("room", args=[workshop.join_code])
    assert victim.get(room).status_code == 200
    attacker = _browser_holding(planted)
    assert attacker.get(room)["Location"] == reverse("join_code", args=[workshop.join_code])


def test_opening_the_secret_link_renews_the_session_key_so_a_planted_cookie_gains_nothing(
    created: CreatedWorkshop,
) -> None:
    victim = Client()
    planted = _planted_session(victim)
    victim.get(reverse("facilitator_link", args=[created.facilitator_token]))
    assert victim.cookies[settings.SESSION_COOKIE_NAME].value != planted
    console = reverse("console", args=[created.workshop.join_code])
    assert victim.get(console).status_code == 200
    attacker = _browser_holding(planted)
    assert attacker.get(console).status_code == 403
    step = reverse("facilitate_step", args=[created.workshop.join_code])
    assert attacker.post(step, {"action": "next"}).status_code == 403


def test_a_participant_who_opens_the_secret_link_stays_a_participant(
    created: CreatedWorkshop,
) -> None:
    browser = Client()
    browser.post("/join/", {"code": created.workshop.join_code, "display_name": "山田 花子"})
    browser.get(reverse("facilitator_link", args=[created.facilitator_token]))
    # The key is new; what the session knew is kept.
    assert browser.get(reverse("room", args=[created.workshop.join_code])).status_code == 200


def test_the_qr_code_link_prefills_the_code(workshop: Workshop) -> None:
    page = Client().get(reverse("join_code", args=[workshop.join_code])).content.decode()
    assert f'value="{workshop.display_code}"' in page
    assert workshop.title in page


def test_a_wrong_code_gets_a_friendly_message(db: None) -> None:
    response = Client().post("/join/", {"code": "ACDE-FGHJ", "display_name": "山田"})
    assert response.status_code == 404
    assert "このコードのワークショップは見つかりません" in response.content.decode()


def test_a_malformed_code_or_empty_name_is_explained_next_to_the_field(db: None) -> None:
    response = Client().post("/join/", {"code": "AB", "display_name": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "英数字 8 文字" in page
    assert page.count('class="field-error"') == 2


def test_join_attempts_are_rate_limited_per_address(workshop: Workshop, settings) -> None:
    settings.JOIN_WRONG_CODES_ALLOWED = 3
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(4):
        assert guesser.post("/join/", {"code": "ACDEFGHJ", "display_name": "x"}).status_code == 404
    blocked = guesser.post("/join/", {"code": workshop.join_code, "display_name": "x"})
    assert blocked.status_code == 429
    assert "試行が多すぎます" in blocked.content.decode()
    assert not Participant.objects.exists()
    neighbour = Client(REMOTE_ADDR="203.0.113.10")
    assert (
        neighbour.post("/join/", {"code": workshop.join_code, "display_name": "y"}).status_code
        == 302
    )


def test_a_room_without_joining_sends_you_to_join(workshop: Workshop) -> None:
    response = Client().get(reverse("room", args=[workshop.join_code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("join_code", args=[workshop.join_code])


def test_an_unknown_room_sends_you_to_join_like_any_room_you_are_not_in(db: None) -> None:
    """The same answer as for a live code (tests/unit/test_code_lookups.py); the join page,
    which counts wrong codes, says the code is unknown."""
    response = Client().get(reverse("room", args=["ACDEFGHJ"]), follow=True)
    assert response.redirect_chain == [(reverse("join_code", args=["ACDEFGHJ"]), 302)]
    assert "このコードのワークショップは見つかりません" in response.content.decode()


def test_the_participant_room_shows_the_step_and_no_controls(
    alice_client: Client, workshop: Workshop
) -> None:
    page = alice_client.get(reverse("room", args=[workshop.join_code])).content.decode()
    assert "ようこそ：お手元の PC から参加してください" in page
    assert 'id="timer"' in page and 'id="participants"' in page
    assert "facilitate" not in page
    assert f"/ws/rooms/{workshop.join_code}/participant/" in page


@pytest.mark.parametrize("name", ["console", "projector"])
def test_participants_cannot_open_the_facilitator_views(
    name: str, alice_client: Client, workshop: Workshop
) -> None:
    response = alice_client.get(reverse(name, args=[workshop.join_code]))
    assert response.status_code == 403
    assert "進行役だけが開けるページです" in response.content.decode()


def test_the_projector_is_read_only_and_shows_the_join_code(
    facilitator_client: Client, workshop: Workshop
) -> None:
    page = facilitator_client.get(reverse("projector", args=[workshop.join_code])).content.decode()
    assert workshop.display_code in page and "<svg" in page
    assert "facilitate/step" not in page


def test_the_facilitator_advances_the_step(facilitator_client: Client, workshop: Workshop) -> None:
    url = reverse("facilitate_step", args=[workshop.join_code])
    response = facilitator_client.post(url, {"action": "next"}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert _reload(workshop).step_key == steps.DAY1[1].key
    # Without JavaScript, the form still works by a full page reload.
    response = facilitator_client.post(url, {"action": "goto", "step": "define-grouping"})
    assert response.status_code == 302
    assert _reload(workshop).step_key == "define-grouping"


def test_the_facilitator_runs_the_timer(facilitator_client: Client, workshop: Workshop) -> None:
    url = reverse("facilitate_timer", args=[workshop.join_code])
    assert facilitator_client.post(url, {"action": "start"}).status_code == 302
    assert _reload(workshop).timer_state == "running"
    assert facilitator_client.post(url, {"action": "resume"}).status_code == 409
    assert facilitator_client.post(url, {"action": "explode"}).status_code == 400


@pytest.mark.parametrize("path", ["facilitate_step", "facilitate_timer"])
def test_participants_and_strangers_get_403_for_facilitator_actions(
    path: str, alice_client: Client, outsider_client: Client, workshop: Workshop
) -> None:
    url = reverse(path, args=[workshop.join_code])
    data = {"action": "next"} if path == "facilitate_step" else {"action": "start"}
    assert alice_client.post(url, data).status_code == 403
    assert outsider_client.post(url, data).status_code == 403
    workshop = _reload(workshop)
    assert workshop.step_key == steps.FIRST.key and workshop.timer_state == "idle"


def test_a_facilitator_of_another_workshop_gets_403(
    facilitator_client: Client, other_workshop: CreatedWorkshop
) -> None:
    url = reverse("facilitate_step", args=[other_workshop.workshop.join_code])
    assert facilitator_client.post(url, {"action": "next"}).status_code == 403


def test_facilitator_actions_need_the_csrf_token(created: CreatedWorkshop) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("facilitator_link", args=[created.facilitator_token]))
    url = reverse("facilitate_step", args=[created.workshop.join_code])
    assert client.post(url, {"action": "next"}).status_code == 403
    assert _reload(created.workshop).step_key == steps.FIRST.key


def test_the_room_view_reads_in_a_fixed_number_of_queries(
    workshop: Workshop,
    django_assert_max_num_queries,
) -> None:
    clients = []
    for n in range(12):
        client = Client()
        client.post("/join/", {"code": workshop.join_code, "display_name": f"参加者{n}"})
        clients.append(client)
    with django_assert_max_num_queries(6):
        response = clients[0].get(reverse("room", args=[workshop.join_code]))
    assert response.status_code == 200
    assert response.content.decode().count('class="person ') == 12


def test_pages_follow_the_workshops_language(alice_client: Client, workshop: Workshop) -> None:
    Workshop.objects.filter(pk=workshop.pk).update(language="en")
    page = alice_client.get(reverse("room", args=[workshop.join_code])).content.decode()
    assert "Welcome: join from your laptop" in page
    assert '<html lang="en">' in page


def test_a_double_click_on_next_advances_one_step(
    facilitator_client: Client, workshop: Workshop
) -> None:
    url = reverse("facilitate_step", args=[workshop.join_code])
    click = {"action": "next", "seen": steps.FIRST.key}
    facilitator_client.post(url, click, headers={"HX-Request": "true"})
    response = facilitator_client.post(url, click, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert _reload(workshop).step_key == steps.DAY1[1].key


def test_a_join_form_sent_twice_from_two_tabs_joins_once(workshop: Workshop) -> None:
    page = Client().get(reverse("join_code", args=[workshop.join_code])).content.decode()
    key = re.search(r'name="join_key" value="([0-9a-f-]{36})"', page)
    assert key is not None
    form = {"code": workshop.join_code, "display_name": "山田 花子", "join_key": key.group(1)}
    first, second = Client(), Client()  # the session cookie of the first never reached the second
    assert first.post("/join/", form).status_code == 302
    assert second.post("/join/", form).status_code == 302
    assert Participant.objects.count() == 1


def test_a_facilitator_who_also_joined_writes_notes_as_the_participant(
    facilitator_client: Client, workshop: Workshop
) -> None:
    from sessions.models import Note

    facilitator_client.post("/join/", {"code": workshop.join_code, "display_name": "進行役の花子"})
    facilitator_client.post(
        reverse("facilitate_step", args=[workshop.join_code]),
        {"action": "goto", "step": "listen-individual"},
    )
    response = facilitator_client.post(
        reverse("note_create", args=[workshop.join_code]),
        {
            "id": "6f1b1c9e-4d6a-4b59-9d0e-2a3c4b5d6e7f",
            "kind": "customer",
            "cell": "customer-facts",
            "text": "予算は年 300 万円",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert Note.objects.get().author.display_name == "進行役の花子"
