"""Every action a room's browser posts, over HTTP: whoever may takes it (htmx answers 204, or the
composer again), the same form without JavaScript redirects back to the room, and anyone else
is refused with 403 and changes nothing. The actions are described in tests/actions/, by area.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from sessions.urls import urlpatterns
from tests.actions import Action, Cast
from tests.actions.every import ACTIONS

# Addresses that are not a room's actions: pages (GET) and the ways in (creating, importing,
# joining), whose forms post without JavaScript anyway (tests/unit/test_views.py, test_document.py).
NOT_ACTIONS = {
    "home",
    "facilitator_link",
    "projector_link",
    "workshop_import",
    "join",
    "join_code",
    "room",
    "console",
    "projector",
    "document",
    "document_pdf",
    "document_export",
}
HTMX = {"HX-Request": "true"}


def _cases(who: Callable[[Action], tuple[str, ...]]) -> list[object]:
    """Each action with each of ``who(action)``, named like ``bob-edit-her-note``."""
    return [
        pytest.param(action, name, id=f"{name}-{action}")
        for action in ACTIONS
        for name in who(action)
    ]


def _url(cast: Cast, action: Action, args: tuple[object, ...]) -> str:
    return reverse(action.url, args=[cast.workshop.join_code, *args])


def test_every_action_of_the_room_is_described() -> None:
    posted = {pattern.name for pattern in urlpatterns} - NOT_ACTIONS
    assert posted == {action.url for action in ACTIONS}


@pytest.mark.parametrize(("action", "who"), _cases(lambda action: action.by))
def test_whoever_may_takes_the_action_over_htmx(cast: Cast, action: Action, who: str) -> None:
    post = action.arrange(cast)
    before, seq = action.reads(cast), cast.seq()
    response = cast.browsers[who].post(_url(cast, action, post.args), post.data, headers=HTMX)
    assert response.status_code == action.answer, response.content.decode()
    assert action.reads(cast) != before
    assert cast.seq() > seq  # recorded: the push that updates every screen follows


@pytest.mark.parametrize(("action", "who"), _cases(lambda action: action.by))
def test_without_javascript_the_action_redirects_back_to_the_room(
    cast: Cast, action: Action, who: str
) -> None:
    post = action.arrange(cast)
    before = action.reads(cast)
    response = cast.browsers[who].post(_url(cast, action, post.args), post.data)
    assert response.status_code == 302, response.content.decode()
    page = "console" if who == "facilitator" else "room"
    assert response["Location"] == reverse(page, args=[cast.workshop.join_code])
    assert action.reads(cast) != before


@pytest.mark.parametrize(("action", "who"), _cases(lambda action: action.refused))
def test_anyone_else_is_refused_and_nothing_changes(cast: Cast, action: Action, who: str) -> None:
    post = action.arrange(cast)
    before, seq = action.reads(cast), cast.seq()
    response = cast.browsers[who].post(_url(cast, action, post.args), post.data, headers=HTMX)
    assert response.status_code == 403
    assert action.reads(cast) == before
    assert cast.seq() == seq
