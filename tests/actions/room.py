"""The facilitator's controls of the room: the step and the timer."""

from __future__ import annotations

from tests.actions import FACILITATOR, NOT_THE_FACILITATOR, Action, Post

ACTIONS = (
    Action(
        "facilitate_step",
        "move-the-step",
        by=FACILITATOR,
        refused=NOT_THE_FACILITATOR,
        arrange=lambda cast: Post({"action": "next"}),
        reads=lambda cast: cast.fresh().step_key,
    ),
    Action(
        "facilitate_timer",
        "start-the-timer",
        by=FACILITATOR,
        refused=NOT_THE_FACILITATOR,
        arrange=lambda cast: Post({"action": "start"}),
        reads=lambda cast: cast.fresh().timer_state,
    ),
)
