"""Whether the store answers the collector's calls, said once each way in the log; a
headless collector stops when it has refused for too long (:data:`STORE_GIVE_UP`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ticker.core.poll_log import log
from ticker.errors import TickerError

#: A store that has refused every call for this long stops a headless collector.
STORE_GIVE_UP = timedelta(minutes=10)


class StoreWatch:
    """Whether the store answers, said once each way in the log: ``store unavailable:
    ...`` when a call first fails, ``store recovered`` when one next succeeds."""

    def __init__(self) -> None:
        self.error: TickerError | None = None
        self.since: datetime | None = None
        """When the store began refusing (None while it answers)."""

    def failed(self, err: TickerError, when: datetime) -> None:
        if self.error is None:
            log.warning("store unavailable: %s", err)
            self.since = when
        self.error = err

    def answered(self, when: datetime) -> None:
        if self.error is not None and self.since is not None:
            down = round((when - self.since).total_seconds())
            log.info("store recovered (it had refused for %ss)", down)
        self.error, self.since = None, None

    def given_up(self, when: datetime, after: timedelta = STORE_GIVE_UP) -> bool:
        """Whether the store has refused every call for ``after``."""
        return self.since is not None and when - self.since >= after
