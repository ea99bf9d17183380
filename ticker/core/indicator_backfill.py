"""The indicator sources' history (``ticker backfill --indicators``): the monetary series
and the annual ones, from a date.

* A source whose API takes a range is asked for the span: the IMF's SDMX service one
  request a series a country with its time filter, the World Bank a series with its
  years, the IMF DataMapper a series with its periods. A source that has only a whole
  file (NBK's base-rate list and forms, CBU's SDMX file, SIAT's JSON) is read whole, as a
  poll reads it (:meth:`~providers.indicator_source.IndicatorProvider.spanning`).
* Only the values of a period that reaches into the span are kept (a year or month that
  began before ``since`` and ends in it is kept): those before are dropped, and those
  after an ``--until`` given (an announced decision dated after today stays).
* Stored as a poll's are (:func:`~ticker.core.ingest.ingest`): a value stored already is
  unchanged, one the source publishes differently is a revision, the old kept.
* Before a run the plan says each source's requests and how long they should take at its
  pacing (``backfill_delay`` between two of its requests); the sources are asked at once.
* A source that is down is retried with backoff, as the rate backfill's requests are; a
  source that fails for good is one failure line naming it, and the others are stored. A
  store that refuses a write stops the backfill with that error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import date

import httpx

from providers.base import Batch, IndicatorValue, ProviderError, ProviderUnavailable
from providers.indicator_source import IndicatorProvider
from ticker.config import Settings
from ticker.core.backfill import RETRIES, run_all
from ticker.core.backfill_plan import estimated_seconds
from ticker.core.backfill_progress import ProviderProgress
from ticker.core.clock import Clock, system_now
from ticker.core.ingest import ingest
from ticker.errors import StorageError, internal_error
from ticker.model.monetary import period_end, period_start
from ticker.storage.repository import Repository

__all__ = ["IndicatorBackfill", "within"]

#: What a progress line counts for an indicators source.
VALUES = "values"


def within(value: IndicatorValue, since: date, until: date | None) -> bool:
    """Whether ``value``'s period reaches into ``since`` to ``until`` (None: no end; a
    period the program does not know how to date is kept: the source's own words)."""
    try:
        if period_end(value.period) < since:
            return False
        return until is None or period_start(value.period) <= until
    except ValueError:
        return True


class IndicatorBackfill:
    """One backfill of indicator sources (create, ``await plan()``, ``await run()``)."""

    def __init__(
        self,
        repo: Repository,
        client: httpx.AsyncClient,
        settings: Settings,
        providers: Sequence[IndicatorProvider],
        since: date,
        until: date,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        now: Clock = system_now,
        cut_after: bool = True,
    ) -> None:
        """``until``: the last date asked for; ``cut_after``: whether values after it
        are dropped (False: ``--until`` was not given, it is today, and a decision
        announced for a day after it is kept, as a poll keeps it)."""
        self.repo = repo
        self.client = client
        self.settings = settings
        self.providers = list(providers)
        self.since = since
        self.until = until
        self.last = until if cut_after else None
        self._sleep = sleep
        self.now = now
        self.progress = {p.NAME: ProviderProgress(p.NAME, what=VALUES) for p in self.providers}
        self.store_error: StorageError | None = None
        """The first write the store refused; the backfill stops with it."""

    async def plan(self) -> dict[str, ProviderProgress]:
        """Each source's requests and their estimate (its series, asked one after the
        other at its pacing; done together, with the answer stored at once)."""
        for provider in self.providers:
            progress = self.progress[provider.NAME]
            progress.requests = provider.backfill_requests()
            progress.total = max(progress.requests, 1)
            delay = self.settings.providers[provider.NAME].backfill_delay.total_seconds()
            progress.estimate = estimated_seconds(progress.requests, 1, delay)
        return self.progress

    async def run(self) -> dict[str, ProviderProgress]:
        """Every source at once; raises the store's error when it refused a write."""
        if not any(p.total for p in self.progress.values()):
            await self.plan()
        await run_all([self._provider(p) for p in self.providers], lambda: self.store_error)
        return self.progress

    async def _provider(self, provider: IndicatorProvider) -> None:
        progress = self.progress[provider.NAME]
        delay = self.settings.providers[provider.NAME].backfill_delay.total_seconds()
        asked = provider.paced(delay).spanning(self.since, self.until)
        try:
            batch = await self._fetch(asked, progress)
            if batch is None:
                return
            kept = [v for v in batch.indicators if within(v, self.since, self.last)]
            progress.fetched = len(kept)
            progress.notes.extend(batch.notes)
            if kept:
                stored = Batch(indicators=kept, rejected=batch.rejected)
                try:
                    result = await asyncio.to_thread(
                        ingest, self.repo, stored, self.settings.sanity
                    )
                except StorageError as err:
                    self.store_error = self.store_error or err
                    return
                progress.result.add(result)
                progress.stored = result.indicators_added
            progress.done = progress.total
        except asyncio.CancelledError:
            progress.interrupted = True
            raise
        finally:
            progress.finished = True

    async def _fetch(self, provider: IndicatorProvider, progress: ProviderProgress) -> Batch | None:
        """The source's answer, retried with backoff while it is unavailable; None (the
        failure in ``progress``) when it failed for good."""
        for attempt in range(RETRIES):
            try:
                return await provider.fetch(self.client)
            except ProviderUnavailable as err:
                if attempt == RETRIES - 1:
                    progress.failures.append(f"{err.reason} ({err.url})")
                    return None
                wait = err.retry_after if err.retry_after is not None else 2.0 * 2**attempt
                await self._sleep(min(wait, 60.0))
            except ProviderError as err:
                progress.failures.append(f"{err.reason} ({err.url})")
                return None
            except Exception as err:  # a parser bug must not end the whole backfill
                progress.failures.append(internal_error(err))
                return None
        return None  # pragma: no cover - the loop always returns
