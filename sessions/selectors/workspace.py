"""What a step's workspace shows, for each viewer: the only module that knows every phase, and
the privacy rules (whose view is personal, and what a shared render may stand for).
"""

from __future__ import annotations

from typing import Any

from sessions.models import Board, Invent, Participant, Persona, Workshop
from sessions.rules import boards as layouts
from sessions.rules import scales
from sessions.rules.boards import BoardKind
from sessions.rules.steps import Workspace
from sessions.selectors.boards import board_views
from sessions.selectors.invent import invent_context
from sessions.selectors.plan import plan_context
from sessions.selectors.questionnaire import questionnaire_context
from sessions.selectors.refine import refine_context

# Shown to each participant their own way: their ideas and marks, their answers, their role's
# controls in Refine.
PERSONAL_WORKSPACES = (
    Workspace.IDEAS,
    Workspace.QUESTIONNAIRE,
    Workspace.REFINE,
    Workspace.PROPOSAL,
)


def _boards_for(workspace: str) -> tuple[str, ...]:
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
    kinds = _boards_for(workshop.step.workspace)
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


def workspace_context(
    workshop: Workshop,
    viewer: Participant | None,
    labels: dict[int, str],
    *,
    facilitating: bool = False,
) -> dict[str, Any]:
    workspace = workshop.step.workspace
    kinds = _boards_for(workspace)
    context: dict[str, Any] = {
        "workspace": str(workspace),
        "viewer": viewer,
        "problem_hints": layouts.PROBLEM_HINTS,
        "score_choices": scales.SCALE,
    }
    if workspace in (Workspace.PERSONA, Workspace.CUSTOMER_BOARD):
        context["persona"] = Persona.objects.filter(workshop=workshop).first()
    if workspace in (Workspace.IDEAS, Workspace.RESULTS):
        return {**context, **invent_context(workshop, viewer, labels)}
    if workspace in (Workspace.REFINE, Workspace.PROPOSAL):
        return {**context, **refine_context(workshop, viewer, labels, facilitating=facilitating)}
    if workspace == Workspace.PLAN:
        return {**context, **plan_context(workshop)}
    if workspace == Workspace.QUESTIONNAIRE:
        return {**context, **questionnaire_context(workshop, viewer)}
    if not kinds:
        return context
    views = board_views(workshop, kinds, viewer, labels)
    context["boards"] = views
    context["board"] = views[kinds[0]]
    if workspace == Workspace.GROUPING:
        context["yardstick"] = [
            (views[kind], [view for view in views[kind].groups if view.group.score])
            for kind in kinds
        ]
    return context
