"""History backfill: every source that has history, politely, resumably, in bulk.

* One shared keep-alive client; per provider at most ``backfill_concurrency`` requests
  in flight and a ``backfill_delay`` pause after each (NBKR drops connections after
  ~20 rapid TLS handshakes).
* Only the dates the source's calendar dates fixings, and has published by now, are asked
  for (no weekend of a business-day source, no file before its hour; a range source's
  spans join across them: :mod:`ticker.core.backfill_plan`). A day published by the
  calendar whose request failed before it is settled is "not out yet", not a failure.
* :meth:`Backfill.plan` says, before a run, what each source will be asked (and how long
  that should take); a source whose history starts after the first date asked says so.
* Resumable: a date is asked for again only if some pair asked for is neither stored
  nor known to have no fixing there. A day the source has nothing for (a holiday, CBR's
  gap days, NBKR's weekly-only years) is a day without data, not a failed request: it is
  recorded (once the calendar says it is settled) and never asked for again; a day that
  failed is asked for again on the next run.
* Transient failures are retried with backoff.
* Results are stored in bulk: every few hundred rows, and at least every couple of
  seconds, also while a request is slow (a ``kill -9`` loses at most that; the progress's
  stored count climbs as they are stored); on Ctrl-C, SIGTERM or SIGHUP what was
  fetched so far is stored before stopping.
* A store that refuses a write (disk full, damaged, gone) stops the whole backfill with
  that one error (:attr:`Backfill.store_error`).
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from providers.base import Batch, History, NoFixing, Provider, ProviderError, ProviderUnavailable
from ticker.config import Settings
from ticker.core.backfill_plan import (
    Unit,
    clipped_start,
    crossed_locals,
    days,
    estimated_seconds,
    missing_spans,
    plan_units,
    series_key,
    series_of,
    series_pair,
)
from ticker.core.backfill_progress import ProviderProgress
from ticker.core.clock import Clock, system_now
from ticker.core.ingest import ingest
from ticker.errors import StorageError, internal_error
from ticker.i18n.dates import day_month_year
from ticker.i18n.words import _
from ticker.model.pairs import USD, Pair
from ticker.storage.repository import Repository

FLUSH_ROWS = 500
#: Fetched rows wait at most this long (seconds) before they are stored.
FLUSH_SECONDS = 2.0
RETRIES = 3

__all__ = ["Backfill", "Unit", "missing_spans", "plan_units"]


@dataclass(slots=True)
class Pending:
    """What a provider's backfill has fetched and not stored yet."""

    batch: Batch = field(default_factory=Batch)
    empty: list[tuple[str, date, date]] = field(default_factory=list)
    """``(pair, first, last)``: days found without a fixing, to record."""
    since: float = field(default_factory=time.monotonic)
    """When the oldest of it was taken in (monotonic seconds)."""

    def take(self) -> Pending:
        """Everything pending, leaving this empty."""
        taken = Pending(self.batch, self.empty, self.since)
        self.batch, self.empty, self.since = Batch(), [], time.monotonic()
        return taken

    def due(self, now: float) -> bool:
        """Whether it should be stored now: enough rows, or held long enough."""
        if len(self.batch.observations) >= FLUSH_ROWS:
            return True
        has_some = bool(self.batch.observations or self.batch.rejected or self.empty)
        return has_some and now - self.since >= FLUSH_SECONDS


def empty_spans(
    unit: Unit, batch: Batch | None, wanted: Iterable[str], settled: Callable[[date], bool]
) -> list[tuple[str, date, date]]:
    """``(pair, first, last)`` runs of the unit's days without a fixing of the pair in
    ``batch`` (None: the source has nothing for the whole unit), settled days only."""
    have: dict[str, set[date]] = defaultdict(set)
    for o in batch.observations if batch is not None else ():
        have[series_key(o.base, o.quote)].add(o.as_of)
    spans = []
    for local in sorted(wanted):
        run: list[date] = []
        for day in [*days(unit.start, unit.end), None]:
            if day is not None and day not in have[local] and settled(day):
                run.append(day)
                continue
            if run:
                spans.append((local, run[0], run[-1]))
                run = []
    return spans


