"""Keep the secret links out of every log: whoever reads a log line holding ``/f/<token>/``
could take control of that workshop, and ``/p/<code>/<token>/`` could watch its projector.

``mask_secret_links`` masks the token in any text; ``SecretLinkFilter`` does it for the records
of Python's logging (Django's "Not Found: /f/…" warnings, daphne's own messages), and
``workshop.server`` for daphne's access log, which does not go through logging.
"""

from __future__ import annotations

import logging
import re

# The path of the URL named "facilitator_link" (sessions/urls.py), up to its next slash, and
# wherever it shows: a request line, a full URL, a message. Nothing else of the app's is
# under /f/, so masking more than the link costs nothing.
_SECRET_LINK = re.compile(r"/f/[^/\s?#\"']+")
MASKED = "/f/[secret]"
# The projector's link ("projector_link"): the code before its token is no secret, and kept.
_PROJECTOR_LINK = re.compile(r"(/p/[^/\s?#\"']+/)[^/\s?#\"']+")


def mask_secret_links(text: str) -> str:
    return _PROJECTOR_LINK.sub(r"\1[secret]", _SECRET_LINK.sub(MASKED, text))


class SecretLinkFilter(logging.Filter):
    """A handler's filter that rewrites a record's message with its secret links masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record: the handler reports it as it would anyway
        masked = mask_secret_links(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
