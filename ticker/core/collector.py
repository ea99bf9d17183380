"""The one refresh service: polls providers on schedule, stores, tracks health.

Both ``ticker collect`` (headless) and the dashboard run this code. Each provider is its
own scheduled job on one shared ``httpx.AsyncClient``; rounds of different providers
run concurrently. A transient failure (timeout, 5xx, 429) is retried within the round
with exponential backoff and jitter (``Retry-After`` honoured); after
``failing_after`` failed rounds in a row the provider is *failing*: routing passes it
over and it is polled ``failing_slowdown`` times less often until it recovers. Only
transitions are logged (ok -> failing with the reason, failing -> recovered), every
quarantined rate once (WARNING: the pair, the value, the source, the reason), and a poll
skipped because the previous one still runs; every poll's outcome goes to the
``ticker.collector.polls`` logger at INFO, which ``ticker collect --verbose`` shows.
After every round the alert rules are evaluated against the store (see
:mod:`ticker.core.alerts.evaluate`); firings go to the desktop and command hooks from here, and
to subscribers (the dashboard's toast and bell) with the round.
Subscribers hear about every round through ``subscribe(callback)``.

Beside it: when to poll again (:mod:`ticker.core.pacing`), what is said in the log
(:mod:`ticker.core.poll_log`), whether the store answers (:mod:`ticker.core.store_watch`).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import httpx

from providers.base import Provider, ProviderError, ProviderUnavailable
from ticker.config import Settings
from ticker.core.alerts.deliver import Dispatcher
from ticker.core.alerts.evaluate import evaluate_rules
from ticker.core.alerts.firing import Firing
from ticker.core.alerts.outbox import Outbox
from ticker.core.ingest import IngestResult, ingest
from ticker.core.pacing import (
    RETRY_AFTER_CAP,
    backoff,
    decision_poll,
    first_run,
    held_after,
    held_at_start,
    next_poll,
    pace_of,
)
from ticker.core.poll_log import SaidOnce, log, poll_line, start_line
from ticker.core.scheduler import Scheduler
from ticker.core.store_watch import StoreWatch
from ticker.errors import TickerError, internal_error
from ticker.i18n.numbers import localised
from ticker.i18n.words import _
from ticker.model.health import FAILING, HealthChange, ProviderHealth
from ticker.storage.repository import Repository

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """One provider's round: what was stored, or why it failed."""

    provider: str
    result: IngestResult | None
    error: ProviderError | None
    store_failed: bool = False
    """The source answered but the store refused the batch (locked, full): not the
    source's fault, so it does not count against its health."""
    seconds: float | None = None
    """How long the round took by the collector's clock: the fetch with its retries,
    and the store."""
    quotes: int = 0
    """A market source's round: the quotes its board gave (kept or not by the store)."""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class RoundDone:
    """Sent to subscribers after every round of one provider."""

    outcome: PollOutcome
    health: ProviderHealth
    firings: tuple[Firing, ...] = ()
    """Alert rules that fired on what this round stored (or on time passing)."""


Subscriber = Callable[[RoundDone], None]


