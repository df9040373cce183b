"""The facilitator's controls: moving between steps and running the shared timer."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sessions.access import Actor
from sessions.models import TimerState, Workshop
from sessions.rules import steps
from sessions.rules.steps import Part
from sessions.services.boards import reveal
from sessions.services.events import ALL_PARTICIPANTS, InvalidAction, lock_workshop, record

__all__ = [
    "TIMER_FIELDS",
    "InvalidAction",
    "TimerAction",
    "start_timer",
    "step_go",
    "timer_control",
]

TIMER_FIELDS = ("timer_state", "timer_ends_at", "timer_remaining_ms")
_MAX_TIMER_MS = 4 * 60 * 60 * 1000


class TimerAction(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    ADD_MINUTE = "add_minute"
    RESET = "reset"


def step_go(
    *, actor: Actor, to: str | None = None, delta: int = 0, seen: str | None = None
) -> Workshop:
    """Move to step ``to`` (a key), or ``delta`` steps forward or back; the timer resets to
    the new step's box.

    ``seen`` is the step the facilitator's screen showed when they clicked: when the room has
    moved on since (a double click, a second facilitator, a retried request), nothing changes.
    """
    actor.require_facilitator()
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        if seen is not None and seen != workshop.step_key:
            return workshop
        if to is not None:
            if to not in {step.key for step in steps.DAY1}:
                raise InvalidAction(_("There is no such step"))
            target = steps.step_for(to)
        else:
            index = workshop.step_index + delta
            if not 0 <= index < len(steps.DAY1):
                raise InvalidAction(_("There is no step there"))
            target = steps.DAY1[index]
        if target.key == workshop.step_key:
            return workshop
        workshop.step_key = target.key
        _set_idle(workshop, target.seconds * 1000)
        # The group work step shows everyone the notes written alone before it.
        reveal(workshop, target.reveals)
        record(
            workshop,
            kind="step.changed",
            actor=actor.label,
            data={"step": target.key},
            parts=(Part.AGENDA, Part.STEP, Part.TIMER, Part.WORKSPACE),
            fields=("step_key", *TIMER_FIELDS),
            personal_to=ALL_PARTICIPANTS,
        )
    return workshop


def timer_control(*, actor: Actor, action: TimerAction) -> Workshop:
    actor.require_facilitator()
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        now = timezone.now()
        remaining = workshop.timer_remaining_at(now)
        state = workshop.timer_state
        if action == TimerAction.START:
            if state != TimerState.IDLE:  # a second click, or a second facilitator
                raise InvalidAction(_("The timer is already started"))
            _set_running(workshop, now, remaining)
        elif action == TimerAction.PAUSE:
            if state != TimerState.RUNNING:
                raise InvalidAction(_("The timer is not running"))
            workshop.timer_state = TimerState.PAUSED
            workshop.timer_ends_at = None
            workshop.timer_remaining_ms = _ms(remaining)
        elif action == TimerAction.RESUME:
            if state != TimerState.PAUSED:
                raise InvalidAction(_("The timer is not paused"))
            _set_running(workshop, now, remaining)
        elif action == TimerAction.ADD_MINUTE:
            if state == TimerState.RUNNING:
                _set_running(workshop, now, remaining + timedelta(minutes=1))
            else:
                workshop.timer_remaining_ms = min(_ms(remaining) + 60_000, _MAX_TIMER_MS)
        elif action == TimerAction.RESET:
            _set_idle(workshop, workshop.step.seconds * 1000)
        record(
            workshop,
            kind=f"timer.{action}",
            actor=actor.label,
            data={"remaining_ms": workshop.timer_remaining_ms},
            parts=(Part.TIMER,),
            fields=TIMER_FIELDS,
        )
    return workshop


def _ms(delta: timedelta) -> int:
    return int(delta.total_seconds() * 1000)


def _set_idle(workshop: Workshop, remaining_ms: int) -> None:
    workshop.timer_state = TimerState.IDLE
    workshop.timer_ends_at = None
    workshop.timer_remaining_ms = remaining_ms


def start_timer(workshop: Workshop, length: timedelta) -> None:
    """Run the timer for ``length`` from now (inside a write that locked the workshop)."""
    _set_running(workshop, timezone.now(), length)


def _set_running(workshop: Workshop, now: datetime, remaining: timedelta) -> None:
    remaining = min(remaining, timedelta(milliseconds=_MAX_TIMER_MS))
    workshop.timer_state = TimerState.RUNNING
    workshop.timer_ends_at = now + remaining
    workshop.timer_remaining_ms = _ms(remaining)
