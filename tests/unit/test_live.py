"""Pushes: rendered once per audience after commit, each carrying the sequence number."""

from __future__ import annotations

import uuid

from sessions.access import Actor, Role
from sessions.models import Workshop
from sessions.services.boards import note_create
from sessions.services.room import TimerAction, step_go, timer_control

CELL = "organisation-facts"


def test_nothing_is_pushed_before_the_commit(facilitator: Actor, pushes) -> None:
    step_go(actor=facilitator, delta=1)  # the test transaction never commits
    assert pushes.received(Role.PARTICIPANT) == []


def test_a_step_change_reaches_every_audience_with_its_sequence_number(
    facilitator: Actor,
    workshop: Workshop,
    pushes,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        step_go(actor=facilitator, delta=1)
    seq = Workshop.objects.get(pk=workshop.pk).seq
    for role in (Role.FACILITATOR, Role.PARTICIPANT, Role.PROJECTOR):
        [message] = pushes.received(role)
        assert message["seq"] == seq
        assert message["html"].startswith(f'<div id="live-seq" data-seq="{seq}"')
        assert 'id="step"' in message["html"] and 'hx-swap-oob="true"' in message["html"]
        assert "顧客は誰か" in message["html"] or "Who is the customer" in message["html"]


def test_only_the_facilitators_push_carries_the_controls(
    facilitator: Actor,
    pushes,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        timer_control(actor=facilitator, action=TimerAction.START)
    [for_facilitator] = pushes.received(Role.FACILITATOR)
    [for_participants] = pushes.received(Role.PARTICIPANT)
    [for_projector] = pushes.received(Role.PROJECTOR)
    assert 'id="timer-pause"' in for_facilitator["html"]
    assert "facilitate" not in for_participants["html"]
    assert "facilitate" not in for_projector["html"]


def test_pushes_are_in_the_workshops_language(
    facilitator: Actor,
    workshop: Workshop,
    pushes,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        step_go(actor=facilitator, delta=1)
    [message] = pushes.received(Role.PARTICIPANT)
    assert "顧客は誰か" in message["html"]
    Workshop.objects.filter(pk=workshop.pk).update(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        step_go(actor=facilitator, delta=1)
    [message] = pushes.received(Role.PARTICIPANT)
    assert "What do we know about the customer?" in message["html"]


def test_a_step_into_private_work_sends_no_counts_a_screen_has_nowhere_to_put(
    facilitator: Actor,
    alice: Actor,
    pushes,
    django_capture_on_commit_callbacks,
) -> None:
    """Each participant's own workspace (a private board, its counts in it) follows on their
    private group; counts sent to the shared group ahead of it found no element on a screen
    still showing the previous step (htmx:oobErrorNoTarget in the console)."""
    step_go(actor=facilitator, to="listen-persona")
    with django_capture_on_commit_callbacks(execute=True):
        step_go(actor=facilitator, to="listen-individual")
    [message] = pushes.received(Role.PARTICIPANT)
    assert 'id="step"' in message["html"]
    assert "note-counts" not in message["html"]
    # A note written meanwhile changes the counts: those reach everyone.
    with django_capture_on_commit_callbacks(execute=True):
        note_create(actor=alice, note_id=uuid.uuid4(), kind="customer", text="予算", cell=CELL)
    [message] = pushes.received(Role.PARTICIPANT)
    assert 'id="note-counts-customer"' in message["html"]
