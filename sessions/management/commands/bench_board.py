"""Measure rendering a busy board: N notes from 10 people on the revealed customer board.

    python manage.py bench_board --notes 200 [--rounds 30] [--keep]

Builds the board through the services (inside a transaction rolled back at the end, unless
--keep), then renders the board as it is pushed to the projector, timing each render and
counting its queries. Ends with one line:

    bench_board notes=200 render_ms_p50=… queries=…
"""

from __future__ import annotations

import statistics
import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sessions import live
from sessions.access import Actor, Role
from sessions.models import Workshop
from sessions.rules import boards as board_rules
from sessions.rules.steps import Part
from sessions.services import boards as board_services
from sessions.services import groups as group_services
from sessions.services.participants import participant_join
from sessions.services.room import step_go
from sessions.services.workshops import workshop_create

PEOPLE = ("山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤")
WORDS = ("予算", "決裁", "更新", "市場", "競合", "方針", "規制", "繁忙期", "教員", "保護者")


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Measure how long a board with many notes takes to render, and its queries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--notes", type=int, default=200)
        parser.add_argument("--rounds", type=int, default=30)
        parser.add_argument("--keep", action="store_true", help="keep the workshop to look at")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                result = self.run(options)
                if not options["keep"]:
                    raise Rollback
        except Rollback:
            pass
        self.stdout.write(
            "bench_board notes={notes} render_ms_p50={p50} queries={queries}".format(**result)
        )

    def run(self, options: dict[str, Any]) -> dict[str, Any]:
        created = workshop_create(title="ボード計測", team_name="ベンチ", language="ja")
        workshop = created.workshop
        facilitator = Actor(workshop, Role.FACILITATOR)
        people = [
            Actor(
                workshop, Role.PARTICIPANT, participant_join(workshop=workshop, display_name=name)
            )
            for name in PEOPLE
        ]
        step_go(actor=facilitator, to="listen-individual")
        cells = [cell.key for cell in board_rules.CUSTOMER_CELLS]
        notes = []
        for n in range(options["notes"]):
            notes.append(
                board_services.note_create(
                    actor=people[n % len(people)],
                    note_id=uuid.uuid4(),
                    kind="customer",
                    cell=cells[n % len(cells)],
                    text=f"{WORDS[n % len(WORDS)]}についての気づき その{n + 1}:"
                    " 顧客の意思決定に効いている事実",
                    is_assumption=n % 4 == 0,
                )
            )
        step_go(actor=facilitator, to="listen-group")  # reveals the board
        for n in range(0, len(notes) - 10, 10):  # a group for every tenth note and its neighbour
            group_services.note_move(
                actor=facilitator, note_id=notes[n + 5].pk, onto_note=notes[n].pk
            )
        workshop = Workshop.objects.get(pk=workshop.pk)
        timings = []
        for _ in range(options["rounds"]):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                html = live.render_parts(
                    workshop, Role.PROJECTOR, (Part.WORKSPACE,), seq=workshop.seq
                )
            timings.append((time.perf_counter() - started) * 1000)
        if options["keep"]:
            self.stdout.write(
                f"code={workshop.join_code} facilitator=/f/{created.facilitator_token}/"
            )
        self.stdout.write(f"html_kb={len(html.encode()) / 1024:.0f}")
        return {
            "notes": options["notes"],
            "p50": f"{statistics.median(timings):.1f}",
            "queries": len(queries),
        }
