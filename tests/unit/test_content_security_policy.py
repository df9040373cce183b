"""Every page and every answer carries a Content-Security-Policy that allows no inline script and
no eval: scripts come from the app's own static files, htmx is configured not to evaluate
anything (and not to inject its indicator style), the live room's socket is allowed by its own
scheme (ws: or wss:, which 'self' does not match in every browser), and the pages hold no inline
script, no event-handler attribute and no style attribute."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sessions.access import Actor
from sessions.models import Workshop
from sessions.services.room import step_go

HTMX = {"HX-Request": "true"}
HttpResponse = Any  # what the test client answers: a response with its request's details
UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "blob:")


def _policy(response: HttpResponse) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response}"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict(response: HttpResponse, *, host: str = "testserver") -> dict[str, list[str]]:
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    for directive in ("script-src", "script-src-elem", "script-src-attr", "style-src"):
        for source in policy.get(directive, policy["default-src"]):
            assert source not in UNSAFE, (directive, source)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    # The socket by its scheme and this host: 'self' does not match ws: everywhere.
    assert policy["connect-src"] == ["'self'", f"ws://{host}"]
    return policy


def _assert_no_inline_code(response: HttpResponse) -> None:
    html = response.content.decode()
    policy = _policy(response)
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), "an inline <script>"
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), "an on…= handler"
    assert not re.search(r"<[^>]+\shx-on", html), "an hx-on attribute (htmx evaluates it)"
    assert not re.search(r"<[^>]+\sstyle\s*=", html), "a style attribute"
    for nonce in re.findall(r"<style(?: nonce=\"([^\"]*)\")?>", html):
        assert nonce and f"'nonce-{nonce}'" in policy["style-src"], "a <style> without the nonce"


def _htmx_config(response: HttpResponse) -> dict[str, object]:
    found = re.search(r"<meta name=\"htmx-config\"\s+content='([^']*)'>", response.content.decode())
    assert found, "no htmx-config"
    return dict(json.loads(found.group(1)))


def test_the_pages_carry_a_strict_policy_and_no_inline_code(
    workshop: Workshop,
    facilitator: Actor,
    facilitator_client: Client,
    alice_client: Client,
    outsider_client: Client,
) -> None:
    code = workshop.join_code
    step_go(actor=facilitator, to="listen-individual")
    pages = {
        "home": outsider_client.get(reverse("home")),
        "join": outsider_client.get(reverse("join")),
        "join with the code": outsider_client.get(reverse("join_code", args=[code])),
        "participant": alice_client.get(reverse("room", args=[code])),
        "console": facilitator_client.get(reverse("console", args=[code])),
        "projector": facilitator_client.get(reverse("projector", args=[code])),
        "document": facilitator_client.get(reverse("document", args=[code])),
        # A stranger is sent to the join page, which says the code names no workshop.
        "unknown room": outsider_client.get(reverse("room", args=["ZZZZZZZZ"]), follow=True),
        "not allowed": alice_client.get(reverse("console", args=[code])),
    }
    for name, response in pages.items():
        _assert_strict(response)
        _assert_no_inline_code(response)
        if name != "document":
            config = _htmx_config(response)
            assert config["allowEval"] is False, name
            assert config["includeIndicatorStyles"] is False, name
    assert pages["participant"].status_code == 200
    assert pages["unknown room"].redirect_chain[-1][0].startswith("/join/")
    assert pages["not allowed"].status_code == 403


def test_every_kind_of_answer_carries_the_policy(
    workshop: Workshop,
    facilitator: Actor,
    facilitator_client: Client,
    alice_client: Client,
    outsider_client: Client,
) -> None:
    code = workshop.join_code
    step_go(actor=facilitator, to="listen-individual")
    note = {"id": "0d7c5d1e-58a4-4b36-9a43-3a3f1d1e0f11", "kind": "customer", "cell": "x"}
    answers: dict[str, HttpResponse] = {
        "an action (204)": facilitator_client.post(
            reverse("facilitate_timer", args=[code]), {"action": "start"}, headers=HTMX
        ),
        "a malformed action (400)": facilitator_client.post(
            reverse("facilitate_timer", args=[code]), {"action": "explode"}, headers=HTMX
        ),
        "a refused action (403)": alice_client.post(
            reverse("facilitate_timer", args=[code]), {"action": "start"}, headers=HTMX
        ),
        "an action without JavaScript (302)": facilitator_client.post(
            reverse("facilitate_timer", args=[code]), {"action": "pause"}
        ),
        "a composer (200)": alice_client.post(
            reverse("note_create", args=[code]), {**note, "text": "予算"}, headers=HTMX
        ),
        "a language (302)": outsider_client.post(reverse("set_language"), {"language": "en"}),
        "markdown": facilitator_client.get(reverse("document_export", args=[code, "md"])),
        "json": facilitator_client.get(reverse("document_export", args=[code, "json"])),
        "csv": facilitator_client.get(reverse("document_export", args=[code, "evaluation.csv"])),
        "a static file": outsider_client.get("/static/js/timer.js"),
    }
    for name, response in answers.items():
        assert response.status_code < 500, name
        _assert_strict(response)


def test_behind_tls_the_socket_is_allowed_as_wss(
    workshop: Workshop, facilitator_client: Client, settings
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "room.example"]
    response = facilitator_client.get(
        reverse("console", args=[workshop.join_code]), secure=True, HTTP_HOST="room.example"
    )
    assert _policy(response)["connect-src"] == ["'self'", "wss://room.example"]


@pytest.mark.parametrize("host", ["evil.example", "bad host"])
def test_a_request_for_another_host_is_refused_with_the_policy_and_no_socket(
    db: None, host: str
) -> None:
    response = Client().get(reverse("home"), HTTP_HOST=host)
    assert response.status_code == 400
    assert "ws" not in " ".join(_policy(response)["connect-src"])
