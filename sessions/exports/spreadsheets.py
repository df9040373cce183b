"""The scoring sheets as CSV for a spreadsheet: the evaluation table, and the Invent marks.

UTF-8 with a byte order mark, so that Excel opens Japanese correctly. The marks are private
until the results are revealed, and so is their sheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from sessions.models import Invent, Mark, NoteGroup, Workshop
from sessions.rules import scales, scoring
from sessions.rules.boards import PROBLEM_KINDS, BoardKind
from sessions.selectors.room import participant_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula is quoted: it stays the team's words."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(rows: Iterable[Iterable[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _side(kind: str) -> str:
    return _("Customer") if kind == BoardKind.CUSTOMER_PROBLEMS else _("Business")


def evaluation_csv(workshop: Workshop) -> bytes:
    groups = (
        NoteGroup.objects.filter(
            board__workshop=workshop, board__kind__in=PROBLEM_KINDS, board__revealed=True
        )
        .select_related("board")
        .prefetch_related("notes")
        .order_by("board__kind", "-score", "created_at")
    )
    rows: list[list[object]] = [[_("Side"), _("Group"), _("Points"), _("Score"), _("Notes")]]
    for group in groups:
        notes = list(group.notes.all())
        points = sum(note.points or 0 for note in notes)
        rows.append([_side(group.board.kind), group.name, points, group.score or "", len(notes)])
    return _csv(rows)


def marks_csv(workshop: Workshop) -> bytes:
    header: list[object] = [
        _("Idea"),
        _("Participant"),
        _("Side"),
        _("Group"),
        _("Score"),
        _("Mark"),
        _("Points for the idea"),
    ]
    rows: list[list[object]] = [header]
    if not Invent.objects.filter(workshop=workshop, revealed=True).exists():
        return _csv(rows)
    labels = {person.pk: person.label for person in participant_rows(workshop)}
    marks = (
        Mark.objects.filter(idea__workshop=workshop)
        .select_related("idea", "group__board")
        .order_by("idea__shared_at", "participant__seat", "group__board__kind", "group__name")
    )
    for mark in marks:
        score = mark.group.score or 0
        sign = scoring.Mark(mark.value)
        rows.append(
            [
                mark.idea.capability,
                labels.get(mark.participant_id, ""),
                _side(mark.group.board.kind),
                mark.group.name,
                score,
                sign.symbol,
                scales.number(score * sign.weight),
            ]
        )
    return _csv(rows)
