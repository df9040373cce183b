"""The secret links stay out of the logs: daphne's access log and every record of Python's
logging show ``/f/[secret]/`` (the facilitator's) and ``/p/<code>/[secret]/`` (the projector's)
instead of the token."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from sessions.management.server_process import BASE_DIR, ServerProcess
from workshop.logs import SecretLinkFilter, mask_secret_links
from workshop.server import MaskedAccessLog

TOKEN = "a1-gskYCEoimVIwITHR_PHQHeiC-MBVPVLquvrRydx4"


def test_the_token_of_a_secret_link_is_masked_wherever_it_shows() -> None:
    link = reverse("facilitator_link", args=[TOKEN])
    assert mask_secret_links(f"GET {link}") == "GET /f/[secret]/"
    assert mask_secret_links(f"GET /f/{TOKEN}") == "GET /f/[secret]"
    assert (
        mask_secret_links(f"https://example.com{link}?x=1") == "https://example.com/f/[secret]/?x=1"
    )
    assert mask_secret_links(f"Not Found: {link}") == "Not Found: /f/[secret]/"
    for other in ("GET /w/ABCDEFGH/facilitate/", "GET /static/css/app.css", "POST /"):
        assert mask_secret_links(other) == other


def test_the_token_of_the_projectors_link_is_masked_and_its_code_kept() -> None:
    link = reverse("projector_link", args=["ACDEFGHJ", TOKEN])
    assert mask_secret_links(f"GET {link}") == "GET /p/ACDEFGHJ/[secret]/"
    assert mask_secret_links(f"Not Found: {link}") == "Not Found: /p/ACDEFGHJ/[secret]/"
    stream = io.StringIO()
    MaskedAccessLog(stream)(
        "http",
        "complete",
        {"client": "127.0.0.1:5000", "method": "GET", "status": 302, "size": 0, "path": link},
    )
    assert TOKEN not in stream.getvalue() and "/p/ACDEFGHJ/[secret]/" in stream.getvalue()


def test_daphnes_access_log_masks_the_secret_link() -> None:
    stream = io.StringIO()
    access_log = MaskedAccessLog(stream)
    details = {"client": "127.0.0.1:5000", "method": "GET", "status": 302, "size": 0}
    access_log("http", "complete", {**details, "path": f"/f/{TOKEN}/"})
    access_log("http", "complete", {**details, "path": "/w/ABCDEFGH/"})
    lines = stream.getvalue().splitlines()
    assert TOKEN not in stream.getvalue()
    assert '"GET /f/[secret]/" 302' in lines[0] and '"GET /w/ABCDEFGH/" 302' in lines[1]


def test_the_filter_rewrites_a_records_message_and_keeps_the_rest() -> None:
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "%s: %s", None, None)
    record.args = ("Not Found", f"/f/{TOKEN}/")
    assert SecretLinkFilter().filter(record) is True
    assert record.getMessage() == "Not Found: /f/[secret]/"
    plain = logging.LogRecord("x", logging.INFO, "", 0, "%d notes", (3,), None)
    SecretLinkFilter().filter(plain)
    assert plain.getMessage() == "3 notes"


@pytest.fixture
def console_log() -> Iterator[io.StringIO]:
    """What the settings' console handler writes, while the test runs."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(found, SecretLinkFilter) for found in handler.filters)
    )
    assert isinstance(handler, logging.StreamHandler)
    written = io.StringIO()
    previous = handler.setStream(written)
    yield written
    handler.setStream(previous)


def test_a_wrong_secret_link_is_logged_masked(db: None, console_log: io.StringIO) -> None:
    assert Client().get(f"/f/{TOKEN}/").status_code == 404
    assert "Not Found: /f/[secret]/" in console_log.getvalue()
    assert TOKEN not in console_log.getvalue()


def test_serve_sh_and_the_test_servers_run_daphne_with_the_masked_access_log() -> None:
    serve = (BASE_DIR / "scripts" / "serve.sh").read_text()
    assert "exec .venv/bin/python -m workshop.server " in serve
    assert "bin/daphne" not in serve
    assert ServerProcess("daphne", {}).command()[1:3] == ["-m", "workshop.server"]
