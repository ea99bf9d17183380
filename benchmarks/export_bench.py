"""Export: ``ticker export`` against SQLite's own CSV dump of the same rows at three sizes
(where start-up weighs, between, and where the rows do), and its peak memory at the
smallest and the largest (it must not grow with the row count)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from benchmarks.harness import Figure, Run, best_of, run_process, ticker_argv
from benchmarks.store import build_store_apart

QUERY = (
    "SELECT as_of, base, quote, rate, provider, derived, fetched_at FROM observation "
    "ORDER BY base, quote, as_of, provider"
)
#: Every size at least this fraction of ``sqlite3 -csv``'s rows/s (DESIGN.md section 8)...
GOAL = 0.5
#: ... and the largest, where start-up no longer weighs, this (issue 32).
LARGE_GOAL = 0.8
RSS_LIMIT_MB = 80.0
#: Peak memory at the large size may exceed the small size's by this fraction ("flat").
FLAT = 0.10


def _export(db: Path, out: Path, work: Path) -> Run:
    env = {
        "TICKER_DB_URL": f"sqlite:///{db}",
        "XDG_CONFIG_HOME": str(work / "config"),  # no user config: built-in defaults
        "TICKER_CONFIG": "",
    }
    return run_process(ticker_argv("export", "-o", str(out), "--force"), env)


def _sqlite_dump(db: Path, out: Path) -> Run:
    sqlite3 = shutil.which("sqlite3")
    assert sqlite3 is not None
    with out.open("wb") as f:
        return run_process([sqlite3, "-csv", str(db), QUERY], stdout=f)


def _against_sqlite3(work: Path, n: int, rows: int, repeats: int, goal: float) -> Figure:
    """Rows per second from process start, ours against ``sqlite3 -csv``'s."""
    name = f"export {rows:,} rows vs sqlite3 -csv"
    if not shutil.which("sqlite3"):
        return Figure(name, "sqlite3 not installed", f">= {goal}x", False)
    db = work / f"{n}.db"
    ours, theirs = best_of(
        repeats,
        lambda: _export(db, work / "ours.csv", work),
        lambda: _sqlite_dump(db, work / "theirs.csv"),
    )
    ratio = theirs.seconds / ours.seconds
    return Figure(
        name,
        f"{ratio:.2f}x ({rows / ours.seconds:,.0f} vs {rows / theirs.seconds:,.0f} "
        f"rows/s, {ours.seconds * 1000:,.0f} vs {theirs.seconds * 1000:,.0f} ms, "
        "from process start)",
        f">= {goal}x",
        ratio >= goal,
    )


def figures(small: int, large: int, repeats: int, middle: int | None = None) -> list[Figure]:
    """The export at ``small``, ``middle`` (None: three times ``small``, the issue's
    300,000 beside 100,000, when that is below ``large``) and ``large`` rows, each the
    best of several runs interleaved with ``sqlite3``'s; its peak memory at ``small`` and
    ``large``."""
    if middle is None and 3 * small < large:
        middle = 3 * small
    result = []
    with tempfile.TemporaryDirectory(prefix="ticker-bench-") as tmp:
        work = Path(tmp)
        ns = sorted({small, large, *([middle] if middle is not None else [])})
        sizes = {n: build_store_apart(work / f"{n}.db", n) for n in ns}
        for n in ns:
            # A small export is over in a fraction of a second, where noise weighs most:
            # more runs of each side (interleaved) find its floor.
            runs = 2 * repeats - 1 if n == large else 2 * repeats + 1
            goal = LARGE_GOAL if n == large else GOAL
            result.append(_against_sqlite3(work, n, sizes[n], runs, goal))
        rss = {
            n: min(_export(work / f"{n}.db", work / "rss.csv", work).peak_rss_mb for _ in range(2))
            for n in (small, large)
        }
        growth = rss[large] / rss[small] - 1
        result.append(
            Figure(
                "export peak memory",
                f"{rss[small]:.1f} MB at {sizes[small]:,} rows, {rss[large]:.1f} MB at "
                f"{sizes[large]:,} ({growth:+.1%})",
                f"< {RSS_LIMIT_MB:.0f} MB, within {FLAT:.0%}",
                max(rss.values()) < RSS_LIMIT_MB and growth <= FLAT,
            )
        )
    return result
