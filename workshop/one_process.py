"""The in-memory channel layer serves one process only: a second one on the same database refuses
to start (DESIGN.md, Stack)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_claimed: list[IO[Any]] = []


def claim_in_memory_layer() -> None:
    """Refuse to serve with the in-memory channel layer from a second process.

    With the in-memory layer, a push reaches only the sockets of the process that made it: a
    second server process on the same database would silently leave its clients behind. Each
    server process takes an exclusive lock named after its database; the second one fails to
    start with an explanation. Configure REDIS_URL to run several processes.
    """
    backend = str(settings.CHANNEL_LAYERS["default"]["BACKEND"])
    if not backend.endswith("InMemoryChannelLayer") or _claimed:
        return
    database = settings.DATABASES["default"]
    identity = f"{database.get('HOST', '')}:{database.get('PORT', '')}/{database['NAME']}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    path = os.path.join(tempfile.gettempdir(), f"gyakusan-inmemory-{digest}.lock")
    handle = open(path, "a+")  # noqa: SIM115 - held open for the life of the process
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise ImproperlyConfigured(
            "Another server process already serves this database with the in-memory channel "
            "layer, which cannot reach across processes. Run one process, or set REDIS_URL "
            "(and DATABASE_URL) to run several."
        ) from None
    _claimed.append(handle)
