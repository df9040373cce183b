"""The Day 1 document as HTML (the preview) and as a PDF (the same template, through WeasyPrint
in a worker process, so that generating it never holds up the live room)."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import get_valid_filename

from sessions.exports.document import document_view
from sessions.exports.pdf_worker import die_with_parent, render_pdf
from sessions.models import Workshop

DOCUMENT_TEMPLATE = "document/day1.html"
STYLESHEET = "css/document.css"
# Two at a time at most: a room asking for ten PDFs queues them instead of taking every core.
WORKERS = 2
LAYOUT_TIMEOUT_S = 120
_pool: ProcessPoolExecutor | None = None


def static_roots() -> list[str]:
    """Where the static files are: the collected folder once deployed, the sources otherwise."""
    roots = [str(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    roots += [str(path) for path in getattr(settings, "STATICFILES_DIRS", [])]
    found = finders.find(STYLESHEET)
    if isinstance(found, str):
        roots.append(str(Path(found).parent.parent))
    return [root for root in roots if Path(root).is_dir()]


def document_html(
    workshop: Workshop, *, for_print: bool, back_url: str = "", facilitating: bool = False
) -> str:
    """The document in the workshop's language; for print, with its stylesheet inlined."""
    with translation.override(workshop.language):
        context = {
            **document_view(workshop=workshop).template_names(),
            "for_print": for_print,
            "back_url": back_url,
            "is_facilitator": facilitating,
        }
        if for_print:
            found = finders.find(STYLESHEET)
            context["inline_css"] = Path(str(found)).read_text(encoding="utf-8") if found else ""
        return render_to_string(DOCUMENT_TEMPLATE, context)


def pdf_bytes(workshop: Workshop) -> bytes:
    """The PDF, made in this process (the command line, the benchmark)."""
    return render_pdf(document_html(workshop, for_print=True), settings.STATIC_URL, static_roots())


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # Spawned, not forked: the server process runs threads and an event loop. Each worker
        # watches this process and ends with it, even when it is killed outright.
        _pool = ProcessPoolExecutor(
            WORKERS,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )
    return _pool


async def _layout(html: str) -> bytes:
    loop = asyncio.get_running_loop()
    work = loop.run_in_executor(_executor(), render_pdf, html, settings.STATIC_URL, static_roots())
    return await asyncio.wait_for(work, LAYOUT_TIMEOUT_S)


async def pdf_bytes_async(html: str) -> bytes:
    """The PDF of a rendered document, laid out in a worker process. A pool whose worker died
    (killed for memory, say) is replaced, once; a layout that never ends is given up."""
    global _pool
    try:
        return await _layout(html)
    except BrokenProcessPool:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
        return await _layout(html)


def file_name(workshop: Workshop, extension: str) -> str:
    """The date and the workshop's title, e.g. 2026-11-26_AI機能企画_Day1.pdf."""
    day = timezone.localdate(workshop.created_at).isoformat()
    try:
        title = get_valid_filename(workshop.title.replace("/", "-"))
    except SuspiciousFileOperation:  # nothing left of a title like "？？？"
        title = "workshop"
    return f"{day}_{title}_Day1.{extension}"
