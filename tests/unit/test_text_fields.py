"""Every text field of every form refuses the characters no text of a workshop has a use for:
direction controls (a note ending in U+202E would turn the author's name after it around),
NUL (PostgreSQL cannot store it) and the other control characters. Line breaks and tabs are text
only where a field has several lines. The refusal says which character, in the user's language,
next to the field, and changes nothing."""

from __future__ import annotations

import inspect

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sessions import forms as all_forms
from sessions.access import Actor
from sessions.models import Note, Workshop
from sessions.services.room import step_go
from tests.actions import Cast
from tests.actions.every import ACTIONS

CONTROLS = {
    "right-to-left override": "\u202e",
    "left-to-right override": "\u202d",
    "right-to-left embedding": "\u202b",
    "left-to-right embedding": "\u202a",
    "pop directional formatting": "\u202c",
    "left-to-right isolate": "\u2066",
    "right-to-left isolate": "\u2067",
    "first strong isolate": "\u2068",
    "pop directional isolate": "\u2069",
    "NUL": "\x00",
    "bell (C0)": "\x07",
    "backspace (C0)": "\x08",
    "escape (C0)": "\x1b",
    "unit separator (C0)": "\x1f",
    "delete": "\x7f",
    "next line (C1)": "\x85",
    # Never through HTTP (Django decodes bytes that are not UTF-8 as U+FFFD), but a form is
    # not only fed by HTTP.
    "lone surrogate": "\ud800",
}
# The fields with several lines (a textarea): a line break or a tab is text there.
MULTILINE = {
    ("NoteForm", "text"),
    ("NoteEditForm", "text"),
    ("PersonaForm", "description"),
    ("PlanCellForm", "text"),
    ("EntryForm", "answer"),
    ("EntryEditForm", "answer"),
}


def _text_fields() -> list[tuple[str, str, forms.CharField]]:
    """(form, field, the field) for every text field of every form of sessions/forms.py."""
    found = []
    for name, form_class in inspect.getmembers(all_forms, inspect.isclass):
        if not issubclass(form_class, forms.Form) or form_class.__module__ != all_forms.__name__:
            continue
        for field_name, field in form_class().fields.items():
            # A UUID is read by its own field, which refuses anything but a UUID.
            if isinstance(field, forms.CharField) and not isinstance(field, forms.UUIDField):
                found.append((name, field_name, field))
    return found


TEXT_FIELDS = _text_fields()


def _refusal(field: forms.Field, value: str) -> str:
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(value)
    return " ".join(refused.value.messages)


def test_there_are_text_fields_to_check() -> None:
    names = {(form, field) for form, field, _ in TEXT_FIELDS}
    assert {("NoteForm", "text"), ("JoinForm", "display_name"), ("IdeaForm", "capability")} <= (
        names
    )
    assert names >= MULTILINE


@pytest.mark.parametrize("kind", CONTROLS)
def test_a_note_with_a_control_character_is_refused_saying_which(kind: str) -> None:
    character = CONTROLS[kind]
    with translation.override("en"):
        message = _refusal(all_forms.NoteForm().fields["text"], f"決裁は{character}校長")
    assert f"U+{ord(character):04X}" in message
    assert len(message.split("U+")) == 2  # one message, not Django's second one for NUL


@pytest.mark.parametrize(
    ("form", "field", "text_field"),
    [pytest.param(*found, id=f"{found[0]}.{found[1]}") for found in TEXT_FIELDS],
)
def test_every_text_field_of_every_form_refuses_control_characters(
    form: str, field: str, text_field: forms.CharField
) -> None:
    for character in ("\u202e", "\u2066", "\x00", "\x1b"):
        assert f"U+{ord(character):04X}" in _refusal(text_field, f"ab{character}cd"), character
    multiline = (form, field) in MULTILINE
    for character in ("\n", "\r\n", "\t"):
        value = f"ab{character}cd"
        if multiline:
            assert text_field.clean(value) == value
        else:
            assert "U+" in _refusal(text_field, value)


def test_the_refusal_speaks_the_users_language() -> None:
    field = all_forms.GroupNameForm().fields["name"]
    with translation.override("ja"):
        japanese = _refusal(field, "名前\u202e")
    with translation.override("en"):
        english = _refusal(field, "名前\u202e")
    assert "U+202E" in japanese and "U+202E" in english
    assert japanese != english
    assert "文字" in japanese


def test_a_refused_note_is_explained_next_to_the_field_and_changes_nothing(
    workshop: Workshop, facilitator: Actor, alice: Actor, alice_client: Client
) -> None:
    step_go(actor=facilitator, to="listen-individual")
    seq = Workshop.objects.get(pk=workshop.pk).seq
    response = alice_client.post(
        reverse("note_create", args=[workshop.join_code]),
        {
            "id": "6b1f9a57-3c7e-4c2a-9d8e-0f6f7c1d2e3a",
            "kind": "customer",
            "cell": "organisation-facts",
            "text": "予算は年 300 万円\u202e",
        },
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="field-error"' in page and "U+202E" in page
    assert "予算は年 300 万円" in page  # what was typed is kept, to correct it
    assert not Note.objects.exists()
    assert Workshop.objects.get(pk=workshop.pk).seq == seq


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "without-javascript"])
def test_a_refused_action_says_which_field_and_why(cast: Cast, htmx: bool) -> None:
    """The answer errors.js shows in a toast (or the page without JavaScript): the field's
    label and the reason, in the room's language, not Django's "* name" listing."""
    rename = next(action for action in ACTIONS if action.what == "name-a-group")
    post = rename.arrange(cast)
    before = rename.reads(cast)
    response = cast.browsers["facilitator"].post(
        reverse(rename.url, args=[cast.workshop.join_code, *post.args]),
        {"name": "見えない成績\u202e"},
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "グループ名: 見えない文字の向きの制御文字（U+202E）を取り除いてください。"
        "後に表示される文字の並びを逆にしてしまいます。"
    )
    assert rename.reads(cast) == before


def test_a_refused_note_without_javascript_says_why_instead_of_redirecting(
    workshop: Workshop, facilitator: Actor, alice_client: Client
) -> None:
    step_go(actor=facilitator, to="listen-individual")
    response = alice_client.post(
        reverse("note_create", args=[workshop.join_code]),
        {
            "id": "6b1f9a57-3c7e-4c2a-9d8e-0f6f7c1d2e3a",
            "kind": "customer",
            "cell": "organisation-facts",
            "text": "予算\x00",
        },
    )
    assert response.status_code == 400
    assert "U+0000" in response.content.decode()
    assert not Note.objects.exists()
