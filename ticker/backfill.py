"""History backfill: every source that has history, politely, resumably, in bulk.

* One shared keep-alive client; per provider at most ``backfill_concurrency`` requests
  in flight and a ``backfill_delay`` pause after each (NBKR drops connections after
  ~20 rapid TLS handshakes).
* Resumable: a date is asked for again only if some pair asked for is missing on it.
  Sources asked day by day are asked for every publication day still missing (so a day
  that failed last time is retried); for sources asked by date range, a gap of a few
  days between stored fixings is a weekend or holiday, not missing data.
* Days without a fixing are not errors; transient failures are retried with backoff.
* Results are stored in bulk, a few hundred rows per transaction; on Ctrl-C what was
  fetched so far is stored before stopping.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx

from providers.base import Batch, NoFixing, Provider, ProviderError, ProviderUnavailable
from ticker.config import Settings
from ticker.ingest import IngestResult, ingest
from ticker.storage.repository import Repository

#: A run of at most this many days without a fixing, between two stored fixings, is a
#: weekend or holiday rather than a hole to fill.
MAX_HOLE_DAYS = 4
FLUSH_ROWS = 500
RETRIES = 3


@dataclass(slots=True)
class ProviderProgress:
    """How one provider's backfill is going (read by the progress display)."""

    provider: str
    total: int = 0
    done: int = 0
    fetched: int = 0
    """Observations received so far (stored in batches of a few hundred)."""
    stored: int = 0
    no_fixing: int = 0
    failures: list[str] = field(default_factory=list)
    result: IngestResult = field(default_factory=IngestResult)
    started: float = field(default_factory=time.monotonic)
    finished: bool = False
    interrupted: bool = False
    note: str = ""

    def rate(self) -> float:
        """Units per second so far."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def eta(self) -> float | None:
        """Seconds left at the current rate."""
        rate = self.rate()
        return (self.total - self.done) / rate if rate > 0 else None


@dataclass(frozen=True, slots=True)
class Unit:
    """One fetch_history call."""

    start: date
    end: date


def missing_spans(
    since: date, until: date, stored: set[date], max_hole: int = MAX_HOLE_DAYS
) -> list[tuple[date, date]]:
    """Date spans in ``[since, until]`` that still need fetching.

    Days already stored are skipped; so is a run of at most ``max_hole`` days that lies
    strictly between two stored days (a weekend or holiday). Runs at either end are kept.
    """
    spans: list[tuple[date, date]] = []
    day = since
    while day <= until:
        if day in stored:
            day += timedelta(days=1)
            continue
        start = day
        while day <= until and day not in stored:
            day += timedelta(days=1)
        end = day - timedelta(days=1)
        interior = (start - timedelta(days=1)) in stored and day <= until
        if not (interior and (end - start).days + 1 <= max_hole):
            spans.append((start, end))
    return spans


def plan_units(provider: Provider, since: date, until: date, stored: set[date]) -> list[Unit]:
    """What to ask ``provider`` for, oldest first."""
    first = max(since, provider.HISTORY_START or since)
    if provider.HISTORY == "none" or first > until:
        return []
    if provider.HISTORY == "daily":
        return [
            Unit(d, d) for d in _days(first, until) if d not in stored and provider.publishes_on(d)
        ]
    units: list[Unit] = []
    step = timedelta(days=provider.HISTORY_STEP_DAYS - 1)
    for start, end in missing_spans(first, until, stored):
        while start <= end:
            chunk_end = min(start + step, end)
            units.append(Unit(start, chunk_end))
            start = chunk_end + timedelta(days=1)
    return units


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


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
    ) -> None:
        self.repo = repo
        self.client = client
        self.settings = settings
        self.providers = list(providers)
        self.since = since
        self.until = until
        self.locals = set(locals_) if locals_ else None
        self._sleep = sleep
        self.progress = {p.NAME: ProviderProgress(p.NAME) for p in self.providers}

    async def run(self) -> dict[str, ProviderProgress]:
        """Backfill every provider concurrently; returns each one's progress."""
        await asyncio.gather(*(self._provider(p) for p in self.providers))
        return self.progress

    async def _provider(self, provider: Provider) -> None:
        progress = self.progress[provider.NAME]
        if provider.HISTORY == "none":
            progress.note = "no history at this source"
            progress.finished = True
            return
        if self.locals is not None and not (self.locals & provider.CURRENCIES):
            progress.note = "covers none of the pairs asked for"
            progress.finished = True
            return
        wanted = sorted(provider.CURRENCIES & self.locals if self.locals else provider.CURRENCIES)
        stored = await asyncio.to_thread(
            self.repo.stored_dates, provider.NAME, self.since, self.until, wanted
        )
        units = plan_units(provider, self.since, self.until, stored)
        progress.total = len(units)
        progress.started = time.monotonic()
        if not units:
            start = provider.HISTORY_START
            progress.note = (
                f"history starts {start}" if start and start > self.until else "already stored"
            )
            progress.finished = True
            return
        conf = self.settings.providers[provider.NAME]
        # Politeness: the provider leaves this pause between ANY two of its requests,
        # including the several that one history unit may need (NBKR 5, CBR 6).
        provider.request_delay = conf.backfill_delay.total_seconds()
        queue: asyncio.Queue[Unit] = asyncio.Queue()
        for unit in units:
            queue.put_nowait(unit)
        pending = Batch()
        try:
            workers = [
                asyncio.create_task(self._worker(provider, queue, pending))
                for _ in range(conf.backfill_concurrency)
            ]
            await asyncio.gather(*workers)
        except asyncio.CancelledError:
            progress.interrupted = True
            raise
        finally:
            # Also on cancellation (Ctrl-C): what was fetched is stored before stopping.
            self._flush(provider, pending)
            progress.finished = True

    async def _worker(self, provider: Provider, queue: asyncio.Queue[Unit], pending: Batch) -> None:
        progress = self.progress[provider.NAME]
        while not queue.empty():
            unit = queue.get_nowait()
            batch = await self._fetch_unit(provider, unit)
            if batch is not None:
                if self.locals is not None:
                    batch.observations = [o for o in batch.observations if o.quote in self.locals]
                progress.fetched += len(batch.observations)
                pending.extend(batch)
                if len(pending.observations) >= FLUSH_ROWS:
                    ready = Batch(list(pending.observations), list(pending.rejected))
                    pending.observations.clear()
                    pending.rejected.clear()
                    await asyncio.to_thread(self._flush, provider, ready)
            progress.done += 1

    async def _fetch_unit(self, provider: Provider, unit: Unit) -> Batch | None:
        progress = self.progress[provider.NAME]
        label = str(unit.start) if unit.start == unit.end else f"{unit.start}..{unit.end}"
        for attempt in range(RETRIES):
            try:
                return await provider.fetch_history(self.client, unit.start, unit.end)
            except NoFixing:
                progress.no_fixing += 1
                return None
            except ProviderUnavailable as err:
                if attempt == RETRIES - 1:
                    progress.failures.append(f"{label}: {err.reason}")
                    return None
                wait = err.retry_after if err.retry_after is not None else 2.0 * 2**attempt
                await self._sleep(min(wait, 60.0))
            except ProviderError as err:
                progress.failures.append(f"{label}: {err.reason}")
                return None
            except Exception as err:  # a parser bug must not end the whole backfill
                progress.failures.append(f"{label}: internal error: {type(err).__name__}: {err}")
                return None
        return None  # pragma: no cover - the loop always returns

    def _flush(self, provider: Provider, batch: Batch) -> None:
        if not batch.observations and not batch.rejected:
            return
        result = ingest(self.repo, batch, self.settings.sanity)
        progress = self.progress[provider.NAME]
        progress.result.add(result)
        progress.stored += result.stored


def total_stored(progress: dict[str, ProviderProgress]) -> int:
    return sum(p.stored for p in progress.values())
