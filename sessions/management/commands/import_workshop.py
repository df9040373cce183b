"""Create a new workshop from a workshop file (JSON, as export_workshop writes it).

    python manage.py import_workshop FILE

Prints the new workshop's code and the facilitator's secret link (shown only here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sessions.exports.portable_import import import_workshop
from sessions.exports.portable_reader import ImportRefused, parse


class Command(BaseCommand):
    help = "Create a new workshop from a Gyakusan workshop file (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            created = import_workshop(parse(path.read_bytes()))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        except ImportRefused as refusal:
            raise CommandError(f"{path} was not imported: {refusal}") from None
        self.stdout.write(f"code={created.workshop.display_code}")
        self.stdout.write(f"facilitator=/f/{created.facilitator_token}/")
