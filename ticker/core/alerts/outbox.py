"""Webhook deliveries kept in the store until they are done.

A firing's delivery is recorded as pending when it is queued (its JSON, exactly as it is
posted), and settled when it is done: delivered, or given up (a final refusal such as
HTTP 404, or every attempt spent). One still pending when a collector stops (cut after
``hook_timeout`` at shutdown, or the process killed) is sent again, the same JSON, by
the next collector that starts holding the store's lease; one queued more than
:data:`MAX_AGE` before is given up instead, in one log line. A receiver may get a firing
twice (the first answer lost with the process): ``event_id`` tells them apart.

The store is advisory here: a store that does not answer never stops a delivery (the
store's watch has said so); such a delivery is simply not kept.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from ticker.errors import TickerError
from ticker.storage.alert_store import PendingWebhook
from ticker.storage.repository import Repository

log = logging.getLogger("ticker.alerts")

#: A delivery pending for longer is given up at the next start, not sent.
MAX_AGE = timedelta(days=1)

#: Runs a store call off the event loop: ``await run(func, *args)`` (the collector's).
StoreCall = Callable[..., Awaitable[Any]]


class Outbox:
    """The store's record of webhook deliveries, for one collector."""

    def __init__(self, repo: Repository, now: Callable[[], datetime], run: StoreCall) -> None:
        self._repo = repo
        self._now = now
        self._run = run

    async def queue(self, event_id: int, body: str) -> None:
        """Keep the delivery as pending until :meth:`settle`."""
        await self._call(self._repo.queue_webhook, event_id, body, self._now())

    async def settle(self, event_id: int, delivered: bool, detail: str) -> None:
        """The delivery is done (delivered or given up): never sent again."""
        await self._call(self._repo.settle_webhook, event_id, delivered, detail, self._now())

    async def due(self) -> list[PendingWebhook]:
        """The deliveries to send again now; those older than :data:`MAX_AGE` are given
        up (said in one line)."""
        now = self._now()
        cutoff = now - MAX_AGE
        given_up = await self._call(self._repo.give_up_webhooks, cutoff, "too old to send", now)
        if given_up:
            what = "firing" if given_up == 1 else "firings"
            log.warning(
                "webhook: %d undelivered %s queued more than a day ago given up, not sent",
                given_up,
                what,
            )
        pending = await self._call(self._repo.pending_webhooks)
        return list(pending or [])

    async def _call(self, func: Callable[..., Any], *args: Any) -> Any:
        try:
            return await self._run(func, *args)
        except TickerError:  # the store's watch said so; the delivery is not kept
            return None
