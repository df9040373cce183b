"""Refine: three roles write one proposal, read aloud section by section (WORKSHOP.md, 4).

The planner writes the summary from the deck's template (six slots, prefilled from the winning
idea), sales the FAQ, the developer the demo steps. The proposal reads 概要 → FAQ → デモシナリオ
and ends with its concerns: every entry marked red.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The summary is the idea's sentence again: the same six slots, prefilled from the winning idea.
from sessions.rules.invent import SLOT_KEYS as SLOT_KEYS
from sessions.rules.invent import SLOTS as SLOTS
from sessions.rules.invent import Slot as Slot


class EntryKind(StrEnum):
    FAQ = "faq"
    DEMO = "demo"


ENTRY_KIND_LABELS: dict[EntryKind, Promise] = {
    EntryKind.FAQ: _("FAQ"),
    EntryKind.DEMO: _("Demo step"),
}
ENTRY_KIND_CHOICES = [(kind.value, label) for kind, label in ENTRY_KIND_LABELS.items()]


class RefineRole(StrEnum):
    PLANNER = "planner"
    SALES = "sales"
    DEVELOPER = "developer"


ROLE_LABELS: dict[RefineRole, Promise] = {
    RefineRole.PLANNER: _("Planner"),
    RefineRole.SALES: _("Sales"),
    RefineRole.DEVELOPER: _("Developer"),
}
ROLE_TASKS: dict[RefineRole, Promise] = {
    RefineRole.PLANNER: _("You write the summary from the template, slot by slot."),
    RefineRole.SALES: _(
        "You write the questions customers will ask, with ideal answers. Mark red where the "
        "ideal and the present differ."
    ),
    RefineRole.DEVELOPER: _(
        "You write the demo, step by step (1. log in, 2. open the menu…). Mark red the steps "
        "whose change is risky."
    ),
}


class Section(StrEnum):
    """The proposal's sections in reading order; the concerns close it."""

    SUMMARY = "summary"
    FAQ = "faq"
    DEMO = "demo"
    CONCERNS = "concerns"


SECTIONS = tuple(Section)
SECTION_LABELS: dict[Section, Promise] = {
    Section.SUMMARY: _("Summary"),
    Section.FAQ: _("FAQ"),
    Section.DEMO: _("Demo scenario"),
    Section.CONCERNS: _("Concerns for Day 2"),
}
# Who writes a section, and reads it aloud; the concerns are shared by everyone.
WRITERS: dict[Section, RefineRole] = {
    Section.SUMMARY: RefineRole.PLANNER,
    Section.FAQ: RefineRole.SALES,
    Section.DEMO: RefineRole.DEVELOPER,
}
ENTRY_SECTIONS: dict[str, Section] = {EntryKind.FAQ: Section.FAQ, EntryKind.DEMO: Section.DEMO}


def may_write(role: str, section: Section) -> bool:
    """Whether a participant with ``role`` edits ``section`` (the facilitator edits all)."""
    return WRITERS.get(section) == role


def next_section(current: str, delta: int) -> str:
    """The section ``delta`` away in reading order: the reading stays on the last section, and
    going back before the first one ends it ("")."""
    if current not in SECTIONS:
        return SECTIONS[0] if delta > 0 else ""
    index = min(SECTIONS.index(Section(current)) + delta, len(SECTIONS) - 1)
    return SECTIONS[index] if index >= 0 else ""


T = TypeVar("T")


def placed_after(order: Sequence[T], moved: T, after: T | None) -> list[T]:
    """``order`` with ``moved`` right after ``after`` (first when None). An ``after`` that no
    longer belongs to the list (deleted meanwhile) leaves the order as it was: every move is
    applied to the order of the moment, so concurrent moves always end in one total order."""
    if moved not in order or moved == after or (after is not None and after not in order):
        return list(order)
    rest = [item for item in order if item != moved]
    index = 0 if after is None else rest.index(after) + 1
    return [*rest[:index], moved, *rest[index:]]


def shifted(order: Sequence[T], moved: T, delta: int) -> list[T]:
    """``order`` with ``moved`` ``delta`` places later (earlier when negative), clamped."""
    if moved not in order:
        return list(order)
    rest = [item for item in order if item != moved]
    index = min(max(list(order).index(moved) + delta, 0), len(rest))
    return [*rest[:index], moved, *rest[index:]]
