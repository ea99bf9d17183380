"""A screen's worth of reads goes to the store on one connection, whatever is stored."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.helpers.dashboard import NOW, repo_for
from tests.helpers.factories import series
from tests.helpers.seeded import seed, settings_for
from ticker.config import Settings
from ticker.core.rates import current_rates
from ticker.core.snapshot import load_snapshot, pair_detail
from ticker.model.pairs import Orientation
from ticker.storage.repository import Repository


@pytest.fixture
def seeded(tmp_path: Path) -> Settings:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    seed(repo)
    repo.db.dispose()
    return settings


@contextmanager
def checkouts(repo: Repository) -> Iterator[list[int]]:
    """How many connections the block takes from the pool, and how many statements run."""
    counts = [0, 0]

    def checked_out(*_args: object) -> None:
        counts[0] += 1

    def executed(*_args: object) -> None:
        counts[1] += 1

    event.listen(repo.db.engine, "checkout", checked_out)
    event.listen(repo.db.engine, "before_cursor_execute", executed)
    try:
        yield counts
    finally:
        event.remove(repo.db.engine, "checkout", checked_out)
        event.remove(repo.db.engine, "before_cursor_execute", executed)


def test_the_snapshot_reads_on_one_connection(seeded: Settings) -> None:
    repo = repo_for(seeded)
    try:
        with checkouts(repo) as counts:
            snapshot = load_snapshot(repo, seeded, Orientation.USD_PER, NOW, 0)
        assert snapshot.views  # the seeded store has rates for every pair
        assert counts[0] == 1
        statements = counts[1]
        with checkouts(repo) as counts:
            current_rates(repo, seeded, NOW)
        assert counts[0] == 1
        assert counts[1] < statements  # the rates alone are part of the snapshot
    finally:
        repo.db.dispose()


def test_the_statements_of_a_snapshot_do_not_grow_with_history(seeded: Settings) -> None:
    from tests.helpers.dashboard import repo_for

    repo = repo_for(seeded)
    try:
        with checkouts(repo) as before:
            load_snapshot(repo, seeded, Orientation.USD_PER, NOW, 0)
        older = series("KZT", "nbk", NOW.date().replace(year=2020), ["470"] * 500)
        repo.add_observations(older)
        with checkouts(repo) as after:
            load_snapshot(repo, seeded, Orientation.USD_PER, NOW, 0)
        assert after[1] == before[1]
        with checkouts(repo) as detail:
            pair_detail(repo, seeded, "KZT", Orientation.USD_PER, "nbk")
        assert detail[0] == 1
    finally:
        repo.db.dispose()
