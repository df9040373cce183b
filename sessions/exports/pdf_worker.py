"""WeasyPrint, in a process of its own: laying out a PDF takes seconds of CPU, and the live
room must not wait for it (nor for the GIL). Imports nothing of Django, so that a spawned worker
starts quickly.

The fetcher serves only the app's own static files: whatever user text a document holds, it
cannot make WeasyPrint read a local file or a remote address.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://gyakusan.invalid/"
# How often a worker looks whether the server that spawned it is still there.
PARENT_CHECK_S = 0.5


class StaticOnlyFetcher(URLFetcher):
    """Answers ``BASE_URL`` + the static URL from the static folders; refuses anything else."""

    def __init__(self, static_url: str, static_roots: list[str]) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.prefix = BASE_URL.rstrip("/") + static_url
        self.roots = [Path(root).resolve() for root in static_roots]

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if not url.startswith(self.prefix) or urlsplit(url).query:
            raise ValueError(f"Not one of Gyakusan's static files: {url[:200]}")
        relative = unquote(url[len(self.prefix) :])
        for root in self.roots:
            path = (root / relative).resolve()
            if path.is_relative_to(root) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes())
        raise ValueError(f"No such static file: {relative[:200]}")


def render(html: str, static_url: str, static_roots: list[str]) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    fetcher = StaticOnlyFetcher(static_url, static_roots)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    return bytes(document.write_pdf()), len(document.pages)


def render_pdf(html: str, static_url: str, static_roots: list[str]) -> bytes:
    return render(html, static_url, static_roots)[0]


def die_with_parent(parent: int) -> None:
    """The pool's initializer: this worker ends soon after the server process ``parent`` does,
    however that ends. A server killed outright (SIGKILL, out of memory) never shuts its pool
    down, and an orphaned worker would hold its couple of hundred megabytes for ever.

    A watchdog thread rather than Linux's PR_SET_PDEATHSIG: that signal follows the *thread*
    that spawned the worker, and a request served through async_to_sync (the test client, a
    command) spawns from a thread that ends with the request, killing a healthy worker.
    """
    if os.getppid() != parent:  # the server died while this worker was starting
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        # Orphaned: the parent is gone, so there is no one to hand a result to or to clean up.
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
