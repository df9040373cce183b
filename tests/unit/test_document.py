"""The Day 1 document: the Markdown, the CSV sheets, the PDF fetcher and file names, and the JSON
that round-trips and refuses hostile files without creating anything (the PDF itself is read
back in tests/integration/test_pdf.py)."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sessions.access import remember_participant
from sessions.exports import pdf
from sessions.exports.pdf_worker import StaticOnlyFetcher
from sessions.exports.portable import export_json, export_workshop
from sessions.exports.portable_import import import_workshop
from sessions.exports.portable_reader import MAX_BYTES, ImportRefused, parse
from sessions.exports.spreadsheets import evaluation_csv, marks_csv
from sessions.models import (
    Note,
    NoteGroup,
    Participant,
    ProposalEntry,
    SummarySlot,
    Workshop,
)
from tests.documents import facilitating


def test_the_fetcher_serves_only_the_apps_static_files() -> None:
    fetcher = StaticOnlyFetcher("/static/", pdf.static_roots())
    served = fetcher.fetch("https://gyakusan.invalid/static/css/document.css")
    assert b"@page" in served.read()
    for url in (
        "file:///etc/passwd",
        "https://example.com/static/css/document.css",
        "https://gyakusan.invalid/static/../../../../etc/passwd",
        "https://gyakusan.invalid/static/%2e%2e/%2e%2e/settings.py",
        "https://gyakusan.invalid/media/secret",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_markdown_has_every_section_and_inert_user_text(demo: Workshop) -> None:
    SummarySlot.objects.filter(workshop=demo, slot="capability").update(
        text="[x](javascript:alert(1)) & <b>太字</b>"
    )
    client = facilitating(demo)
    response = client.get(reverse("document_export", args=[demo.join_code, "md"]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "## 検証すべき仮定" in text and "## 懸念点" in text
    assert "<script>" not in text and "&lt;script\\>" in text
    assert "**[懸念]** Q. 手書きの領収書にも対応していますか？" in text
    assert "\\[x\\]\\(javascript:alert\\(1\\)\\) &amp; &lt;b\\>太字&lt;/b\\>" in text
    assert "filename*=utf-8''2026-11-26_" in response["Content-Disposition"].lower()


def test_the_csv_sheets_open_in_excel_and_marks_wait_for_the_reveal(demo: Workshop) -> None:
    NoteGroup.objects.filter(board__workshop=demo, name="連携").update(name="=HYPERLINK(1)")
    sheet = evaluation_csv(demo)
    assert ",'=HYPERLINK(1)," in sheet.decode("utf-8-sig")
    assert sheet.startswith(b"\xef\xbb\xbf")
    rows = sheet.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("側,グループ,")
    assert len(rows) == 1 + 5 + 4
    marks = marks_csv(demo).decode("utf-8-sig").splitlines()
    assert len(marks) > 100 and ("○" in marks[1] or "△" in marks[1])
    demo.invent.revealed = False
    demo.invent.save()
    assert len(marks_csv(demo).decode("utf-8-sig").splitlines()) == 1


# --- JSON ----------------------------------------------------------------------------------------


def test_export_import_export_gives_the_same_json(demo: Workshop) -> None:
    first = export_json(demo)
    again = import_workshop(parse(first)).workshop
    assert again.pk != demo.pk and again.join_code != demo.join_code
    assert export_json(again) == first
    assert (
        Note.objects.filter(board__workshop=again).count()
        == Note.objects.filter(board__workshop=demo).count()
    )


def _refused(data: Any) -> str:
    before = (Workshop.objects.count(), Participant.objects.count(), ProposalEntry.objects.count())
    with pytest.raises(ImportRefused) as refusal:
        import_workshop(parse(data if isinstance(data, (bytes, str)) else json.dumps(data)))
    after = (Workshop.objects.count(), Participant.objects.count(), ProposalEntry.objects.count())
    assert after == before, "a refused file created something"
    return str(refusal.value)


def test_malformed_and_hostile_files_are_refused_and_create_nothing(demo: Workshop) -> None:
    good = export_workshop(demo)

    def changed(path: str, value: Any) -> dict[str, Any]:
        data = copy.deepcopy(good)
        target = data
        keys = path.split(".")
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        last = keys[-1]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
        return data

    assert "JSON" in _refused(b"{not json")
    assert _refused(b"[" * 100_000 + b"]" * 100_000)
    assert _refused({"format": "something else"})
    assert _refused({**good, "version": 99})
    assert "1000" not in _refused(changed("boards.0.notes.0.text", "あ" * 1_000_000))
    assert "boards[0].notes[0].author" in _refused(changed("boards.0.notes.0.author", "p99"))
    assert _refused(changed("boards.0.notes.0.points", 7))
    assert _refused(changed("boards.0.notes.0.assumption", "yes"))
    assert _refused(changed("boards.0.notes.0.assumption", 1))
    assert _refused(changed("boards.0.notes.0.points", True))
    assert _refused(changed("participants.1.key", "p1"))  # a repeated key
    assert _refused(changed("invent.winner", {"$ref": "/etc/passwd"}))
    assert _refused(changed("proposal.summary", {"price": "無料"}))
    assert _refused(changed("questionnaire.0.ratings", {"listen": {"rating": 9}}))
    assert _refused(changed("workshop.created_at", "昨日"))
    assert _refused(changed("workshop.step", "day-3"))
    assert _refused(changed("persona", ["a list"]))
    assert _refused(b"x" * (6 * 1024 * 1024))
    assert _refused(changed("workshop.created_at", "0001-01-01T00:00:00"))
    assert _refused(changed("workshop.created_at", "9999-12-31T23:59:59.999999+00:00"))
    assert "正しい文字列ではありません" in _refused(changed("persona.name", "\ud800"))
    twice = copy.deepcopy(good)
    notes = twice["boards"][1]["notes"]
    notes[1]["author"], notes[1]["points"] = notes[0]["author"], 3
    notes[0]["points"] = 3
    assert "points" in _refused(twice)


def test_groups_made_on_both_boards_in_turn_still_round_trip(demo: Workshop) -> None:
    business = NoteGroup.objects.filter(
        board__workshop=demo, board__kind="business_problems"
    ).first()
    assert business is not None
    NoteGroup.objects.filter(pk=business.pk).update(created_at=demo.created_at)  # the oldest
    first = export_json(demo)
    assert export_json(import_workshop(parse(first)).workshop) == first


# --- Over HTTP ------------------------------------------------------------------------------------


def test_participants_get_the_document_but_not_the_whole_workshop(demo: Workshop) -> None:
    participant = Client()
    session = participant.session
    remember_participant(session, Participant.objects.filter(workshop=demo).earliest("seat"))
    session.save()
    assert participant.get(reverse("document", args=[demo.join_code])).status_code == 200
    for kind, status in (("md", 200), ("evaluation.csv", 200), ("json", 403)):
        url = reverse("document_export", args=[demo.join_code, kind])
        assert participant.get(url).status_code == status, kind
    assert (
        facilitating(demo)
        .get(reverse("document_export", args=[demo.join_code, "json"]))
        .status_code
        == 200
    )


def test_a_title_with_nothing_for_a_file_name_still_downloads(demo: Workshop) -> None:
    demo.title = "？？？"
    assert pdf.file_name(demo, "pdf") == "2026-11-26_workshop_Day1.pdf"


def test_a_workshop_file_uploaded_on_the_home_page_becomes_a_new_workshop(
    demo: Workshop, client: Client
) -> None:
    upload = io.BytesIO(export_json(demo).encode())
    upload.name = "day1.json"
    response = client.post(reverse("workshop_import"), {"file": upload})
    assert response.status_code == 302 and "/f/" in response["Location"]
    assert Workshop.objects.count() == 2
    bad = io.BytesIO(b'{"format": "gyakusan.workshop", "version": 1, "workshop": 3}')
    bad.name = "bad.json"
    refused = client.post(reverse("workshop_import"), {"file": bad})
    assert refused.status_code == 400 and "workshop" in refused.content.decode()
    assert Workshop.objects.count() == 2


def test_a_workshop_file_over_5_mb_is_refused_with_413_and_the_reason(
    demo: Workshop, client: Client
) -> None:
    upload = io.BytesIO(b" " * (MAX_BYTES + 1))
    upload.name = "huge.json"
    refused = client.post(reverse("workshop_import"), {"file": upload})
    assert refused.status_code == 413
    assert "ファイルが 5 MB を超えています。" in refused.content.decode()
    assert Workshop.objects.count() == 1
    # Exactly 5 MB is not too large: it is read, and refused for what it holds.
    upload = io.BytesIO(b" " * MAX_BYTES)
    upload.name = "spaces.json"
    assert client.post(reverse("workshop_import"), {"file": upload}).status_code == 400


def test_importing_a_workshop_file_needs_the_csrf_token(demo: Workshop) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("home"))
    upload = io.BytesIO(export_json(demo).encode())
    upload.name = "day1.json"
    assert client.post(reverse("workshop_import"), {"file": upload}).status_code == 403
    upload.seek(0)
    token = client.cookies["csrftoken"].value
    posted = {"file": upload, "csrfmiddlewaretoken": token}
    assert client.post(reverse("workshop_import"), posted).status_code == 302
    assert Workshop.objects.count() == 2


def test_each_computed_figure_says_how_it_is_computed_on_its_scale(demo: Workshop) -> None:
    """評価のぶれ and the Day 2 ranking come with a line on how they are made and on which
    scale they are read, in the document and in its Markdown (issue 12: 6.8 stood next to a
    1–5 scale, unexplained)."""
    client = facilitating(demo)
    html = client.get(reverse("document", args=[demo.join_code])).content.decode()
    assert "評価のぶれ：スコアのついた課題グループごとに" in html
    assert "最大 0.5 で、0.3 以上を強調表示します。" in html
    assert "評価の平均（1〜5、回答がなければ 3）" in html
    assert "そのため 5 を超えることがあります。" in html
    text = client.get(reverse("document_export", args=[demo.join_code, "md"])).content.decode()
    assert "評価の平均（1〜5、回答がなければ 3）" in text
