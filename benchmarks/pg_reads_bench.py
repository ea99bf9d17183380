"""One-shot reads on PostgreSQL from process start (``ticker strip``, ``rates --json``,
``providers``) against a bare Python process that imports psycopg, connects to the same
server and reads one row: what a status bar pays for each run against a shared store.
The server is a throwaway PostgreSQL started here (:mod:`tests.helpers.pgserver`), filled
with the same rows as the SQLite bench's store. Without the server's binaries the
figure says so, and is a MISS."""

from __future__ import annotations

import subprocess
import sys
from functools import partial

from benchmarks.harness import REPO, Figure, Run, best_of, run_process, ticker_argv

#: The commands timed, each as the SQLite figures time it (English; no config file).
COMMANDS = (("strip",), ("rates", "--json"), ("providers",))
#: Within this many times the bare psycopg read (the design's budget for PostgreSQL).
BUDGET = 1.5
NAME = (
    "ticker {command} on PostgreSQL from process start, {rows:,}-row store, "
    "vs a bare psycopg read of one row"
)
_BARE = (
    "import psycopg, sys; c = psycopg.connect(sys.argv[1]); "
    "c.execute('SELECT * FROM observation LIMIT 1').fetchone()"
)
#: Fills the store through the write side (its schema, its migrations), in a child
#: process: the bench's own process stays small for the programs it starts.
_FILL = (
    "import sys; from benchmarks.store import observations; "
    "from ticker.storage.db import open_database; "
    "from ticker.storage.repository import Repository; "
    "db = open_database(sys.argv[1]); rows = observations(int(sys.argv[2])); "
    "[Repository(db).store(rows[i : i + 50_000]) for i in range(0, len(rows), 50_000)]; "
    "db.dispose(); print(len(rows))"
)


def _bare(conninfo: str) -> Run:
    return run_process([sys.executable, "-c", _BARE, conninfo])


def _ticker(conninfo: str, work: str, args: tuple[str, ...]) -> Run:
    env = {
        "LANG": "C.UTF-8",
        "LC_ALL": "",
        "LC_MESSAGES": "",
        "TICKER_DB_URL": conninfo,
        "XDG_CONFIG_HOME": f"{work}/config",  # no user config: built-in defaults
        "TICKER_CONFIG": "",
    }
    return run_process(ticker_argv(*args), env)


def figures(rows: int, repeats: int) -> list[Figure]:
    import tempfile

    from tests.helpers.pgserver import PostgresServer

    try:
        server = PostgresServer()
    except (RuntimeError, OSError, subprocess.CalledProcessError) as err:
        said = "PostgreSQL not installed" if isinstance(err, RuntimeError) else f"{err}"
        return [
            Figure(NAME.format(command=" ".join(a), rows=rows), said, f"<= {BUDGET:g}x", False)
            for a in COMMANDS
        ]
    try:
        server.start()
        conninfo = server.url.replace("postgresql+psycopg://", "postgresql://")
        fill = subprocess.run(
            [sys.executable, "-c", _FILL, conninfo, str(rows)],
            check=True,
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        stored = int(fill.stdout.strip())
        with tempfile.TemporaryDirectory(prefix="ticker-bench-") as work:
            measures = [
                partial(_bare, conninfo),
                *(partial(_ticker, conninfo, work, a) for a in COMMANDS),
            ]
            bare, *ours = best_of(repeats, *measures)
    finally:
        server.remove()
    result = []
    for args, run in zip(COMMANDS, ours, strict=True):
        ratio = run.seconds / bare.seconds
        result.append(
            Figure(
                NAME.format(command=" ".join(args), rows=stored),
                f"{ratio:.2f}x ({run.seconds * 1000:.0f} vs {bare.seconds * 1000:.0f} ms, "
                f"{run.peak_rss_mb:.0f} MB)",
                f"<= {BUDGET:g}x",
                ratio <= BUDGET,
            )
        )
    return result
