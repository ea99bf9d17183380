"""One-shot reads from process start (``ticker strip``, ``rates --json``, ``providers``,
``health``, ``convert``) against a bare Python process that opens the same SQLite store
read-only and reads one row: what a tmux status line or a shell prompt pays for each
run. Each language is held to the same budget: the strip and the sources are measured in
Russian too (its catalogue loaded, its numbers written by its locale). PostgreSQL's are
in :mod:`benchmarks.pg_reads_bench`."""

from __future__ import annotations

import sys
import tempfile
from functools import partial
from pathlib import Path

from benchmarks.harness import Figure, Run, best_of, run_process, ticker_argv
from benchmarks.store import build_store_apart

#: (arguments, the locale they run in)
COMMANDS = (
    (("strip",), "C.UTF-8"),
    (("strip",), "ru_RU.UTF-8"),
    (("strip", "--change", "1m"), "C.UTF-8"),
    (("rates", "--json"), "C.UTF-8"),
    (("providers",), "C.UTF-8"),
    (("providers",), "ru_RU.UTF-8"),
    (("health",), "C.UTF-8"),
    (("convert", "100", "USD", "KGS"), "C.UTF-8"),
)
#: ``health`` answers 1 for the bench's store (no collector holds it, its fixings are old):
#: an answer like any other, timed as such.
EXIT_CODES = (0, 1)
#: Within this many times the bare read (the design's budget), both timed as whole processes.
BUDGET = 2.0


def _bare(db: Path) -> Run:
    code = (
        "import sqlite3, sys; "
        "c = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True); "
        "c.execute('SELECT * FROM observation LIMIT 1').fetchone()"
    )
    return run_process([sys.executable, "-c", code, str(db)])


def _ticker(db: Path, work: Path, args: tuple[str, ...], lang: str) -> Run:
    env = {
        "LANG": lang,
        "LC_ALL": "",
        "LC_MESSAGES": "",
        "TICKER_DB_URL": f"sqlite:///{db}",
        "XDG_CONFIG_HOME": str(work / "config"),  # no user config: built-in defaults
        "TICKER_CONFIG": "",
    }
    return run_process(ticker_argv(*args), env, exit_codes=EXIT_CODES)


def figures(rows: int, repeats: int) -> list[Figure]:
    result = []
    with tempfile.TemporaryDirectory(prefix="ticker-bench-") as tmp:
        work = Path(tmp)
        db = work / "store.db"
        stored = build_store_apart(db, rows)
        measures = [
            partial(_bare, db),
            *(partial(_ticker, db, work, a, lang) for a, lang in COMMANDS),
        ]
        bare, *ours = best_of(repeats, *measures)
        for (args, lang), run in zip(COMMANDS, ours, strict=True):
            ratio = run.seconds / bare.seconds
            said = "" if lang.startswith("C.") else f" ({lang.split('_')[0]})"
            result.append(
                Figure(
                    f"ticker {' '.join(args)}{said} from process start, {stored:,}-row store, "
                    "vs a bare Python read of one row",
                    f"{ratio:.2f}x ({run.seconds * 1000:.0f} vs {bare.seconds * 1000:.0f} ms, "
                    f"{run.peak_rss_mb:.0f} MB)",
                    f"<= {BUDGET:g}x",
                    ratio <= BUDGET,
                )
            )
    return result
