"""The facilitator's controls of the room: the step, the timer and joining."""

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
    Action(
        "joining_set",
        "close-joining",
        by=FACILITATOR,
        refused=NOT_THE_FACILITATOR,
        arrange=lambda cast: Post({"joining": "closed"}),
        reads=lambda cast: cast.fresh().joining_open,
    ),
)
