"""Editing together: every save names the version it was made on; an older one is refused.

The refusal carries what is saved now, so the second writer sees the other's text next to their
own and chooses; nothing typed is lost and nothing saved is silently overwritten.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sessions.models import Versioned
from sessions.services.events import InvalidAction


class EditConflict(InvalidAction):
    """Someone saved this since you started editing: their text is kept, and so is yours."""

    def __init__(self, current: Versioned) -> None:
        super().__init__(
            _("Someone else saved this meanwhile. Their text is shown; yours is kept below.")
        )
        self.current = current


def check_version(current: Versioned, version: int) -> None:
    """Refuse a save made on another version than the one saved now, then bump it."""
    if current.version != version:
        raise EditConflict(current)
    current.version += 1
