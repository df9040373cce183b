"""Saving a cell of the measurement plan; a conflict shows both texts, losing neither."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions.forms import PlanCellForm
from sessions.models import PlanCell
from sessions.rules import plan
from sessions.selectors.plan import CellView
from sessions.services.events import InvalidAction
from sessions.services.plan import plan_cell_save
from sessions.services.versions import EditConflict
from sessions.views.helpers import (
    AS_EITHER,
    HtmxHttpRequest,
    acting,
    done,
    labelled_errors,
    refused,
)


@require_POST
def cell_save(request: HtmxHttpRequest, code: str) -> HttpResponse:
    actor = acting(request, code, AS_EITHER)
    form = PlanCellForm(request.POST)
    if not form.is_valid():
        return refused(labelled_errors(form))
    if not plan.is_cell(form.cleaned_data["column"], form.cleaned_data["row"]):
        return refused([_("There is no such cell in the plan.")])
    data = form.cleaned_data
    context: dict[str, object] = {"workshop": actor.workshop}
    try:
        saved = plan_cell_save(
            actor=actor,
            column=data["column"],
            row=data["row"],
            text=data["text"],
            version=data["version"],
        )
        text, version = saved.text, saved.version
    except EditConflict as conflict:
        # Their text is shown, yours stays in the box; the form now carries their version, so
        # saving again is a deliberate choice to replace theirs.
        current = conflict.current
        assert isinstance(current, PlanCell)
        text, version = current.text, current.version
        context.update(conflict=str(conflict), theirs=text, mine=data["text"])
    except InvalidAction as refusal:
        return HttpResponse(str(refusal), status=409, content_type="text/plain; charset=utf-8")
    if not request.htmx:
        return done(request, actor)
    example = plan.EXAMPLES[(data["column"], data["row"])]
    context["cell"] = CellView(data["column"], data["row"], text, version, example)
    return render(request, "phases/test.html#cell-form", context)
