"""What the Refine steps show: roles, the summary, the FAQ, the demo steps, the concerns and
the read-aloud, with the controls each viewer may use (their role's part, or all for the
facilitator)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from sessions.models import (
    Idea,
    Invent,
    Participant,
    Proposal,
    ProposalEntry,
    SummarySlot,
    Workshop,
)
from sessions.rules import refine
from sessions.rules.refine import ROLE_LABELS, SECTION_LABELS, EntryKind, RefineRole, Section


@dataclass(frozen=True)
class SlotView:
    slot: refine.Slot
    text: str
    version: int
    from_winner: bool  # not saved yet: the winning idea's text

    @property
    def key(self) -> str:
        return self.slot.key

    @property
    def html(self) -> SafeString:
        """The slot inside the sentence, marked so the editor's preview can follow typing."""
        if self.text:
            # Isolated, as all user text: the slot cannot turn the rest of the sentence around.
            return format_html(
                '<mark class="slot" data-slot="{}"><bdi>{}</bdi></mark>', self.key, self.text
            )
        return format_html(
            '<mark class="slot slot-empty" data-slot="{}">{}</mark>', self.key, self.slot.blank
        )


@dataclass(frozen=True)
class RoleRow:
    participant_id: int
    label: str
    role: str


def summary_sentence(slots: Mapping[str, SafeString]) -> SafeString:
    """The planner's summary: the deck's template with each slot's marked text (SlotView.html)."""
    template = gettext(
        "For customers who are %(customer)s, in the situation “%(situation)s”, we build a feature "
        "that lets them %(capability)s. It improves “%(customer_metric)s”, and "
        "“%(business_metric)s” improves in turn. We build up %(data)s data to refine the "
        "experience and build an edge over competitors."
    )
    # The template is our own catalog's text; every slot is escaped HTML already.
    return mark_safe(template % {key: conditional_escape(html) for key, html in slots.items()})


def revealed_winner(workshop: Workshop) -> Idea | None:
    """The idea Invent chose, once its results are out: what the summary is prefilled from."""
    invent = Invent.objects.filter(workshop=workshop).select_related("winner").first()
    return invent.winner if invent and invent.revealed else None


def summary_slots(workshop: Workshop, winner: Idea | None) -> list[SlotView]:
    saved = {slot.slot: slot for slot in SummarySlot.objects.filter(workshop=workshop)}
    views = []
    for slot in refine.SLOTS:
        row = saved.get(slot.key)
        if row is not None:
            views.append(SlotView(slot, row.text, row.version, False))
        else:
            prefill = str(getattr(winner, slot.key, "")) if winner else ""
            views.append(SlotView(slot, prefill, 0, bool(prefill)))
    return views


def red_entries(workshop: Workshop) -> int:
    """The proposal's concerns: a signal for the next-step questionnaire."""
    return ProposalEntry.objects.filter(workshop=workshop, red=True).count()


def _readers(people: list[Participant], labels: dict[int, str]) -> dict[str, list[str]]:
    return {
        section: [labels.get(p.pk, p.display_name) for p in people if p.refine_role == role]
        for section, role in refine.WRITERS.items()
    }


@dataclass(frozen=True)
class RefineView:
    refine_winner: Idea | None
    refine_roles: list[RoleRow]
    role_choices: list[tuple[str, Promise]]
    my_role: str
    my_role_label: Promise | str
    my_role_task: Promise | str
    summary_slots: list[SlotView]
    summary: dict[str, SafeString]  # by slot key: each slot's marked text
    summary_sentence: SafeString
    faq: list[ProposalEntry]
    demo: list[ProposalEntry]
    concerns: list[ProposalEntry]  # in the document's order: the FAQ's, then the demo's
    can_summary: bool
    can_faq: bool
    can_demo: bool
    sections: list[tuple[Section, Promise, list[str]]]  # (section, label, readers)
    reading: str
    reading_label: Promise | str
    reading_readers: list[str]
    reading_is_last: bool
    reading_entries: list[ProposalEntry]
    can_hand_over: bool  # the reader of the section on stage may hand over to the next one


def refine_view(
    *,
    workshop: Workshop,
    viewer: Participant | None,
    labels: dict[int, str],
    facilitating: bool,
) -> RefineView:
    winner = revealed_winner(workshop)
    people = list(Participant.objects.filter(workshop=workshop))
    mine = next((p.refine_role for p in people if viewer and p.pk == viewer.pk), "")
    entries = list(ProposalEntry.objects.filter(workshop=workshop))
    faq = [entry for entry in entries if entry.kind == EntryKind.FAQ]
    demo = [entry for entry in entries if entry.kind == EntryKind.DEMO]
    slots = summary_slots(workshop, winner)
    proposal = Proposal.objects.filter(workshop=workshop).first()
    reading = proposal.reading if proposal else ""

    def can(section: Section) -> bool:
        return facilitating or refine.may_write(mine, section)

    readers = _readers(people, labels)
    return RefineView(
        refine_winner=winner,
        refine_roles=[
            RoleRow(p.pk, labels.get(p.pk, p.display_name), p.refine_role) for p in people
        ],
        role_choices=[(role.value, ROLE_LABELS[role]) for role in RefineRole],
        my_role=mine,
        my_role_label=ROLE_LABELS.get(RefineRole(mine), "") if mine else "",
        my_role_task=refine.ROLE_TASKS.get(RefineRole(mine), "") if mine else "",
        summary_slots=slots,
        summary={view.key: view.html for view in slots},
        summary_sentence=summary_sentence({view.key: view.html for view in slots}),
        faq=faq,
        demo=demo,
        concerns=[entry for entry in (*faq, *demo) if entry.red],
        can_summary=can(Section.SUMMARY),
        can_faq=can(Section.FAQ),
        can_demo=can(Section.DEMO),
        sections=[
            (section, SECTION_LABELS[section], readers.get(section, []))
            for section in refine.SECTIONS
        ],
        reading=reading,
        reading_label=SECTION_LABELS[Section(reading)] if reading else "",
        reading_readers=readers.get(reading, []),
        reading_is_last=reading == Section.CONCERNS,
        reading_entries=faq if reading == Section.FAQ else demo,
        can_hand_over=bool(reading)
        and reading != Section.CONCERNS
        and (facilitating or refine.may_write(mine, Section(reading))),
    )
