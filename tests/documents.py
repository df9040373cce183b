"""For the document tests: the hostile note in the demo workshop, and a facilitator's client."""

from __future__ import annotations

from django.test import Client

from sessions import codes
from sessions.access import grant_facilitator
from sessions.models import Workshop

HOSTILE_NOTE = '<script>alert(1)</script><img src="file:///etc/passwd"> **太字** | 表'


def facilitating(workshop: Workshop) -> Client:
    """A browser holding the workshop's secret link (a fresh one, since the file's is not kept)."""
    token = codes.new_facilitator_token()
    Workshop.objects.filter(pk=workshop.pk).update(facilitator_token_hash=codes.hash_token(token))
    workshop.refresh_from_db()
    client = Client()
    session = client.session
    grant_facilitator(session, workshop, token)
    session.save()
    return client
