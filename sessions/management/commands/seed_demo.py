"""Create a complete demo workshop in Japanese and print its code and links.

    python manage.py seed_demo

Six participants, about 120 notes, six ideas marked by everyone, the whole proposal, the
measurement plan and the questionnaire (sessions/demo.py), imported like any workshop file.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sessions.exports.demo import demo_workshop
from sessions.exports.portable_import import import_workshop


class Command(BaseCommand):
    help = "Create a complete demo workshop (Japanese content) and print its code."

    def handle(self, *args: Any, **options: Any) -> None:
        created = import_workshop(demo_workshop())
        workshop = created.workshop
        self.stdout.write(f"code={workshop.display_code}")
        self.stdout.write(f"facilitator=/f/{created.facilitator_token}/")
        self.stdout.write(f"join=/join/{workshop.join_code}/")
