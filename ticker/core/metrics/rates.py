"""The rate each pair shows, as gauges: read from the store after the rounds, off the loop.

A round's event only asks for a new reading; a thread of its own reads the routed rates
(:func:`ticker.core.rates.current_rates`, the same as ``ticker rates``) on a read
connection of its own, and replaces what a scrape sees in one assignment. Requests that
come while it reads are served by one more reading. A store that refuses keeps the last
reading on show (the store's own watch says in the log that it refuses).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from ticker.config import Settings
from ticker.core.rates import current_rates
from ticker.errors import TickerError
from ticker.model.pairs import Orientation
from ticker.model.routing import PairView
from ticker.storage.reader import open_reads
from ticker.storage.reads import ReadQueries

log = logging.getLogger("ticker.metrics")

#: How long closing waits for a reading in progress (then leaves it to the process exit).
CLOSE_WAIT = 5.0


@dataclass(frozen=True, slots=True)
class RateSample:
    """One pair as shown: ``USD/KGS``, from ``nbkr``."""

    pair: str
    source: str
    rate: Decimal
    stale: bool


def samples(views: Sequence[PairView]) -> tuple[RateSample, ...]:
    """One sample per view; a cross's source is the sources of its legs (``frankfurter+nbt``)."""
    return tuple(RateSample(str(v.pair), _source(v), v.rate, v.freshness.stale) for v in views)


def _source(view: PairView) -> str:
    if view.is_cross:
        return "+".join(leg.provider for leg in view.cross_of)
    return view.provider


def read_rates(reads: ReadQueries, settings: Settings, now: datetime) -> tuple[RateSample, ...]:
    """The dollar pairs (``USD/local``) as ``ticker rates`` routes them, then the watched
    pairs beyond the dollar (``[pairs] watch``) in their stored orientation (``RUB/TJS``,
    ``KZT/KGS``), each from its route."""
    shown = samples(current_rates(reads, settings, now, Orientation.PER_USD))
    others = list(dict.fromkeys(p.canonical for p in settings.pairs.others))
    if not others:
        return shown
    from ticker.core.pair_rates import pair_rates

    return shown + samples(pair_rates(reads, settings, others, now))


@dataclass(frozen=True, slots=True)
class Reading:
    """How the rates are read, and how the connection is closed."""

    read: Callable[[], tuple[RateSample, ...]]
    close: Callable[[], None]


def store_reader(settings: Settings, now: Callable[[], datetime]) -> Reading:
    """A reading of the routed rates (:func:`read_rates`) on a read connection of its own,
    opened at the first reading and again after the store refused."""
    held: list[ReadQueries] = []

    def read() -> tuple[RateSample, ...]:
        if not held:
            held.append(open_reads(settings))
        try:
            return read_rates(held[0], settings, now())
        except TickerError:
            close()
            raise

    def close() -> None:
        while held:
            held.pop().close()

    return Reading(read, close)


class RateWatch(Collector):
    """The ``ticker_rate`` gauges, re-read in a thread after each :meth:`request`."""

    def __init__(self, reading: Reading) -> None:
        self._reading = reading
        self.samples: tuple[RateSample, ...] = ()
        self._wanted = threading.Event()
        self._closing = False
        self._turn = threading.Condition()
        self._requested = 0
        self._served = 0
        self._failing = False
        self._thread = threading.Thread(target=self._run, name="ticker-metrics-rates", daemon=True)
        self._thread.start()

    def request(self) -> None:
        """Read the rates again soon (returns at once: the collector's subscriber)."""
        with self._turn:
            self._requested += 1
        self._wanted.set()

    def settle(self, timeout: float) -> bool:
        """Wait until every reading requested so far is done (whether it succeeded)."""
        with self._turn:
            target = self._requested
            return self._turn.wait_for(lambda: self._served >= target, timeout)

    def close(self) -> None:
        self._closing = True
        self._wanted.set()
        self._thread.join(CLOSE_WAIT)

    def _run(self) -> None:
        try:
            while True:
                self._wanted.wait()
                if self._closing:
                    return
                self._wanted.clear()
                with self._turn:
                    asked = self._requested
                self._read()
                with self._turn:
                    self._served = asked
                    self._turn.notify_all()
        finally:
            self._reading.close()

    def _read(self) -> None:
        try:
            self.samples = self._reading.read()
        except TickerError as err:  # the store refuses: the last reading stays on show
            if not self._failing:
                log.info("metrics: rates not read: %s", err)
            self._failing = True
            return
        except Exception:  # a bug must not end the readings (or the collector)
            if not self._failing:
                log.exception("metrics: reading the rates failed")
            self._failing = True
            return
        self._failing = False

    def collect(self) -> Iterator[Metric]:
        shown = self.samples  # one reading, whatever the thread does meanwhile
        rate = GaugeMetricFamily(
            "ticker_rate",
            "The rate each pair shows, local units per US dollar (USD/KGS = 87.45) or per "
            "unit of a watched pair's foreign side (RUB/TJS = 0.1149), from its routed "
            "source (a float: the exact digits are in 'ticker rates --json')",
            labels=["pair", "source"],
        )
        stale = GaugeMetricFamily(
            "ticker_rate_stale",
            "1 when the shown fixing is stale under its source's publication calendar",
            labels=["pair", "source"],
        )
        for sample in shown:
            rate.add_metric([sample.pair, sample.source], float(sample.rate))
            stale.add_metric([sample.pair, sample.source], 1.0 if sample.stale else 0.0)
        yield rate
        yield stale