class Backfill:
    """One backfill run over several providers (create, then ``await run()``)."""

    def __init__(
        self,
        repo: Repository,
        client: httpx.AsyncClient,
        settings: Settings,
        providers: Sequence[Provider],
        since: date,
        until: date,
        locals_: Sequence[str] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        now: Clock = system_now,
        on_stored: Callable[[str, int], None] | None = None,
        pairs: Sequence[Pair] | None = None,
    ) -> None:
        """``locals_``: only these dollar pairs (None: all); ``pairs``: the other pairs
        (``RUB/TJS``; None: the watched ones), whose series are asked of the sources
        that give them (built with the currencies they need,
        :func:`ticker.model.pair_routes.extra_currencies`), with the dollar rates their
        crosses need. Limited to some pairs, each source that reads a request per currency
        (NBT, NBKR, CBR) is asked only the currencies they need (:meth:`_narrowed`).
        ``on_stored(provider, rows)``: called (from a worker thread) after
        each batch the store took new rows from (the dashboard reads the store again)."""
        self.repo = repo
        self.client = client
        self.settings = settings
        self.providers = list(providers)
        self.since = since
        self.until = until
        others = settings.pairs.others if pairs is None else tuple(pairs)
        self.others = series_of(others, settings.routing)
        self.locals = set(locals_) if locals_ or (locals_ is not None and pairs) else None
        if self.locals is not None:
            self.locals |= crossed_locals(others)
        self.providers = [self._narrowed(p) for p in self.providers]
        self._sleep = sleep
        self.now = now
        self.progress = {p.NAME: ProviderProgress(p.NAME) for p in self.providers}
        self.on_stored = on_stored
        self.store_error: StorageError | None = None
        """The first write the store refused; the backfill stops with it."""
        self.units: dict[str, list[Unit]] | None = None
        """Each provider's planned requests (None: not planned yet)."""

    async def plan(self) -> dict[str, ProviderProgress]:
        """Ask the store what is there and plan each provider's requests: its progress
        then has the total, the estimate, and where its history starts when that is after
        the first date asked. :meth:`run` plans first if this was not called."""
        now = self.now()
        self.units = {}
        for provider in self.providers:
            progress = self.progress[provider.NAME]
            if provider.HISTORY is History.NONE:
                progress.note = _("no history at this source")
            elif not self._wanted(provider):
                progress.note = _("covers none of the pairs asked for")
            else:
                wanted = self._wanted(provider)
                covered = await asyncio.to_thread(self._covered, provider.NAME, wanted)
                units = plan_units(provider, self.since, self.until, covered, now)
                self.units[provider.NAME] = units
                progress.total = len(units)
                progress.requests = len(units) * provider.history_requests()
                progress.clipped_from = clipped_start(provider, self.since, self.until)
                conf = self.settings.providers[provider.NAME]
                delay = conf.backfill_delay.total_seconds()
                progress.estimate = estimated_seconds(
                    progress.requests, conf.backfill_concurrency, delay
                )
                start = provider.HISTORY_START
                if not units:
                    progress.note = (
                        _("history starts {day}").format(day=day_month_year(start))
                        if start and start > self.until
                        else _("already stored")
                    )
            progress.finished = not self.units.get(provider.NAME)
        return self.progress

    def _wanted(self, provider: Provider) -> list[str]:
        """The series asked of ``provider`` (:func:`series_key`): its dollar pairs asked,
        and the other pairs' series it gives when built to (its extra currencies)."""
        dollars = (
            provider.CURRENCIES & self.locals if self.locals is not None else provider.CURRENCIES
        )
        given = provider.options.extra_currencies
        extra = {key for key, codes in self.others.get(provider.NAME, {}).items() if codes <= given}
        return sorted(set(dollars) | extra)

    def _narrowed(self, provider: Provider) -> Provider:
        """``provider`` asked only the series wanted of it, when the backfill is of some
        pairs (``--pair TJS``: NBT one request a span); else as it is."""
        if self.locals is None:
            return provider
        return provider.narrowed(series_pair(key) for key in self._wanted(provider))

    async def run(self) -> dict[str, ProviderProgress]:
        """Backfill every provider concurrently; returns each one's progress.

        Raises the store's :class:`StorageError` (once) when it refused a write; every
        provider stops then, having stored what it could.
        """
        if self.units is None:
            await self.plan()
        await run_all([self._provider(p) for p in self.providers], lambda: self.store_error)
        return self.progress

    async def _provider(self, provider: Provider) -> None:
        progress = self.progress[provider.NAME]
        assert self.units is not None  # planned
        units = self.units.get(provider.NAME)
        if not units:
            return
        wanted = self._wanted(provider)
        progress.started = time.monotonic()
        conf = self.settings.providers[provider.NAME]
        # Politeness: the provider leaves this pause between ANY two of its requests,
        # including the several one history unit may need (NBKR, NBT, CBR: a currency each).
        provider = provider.paced(conf.backfill_delay.total_seconds())
        queue: asyncio.Queue[Unit] = asyncio.Queue()
        for unit in units:
            queue.put_nowait(unit)
        pending = Pending()
        storing = asyncio.Lock()
        # Stores what is due while a request is slow (a retry's backoff, a long answer),
        # not only when a request ends: the stored count climbs as the rows arrive.
        timer = asyncio.create_task(self._store_when_due(provider, pending, storing))
        try:
            workers = [
                asyncio.create_task(self._worker(provider, queue, pending, wanted, storing))
                for _ in range(conf.backfill_concurrency)
            ]
            await asyncio.gather(*workers)
        except asyncio.CancelledError:
            progress.interrupted = True
            raise
        finally:
            timer.cancel()
            # Also on cancellation (Ctrl-C, a signal): what was fetched is stored first.
            self._flush(provider, pending.take())
            progress.finished = True

    async def _store_due(self, provider: Provider, pending: Pending, storing: asyncio.Lock) -> None:
        """Store what is pending if it is due; one store of a provider at a time (each
        screens its rows against what the one before stored)."""
        async with storing:
            if pending.due(time.monotonic()):
                await asyncio.to_thread(self._flush, provider, pending.take())

    async def _store_when_due(
        self, provider: Provider, pending: Pending, storing: asyncio.Lock
    ) -> None:
        while self.store_error is None:
            await asyncio.sleep(FLUSH_SECONDS / 4)
            await self._store_due(provider, pending, storing)

    def _covered(self, provider: str, wanted: Sequence[str]) -> set[date]:
        """Dates on which every pair asked for is stored or known to have no fixing."""
        dollars = [key for key in wanted if "/" not in key]
        stored = self.repo.stored_days_by_pair(provider, self.since, self.until, dollars)
        for key in wanted:
            if "/" in key:
                base, quote = key.split("/")
                history = self.repo.pair_history(
                    Pair(base, quote), self.since, self.until, provider
                )
                stored[key] = {o.as_of for o in history}
        empty = self.repo.no_fixing_days(provider, self.since, self.until, wanted)
        covered = [stored[key] | empty[key] for key in wanted]
        return set.intersection(*covered) if covered else set()

    async def _worker(
        self,
        provider: Provider,
        queue: asyncio.Queue[Unit],
        pending: Pending,
        wanted: Sequence[str],
        storing: asyncio.Lock,
    ) -> None:
        progress = self.progress[provider.NAME]
        calendar = provider.CALENDAR
        now = self.now()

        def settled(day: date) -> bool:
            return calendar.settled(day, now)

        while not queue.empty() and self.store_error is None:
            unit = queue.get_nowait()
            answered, batch = await self._fetch_unit(provider, unit)
            if answered:
                if batch is not None and self.locals is not None:
                    kept = set(wanted)
                    batch.observations = [
                        o
                        for o in batch.observations
                        if (o.base == USD and o.quote in self.locals)
                        or series_key(o.base, o.quote) in kept
                    ]
                # Days the source answered for without a fixing: data, not failures.
                have = {o.as_of for o in batch.observations} if batch is not None else set()
                progress.no_fixing += sum(
                    1
                    for d in days(unit.start, unit.end)
                    if d not in have and provider.publishes_on(d)
                )
                pending.empty.extend(empty_spans(unit, batch, wanted, settled))
            if batch is not None:
                progress.fetched += len(batch.observations)
                progress.notes.extend(batch.notes)
                pending.batch.extend(batch)
            await self._store_due(provider, pending, storing)
            if self.store_error is not None:
                return  # the store refuses writes: fetching more would only be lost
            progress.done += 1

    async def _fetch_unit(self, provider: Provider, unit: Unit) -> tuple[bool, Batch | None]:
        """``(answered, batch)``: whether the source answered (possibly with no fixing at
        all: ``batch`` None), or failed (``False``; the failure is in the progress)."""
        for attempt in range(RETRIES):
            try:
                return True, await provider.history(self.client, unit.start, unit.end)
            except NoFixing:
                return True, None
            except ProviderUnavailable as err:
                if attempt == RETRIES - 1:
                    return self._failed(provider, unit, err.reason)
                wait = err.retry_after if err.retry_after is not None else 2.0 * 2**attempt
                await self._sleep(min(wait, 60.0))
            except ProviderError as err:
                return self._failed(provider, unit, err.reason)
            except Exception as err:  # a parser bug must not end the whole backfill
                return self._failed(provider, unit, internal_error(err))
        return False, None  # pragma: no cover - the loop always returns

    def _failed(self, provider: Provider, unit: Unit, reason: str) -> tuple[bool, None]:
        """A request that failed for good: a failure, unless none of its days is settled
        by the source's calendar (published at its usual hour, but maybe not out yet)."""
        progress = self.progress[provider.NAME]
        label = str(unit.start) if unit.start == unit.end else f"{unit.start}..{unit.end}"
        if provider.CALENDAR.settled(unit.start, self.now()):
            progress.failures.append(f"{label}: {reason}")
        else:
            progress.unpublished.append(label)
        return False, None

    def _flush(self, provider: Provider, pending: Pending) -> None:
        """Store what is pending. A store error is kept (the first one) instead of raised:
        the backfill stops with it once every provider has stopped."""
        if self.store_error is not None:
            return
        batch = pending.batch
        try:
            if pending.empty:
                self.repo.record_no_fixing(provider.NAME, pending.empty, self.now())
            if not batch.observations and not batch.rejected:
                return
            result = ingest(self.repo, batch, self.settings.sanity)
        except StorageError as err:
            self.store_error = err
            return
        progress = self.progress[provider.NAME]
        progress.result.add(result)
        progress.stored += result.stored
        if result.stored and self.on_stored is not None:
            self.on_stored(provider.NAME, result.stored)


async def run_all(
    work: Sequence[Coroutine[Any, Any, None]], store_error: Callable[[], StorageError | None]
) -> None:
    """Every provider's backfill at once. Cancelled, each stores what it has before the
    cancel goes on; then the store's error (a refused write) is raised first, else the
    first provider's failure."""
    tasks = [asyncio.create_task(job) for job in work]
    try:
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    except asyncio.CancelledError:
        await asyncio.gather(*tasks, return_exceptions=True)  # each stores what it has
        raise
    failed = store_error()
    if failed is not None:
        raise failed
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
