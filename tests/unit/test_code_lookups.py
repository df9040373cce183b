"""Guessing codes through the room's addresses: a stranger gets the same answer whether a code
names a workshop or not, and a stranger's lookups by code are rate-limited per address, like
joins. Browsers that belong to the workshop are never slowed down."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sessions.models import Workshop

UNKNOWN = "QRTUVWXY"  # a code no workshop has (one chance in 25**8 of meeting the fixture's)

# Addresses that take a code: the three room views, the document, and actions of either role.
PAGES = (
    ("room", "get", ()),
    ("console", "get", ()),
    ("projector", "get", ()),
    ("document", "get", ()),
    ("document_export", "get", ("json",)),
    ("facilitate_step", "post", ()),
    ("note_create", "post", ()),
)


def _ask(browser: Client, name: str, method: str, code: str, args: tuple[str, ...]) -> Any:
    url = reverse(name, args=[code, *args])
    if method == "post":
        return browser.post(url, {"action": "next"})
    return browser.get(url)


def _as_seen(response: Any, code: str) -> tuple[int, str, str]:
    """What a response tells its reader, with the code asked for and CSRF tokens blanked."""
    body = response.content.decode()
    body = re.sub(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"', "", body)
    return (
        response.status_code,
        response.get("Location", "").replace(code, "CODE"),
        body.replace(code, "CODE"),
    )


@pytest.mark.parametrize(("name", "method", "args"), PAGES, ids=[page[0] for page in PAGES])
def test_a_stranger_cannot_tell_a_live_code_from_an_unknown_one(
    workshop: Workshop, name: str, method: str, args: tuple[str, ...]
) -> None:
    stranger = Client(REMOTE_ADDR="198.51.100.7")
    live = _ask(stranger, name, method, workshop.join_code, args)
    unknown = _ask(stranger, name, method, UNKNOWN, args)
    assert _as_seen(live, workshop.join_code) == _as_seen(unknown, UNKNOWN)
    assert live.status_code in (302, 403)


def test_a_stranger_asking_by_code_is_slowed_down(workshop: Workshop, settings) -> None:
    settings.JOIN_ATTEMPTS_PER_MINUTE = 5
    stranger = Client(REMOTE_ADDR="198.51.100.7")
    guesses = [f"QRTUVW{a}{b}" for a in "XY" for b in "XY"] * 2
    answers = [stranger.get(reverse("room", args=[guess])).status_code for guess in guesses]
    assert answers == [302] * 5 + [429] * 3
    slowed = stranger.get(reverse("console", args=[workshop.join_code]))
    assert slowed.status_code == 429
    assert "試行が多すぎます" in slowed.content.decode()
    neighbour = Client(REMOTE_ADDR="198.51.100.8")
    assert neighbour.get(reverse("room", args=[workshop.join_code])).status_code == 302


def test_a_locked_out_address_learns_nothing_from_the_join_page(workshop: Workshop) -> None:
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(11):  # the eleventh wrong code locks the address out
        guesser.post("/join/", {"code": UNKNOWN, "display_name": "当てずっぽう"})
    live = guesser.get(reverse("join_code", args=[workshop.join_code]))
    unknown = guesser.get(reverse("join_code", args=[UNKNOWN]))
    assert live.status_code == unknown.status_code == 429
    assert workshop.title not in live.content.decode()
    for name in ("room", "projector"):
        assert _ask(guesser, name, "get", workshop.join_code, ()).status_code == 429


def test_browsers_in_the_workshop_are_never_slowed_down(
    workshop: Workshop, alice_client: Client, facilitator_client: Client, settings
) -> None:
    settings.JOIN_ATTEMPTS_PER_MINUTE = 2
    for _ in range(5):
        assert alice_client.get(reverse("room", args=[workshop.join_code])).status_code == 200
        console = facilitator_client.get(reverse("console", args=[workshop.join_code]))
        assert console.status_code == 200
        back = alice_client.get(reverse("join_code", args=[workshop.join_code]))
        assert back.status_code == 302
