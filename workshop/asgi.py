"""The server's entry point (daphne, uvicorn, runserver): HTTP and WebSocket."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")
django_asgi_app = get_asgi_application()

from workshop.one_process import claim_in_memory_layer  # noqa: E402 - needs Django set up first
from workshop.routing import build_application  # noqa: E402

claim_in_memory_layer()
application = build_application(django_asgi_app)
