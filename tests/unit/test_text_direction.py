"""User text is isolated for direction wherever it is shown: a note, a name or any other text
ending in a right-to-left override (U+202E) turns only itself around, never the author's name or
the words shown after it. Every text a person typed is rendered inside a ``<bdi>`` (or an element
of an isolating class), on the console, the projector, a participant's screen and the document;
the Markdown export drops the direction controls."""

from __future__ import annotations

import re

import pytest
from django.db.models import F, Model, Q, Value
from django.db.models.functions import Concat
from django.test import Client
from django.urls import reverse

from sessions.access import Actor, Role, remember_participant
from sessions.models import (
    Idea,
    Invent,
    Note,
    NoteGroup,
    Participant,
    Persona,
    PlanCell,
    ProposalEntry,
    QuestionnaireAnswer,
    SummarySlot,
    Workshop,
)
from sessions.services.room import step_go
from tests.documents import facilitating

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: everything after it, to the paragraph's end, reversed
# Every text of a workshop that a person typed.
USER_TEXT: dict[type[Model], tuple[str, ...]] = {
    Workshop: ("title", "team_name"),
    Participant: ("display_name",),
    Persona: ("name", "description"),
    NoteGroup: ("name",),
    Note: ("text", "influence", "situation"),
    Idea: ("customer", "situation", "capability", "customer_metric", "business_metric", "data"),
    Invent: ("reason",),
    PlanCell: ("text",),
    SummarySlot: ("text",),
    ProposalEntry: ("text", "answer"),
}
# Where an override is harmless: inside an isolating element, or a form control's own value.
ISOLATED = re.compile(
    r"<bdi>.*?</bdi>"
    r"|<textarea[^>]*>.*?</textarea>"
    r'|\svalue="[^"]*"'
    # What an editor starts from (notes.js puts it in the field): an attribute, never shown.
    r'|\sdata-(?:text|influence|situation)="[^"]*"',
    re.DOTALL,
)
# The steps whose screens show what the team wrote.
STEPS = (
    "listen-persona",
    "listen-group",
    "define-grouping",
    "invent-share",
    "invent-results",
    "refine-merge",
    "test-plan",
    "next-questionnaire",
)


def _hostile(workshop: Workshop) -> None:
    """Every text of the workshop ends in a right-to-left override (as a file imported before
    the forms refused them, or a row written by hand, could)."""
    for model, names in USER_TEXT.items():
        rows = model.objects.filter(  # type: ignore[attr-defined]
            Q(pk=workshop.pk) if model is Workshop else _of(model, workshop)
        )
        for name in names:
            rows.exclude(**{name: ""}).update(**{name: Concat(F(name), Value(RLO))})
    for answer in QuestionnaireAnswer.objects.filter(participant__workshop=workshop):
        for rating in answer.ratings.values():
            if rating.get("comment"):
                rating["comment"] += RLO
        answer.save()
    # The facilitator's reason is shown only when the facilitator chose the winner.
    Invent.objects.filter(workshop=workshop).update(decided_by="override", reason="理由" + RLO)


def _of(model: type[Model], workshop: Workshop) -> Q:
    if model in (Note, NoteGroup):
        return Q(board__workshop=workshop)
    return Q(workshop=workshop)


def _unisolated(html: str) -> list[str]:
    """Each override left outside an isolating element, with what surrounds it."""
    rest = ISOLATED.sub("", html)
    return [rest[max(0, at - 60) : at + 30] for at in range(len(rest)) if rest[at] == RLO]


def _participant_browser(workshop: Workshop) -> Client:
    client = Client()
    session = client.session
    remember_participant(session, Participant.objects.filter(workshop=workshop).earliest("pk"))
    session.save()
    return client


@pytest.fixture
def hostile(demo: Workshop) -> Workshop:
    _hostile(demo)
    return Workshop.objects.get(pk=demo.pk)


@pytest.mark.parametrize("step", STEPS)
def test_every_user_text_on_every_screen_is_isolated(hostile: Workshop, step: str) -> None:
    step_go(actor=Actor(hostile, Role.FACILITATOR), to=step)
    code = hostile.join_code
    facilitator = facilitating(hostile)
    screens = {
        "console": facilitator.get(reverse("console", args=[code])),
        "projector": facilitator.get(reverse("projector", args=[code])),
        "participant": _participant_browser(hostile).get(reverse("room", args=[code])),
    }
    for name, response in screens.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert RLO in html, name  # the hostile texts are on the screen …
        assert _unisolated(html) == [], name  # … each inside its own isolate


def test_the_editors_isolate_the_text_they_show(hostile: Workshop) -> None:
    step_go(actor=Actor(hostile, Role.FACILITATOR), to="refine-merge")
    facilitator = facilitating(hostile)
    entry = ProposalEntry.objects.filter(workshop=hostile).first()
    assert entry is not None
    for url in (
        reverse("refine_slot", args=[hostile.join_code, "capability"]),
        reverse("refine_entry", args=[hostile.join_code, entry.pk]),
    ):
        html = facilitator.get(url).content.decode()
        assert RLO in html
        assert _unisolated(html) == [], url


def test_the_document_isolates_every_user_text(hostile: Workshop) -> None:
    response = facilitating(hostile).get(reverse("document", args=[hostile.join_code]))
    html = response.content.decode()
    assert RLO in html
    assert _unisolated(html) == []


def test_a_note_its_author_and_an_idea_are_each_in_their_own_isolate(hostile: Workshop) -> None:
    step_go(actor=Actor(hostile, Role.FACILITATOR), to="define-grouping")
    note = Note.objects.filter(board__workshop=hostile, board__kind="customer_problems").first()
    assert note is not None
    author = note.author.display_name
    html = facilitating(hostile).get(reverse("console", args=[hostile.join_code])).content
    page = html.decode()
    # The problem, its situation and its impact, each isolated inside the sentence; the author
    # (and the participants list) too.
    for part in (note.text, note.situation, note.influence, author):
        assert f"<bdi>{part}</bdi>" in page, part
    step_go(actor=Actor(hostile, Role.FACILITATOR), to="invent-share")
    idea = Idea.objects.filter(workshop=hostile).exclude(shared_at=None).first()
    assert idea is not None
    page = facilitating(hostile).get(reverse("console", args=[hostile.join_code])).content.decode()
    assert f"<bdi>{idea.capability}</bdi>" in page
    step_go(actor=Actor(hostile, Role.FACILITATOR), to="refine-merge")
    entry = ProposalEntry.objects.filter(workshop=hostile).first()
    assert entry is not None
    page = facilitating(hostile).get(reverse("console", args=[hostile.join_code])).content.decode()
    assert f"<bdi>{entry.text}</bdi>" in page


def test_the_markdown_drops_direction_controls(hostile: Workshop) -> None:
    response = facilitating(hostile).get(reverse("document_export", args=[hostile.join_code, "md"]))
    text = response.content.decode()
    assert response.status_code == 200
    assert RLO not in text
    assert hostile.title.removesuffix(RLO) in text


def test_the_join_page_isolates_the_workshops_title_and_team(hostile: Workshop) -> None:
    page = Client().get(reverse("join_code", args=[hostile.join_code]))
    html = page.content.decode()
    assert RLO in html and _unisolated(html) == []
