"""Just enough of a browser to use the app over HTTP: cookies, Django's CSRF token, htmx posts.
Used by the benchmarks and by the tests that drive a real server process."""

from __future__ import annotations

import http.cookiejar
import urllib.parse
import urllib.request


class Browser:
    """Just enough of a browser for the forms: cookies and Django's CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), urllib.request.ProxyHandler({})
        )

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.cookies if c.name == name), "")

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return str(response.geturl())

    def download(self, path: str, timeout: float = 60) -> bytes:
        """GET a file (a PDF, an export) whole."""
        with self.opener.open(self.base + path, timeout=timeout) as response:
            return bytes(response.read())

    def post(self, path: str, data: dict[str, str], *, htmx: bool = False) -> str:
        """POST a form; returns where it ended (after redirects), or for htmx the sequence
        number of the push the action causes."""
        if not self.cookie("csrftoken"):
            self.get("/join/")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.cookie("csrftoken")})
        request = urllib.request.Request(self.base + path, data=body.encode(), method="POST")
        request.add_header("Referer", self.base + path)
        if htmx:
            request.add_header("HX-Request", "true")
        with self.opener.open(request, timeout=30) as response:
            return str(response.headers["X-Gyakusan-Seq"] if htmx else response.geturl())

    def socket_headers(self) -> dict[str, str]:
        return {"Cookie": f"sessionid={self.cookie('sessionid')}"}
