"""Reading an upload with a limit: the multipart parser stops at the first byte past it."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest


class UploadLimit(FileUploadHandler):
    """Counts each file's bytes as Django's multipart parser reads them, ahead of the handlers
    that store them, and stops the parse past ``max_bytes``: the rest of the file is neither
    read nor stored, and ``too_large`` says why the file is missing.

    It must be in ``request.upload_handlers`` before anything reads ``request.POST`` or
    ``request.FILES`` (CSRF protection does: see ``sessions.views.home.workshop_import``).
    """

    def __init__(self, request: HttpRequest, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_large = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.content_length is not None and self.content_length > self.max_bytes:
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.max_bytes:
            self._stop()
        return raw_data  # on to the handler that stores it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file

    def _stop(self) -> None:
        self.too_large = True
        # connection_reset: the parser stops reading the body too, not only this file.
        raise StopUpload(connection_reset=True)
