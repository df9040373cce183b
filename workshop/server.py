"""daphne as Gyakusan runs it (scripts/serve.sh, the test and benchmark servers): daphne's own
command line, with an access log that masks the facilitator's secret links.

daphne writes its access log straight to a stream, not through Python's logging, so no logging
filter reaches it; the writer its command line builds the log with is swapped for one that
masks first. Run it as ``python -m workshop.server`` with daphne's arguments.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from daphne import cli
from daphne.access import AccessLogGenerator

from workshop.logs import mask_secret_links


class MaskedAccessLog(AccessLogGenerator):
    def write_entry(
        self, host: str | None, date: datetime, request: str, *args: Any, **kwargs: Any
    ) -> None:
        super().write_entry(host, date, mask_secret_links(request), *args, **kwargs)


def main() -> None:
    # daphne's CommandLineInterface.run() builds its access log from this module-level name.
    cli.AccessLogGenerator = MaskedAccessLog
    cli.CommandLineInterface.entrypoint()


if __name__ == "__main__":
    main()
