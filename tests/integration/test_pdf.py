"""The Day 1 PDF laid out by WeasyPrint and read back: every section, the content, its fonts,
and who may download it."""

from __future__ import annotations

import io
import re
from typing import Any

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from sessions.exports import pdf
from sessions.models import Note, Participant, Workshop
from tests.documents import facilitating


def _pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _fonts(body: bytes) -> list[tuple[str, bool]]:
    """Every font of the PDF, and whether its program is embedded."""
    reader = PdfReader(io.BytesIO(body))
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font = reference.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return sorted(fonts.items())


def test_the_pdf_holds_every_section_the_content_and_its_fonts(demo: Workshop) -> None:
    body = pdf.pdf_bytes(demo)
    assert body.startswith(b"%PDF")
    text = _pdf_text(body)
    for heading in (
        "目次",
        "ペルソナ",
        "顧客ボード",
        "顧客の課題とビジネスの課題：評価表",
        "アイデアと勝者の決め方",
        "提案",
        "計測計画",
        "検証すべき仮定",
        "懸念点",
        "アンケートとDay2の重点",
    ):
        assert heading in text, heading
    for sample in (
        "経理担当の佐々木さん",
        "写真が斜めでも読み取れますか？",
        "導入3か月以内の経理担当",
    ):
        assert sample in text, sample
    # User text is text: the hostile note is printed, not run or fetched.
    assert "<script>alert(1)</script>" in text
    # Red entries carry a printed mark next to them.
    assert "懸念手書きの領収書にも対応していますか？" in text.replace("Q.", "")
    fonts = _fonts(body)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert any("CJK" in name for name, _embedded in fonts)


def test_everyone_in_the_room_downloads_the_pdf_and_outsiders_do_not(
    demo: Workshop, outsider_client: Client
) -> None:
    url = reverse("document_pdf", args=[demo.join_code])
    assert outsider_client.get(url).status_code == 403
    assert outsider_client.get(reverse("document", args=[demo.join_code])).status_code == 403
    response = facilitating(demo).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert "2026-11-26_AI" in disposition and disposition.endswith("_Day1.pdf")


def test_a_hostile_text_does_not_turn_the_text_after_it_around(demo: Workshop) -> None:
    """A right-to-left override (U+202E) at the end of a note's situation, or of a name, turns
    only that text around: the problem after the situation, and the text after the name, still
    read forwards in the PDF, since each piece of user text is laid out in its own isolate."""
    rlo = "\u202e"
    note = Note.objects.filter(board__workshop=demo, board__kind="customer_problems").first()
    assert note is not None
    Note.objects.filter(pk=note.pk).update(
        situation="攻撃" + rlo, text="順序が保たれる", influence="影響なし"
    )
    Participant.objects.filter(pk=note.author_id).update(display_name="Mallory" + rlo)
    html = pdf.document_html(demo, for_print=True)
    # What WeasyPrint lays out: the name and each part of the sentence in an isolate.
    assert f"<bdi>Mallory{rlo}</bdi>" in html
    assert f"<bdi>攻撃{rlo}</bdi>" in html
    text = _pdf_text(pdf.pdf_bytes(demo))
    assert "順序が保たれる（影響：影響なし）" in text
    assert "るれた保が序順" not in text
