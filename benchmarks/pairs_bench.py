"""Issue 28's budgets with 20 watched pairs and a year of history each
(:mod:`benchmarks.pairs_store`): the dashboard's first frame and data on screen against a
minimal Textual app (1.3x, 1.5x), and ``strip`` / ``rates --json`` against a bare read
(the one-shot budget, :data:`benchmarks.reads_bench.BUDGET`)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path

from benchmarks import dashboard_bench, reads_bench
from benchmarks.harness import REPO, Figure, Run, best_of, run_process, ticker_argv
from benchmarks.pairs_store import config_text
from benchmarks.terminal import Terminal

COMMANDS = (("strip",), ("rates", "--json"))
#: A rate on screen (the dollar pairs in the display orientation, as in dashboard_bench).
DATA = dashboard_bench.DATA


def _startup(terminal: Terminal) -> tuple[float, float]:
    terminal.start([dashboard_bench.FIRST_FRAME, DATA])
    try:
        return terminal.wait_for(dashboard_bench.FIRST_FRAME), terminal.wait_for(DATA)
    finally:
        terminal.stop()


def _build(path: Path, days: int) -> int:
    code = (
        "import sys; from pathlib import Path; from benchmarks.pairs_store import "
        "build_pairs_store; print(build_pairs_store(Path(sys.argv[1]), int(sys.argv[2])))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path), str(days)], check=True,
                         capture_output=True, text=True, cwd=REPO)  # fmt: skip
    return int(out.stdout.strip())


def _env(db: Path, config: Path) -> dict[str, str]:
    return {"TICKER_DB_URL": f"sqlite:///{db}", "TICKER_CONFIG": str(config)}


def _ticker(db: Path, config: Path, args: tuple[str, ...]) -> Run:
    return run_process(ticker_argv(*args), _env(db, config))


def figures(days: int, repeats: int) -> list[Figure]:
    result = []
    with tempfile.TemporaryDirectory(prefix="ticker-bench-") as tmp:
        work = Path(tmp)
        db, config = work / "pairs.db", work / "config.toml"
        config.write_text(config_text())
        rows = _build(db, days)
        measures = [partial(reads_bench._bare, db),
                    *(partial(_ticker, db, config, a) for a in COMMANDS)]  # fmt: skip
        bare, *ours = best_of(repeats, *measures)
        for args, run in zip(COMMANDS, ours, strict=True):
            ratio = run.seconds / bare.seconds
            result.append(Figure(
                f"ticker {' '.join(args)}, 20 pairs, {rows:,}-row store, vs a bare read",
                f"{ratio:.2f}x ({run.seconds * 1000:.0f} vs {bare.seconds * 1000:.0f} ms)",
                f"<= {reads_bench.BUDGET:g}x", ratio <= reads_bench.BUDGET,
            ))  # fmt: skip
        firsts: list[float] = []
        shown: list[float] = []
        minimal: list[float] = []
        for i in range(repeats):  # interleaved: noise hits both alike
            for ours_first in (True, False) if i % 2 == 0 else (False, True):
                if ours_first:
                    terminal = Terminal(
                        [sys.executable, "-m", "ticker.cli", "--no-collect"], _env(db, config),
                        dashboard_bench.COLS, dashboard_bench.ROWS,
                    )  # fmt: skip
                    first, data = _startup(terminal)
                    firsts.append(first)
                    shown.append(data)
                else:
                    minimal.append(dashboard_bench._startup(dashboard_bench._minimal(), False)[0])
        m = min(minimal)
        for what, ours_t, goal in (("first frame", min(firsts), 1.3),
                                   ("data on screen", min(shown), 1.5)):  # fmt: skip
            ratio = ours_t / m
            result.append(Figure(
                f"start-up, {what}, 20 pairs, {rows:,}-row store, vs a minimal Textual app",
                f"{ratio:.2f}x ({ours_t:.2f} vs {m:.2f} s)", f"<= {goal:g}x", ratio <= goal,
            ))  # fmt: skip
    return result


if __name__ == "__main__":
    for figure in figures(365, 5):
        print(figure.line(), flush=True)  # noqa: T201 - a bench prints its figures
