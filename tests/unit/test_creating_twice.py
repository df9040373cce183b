"""Creating a workshop, or importing one, twice with the same form (a double click, or a retry
after an answer that never arrived) makes one workshop, and both answers lead its creator to
its console."""

from __future__ import annotations

import io
import re

from django.test import Client
from django.urls import reverse

from sessions.exports.portable import export_json
from sessions.models import Workshop

FORM = {"title": "二度押しの確認", "team_name": "経理チーム", "language": "ja"}


def _creation_key(client: Client) -> str:
    page = client.get(reverse("home")).content.decode()
    found = re.search(r'name="creation_key" value="([^"]+)"', page)
    assert found, "the form carries no creation key"
    return found.group(1)


def test_the_same_form_posted_twice_makes_one_workshop(db: None) -> None:
    client = Client()
    key = _creation_key(client)
    first = client.post(reverse("home"), {**FORM, "creation_key": key}, follow=True)
    # The first answer is lost on the way back: the browser posts the same form again, without
    # the session the lost answer carried.
    again = Client().post(reverse("home"), {**FORM, "creation_key": key}, follow=True)
    assert Workshop.objects.count() == 1
    for answer in (first, again):
        assert answer.redirect_chain[-1][0].endswith("/facilitate/")
        assert answer.status_code == 200 and "二度押しの確認" in answer.content.decode()


def test_each_page_view_creates_a_new_workshop(db: None) -> None:
    client = Client()
    for _ in range(2):
        client.post(reverse("home"), {**FORM, "creation_key": _creation_key(client)})
    assert Workshop.objects.count() == 2


def test_a_creation_key_made_up_by_someone_else_is_refused_when_malformed(db: None) -> None:
    answer = Client().post(reverse("home"), {**FORM, "creation_key": "短すぎる"})
    assert answer.status_code == 200 and Workshop.objects.count() == 0


def test_the_same_file_imported_twice_makes_one_workshop(demo: Workshop) -> None:
    client = Client()
    key = _creation_key(client)
    before = Workshop.objects.count()
    for _ in range(2):
        upload = io.BytesIO(export_json(demo).encode())
        upload.name = "day1.json"
        answer = client.post(
            reverse("workshop_import"), {"file": upload, "creation_key": key}, follow=True
        )
        assert answer.redirect_chain[-1][0].endswith("/facilitate/")
    assert Workshop.objects.count() == before + 1
