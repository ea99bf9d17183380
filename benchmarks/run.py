"""``make bench``: print every figure as ``name: value (goal ...) ok|MISS``.

``--smoke`` runs each benchmark at tiny sizes (the test suite does, to keep them working);
its timings mean nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable

from benchmarks import (
    backfill_bench,
    dashboard_bench,
    endurance_bench,
    export_bench,
    ingest_bench,
    market_board_bench,
    pairs_bench,
    parse_bench,
    pg_reads_bench,
    poll_bench,
    reads_bench,
    takeover_bench,
)
from benchmarks.harness import Figure


def benches(smoke: bool) -> list[Callable[[], list[Figure]]]:
    repeats = 1 if smoke else 3
    return [
        lambda: dashboard_bench.figures(
            1_000, 4_000 if smoke else 1_000_000, 1 if smoke else 7, 1.0 if smoke else 60.0
        ),
        lambda: pairs_bench.figures(3 if smoke else 365, 1 if smoke else 5),
        lambda: reads_bench.figures(4_000 if smoke else 100_000, 3 if smoke else 15),
        lambda: pg_reads_bench.figures(4_000 if smoke else 100_000, 3 if smoke else 15),
        lambda: ingest_bench.figures(2_000 if smoke else 100_000, repeats),
        lambda: export_bench.figures(
            1_000 if smoke else 100_000, 4_000 if smoke else 1_000_000, repeats
        ),
        lambda: poll_bench.figures(repeats),
        lambda: backfill_bench.figures(7, 0.0) if smoke else backfill_bench.figures(),
        lambda: parse_bench.figures(0.05, 20, 1) if smoke else parse_bench.figures(2.0),
        lambda: endurance_bench.figures(200 if smoke else 10_000),
        lambda: takeover_bench.figures(repeats),
        lambda: market_board_bench.figures(2 if smoke else 30),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one repeat")
    args = parser.parse_args(argv)
    # The programs measured start as a first-time user's would: no theme or orientation
    # remembered from this machine's dashboards (a remembered flip shows USD/KGS, and the
    # benches look for KGS/USD on the screen).
    state = tempfile.TemporaryDirectory(prefix="ticker-bench-state-")
    os.environ["XDG_STATE_HOME"] = state.name
    started = time.perf_counter()
    missed = 0
    for bench in benches(args.smoke):
        for figure in bench():
            print(figure.line(), flush=True)
            missed += not figure.ok
    print(f"({time.perf_counter() - started:.0f} s; {missed} missed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
