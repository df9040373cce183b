"""The facilitator's controls: steps and the shared timer, each with its refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sessions.access import Actor, Role
from sessions.models import Event, TimerState, Workshop
from sessions.rules import steps
from sessions.services.room import InvalidAction, TimerAction, step_go, timer_control


def _reload(workshop: Workshop) -> Workshop:
    return Workshop.objects.get(pk=workshop.pk)


def test_the_facilitator_moves_forward_and_back(facilitator: Actor, workshop: Workshop) -> None:
    step_go(actor=facilitator, delta=1)
    assert _reload(workshop).step_key == steps.DAY1[1].key
    step_go(actor=facilitator, delta=1)
    step_go(actor=facilitator, delta=-1)
    assert _reload(workshop).step_key == steps.DAY1[1].key


def test_the_facilitator_jumps_to_a_step(facilitator: Actor, workshop: Workshop) -> None:
    step_go(actor=facilitator, to="invent-share")
    assert _reload(workshop).step.key == "invent-share"


def test_a_step_change_resets_the_timer_to_the_new_steps_box(
    facilitator: Actor, workshop: Workshop
) -> None:
    timer_control(actor=facilitator, action=TimerAction.START)
    step_go(actor=facilitator, to="define-grouping")
    workshop = _reload(workshop)
    assert workshop.timer_state == TimerState.IDLE
    assert workshop.timer_remaining_ms == 20 * 60 * 1000


@pytest.mark.parametrize("who", ["alice", "projector"])
def test_only_the_facilitator_changes_the_step(
    who: str, request: pytest.FixtureRequest, workshop: Workshop
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        step_go(actor=actor, delta=1)
    assert _reload(workshop).step_key == steps.FIRST.key
    assert not Event.objects.filter(workshop=workshop, kind="step.changed").exists()


def test_there_is_no_step_before_the_first_or_after_the_last(
    facilitator: Actor, workshop: Workshop
) -> None:
    with pytest.raises(InvalidAction):
        step_go(actor=facilitator, delta=-1)
    step_go(actor=facilitator, to=steps.DAY1[-1].key)
    with pytest.raises(InvalidAction):
        step_go(actor=facilitator, delta=1)
    with pytest.raises(InvalidAction):
        step_go(actor=facilitator, to="no-such-step")


def test_every_write_gets_the_next_sequence_number_and_an_event(
    facilitator: Actor, workshop: Workshop
) -> None:
    start = _reload(workshop).seq
    step_go(actor=facilitator, delta=1)
    timer_control(actor=facilitator, action=TimerAction.START)
    workshop = _reload(workshop)
    assert workshop.seq == start + 2
    events = list(Event.objects.filter(workshop=workshop, seq__gt=start).values_list("seq", "kind"))
    assert events == [(start + 1, "step.changed"), (start + 2, "timer.start")]


def test_starting_the_timer_sets_a_deadline_one_box_away(
    facilitator: Actor, workshop: Workshop
) -> None:
    before = timezone.now()
    timer_control(actor=facilitator, action=TimerAction.START)
    workshop = _reload(workshop)
    assert workshop.timer_state == TimerState.RUNNING
    assert workshop.timer_ends_at is not None
    box = timedelta(seconds=workshop.step.seconds)
    assert before + box <= workshop.timer_ends_at <= timezone.now() + box


def test_pause_keeps_what_is_left_and_resume_continues_from_there(
    facilitator: Actor, workshop: Workshop
) -> None:
    timer_control(actor=facilitator, action=TimerAction.START)
    Workshop.objects.filter(pk=workshop.pk).update(
        timer_ends_at=timezone.now() + timedelta(seconds=100)
    )
    timer_control(actor=facilitator, action=TimerAction.PAUSE)
    paused = _reload(workshop)
    assert paused.timer_state == TimerState.PAUSED
    assert 99_000 <= paused.timer_remaining_ms <= 100_000
    timer_control(actor=facilitator, action=TimerAction.RESUME)
    resumed = _reload(workshop)
    assert resumed.timer_state == TimerState.RUNNING
    assert resumed.timer_ends_at is not None
    left = resumed.timer_ends_at - timezone.now()
    assert timedelta(seconds=98) <= left <= timedelta(seconds=100)


def test_adding_a_minute_works_running_and_paused(facilitator: Actor, workshop: Workshop) -> None:
    box_ms = workshop.step.seconds * 1000
    timer_control(actor=facilitator, action=TimerAction.ADD_MINUTE)
    assert _reload(workshop).timer_remaining_ms == box_ms + 60_000
    timer_control(actor=facilitator, action=TimerAction.START)
    ends = _reload(workshop).timer_ends_at
    timer_control(actor=facilitator, action=TimerAction.ADD_MINUTE)
    later = _reload(workshop).timer_ends_at
    assert ends is not None and later is not None
    assert timedelta(seconds=59) <= later - ends <= timedelta(seconds=61)


def test_reset_goes_back_to_the_steps_box(facilitator: Actor, workshop: Workshop) -> None:
    timer_control(actor=facilitator, action=TimerAction.START)
    timer_control(actor=facilitator, action=TimerAction.RESET)
    workshop = _reload(workshop)
    assert workshop.timer_state == TimerState.IDLE
    assert workshop.timer_remaining_ms == workshop.step.seconds * 1000


def test_pausing_a_timer_that_is_not_running_is_refused(facilitator: Actor) -> None:
    with pytest.raises(InvalidAction):
        timer_control(actor=facilitator, action=TimerAction.PAUSE)
    with pytest.raises(InvalidAction):
        timer_control(actor=facilitator, action=TimerAction.RESUME)


def test_a_participant_cannot_touch_the_timer(alice: Actor, workshop: Workshop) -> None:
    with pytest.raises(PermissionDenied):
        timer_control(actor=alice, action=TimerAction.START)
    assert _reload(workshop).timer_state == TimerState.IDLE


def test_a_facilitator_of_another_workshop_acts_only_on_their_own(
    workshop: Workshop, other_workshop
) -> None:
    theirs = Actor(other_workshop.workshop, Role.FACILITATOR)
    step_go(actor=theirs, delta=1)
    assert _reload(workshop).step_key == steps.FIRST.key
    assert _reload(other_workshop.workshop).step_key == steps.DAY1[1].key


def test_a_click_on_an_outdated_screen_changes_nothing(
    facilitator: Actor, workshop: Workshop
) -> None:
    step_go(actor=facilitator, delta=1, seen=steps.FIRST.key)
    seq = _reload(workshop).seq
    step_go(actor=facilitator, delta=1, seen=steps.FIRST.key)  # the same click, again
    workshop = _reload(workshop)
    assert workshop.step_key == steps.DAY1[1].key
    assert workshop.seq == seq  # no event either


def test_a_second_start_does_not_restart_the_timer(facilitator: Actor, workshop: Workshop) -> None:
    timer_control(actor=facilitator, action=TimerAction.START)
    ends = _reload(workshop).timer_ends_at
    with pytest.raises(InvalidAction):
        timer_control(actor=facilitator, action=TimerAction.START)
    assert _reload(workshop).timer_ends_at == ends


def test_a_minute_added_before_the_start_is_kept(facilitator: Actor, workshop: Workshop) -> None:
    timer_control(actor=facilitator, action=TimerAction.ADD_MINUTE)
    timer_control(actor=facilitator, action=TimerAction.START)
    workshop = _reload(workshop)
    assert workshop.timer_remaining_ms == (workshop.step.seconds + 60) * 1000
