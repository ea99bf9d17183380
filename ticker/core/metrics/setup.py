"""One collector's metrics: the registry, the endpoint, and what feeds them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, disable_created_metrics
from prometheus_client.metrics_core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector as MetricSource

from ticker import __version__
from ticker.config import Settings
from ticker.core.collector import Collector, RoundDone
from ticker.core.metrics.rates import RateWatch, Reading, store_reader
from ticker.core.metrics.rounds import RoundMetrics
from ticker.core.metrics.server import MetricsServer, serve


class _Status(MetricSource):
    """The version, and whether the collector's store answers (read at each scrape)."""

    def __init__(self) -> None:
        self.collector: Collector | None = None

    def collect(self) -> Iterator[Metric]:
        info = InfoMetricFamily("ticker", "The collector's version")
        info.add_metric([], {"version": __version__})
        yield info
        collector = self.collector
        if collector is None:
            return
        up = GaugeMetricFamily(
            "ticker_store_available",
            "1 while the store takes the collector's writes, 0 since one was refused",
        )
        up.add_metric([], 0.0 if collector.store.error is not None else 1.0)
        yield up


class CollectorMetrics:
    """The metrics of the collectors of this process, served until :meth:`close`."""

    def __init__(self, registry: CollectorRegistry, rates: RateWatch) -> None:
        self.registry = registry
        self.rounds = RoundMetrics(registry)
        self.rates = rates
        registry.register(rates)
        self._status = _Status()
        registry.register(self._status)
        self.server: MetricsServer | None = None
        self._detach: Callable[[], None] | None = None

    def attach(self, collector: Collector) -> None:
        """Feed the metrics from ``collector``'s rounds (before its first poll)."""
        if self._detach is not None:
            self._detach()
        self.rounds.start(collector.providers, collector.health)
        self._status.collector = collector
        self._detach = collector.subscribe(self._observe)
        self.rates.request()  # what the store shows before the first round

    def _observe(self, event: RoundDone) -> None:
        self.rounds.observe(event)
        self.rates.request()

    def close(self) -> None:
        if self._detach is not None:
            self._detach()
            self._detach = None
        if self.server is not None:
            self.server.close()
            self.server = None
        self.rates.close()


def build_metrics(reading: Reading) -> CollectorMetrics:
    """The metrics in a registry of their own (with the process's CPU and memory; not
    prometheus-client's ``python_info``: the exact Python version is nobody's business)."""
    disable_created_metrics()  # type: ignore[no-untyped-call]  # *_created: noise
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    return CollectorMetrics(registry, RateWatch(reading))


def start_metrics(
    host: str, port: int, settings: Settings, now: Callable[[], datetime]
) -> CollectorMetrics:
    """Metrics for the collector of ``settings``, served on ``host``:``port`` from now
    on (raises UsageError when it cannot listen there)."""
    metrics = build_metrics(store_reader(settings, now))
    try:
        metrics.server = serve(metrics.registry, host, port)
    except BaseException:
        metrics.close()
        raise
    return metrics
