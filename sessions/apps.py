from __future__ import annotations

from django.apps import AppConfig


class WorkshopSessionsConfig(AppConfig):
    # django.contrib.sessions already owns the label "sessions".
    name = "sessions"
    label = "workshop_sessions"
    verbose_name = "Gyakusan workshops"
    default_auto_field = "django.db.models.BigAutoField"
