"""What the collector says in its log.

``ticker.collector`` (:data:`log`) has the transitions (a source failing, recovered; the
store gone and back: :mod:`ticker.core.store_watch`) and what is said once although its
cause repeats (:class:`SaidOnce`). ``ticker.collector.polls`` (:data:`polls`) has every
poll's outcome at INFO: quiet unless asked for (``ticker collect --verbose``).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from decimal import Decimal

from ticker.core.ingest import IngestResult

log = logging.getLogger("ticker.collector")
#: Every poll's outcome, at INFO: quiet unless asked for (``ticker collect --verbose``).
polls = logging.getLogger("ticker.collector.polls")
polls.setLevel(logging.WARNING)

#: Significant digits of a rate (and its reference) in a quarantine line of the log.
LOGGED_DIGITS = 10


class SaidOnce:
    """The WARNING lines said once although their cause repeats: each quarantined value
    (a source answers with the same one all day), each overrunning poll (the scheduler
    skips it at every turn until it ends)."""

    def __init__(self) -> None:
        self._held: set[tuple[str, str, date, Decimal]] = set()
        """The quarantined values logged already."""
        self._skip_said: dict[str, datetime | None] = {}
        """Each source's poll whose overrun was logged (by when it started)."""

    def quarantined(self, name: str, result: IngestResult) -> None:
        """Each quarantined value of ``name``'s round, once. The reason is worded in the
        pair as the source published it."""
        from ticker.display.quarantine import held_reason
        from ticker.model.pairs import Pair

        for held in result.quarantined:
            o = held.observation
            key = (o.quote, o.provider, o.as_of, o.rate)
            if key in self._held:
                continue
            self._held.add(key)
            log.warning(
                "%s: %s/%s = %s of %s quarantined: %s",
                name,
                o.base,
                o.quote,
                format(o.rate, ".10g"),  # a cross has many more digits than that
                o.as_of.isoformat(),
                held_reason(held, Pair(o.base, o.quote), LOGGED_DIGITS),
            )

    def skipped(self, name: str, started: datetime | None) -> None:
        """The scheduler skipped a poll of ``name``: its previous one still runs. Said
        once per overrunning poll (WARNING); each further skip of it only to ``polls``."""
        when = f" (started {started.astimezone(UTC):%H:%M:%S} UTC)" if started else ""
        line = f"{name}: poll skipped, the previous one is still running{when}"
        if name in self._skip_said and self._skip_said[name] == started:
            polls.info("%s", line)
            return
        self._skip_said[name] = started
        log.warning("%s", line)
