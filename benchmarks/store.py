"""A store of N observations shaped like real history: nine providers, five pairs, one
fixing per provider and pair and day, the rates as exact decimal text."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from providers.base import Observation
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

PROVIDERS = ("nbkr", "nbk", "nbt", "cbu", "cbt", "cbr", "frankfurter", "erapi", "currencyapi")
LOCALS = ("KGS", "KZT", "TJS", "UZS", "TMT")
BASE = {"KGS": 87, "KZT": 478, "TJS": 9, "UZS": 12194, "TMT": 3}
LAST_DAY = date(2026, 11, 20)
FETCHED = datetime(2026, 11, 20, 9, 30, 15, 123456, tzinfo=UTC)


def observations(n: int) -> list[Observation]:
    """About ``n`` observations (a whole number of days), oldest first."""
    per_day = len(PROVIDERS) * len(LOCALS)
    days = max(n // per_day, 1)
    first = LAST_DAY - timedelta(days=days - 1)
    rows = []
    for d in range(days):
        day = first + timedelta(days=d)
        for p, provider in enumerate(PROVIDERS):
            derived = provider in ("cbr", "frankfurter", "erapi", "currencyapi")
            for local in LOCALS:
                cents = (d * 37 + p * 11 + len(local)) % 10_000
                rate = Decimal(BASE[local]) + Decimal(cents).scaleb(-4)
                rows.append(Observation(provider, "USD", local, day, rate, derived, FETCHED))
    return rows


def build_store(path: Path, n: int) -> int:
    """Create ``path`` holding about ``n`` observations; returns how many."""
    if path.exists():
        path.unlink()
    db = open_database(f"sqlite:///{path}")
    try:
        repo = Repository(db)
        rows = observations(n)
        for start in range(0, len(rows), 50_000):
            repo.store(rows[start : start + 50_000])
        return len(rows)
    finally:
        db.dispose()


def build_store_apart(path: Path, n: int) -> int:
    """:func:`build_store` in a child process, so this process stays small: the programs
    it starts afterwards (and times) are not slowed by forking a large parent."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from benchmarks.store import build_store; "
        "print(build_store(Path(sys.argv[1]), int(sys.argv[2])))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(n)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return int(out.stdout.strip())
