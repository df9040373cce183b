"""Measure the Day 1 PDF of the demo workshop (seed_demo), rendered several times.

    python manage.py bench_pdf [--rounds 5]

Each round reads the workshop, renders the document's HTML and lays out the PDF, in this
process, as the download does in its worker. The demo workshop is created inside a transaction
rolled back at the end. Ends with one line:

    bench_pdf pages=… median_s=… max_s=… size_kb=…
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from sessions.exports import pdf
from sessions.exports.demo import demo_workshop
from sessions.exports.pdf_worker import render
from sessions.exports.portable_import import import_workshop


class Command(BaseCommand):
    help = "Measure rendering the demo workshop's Day 1 PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rounds", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            workshop = import_workshop(demo_workshop()).workshop
            timings, pages, size = [], 0, 0
            roots = pdf.static_roots()
            for _round in range(options["rounds"]):
                started = time.perf_counter()
                html = pdf.document_html(workshop, for_print=True)
                body, pages = render(html, settings.STATIC_URL, roots)
                timings.append(time.perf_counter() - started)
                size = len(body)
            transaction.set_rollback(True)
        self.stdout.write(
            f"bench_pdf pages={pages} median_s={statistics.median(timings):.2f} "
            f"max_s={max(timings):.2f} size_kb={size // 1024}"
        )
