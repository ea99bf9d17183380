"""Reading a metrics endpoint as Prometheus does: an HTTP GET, the text format parsed."""

from __future__ import annotations

import urllib.request

from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
"""(sample name, its labels) -> value."""


def scrape(url: str) -> Samples:
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.status == 200
        text = answer.read().decode()
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(samples: Samples, name: str, **labels: str) -> float | None:
    """The sample ``name`` with exactly ``labels`` (None: absent)."""
    return samples.get((name, frozenset(labels.items())))


def by_label(samples: Samples, name: str, label: str, **where: str) -> dict[str, float]:
    """Every sample ``name`` (with the labels ``where``), by the value of one label."""
    found = {}
    for (sample, labels), v in samples.items():
        named = dict(labels)
        if sample == name and label in named and where.items() <= named.items():
            found[named[label]] = v
    return found
