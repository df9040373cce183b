"""Write a workshop's Day 1 document or data to a file.

    python manage.py export_workshop CODE --format pdf|md|json|csv -o FILE

csv writes the evaluation table; --sheet marks writes the Invent marks instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sessions.codes import normalise_join_code
from sessions.exports import pdf
from sessions.exports.formats import export_bytes
from sessions.models import Workshop


class Command(BaseCommand):
    help = "Export a workshop as the Day 1 PDF, Markdown, JSON or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the workshop's join code, e.g. ABCD-EFGH")
        parser.add_argument("--format", choices=("pdf", "md", "json", "csv"), required=True)
        parser.add_argument("--sheet", choices=("evaluation", "marks"), default="evaluation")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        workshop = Workshop.objects.filter(join_code=normalise_join_code(options["code"])).first()
        if workshop is None:
            raise CommandError(f"No workshop has the code {options['code']}.")
        kind = options["format"]
        if kind == "pdf":
            body = pdf.pdf_bytes(workshop)
        else:
            body = export_bytes(workshop, f"{options['sheet']}.csv" if kind == "csv" else kind)
        output: Path = options["output"]
        output.write_bytes(body)
        self.stdout.write(f"{output} ({len(body) // 1024} KB)")
