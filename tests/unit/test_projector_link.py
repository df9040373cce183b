"""The projector's own link: the laptop on the projector shows the room, read-only, and can
neither download everyone's unrevealed work nor act for the facilitator."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from sessions.models import Workshop
from sessions.rules import steps
from sessions.services.workshops import CreatedWorkshop


def _console_link(facilitator_client: Client, workshop: Workshop, field: str) -> str:
    console = facilitator_client.get(reverse("console", args=[workshop.join_code]))
    found = re.search(rf'id="{field}"[^>]*value="([^"]+)"', console.content.decode())
    assert found, f"the console shows no {field}"
    return html.unescape(found.group(1)).removeprefix("http://testserver")


def test_the_console_offers_the_projector_its_own_link(
    facilitator_client: Client, created: CreatedWorkshop
) -> None:
    workshop = created.workshop
    link = _console_link(facilitator_client, workshop, "projector-url")
    assert created.facilitator_token not in link
    assert link != _console_link(facilitator_client, workshop, "share-url")
    console = facilitator_client.get(reverse("console", args=[workshop.join_code])).content
    # "Open the projector view" opens the projector's link, not the facilitator's.
    opener = re.search(r'<a[^>]*href="([^"]+)"[^>]*>プロジェクター表示を開く', console.decode())
    assert opener and html.unescape(opener.group(1)) == link
    assert "{#" not in console.decode()  # a template comment spilt onto the page


def test_a_projector_laptop_set_up_from_the_console_cannot_download_the_json(
    facilitator_client: Client, workshop: Workshop
) -> None:
    """The issue: the console offered other devices only the facilitator's secret link, so the
    projector laptop held every right, the JSON export with everyone's unrevealed work included."""
    console = facilitator_client.get(reverse("console", args=[workshop.join_code])).content
    offered = re.search(r'id="projector-url"[^>]*value="([^"]+)"', console.decode()) or re.search(
        r'id="share-url"[^>]*value="([^"]+)"', console.decode()
    )
    assert offered
    laptop = Client()
    laptop.get(html.unescape(offered.group(1)).removeprefix("http://testserver"))
    assert laptop.get(reverse("projector", args=[workshop.join_code])).status_code == 200
    export = laptop.get(reverse("document_export", args=[workshop.join_code, "json"]))
    assert export.status_code == 403


@pytest.fixture
def projector_laptop(facilitator_client: Client, workshop: Workshop) -> Client:
    laptop = Client()
    link = _console_link(facilitator_client, workshop, "projector-url")
    opened = laptop.get(link)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("projector", args=[workshop.join_code])
    return laptop


def test_the_projector_link_opens_the_projector_view(
    projector_laptop: Client, workshop: Workshop
) -> None:
    page = projector_laptop.get(reverse("projector", args=[workshop.join_code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert workshop.display_code in text and "facilitate" not in text
    assert f"/ws/rooms/{workshop.join_code}/projector/" in text


@pytest.mark.parametrize("kind", ["json", "md", "evaluation.csv"])
def test_the_projector_link_downloads_nothing(
    projector_laptop: Client, workshop: Workshop, kind: str
) -> None:
    url = reverse("document_export", args=[workshop.join_code, kind])
    assert projector_laptop.get(url).status_code == 403
    assert projector_laptop.get(reverse("document", args=[workshop.join_code])).status_code == 403


def test_the_projector_link_takes_no_facilitator_action(
    projector_laptop: Client, workshop: Workshop
) -> None:
    assert projector_laptop.get(reverse("console", args=[workshop.join_code])).status_code == 403
    for name, data in (
        ("facilitate_step", {"action": "next"}),
        ("facilitate_timer", {"action": "start"}),
        ("joining_set", {"joining": "closed"}),
    ):
        response = projector_laptop.post(reverse(name, args=[workshop.join_code]), data)
        assert response.status_code == 403, name
    workshop = Workshop.objects.get(pk=workshop.pk)
    assert workshop.step_key == steps.FIRST.key and workshop.timer_state == "idle"
    assert workshop.joining_open


def test_opening_the_projector_link_renews_the_session_key(
    facilitator_client: Client, workshop: Workshop
) -> None:
    link = _console_link(facilitator_client, workshop, "projector-url")
    planted = SessionStore()
    planted.create()
    assert planted.session_key is not None
    victim = Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    victim.get(link)
    assert victim.cookies[settings.SESSION_COOKIE_NAME].value != planted.session_key
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    assert attacker.get(reverse("projector", args=[workshop.join_code])).status_code == 403


def test_a_wrong_projector_link_is_a_friendly_404(
    facilitator_client: Client, workshop: Workshop, other_workshop: CreatedWorkshop
) -> None:
    link = _console_link(facilitator_client, workshop, "projector-url")
    other = other_workshop.workshop.join_code
    for wrong in (
        link[:-3] + "xx/",  # a mistyped token
        link.replace(workshop.join_code, other),  # another workshop's code
        link.replace(workshop.join_code, "QRTUVWXY"),  # no workshop's code
    ):
        response = Client().get(wrong)
        assert response.status_code == 404
        assert "ワークショップが見つかりませんでした" in response.content.decode()
