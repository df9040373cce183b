"""The downloads besides the PDF, by the name in their address: what makes each, its type and
its file extension. Shared by the download view and the export_workshop command."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django.template.loader import render_to_string
from django.utils import translation

from sessions.exports.document import document_view
from sessions.exports.portable import export_json
from sessions.exports.spreadsheets import evaluation_csv, marks_csv
from sessions.models import Workshop


class Export(NamedTuple):
    make: Callable[[Workshop], bytes]
    content_type: str
    extension: str


def markdown(workshop: Workshop) -> bytes:
    return render_to_string(
        "document/day1.md", document_view(workshop=workshop).template_names()
    ).encode()


EXPORTS: dict[str, Export] = {
    "md": Export(markdown, "text/markdown; charset=utf-8", "md"),
    "json": Export(lambda w: export_json(w).encode(), "application/json", "json"),
    "evaluation.csv": Export(evaluation_csv, "text/csv; charset=utf-8", "evaluation.csv"),
    "marks.csv": Export(marks_csv, "text/csv; charset=utf-8", "marks.csv"),
}
# The whole workshop, private work included (unrevealed notes, marks, drafts): the facilitator's.
FACILITATOR_ONLY = frozenset({"json"})


def export_bytes(workshop: Workshop, kind: str) -> bytes:
    """One export of the workshop, in the workshop's language."""
    with translation.override(workshop.language):
        return EXPORTS[kind].make(workshop)
