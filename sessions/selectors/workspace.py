"""What a step's workspace shows, for each viewer: the only module that knows every phase, and
the privacy rules (whose view is personal, and what a shared render may stand for).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise

from sessions.models import Board, Invent, Participant, Persona, Workshop
from sessions.rules import boards as board_rules
from sessions.rules import scales
from sessions.rules.boards import BoardKind
from sessions.rules.steps import Workspace
from sessions.selectors.boards import BoardView, YardstickSide, board_views
from sessions.selectors.invent import InventView, invent_view
from sessions.selectors.plan import PlanView, plan_view
from sessions.selectors.questionnaire import QuestionnaireView, questionnaire_view
from sessions.selectors.refine import RefineView, refine_view
from sessions.selectors.shapes import names_of

# Shown to each participant their own way: their ideas and marks, their answers, their role's
# controls in Refine.
PERSONAL_WORKSPACES = (
    Workspace.IDEAS,
    Workspace.QUESTIONNAIRE,
    Workspace.REFINE,
    Workspace.PROPOSAL,
)


def boards_shown(workspace: str) -> tuple[str, ...]:
    """The boards (BoardKind values) a workspace shows, in the deck's order."""
    if workspace == Workspace.CUSTOMER_BOARD:
        return (BoardKind.CUSTOMER,)
    if workspace == Workspace.CUSTOMER_PROBLEMS:
        return (BoardKind.CUSTOMER_PROBLEMS,)
    if workspace == Workspace.BUSINESS_PROBLEMS:
        return (BoardKind.BUSINESS_PROBLEMS,)
    if workspace == Workspace.GROUPING:
        return (BoardKind.CUSTOMER_PROBLEMS, BoardKind.BUSINESS_PROBLEMS)
    return ()


def is_personal(workshop: Workshop) -> bool:
    """Whether participants see this step's workspace each their own way (a private board,
    their own ideas and marks, their own scores until the results are out)."""
    if workshop.step.workspace in PERSONAL_WORKSPACES:
        return True
    if workshop.step.workspace == Workspace.RESULTS:
        return not Invent.objects.filter(workshop=workshop, revealed=True).exists()
    kinds = boards_shown(workshop.step.workspace)
    if not kinds:
        return False
    revealed = dict(Board.objects.filter(workshop=workshop).values_list("kind", "revealed"))
    return not all(revealed.get(kind, False) for kind in kinds)


def shared_view(workshop: Workshop, viewer: Participant) -> str | None:
    """What a participant's own view depends on, when it is less than the person: in Refine,
    only their role (its controls), so one render serves everyone with that role. None: the
    view is theirs alone."""
    if workshop.step.workspace in (Workspace.REFINE, Workspace.PROPOSAL):
        return viewer.refine_role
    return None


PhaseView = InventView | RefineView | PlanView | QuestionnaireView


@dataclass(frozen=True)
class WorkspaceView:
    """What the step's workspace shows this viewer; the phase's own view, when it has one,
    brings the rest."""

    workspace: str
    viewer: Participant | None
    problem_hints: Mapping[str, Promise]
    score_choices: tuple[int, ...]
    persona: Persona | None = None
    boards: dict[str, BoardView] = field(default_factory=dict)  # in the deck's order
    board: BoardView | None = None  # the first of them
    yardstick: list[YardstickSide] = field(default_factory=list)
    phase: PhaseView | None = None

    def template_names(self) -> dict[str, object]:
        names = names_of(self)
        del names["phase"]
        if self.phase is not None:
            names.update(names_of(self.phase))
        return names


def _phase_view(
    workshop: Workshop, viewer: Participant | None, labels: dict[int, str], *, facilitating: bool
) -> PhaseView | None:
    workspace = workshop.step.workspace
    if workspace in (Workspace.IDEAS, Workspace.RESULTS):
        return invent_view(workshop=workshop, viewer=viewer, labels=labels)
    if workspace in (Workspace.REFINE, Workspace.PROPOSAL):
        return refine_view(
            workshop=workshop, viewer=viewer, labels=labels, facilitating=facilitating
        )
    if workspace == Workspace.PLAN:
        return plan_view(workshop=workshop)
    if workspace == Workspace.QUESTIONNAIRE:
        return questionnaire_view(workshop=workshop, viewer=viewer)
    return None


def workspace_view(
    *,
    workshop: Workshop,
    viewer: Participant | None,
    labels: dict[int, str],
    facilitating: bool = False,
) -> WorkspaceView:
    workspace = workshop.step.workspace
    kinds = boards_shown(workspace)
    views = board_views(workshop=workshop, kinds=kinds, viewer=viewer, labels=labels)
    return WorkspaceView(
        workspace=str(workspace),
        viewer=viewer,
        problem_hints=board_rules.PROBLEM_HINTS,
        score_choices=scales.SCALE,
        persona=Persona.objects.filter(workshop=workshop).first()
        if workspace in (Workspace.PERSONA, Workspace.CUSTOMER_BOARD)
        else None,
        boards=views,
        board=views[kinds[0]] if kinds else None,
        yardstick=[YardstickSide(kind, views[kind].scored_groups) for kind in kinds]
        if workspace == Workspace.GROUPING
        else [],
        phase=_phase_view(workshop, viewer, labels, facilitating=facilitating),
    )
