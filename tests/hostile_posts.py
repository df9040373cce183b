"""Hostile text posted to every action of the room (tests/actions/): the answer is never a 500,
a refusal changes nothing in the database and says why, and what is accepted never stores a
character the forms refuse (rules/text.py).

The property runs twice: on SQLite in the unit tier (tests/unit/test_hostile_posts.py) and on
PostgreSQL in scripts/test.sh's PostgreSQL run (tests/integration/test_hostile_posts.py), where
NUL and out-of-range numbers fail differently.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.conf import settings as settings_module
from django.core import serializers
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from sessions.rules.text import refused
from tests.actions import Action, Cast

# Modest: every action is its own test (some 250 posts in all), and the unit tier stays fast.
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE = (
    "\x00",
    "予算\x00",
    "\ud800",  # a lone surrogate: sent as the bytes ED A0 80, which are not UTF-8
    "a\udfffb",
    "x" * 10_000,
    "予" * 10_000,
    "\u202e",
    "Mallory\u202e",
    "\u202dabc\u202c",
    "\u2066x\u2069",
    "\x1b[31mred",
    "\x07",
    "\x7f",
    "\x85",
    "line\nbreak",
    "tab\there",
    "\r\n",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ secret }}{% debug %}",
    "%(code)s %s {0}",
    "'; DROP TABLE sessions; --",
    "😀",
    "👨‍👩‍👧‍👦",
    "𠮷野家",
    "\ufeff\u200b",
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "00000000-0000-0000-0000-000000000000",
    "new",
    "out",
    "on",
)
HOSTILE_TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=3).map("".join),
    st.text(max_size=40),
)
# Fields a view's form reads that the described post leaves out.
UNPOSTED = {
    "note_create": ("influence", "situation", "is_assumption"),
    "note_update": ("is_assumption",),
    "persona_update": ("description",),
    "note_move": ("onto",),
    "refine_entry_add": ("red",),
    "refine_entry_move": ("after",),
    "questionnaire_save": ("listen_comment", "test_rating", "refine_comment"),
    "refine_reading": ("seen",),
    "facilitate_step": ("step", "seen"),
}
HTMX = {"HX-Request": "true"}


def _body(form: dict[str, str]) -> str:
    """Form-encoded as a browser would, except that a lone surrogate goes as its raw bytes
    (not UTF-8 at all), as a client that is not a browser can send it."""
    return "&".join(
        f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in form.items()
    )


def _database() -> list[dict[str, Any]]:
    """Every row of the app's tables."""
    rows: list[dict[str, Any]] = []
    for model in apps.get_app_config("workshop_sessions").get_models():
        rows += serializers.serialize("python", model._default_manager.order_by("pk"))
    return rows


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def _refusal(response: Any) -> bool:
    if response.status_code in (400, 403, 404, 409):
        return True
    return response.status_code == 200 and 'role="alert"' in response.content.decode()


def post_hostile_text(cast: Cast, action: Action, data: st.DataObject) -> None:
    """Arrange the action's state, post its form with hostile values in some fields, and check
    the answer; the database is rolled back after each example."""
    with transaction.atomic():
        post = action.arrange(cast)
        form = dict(post.data)
        # An action without fields gets one it does not expect: it must ignore it.
        names = sorted({*form, *UNPOSTED.get(action.url, ())}) or ["text"]
        for name in data.draw(st.sets(st.sampled_from(names), min_size=1), label="fields"):
            form[name] = data.draw(HOSTILE_TEXT, label=name)
        who = action.by[0]
        htmx = data.draw(st.booleans(), label="htmx")
        before, seq = _database(), cast.seq()
        response = cast.browsers[who].post(
            reverse(action.url, args=[cast.workshop.join_code, *post.args]),
            _body(form),
            content_type="application/x-www-form-urlencoded",
            headers=HTMX if htmx else {},
        )
        answer = response.content.decode()
        assert response.status_code < 500, answer
        if _refusal(response):
            assert answer.strip(), f"a refusal ({response.status_code}) that says nothing"
        if _refusal(response) or cast.seq() == seq:
            # Refused, or a click that no longer applies (a stale "next section"): nothing
            # else changed either.
            assert _database() == before
        for text in _strings(_database()):
            assert not any(refused(character, multiline=True) for character in text), text
        transaction.set_rollback(True)


def a_session_cookie_holding_nul_is_no_session(cast: Cast) -> None:
    """A session cookie sent as "…\\000…" (an escape Django's cookie parser decodes to NUL) is
    no session at all: the room asks to join, an action is refused; PostgreSQL cannot even be
    asked for such a key."""
    code = cast.workshop.join_code
    browser = Client()
    browser.cookies[settings_module.SESSION_COOKIE_NAME] = "abcdefghij\x00klmnopqrstuvwxyz0123"
    assert browser.get(reverse("room", args=[code])).status_code == 302  # to the join page
    refused_post = browser.post(reverse("note_create", args=[code]), {"text": "予算"}, headers=HTMX)
    assert refused_post.status_code == 403
