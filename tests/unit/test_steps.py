"""The Day 1 agenda follows the deck (WORKSHOP.md): order, phases, modes and time boxes."""

from __future__ import annotations

from collections import defaultdict

from sessions.rules import steps
from sessions.rules.steps import Mode, Phase


def test_the_phases_come_in_the_decks_order() -> None:
    order = []
    for step in steps.DAY1:
        if step.phase not in order and step.phase != Phase.BREAK:
            order.append(step.phase)
    assert order == [
        Phase.WELCOME,
        Phase.LISTEN,
        Phase.DEFINE,
        Phase.INVENT,
        Phase.REFINE,
        Phase.TEST,
        Phase.NEXT,
    ]


def test_each_phase_takes_the_time_box_the_deck_gives_it() -> None:
    minutes: dict[Phase, int] = defaultdict(int)
    for step in steps.DAY1:
        minutes[step.phase] += step.minutes
    assert minutes[Phase.LISTEN] == 20
    assert minutes[Phase.DEFINE] == 30
    assert minutes[Phase.INVENT] == 40
    assert minutes[Phase.REFINE] == 40
    assert minutes[Phase.TEST] == 30


def test_the_breaks_come_after_define_and_after_refine() -> None:
    keys = [step.key for step in steps.DAY1]
    breaks = [i for i, step in enumerate(steps.DAY1) if step.mode == Mode.BREAK]
    assert [steps.DAY1[i - 1].phase for i in breaks] == [Phase.DEFINE, Phase.REFINE]
    assert all(steps.DAY1[i].minutes == 15 for i in breaks)
    assert keys.index("define-grouping") < breaks[0] < keys.index("invent-share")


def test_individual_and_group_work_follow_the_deck() -> None:
    mode = {step.key: step.mode for step in steps.DAY1}
    assert mode["listen-individual"] == Mode.INDIVIDUAL
    assert mode["listen-group"] == Mode.GROUP
    assert mode["define-customer"] == mode["define-business"] == Mode.INDIVIDUAL
    assert mode["define-grouping"] == Mode.GROUP
    assert [steps.step_for(k).minutes for k in ("define-customer", "define-business")] == [5, 5]
    assert steps.step_for("define-grouping").minutes == 20
    assert steps.step_for("refine-roles").minutes == 15


def test_every_step_has_words_for_every_screen() -> None:
    assert len({step.key for step in steps.DAY1}) == len(steps.DAY1)
    for step in steps.DAY1:
        assert str(step.title) and str(step.goal) and str(step.instructions)
        assert str(step.phase_label) and str(step.mode_label)


def test_an_unknown_step_key_falls_back_to_the_first_step() -> None:
    assert steps.step_for("no-such-step") is steps.FIRST
