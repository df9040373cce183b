"""Pages travel compressed to browsers that accept it, and plain to those that do not."""

from __future__ import annotations

import gzip

from django.test import Client
from django.urls import reverse

from sessions.access import Actor
from sessions.models import Workshop
from sessions.services.room import step_go


def test_a_room_page_is_gzipped_for_a_browser_that_accepts_it(
    workshop: Workshop, facilitator: Actor, facilitator_client: Client
) -> None:
    step_go(actor=facilitator, to="listen-individual")
    url = reverse("console", args=[workshop.join_code])
    plain = facilitator_client.get(url)
    packed = facilitator_client.get(url, headers={"accept-encoding": "gzip, br"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    page = gzip.decompress(packed.content).decode()
    assert workshop.title in page
    assert len(packed.content) * 3 < len(plain.content), (len(packed.content), len(plain.content))
