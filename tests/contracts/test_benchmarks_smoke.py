"""Every benchmark still runs (tiny sizes; its timings are not judged here)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.helpers.paths import REPO


def test_every_benchmark_prints_its_figures() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--smoke"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    figures = lines[:-1]
    names = [line.split(":")[0] for line in figures]
    assert any(n.startswith("ingest ") for n in names)
    assert sum(n.startswith("export ") and "sqlite3" in n for n in names) == 3  # three sizes
    assert "export peak memory" in names
    assert any(n.startswith("poll round of ") for n in names)
    assert "parser throughput (observations/s)" in names
    assert sum(n.startswith("start-up, ") for n in names) == 6  # 2 of them with 20 pairs
    assert sum(n.startswith("start-up, ") and ", 20 pairs, " in n for n in names) == 2
    assert any(n.startswith("poll round with 20 watched pairs") for n in names)
    for command in ("strip", "rates --json", "providers"):
        assert any(n.startswith(f"ticker {command} from process start") for n in names)
    assert sum(n.startswith("dashboard CPU over ") for n in names) == 4  # 2 sizes written to
    assert sum(n.startswith("dashboard CPU over ") and " 160x45, " in n for n in names) == 1
    assert sum(n.startswith("endurance") for n in names) == 3
    assert sum(n.startswith("takeover after kill -9") for n in names) == 2
    assert any(n.startswith("market board of 40 institutions drawn") for n in names)
    assert any(n.startswith("backfill of 7 days, 8 rate sources") for n in names)
    assert any(n.startswith("NBT backfill of 7 days") for n in names)
    for command in ("strip", "rates --json", "providers"):
        assert any(
            n.startswith(f"ticker {command} on PostgreSQL from process start") for n in names
        )
    for line in figures:
        assert re.fullmatch(r".+: .+ \(goal .+\) (ok|MISS)", line), line
    assert re.fullmatch(r"\(\d+ s; \d+ missed\)", lines[-1])
