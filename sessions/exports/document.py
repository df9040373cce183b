"""The Day 1 document: everything the team made, in the order the issue and the deck give it.

One context feeds the web preview, the PDF (the same template through WeasyPrint) and the
Markdown export. It holds only what the room has made public: revealed boards, shared ideas,
the results once revealed; a board still private is named, not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sessions.models import Note, Persona, Workshop
from sessions.rules import refine
from sessions.rules.boards import PROBLEM_KINDS, BoardKind
from sessions.rules.steps import PHASE_LABELS, Phase
from sessions.selectors.boards import BoardView, NoteView, board_views
from sessions.selectors.invent import InventView, invent_view
from sessions.selectors.plan import PlanView, plan_view
from sessions.selectors.questionnaire import QuestionnaireView, questionnaire_view
from sessions.selectors.refine import RefineView, refine_view
from sessions.selectors.room import participant_rows
from sessions.selectors.shapes import names_of

# The document's sections, in order: (anchor, title). The table of contents is made from it.
SECTIONS: tuple[tuple[str, Promise], ...] = (
    ("persona", _("Persona")),
    ("customer", _("Customer board")),
    ("problems", _("Customer and business problems: the evaluation table")),
    ("ideas", _("Ideas and how the winner was chosen")),
    ("proposal", _("The proposal")),
    ("plan", _("Measurement plan")),
    ("assumptions", _("Assumptions to verify")),
    ("concerns", _("Concerns")),
    ("next", _("Questionnaire and the Day 2 focus")),
)
# Which phase wrote each board: assumptions are listed by phase.
BOARD_PHASES = {
    BoardKind.CUSTOMER: Phase.LISTEN,
    BoardKind.CUSTOMER_PROBLEMS: Phase.DEFINE,
    BoardKind.BUSINESS_PROBLEMS: Phase.DEFINE,
}


@dataclass(frozen=True)
class Member:
    """A participant on the cover."""

    label: str
    role: str  # the Refine role's label, or ""


def assumptions_by_phase(
    workshop: Workshop, labels: dict[int, str]
) -> list[tuple[Promise, list[NoteView]]]:
    """Every note marked as an assumption on a revealed board, by the phase that wrote it."""
    by_phase: dict[Phase, list[NoteView]] = {}
    notes = Note.objects.filter(
        board__workshop=workshop, board__revealed=True, is_assumption=True
    ).select_related("board")
    for kind in BOARD_PHASES:
        for note in notes:
            if note.board.kind == kind:
                by_phase.setdefault(BOARD_PHASES[kind], []).append(NoteView.of(note, labels))
    return [(PHASE_LABELS[phase], phase_notes) for phase, phase_notes in by_phase.items()]


@dataclass(frozen=True)
class DocumentView:
    workshop: Workshop
    date: date
    generated_at: datetime
    toc: tuple[tuple[str, Promise], ...]
    members: list[Member]
    persona: Persona | None
    customer_board: BoardView
    problem_boards: list[BoardView]  # customer problems, then business problems
    assumptions: list[tuple[Promise, list[NoteView]]]
    invent: InventView
    proposal: RefineView
    plan: PlanView
    questionnaire: QuestionnaireView

    def template_names(self) -> dict[str, object]:
        """The document's names and, flat, each phase's: the template reads ``shared_ideas``,
        not ``invent.shared_ideas``, as the room's partials do."""
        names = names_of(self)
        for phase in (self.invent, self.proposal, self.plan, self.questionnaire):
            names.update(names_of(phase))
        return names


def document_view(*, workshop: Workshop) -> DocumentView:
    people = participant_rows(workshop)
    labels = {person.pk: person.label for person in people}
    kinds = (BoardKind.CUSTOMER, *PROBLEM_KINDS)
    boards = board_views(workshop=workshop, kinds=kinds, viewer=None, labels=labels)
    proposal = refine_view(workshop=workshop, viewer=None, labels=labels, facilitating=False)
    roles = {row.participant_id: row.role for row in proposal.refine_roles}
    return DocumentView(
        workshop=workshop,
        date=timezone.localdate(workshop.created_at),
        generated_at=timezone.localtime(),
        toc=SECTIONS,
        members=[
            Member(
                person.label,
                str(refine.ROLE_LABELS[refine.RefineRole(roles[person.pk])])
                if roles.get(person.pk)
                else "",
            )
            for person in people
        ],
        persona=Persona.objects.filter(workshop=workshop).first(),
        customer_board=boards[BoardKind.CUSTOMER],
        problem_boards=[boards[kind] for kind in PROBLEM_KINDS],
        assumptions=assumptions_by_phase(workshop, labels),
        invent=invent_view(workshop=workshop, viewer=None, labels=labels, results=True),
        proposal=proposal,
        plan=plan_view(workshop=workshop),
        questionnaire=questionnaire_view(workshop=workshop, viewer=None),
    )
