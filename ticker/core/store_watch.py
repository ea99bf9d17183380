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
    ...`` when a call first fails, ``store recovered`` once every kind of call that failed
    (``call``: the function's name) has succeeded again and a write has. A full disk still
    takes a provider's small health row (written in place) while it refuses the batches:
    that is not a recovery, and the lines do not flap."""

    def __init__(self) -> None:
        self.error: TickerError | None = None
        self.since: datetime | None = None
        """When the store began refusing (None while it answers)."""
        self._failing: set[str] = set()
        """The calls that failed and have not succeeded since."""
        self._wrote = False
        """Whether a write has succeeded since the store began refusing."""

    def failed(self, err: TickerError, when: datetime, call: str = "") -> None:
        if self.error is None:
            log.warning("store unavailable: %s", err)
            self.since, self._wrote = when, False
        self.error = err
        self._failing.add(call)

    def answered(self, when: datetime, call: str = "", wrote: bool = True) -> None:
        """The call ``call`` succeeded (``wrote``: it wrote to the store)."""
        self._failing.discard(call)
        if self.error is None:
            return
        self._wrote = self._wrote or wrote
        if self._failing or not self._wrote:
            return
        if self.since is not None:
            down = round((when - self.since).total_seconds())
            log.info("store recovered (it had refused for %ss)", down)
        self.error, self.since = None, None

    def given_up(self, when: datetime, after: timedelta = STORE_GIVE_UP) -> bool:
        """Whether the store has refused every call for ``after``."""
        return self.since is not None and when - self.since >= after
