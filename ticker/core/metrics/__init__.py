"""``ticker collect --metrics HOST:PORT``: the collector's numbers for Prometheus.

Needs the optional ``prometheus-client`` (``pip install 'ticker[metrics]'``); nothing
imports this package unless ``--metrics`` is given. Each collector has a registry of its
own (never the library's global one):

* :mod:`.rounds`: what every round did, fed from the collector's ``RoundDone`` events
  (counters and a histogram; a dictionary update under a lock, nothing that waits);
* :mod:`.rates`: the rate each pair shows, read from the store in a thread of its own
  after the rounds, never in the poll's way;
* :mod:`.server`: the HTTP endpoint, its own threads, bound before the first poll.
"""

from __future__ import annotations

from ticker.core.metrics.rates import RateWatch
from ticker.core.metrics.rounds import RoundMetrics
from ticker.core.metrics.server import MetricsServer, serve
from ticker.core.metrics.setup import CollectorMetrics, build_metrics, start_metrics

__all__ = [
    "CollectorMetrics",
    "MetricsServer",
    "RateWatch",
    "RoundMetrics",
    "build_metrics",
    "serve",
    "start_metrics",
]
