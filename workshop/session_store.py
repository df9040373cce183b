"""Django's database sessions, refusing a session key Django could not have made.

Django makes its keys of lowercase ASCII letters and digits, but looks up whatever the cookie
holds; a cookie sent as "…\\000…" (an escape its cookie parser decodes) holds a NUL, which
PostgreSQL cannot even be asked about: every page of that browser was a 500. Such a key is now
no session at all, like an expired one.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        # Django's own rule (at least 8 characters), and only the characters it makes keys of.
        return (
            key is not None
            and len(key) >= 8
            and all(character in VALID_KEY_CHARS for character in key)
        )
