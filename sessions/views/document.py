"""The Day 1 document for everyone in the room: the preview, the PDF and the exports.

The PDF view is asynchronous: the document is read and rendered to HTML in a moment, then laid
out by WeasyPrint in a worker process while the server goes on serving the room.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from sessions.access import Actor
from sessions.exports import pdf
from sessions.exports.formats import EXPORTS, FACILITATOR_ONLY, export_bytes
from sessions.models import Workshop
from sessions.views.helpers import AS_EITHER, AS_FACILITATOR, acting


def _download(body: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _room_url(actor: Actor) -> str:
    name = "console" if actor.is_facilitator else "room"
    return reverse(name, args=[actor.workshop.join_code])


@require_GET
def preview(request: HttpRequest, code: str) -> HttpResponse:
    actor = acting(request, code, AS_EITHER)
    html = pdf.document_html(
        actor.workshop,
        for_print=False,
        back_url=_room_url(actor),
        facilitating=actor.is_facilitator,
    )
    return HttpResponse(html)


def _printable(request: HttpRequest, code: str) -> tuple[Workshop, str]:
    actor = acting(request, code, AS_EITHER)
    return actor.workshop, pdf.document_html(actor.workshop, for_print=True)


@require_GET
async def pdf_download(request: HttpRequest, code: str) -> HttpResponse:
    workshop, html = await sync_to_async(_printable)(request, code)
    body = await pdf.pdf_bytes_async(html)
    return _download(body, "application/pdf", pdf.file_name(workshop, "pdf"))


@require_GET
def export(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    if kind not in EXPORTS:
        raise Http404("No such export")
    actor = acting(request, code, AS_FACILITATOR if kind in FACILITATOR_ONLY else AS_EITHER)
    body = export_bytes(actor.workshop, kind)
    export = EXPORTS[kind]
    return _download(body, export.content_type, pdf.file_name(actor.workshop, export.extension))