class Collector:
    def __init__(
        self,
        settings: Settings,
        repo: Repository,
        providers: Sequence[Provider],
        client: httpx.AsyncClient,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        timer: Callable[[], float] = time.monotonic,
        gate: Callable[[], bool] | None = None,
    ) -> None:
        """``gate``: asked before every scheduled round and every write; False (the
        store's lease is not confirmed: :mod:`ticker.core.leadership`) skips them."""
        self.settings = settings
        self.gate = gate
        self.repo = repo
        self.providers = {p.NAME: p for p in providers}
        self.client = client
        self.now = now
        self._sleep = sleep
        self._rand = rand
        self._timer = timer
        stored = repo.load_health()
        self.health = {name: stored.get(name, ProviderHealth(name)) for name in self.providers}
        self.pace = {
            name: pace_of(p, settings.providers[name].interval, settings.decisions)
            for name, p in self.providers.items()
        }
        """How often each source is polled, and what decides it (:mod:`ticker.core.pacing`)."""
        self.alerts = Dispatcher(
            settings.collector.hook_timeout.total_seconds(), settings.webhook, sleep,
            hooks=settings.hooks, outbox=Outbox(repo, now, self._in_store_thread),
            telegram=settings.telegram,
        )  # fmt: skip
        self._alerts_crashed = False
        self._subscribers: list[Subscriber] = []
        self._scheduler: Scheduler | None = None
        self._tasks: set[asyncio.Task[PollOutcome]] = set()
        self._inflight: dict[str, asyncio.Task[PollOutcome]] = {}
        self._crashed: set[str] = set()
        self._newest: dict[str, date] = held_at_start(repo, self.pace, self.health)
        """The newest fixing of each source, stored or given to this collector (a market
        source's: the day of its last good round), for its schedule."""
        self._said = SaidOnce()
        self._stopping = False
        self._replanned: asyncio.Task[None] | None = None
        """Storing the plans a start moved (:meth:`_store_plans`)."""
        self.store = StoreWatch()
        self._store_turn = asyncio.Lock()
        """Store calls of the rounds go one at a time. The store takes one writer at a time
        anyway, and with one thread at work instead of several, the event loop (reading the
        other sources' answers) is the only other taker of the GIL. Nine sources answering
        at once took a round from 1.3-1.4x to 1.15-1.2x the slowest source's time."""

    async def _in_store_thread(self, func: Callable[..., T], *args: Any, writes: bool = True) -> T:
        """A store call, in a worker thread. Its failure, or a write's success, is the
        store's state (:class:`StoreWatch`: one line when it goes, one when it is back):
        a store that answers reads, or some writes but refuses others, has not recovered."""
        call = getattr(func, "__qualname__", None) or repr(func)
        async with self._store_turn:
            try:
                value = await asyncio.to_thread(func, *args)
            except TickerError as err:
                self.store.failed(err, self.now(), call)
                raise
            self.store.answered(self.now(), call, wrote=writes)
            return value

    # ------------------------------------------------------------------ subscribers

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback`` after every round; returns the function that unsubscribes."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers else None

    # ------------------------------------------------------------------ timing

    def interval(self, name: str) -> timedelta:
        """The provider's polling interval now (:class:`~ticker.core.pacing.Pace`): slower
        while it is failing."""
        normal = self.pace[name].interval
        if self.health[name].state == FAILING:
            return normal * self.settings.collector.failing_slowdown
        return normal

    def jitter(self, name: str) -> timedelta:
        return min(self.interval(name) / 10, timedelta(minutes=5))

    def backoff(self, attempt: int, err: ProviderUnavailable) -> float:
        """Seconds to wait before attempt ``attempt + 1`` of a round
        (:func:`ticker.core.pacing.backoff`)."""
        return backoff(attempt, err, self._rand)

    # ------------------------------------------------------------------ rounds

    async def poll(self, name: str) -> PollOutcome:
        """One round of ``name``: fetch (with retries), store, record health, notify.

        A round already running for ``name`` is joined, never doubled. The round runs in
        its own task, shielded: cancelling the caller (a scheduler stopping) does not cut
        a round short; :meth:`stop` decides how long rounds may finish.
        """
        running = self._inflight.get(name)
        if running is None or running.done():
            running = asyncio.create_task(self._round(name))
            self._inflight[name] = running
            self._tasks.add(running)
            running.add_done_callback(self._tasks.discard)
        return await asyncio.shield(running)

    async def _round(self, name: str) -> PollOutcome:
        provider = self.providers[name]
        retries = self.settings.collector.retries
        error: ProviderError | None = None
        result: IngestResult | None = None
        retry_later: float | None = None
        store_failed = False
        began = self._timer()
        attempts = 0
        received = quotes = 0
        for attempt in range(retries):
            attempts = attempt + 1
            try:
                batch = await provider.latest(self.client)
            except ProviderUnavailable as err:
                error = err
                wait = self.backoff(attempt, err)
                if wait > RETRY_AFTER_CAP:
                    retry_later = wait
                    break
                if attempt == retries - 1:
                    break
                await self._sleep(wait)
                continue
            except ProviderError as err:
                error = err
                break
            except Exception as err:  # a provider bug must not stop the collector
                reason = internal_error(err)
                error = ProviderError(name, provider.base_url, reason)
                if name not in self._crashed:  # the traceback once, not every round
                    self._crashed.add(name)
                    log.exception("%s: unexpected error", name)
                break
            quotes = len(batch.quotes)
            received = len(batch.observations) + len(batch.indicators) + quotes
            if self.gate is not None and not self.gate():
                said = _("not stored: the lease is gone")
                error = ProviderError(name, provider.base_url, said)
                store_failed = True
                break
            try:
                result = await self._in_store_thread(ingest, self.repo, batch, self.settings.sanity)
                error = None
            except TickerError as err:  # the store refused (locked, full): nothing was kept
                said = _("not stored: {error}").format(error=err)
                error = ProviderError(name, provider.base_url, said)
                store_failed = True
            break
        seconds = self._timer() - began  # monotonic: the round's own duration
        outcome = PollOutcome(name, result, error, store_failed, seconds, quotes)
        if result is not None:
            self._said.quarantined(name, result)
        poll_line(outcome, seconds, attempts, received)
        await self._record(name, outcome, retry_later)
        return outcome

    def skipped(self, name: str, started: datetime | None) -> None:
        """The scheduler skipped a poll of ``name``: its previous one still runs (said
        once per overrunning poll: :class:`~ticker.core.poll_log.SaidOnce`)."""
        self._said.skipped(name, started)

    async def _record(self, name: str, outcome: PollOutcome, retry_later: float | None) -> None:
        health = self.health[name]
        before = self.interval(name)
        when = self.now()
        if outcome.store_failed:  # said once, by the store's watch, for every provider
            health.last_attempt = when
        elif outcome.error is None:
            if health.succeeded(when) is HealthChange.RECOVERED:
                log.info("%s", _("{source} recovered").format(source=name))
        else:
            transition = health.failed(
                when, outcome.error.reason, self.settings.collector.failing_after
            )
            if transition is HealthChange.FAILING:
                said = _("{source} is failing: {reason} ({url})")
                err = outcome.error
                log.warning("%s", said.format(source=name, reason=err.reason, url=err.url))
        firings: list[Firing] = []
        try:
            after = self.interval(name)
            if self._scheduler is not None:
                if after != before:
                    self._scheduler.reschedule(name, after, self.jitter(name))
                if retry_later:
                    self._scheduler.run_at(name, when + timedelta(seconds=retry_later))
                elif outcome.result is not None and health.state != FAILING:
                    held = held_after(self.pace[name], outcome.result.latest, when)
                    self._follow_calendar(name, held, when)
                health.next_run = self._scheduler.next_run(name)
            # A one-off poll (no schedule of its own) leaves the stored next run alone: the
            # running collector's plan, shown by `ticker providers`, is still its plan.
            scheduled = self._scheduler is not None
            if self.gate is None or self.gate():  # no write without the lease
                try:
                    await self._in_store_thread(self.repo.save_health, health, scheduled)
                except TickerError:  # advisory: never stops the rounds (the watch said it)
                    pass
                firings = await self._evaluate_alerts(when)
                self.alerts.deliver(firings)
        except Exception:  # a bug here must not leave subscribers waiting for this round
            log.exception("%s: recording the round failed", name)
        event = RoundDone(outcome, health, tuple(firings))
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:  # a subscriber's bug must not stop the collector
                log.exception("subscriber failed")

    def _follow_calendar(self, name: str, latest: date | None, when: datetime) -> None:
        """After a good round: poll again soon around publication, rarely otherwise."""
        assert self._scheduler is not None
        if latest is not None:
            self._newest[name] = max(latest, self._newest.get(name, latest))
        around = decision_poll(self.pace[name], when, self.interval(name))
        if around is not None:  # a monetary source: hourly around a policy-rate decision
            scheduled = self._scheduler.next_run(name)
            if scheduled is None or around < scheduled:
                self._scheduler.run_at(name, around)
            return
        if not self.pace[name].follows_calendar:  # the user's interval, or no calendar
            return
        calendar, lead_in = self.providers[name].CALENDAR, self.pace[name].lead_in
        planned = next_poll(calendar, when, self.interval(name), self._newest.get(name), lead_in)
        scheduled = self._scheduler.next_run(name)
        if scheduled is not None and planned > scheduled:
            self._scheduler.run_at(name, planned)

    async def _evaluate_alerts(self, when: datetime) -> list[Firing]:
        try:
            # With every provider's stored health, not only this collector's (which it
            # has just saved): `ticker poll --provider X` routes as the dashboard does.
            return await self._in_store_thread(
                evaluate_rules, self.repo, self.settings, when, writes=False
            )
        except TickerError:  # the store is busy or gone (the watch said so): next round
            pass
        except Exception:  # a bug in a rule must not stop the collector
            if not self._alerts_crashed:
                self._alerts_crashed = True
                log.exception("alerts: unexpected error")
        return []

    async def poll_all(self) -> list[PollOutcome]:
        """One round of every provider, concurrently."""
        return list(await asyncio.gather(*(self.poll(name) for name in self.providers)))

    # ------------------------------------------------------------------ scheduling

    def start(self, scheduler: Scheduler) -> list[str]:
        """Schedule every provider and start; returns those polled at once. Call inside
        the running loop.

        A provider polled before (by this or another process) keeps its persisted next
        run if that is still ahead: restarting never hammers a source (erapi locks out
        over-pollers); one never polled, or overdue, is polled at once, and so is one
        whose plan is not believed or was made for another interval than the one the
        user chose (:func:`~ticker.core.pacing.first_run`). Each source's first poll is
        said in one line, with why (:func:`~ticker.core.poll_log.start_line`).
        """
        self._scheduler = scheduler
        scheduler.on_skipped(self.skipped)
        now = self.now()
        slowdown = self.settings.collector.failing_slowdown
        at_once, moved = [], []
        for name in self.providers:
            health, interval = self.health[name], self.interval(name)
            first = first_run(health, now, self.pace[name], interval, slowdown)
            failing = slowdown if health.state == FAILING else 0
            log.log(*start_line(name, first, now, self.pace[name], failing, self._newest.get(name)))
            if first.at is None:
                at_once.append(name)
            elif first.at != health.next_run:
                health.next_run = first.at
                moved.append(name)
            scheduler.every(name, interval, self._job(name), self.jitter(name), first.at)
        scheduler.start()
        if moved:
            self._replanned = asyncio.get_running_loop().create_task(self._store_plans(moved))
        return at_once

    async def _store_plans(self, names: list[str]) -> None:
        """Store the next runs a start moved (an interval changed): `ticker providers`
        shows this collector's plan before the source's first round."""
        for name in names:
            if self.gate is not None and not self.gate():
                return
            try:
                await self._in_store_thread(self.repo.save_health, self.health[name])
            except TickerError:  # the watch said it; the first round writes it again
                pass

    def _job(self, name: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            if self.gate is not None and not self.gate():
                return  # the lease is not confirmed: no round (the leadership says why)
            try:
                await self.poll(name)
            except asyncio.CancelledError:
                if not self._stopping:
                    raise
                # stop() cut the round short after its grace, and said so: not an error.

        return run

    async def stop(self, grace: float = 4.0, hook_grace: float | None = None) -> None:
        """Stop scheduling; give rounds in flight ``grace`` seconds and alert deliveries
        ``hook_grace`` (default ``grace``), then cancel them (killing hooks, logged)."""
        if self._scheduler is not None:
            self._scheduler.pause()  # no new rounds; the running ones finish below
        self._stopping = True
        pending = [t for t in self._tasks if not t.done()]
        if pending:
            _done, still = await asyncio.wait(pending, timeout=grace)
            running = {task: name for name, task in self._inflight.items()}
            for task in still:
                said = _(
                    "{source}: poll still running after {seconds}s at stop: cancelled "
                    "(nothing half-stored)"
                )
                source = running.get(task) or _("a provider")
                log.warning("%s", said.format(source=source, seconds=localised(f"{grace:g}")))
                task.cancel()
            if still:
                await asyncio.wait(still, timeout=1.0)
        if self._replanned is not None:
            await asyncio.wait({self._replanned}, timeout=grace)
        await self.alerts.drain(grace if hook_grace is None else hook_grace)
        if self._scheduler is not None:
            self._scheduler.shutdown()
