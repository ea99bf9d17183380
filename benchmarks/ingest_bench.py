"""Ingest: storing a backfill-sized batch through the repository against raw sqlite3
``executemany`` of the same rows into the same schema."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from datetime import UTC
from pathlib import Path

from benchmarks.harness import Figure
from benchmarks.store import observations
from providers.base import Observation
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

_INSERT = (
    "INSERT OR IGNORE INTO observation (provider, base, quote, as_of, rate, derived, fetched_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _raw(o: Observation) -> tuple[object, ...]:
    fetched = o.fetched_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    as_of, rate = o.as_of.isoformat(), format(o.rate, "f")
    return (o.provider, o.base, o.quote, as_of, rate, int(o.derived), fetched)


def figures(n: int, repeats: int) -> list[Figure]:
    rows = observations(n)
    ready = [_raw(o) for o in rows]  # the baseline gets its tuples for free
    ours_best = theirs_best = float("inf")
    with tempfile.TemporaryDirectory(prefix="ticker-bench-") as tmp:
        for i in range(repeats):
            # Ours: the repository, as backfill and the collector store.
            path = Path(tmp) / f"ours{i}.db"
            db = open_database(f"sqlite:///{path}")
            try:
                started = time.perf_counter()
                Repository(db).store(rows)
                ours_best = min(ours_best, time.perf_counter() - started)
            finally:
                db.dispose()
            # Baseline: the same schema (made by ticker), raw executemany of ready tuples.
            path = Path(tmp) / f"raw{i}.db"
            open_database(f"sqlite:///{path}").dispose()
            conn = sqlite3.connect(path, isolation_level=None)
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")  # timed from here: the database's own cost
            conn.executemany(_INSERT, ready)
            conn.execute("COMMIT")
            theirs_best = min(theirs_best, time.perf_counter() - started)
            conn.close()
    ratio = theirs_best / ours_best
    return [
        Figure(
            f"ingest {len(rows):,} rows vs raw sqlite3 executemany",
            f"{ratio:.2f}x ({len(rows) / ours_best:,.0f} vs {len(rows) / theirs_best:,.0f} rows/s)",
            ">= 0.5x",
            ratio >= 0.5,
        )
    ]
