"""What the Test/Iterate measurement plan shows: each cell's text and version, with the deck's
example as its hint."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

from sessions.models import PlanCell, Workshop
from sessions.rules.plan import COLUMNS, EXAMPLES, ROWS


@dataclass(frozen=True)
class CellView:
    column: str
    row: str
    text: str
    version: int
    example: Promise


@dataclass(frozen=True)
class PlanView:
    plan_columns: tuple[tuple[str, Promise], ...]
    plan_rows: list[tuple[Promise, list[CellView]]]  # (row label, its cells by column)


def plan_view(*, workshop: Workshop) -> PlanView:
    saved = {(cell.column, cell.row): cell for cell in PlanCell.objects.filter(workshop=workshop)}

    def view(column: str, row: str) -> CellView:
        cell = saved.get((column, row))
        return CellView(
            column,
            row,
            cell.text if cell else "",
            cell.version if cell else 0,
            EXAMPLES[(column, row)],
        )

    return PlanView(
        plan_columns=COLUMNS,
        plan_rows=[(label, [view(column, row) for column, _c in COLUMNS]) for row, label in ROWS],
    )
