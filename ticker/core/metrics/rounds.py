"""Every round's outcome as Prometheus metrics, fed from the collector's events.

The subscriber runs on the collector's loop after each round: it only adds to counters
(each a lock held for an addition), so it never holds up a poll.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from ticker.config.sources import kind_of
from ticker.core.collector import RoundDone
from ticker.model.health import FAILING, ProviderHealth

#: A round's outcome, as the ``outcome`` label says it.
OK = "ok"
FAILED = "failed"
NOT_STORED = "not_stored"
"""The source answered, but the store refused the batch (not the source's fault)."""
OUTCOMES = (OK, FAILED, NOT_STORED)

#: Seconds a round takes, fetch with its retries and the store included: most answer
#: within a second; a retried one waits 2 s, 4 s ... between attempts.
DURATION_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


class RoundMetrics:
    """The per-provider counters and gauges of one collector, in ``registry``."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.polls = Counter(
            "ticker_polls",
            "Poll rounds per provider, by outcome (ok, failed, not_stored: the store refused)",
            ["provider", "outcome"],
            registry=registry,
        )
        self.rows = Counter(
            "ticker_rows_stored",
            "New rate rows stored (a fixing already stored is not counted)",
            ["provider"],
            registry=registry,
        )
        self.indicator_values = Counter(
            "ticker_indicator_values_stored",
            "New economic indicator values stored",
            ["provider"],
            registry=registry,
        )
        self.quotes = Counter(
            "ticker_quotes_received",
            "Quotes a market source's board gave (banks' and offices' buy and sell)",
            ["provider"],
            registry=registry,
        )
        self.quarantined = Counter(
            "ticker_quarantined",
            "Rates quarantined by the sanity checks (an implausible move), not stored as points",
            ["provider"],
            registry=registry,
        )
        self.rejected = Counter(
            "ticker_rejected",
            "Rows a source sent that were rejected (not a positive finite rate, a bad date)",
            ["provider"],
            registry=registry,
        )
        self.firings = Counter(
            "ticker_alert_firings", "Alert rules that fired after a round", registry=registry
        )
        self.duration = Histogram(
            "ticker_round_duration_seconds",
            "How long a round took: the fetch with its retries, and the store",
            ["provider"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self.last_success = Gauge(
            "ticker_last_success_timestamp_seconds",
            "When the provider last answered well (Unix time; absent: never)",
            ["provider"],
            registry=registry,
        )
        self.consecutive_failures = Gauge(
            "ticker_consecutive_failures",
            "Failed rounds in a row (0 after a good one)",
            ["provider"],
            registry=registry,
        )
        self.failing = Gauge(
            "ticker_provider_failing",
            "1 while the provider is failing (routing passes it over), else 0",
            ["provider"],
            registry=registry,
        )

    def start(self, providers: Iterable[str], health: Mapping[str, ProviderHealth]) -> None:
        """Every provider's series at zero, and the health it starts with (as stored: a
        restarted collector still says when each source last answered)."""
        for name in providers:
            for outcome in OUTCOMES:
                self.polls.labels(name, outcome)
            kind = kind_of(name)
            stored: tuple[Counter, ...] = (self.rows, self.quarantined)
            if kind != "rates":
                stored = (self.indicator_values,) if kind == "indicators" else (self.quotes,)
            for counter in (*stored, self.rejected):
                counter.labels(name)
            self.duration.labels(name)
            self._health(name, health.get(name, ProviderHealth(name)))

    def observe(self, event: RoundDone) -> None:
        """One round: the collector's subscriber."""
        outcome = event.outcome
        name = outcome.provider
        if outcome.store_failed:
            self.polls.labels(name, NOT_STORED).inc()
        else:
            self.polls.labels(name, OK if outcome.ok else FAILED).inc()
        result = outcome.result
        if result is not None:
            kind = kind_of(name)
            if kind == "indicators":
                self.indicator_values.labels(name).inc(result.indicators_added)
            elif kind == "market":
                self.quotes.labels(name).inc(outcome.quotes)
            else:
                self.rows.labels(name).inc(result.stored)
                self.quarantined.labels(name).inc(len(result.quarantined))
            self.rejected.labels(name).inc(len(result.rejected))
        if outcome.seconds is not None:
            self.duration.labels(name).observe(outcome.seconds)
        self.firings.inc(len(event.firings))
        self._health(name, event.health)

    def _health(self, name: str, health: ProviderHealth) -> None:
        if health.last_success is not None:
            self.last_success.labels(name).set(health.last_success.timestamp())
        self.consecutive_failures.labels(name).set(health.consecutive_failures)
        self.failing.labels(name).set(1 if health.state == FAILING else 0)
