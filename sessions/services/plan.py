"""Editing the measurement plan together, with a version check on every save."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sessions.access import Actor, Role
from sessions.models import PlanCell
from sessions.rules import plan
from sessions.rules.steps import Workspace
from sessions.services.events import InvalidAction, lock_workshop, record
from sessions.services.versions import check_version


def plan_cell_save(*, actor: Actor, column: str, row: str, text: str, version: int) -> PlanCell:
    if actor.role == Role.PROJECTOR:
        raise PermissionDenied("The projector is read-only.")
    if not plan.is_cell(column, row):
        raise InvalidAction(_("There is no such cell in the plan."))
    with transaction.atomic():
        workshop = lock_workshop(actor.workshop.pk)
        if workshop.step.workspace != Workspace.PLAN:
            raise InvalidAction(_("The plan is written in Test/Iterate."))
        cell, _created = PlanCell.objects.get_or_create(workshop=workshop, column=column, row=row)
        check_version(cell, version)
        cell.text = text
        cell.updated_by = actor.label
        cell.save()
        record(
            workshop,
            kind="plan.saved",
            actor=actor.label,
            data={"cell": f"{column}/{row}", "version": cell.version},
            plan_cells=((column, row),),
        )
    return cell
