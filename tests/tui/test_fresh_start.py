"""A running dashboard shows what a fresh start shows: after every resize and every change
of the data under it, the rates table (its columns, their widths, every cell) is the table a
new dashboard at the same size and data draws."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta
from decimal import Decimal

from providers.base import Observation
from tests.helpers.dashboard import NOW, TODAY, make_app, repo_for, rows, settle
from ticker.config import Settings
from ticker.model.health import HealthState, ProviderHealth
from ticker.tui.app import TickerApp
from ticker.tui.widgets.rates import RatesTable

SIZES = [(80, 24), (100, 30), (160, 45)]
Table = tuple[list[dict[str, str]], list[tuple[str, int]]]


def table_of(app: TickerApp) -> Table:
    """Every cell's text, and each column's label and width on screen."""
    table = app.query_one(RatesTable)
    widths = [(str(c.label), c.get_render_width(table)) for c in table.columns.values()]
    return rows(app), widths


async def fresh_table(settings: Settings, size: tuple[int, int]) -> Table:
    app = make_app(settings)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        return table_of(app)


def assert_fits(table: Table, width: int) -> None:
    cells, widths = table
    assert sum(w for _, w in widths) <= width, widths
    for row in cells:  # each cell whole in its column
        for label, w in widths:
            assert len(row[label]) <= w - 2, (label, row[label], w)


async def test_after_each_resize_the_table_is_a_fresh_starts(seeded: Settings) -> None:
    fresh = {size: await fresh_table(seeded, size) for size in SIZES}
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert table_of(app) == fresh[(100, 30)]
        for size in [(80, 24), (160, 45), (100, 30), (80, 24), (160, 45)]:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert table_of(app) == fresh[size], size
    for size, table in fresh.items():
        assert_fits(table, size[0])
    # The narrow table still has the change in percent and the newest end of the sparkline.
    cells, widths = fresh[(80, 24)]
    labels = [label for label, _ in widths]
    assert "Chg%" in labels and "Chg" not in labels
    assert "Chg" in [label for label, _ in fresh[(160, 45)][1]]


def _sql(settings: Settings, statement: str) -> None:
    path = settings.database_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(statement)


def _fail_and_fall_back(settings: Settings) -> None:
    """nbkr fails, its last four fixings and CBR's cross gone: KGS falls back to
    frankfurter (the longest source name), and TMT's source fails on its last poll."""
    _sql(settings, "DELETE FROM observation WHERE quote = 'KGS' AND provider = 'cbr'")
    _sql(
        settings,
        "DELETE FROM observation WHERE quote = 'KGS' AND provider = 'nbkr'"
        f" AND as_of > '{TODAY - timedelta(days=4)}'",
    )
    repo = repo_for(settings)
    old = NOW - timedelta(days=4)
    repo.save_health(ProviderHealth("nbkr", HealthState.FAILING, NOW, old, "timed out", 9, NOW))
    repo.save_health(ProviderHealth("frankfurter", HealthState.OK, NOW, NOW, None, 0, NOW))
    repo.add_observations(
        [Observation("frankfurter", "USD", "KGS", TODAY, Decimal("87.4612"), False, NOW)]
    )
    repo.db.dispose()


def _recover(settings: Settings) -> None:
    """nbkr answers again with its fixings up to today."""
    repo = repo_for(settings)
    repo.save_health(ProviderHealth("nbkr", HealthState.OK, NOW, NOW, None, 0, NOW))
    repo.add_observations(
        Observation(
            "nbkr", "USD", "KGS", TODAY - timedelta(days=back), Decimal("87.45"), False, NOW
        )
        for back in range(4)
    )
    repo.db.dispose()


async def test_after_the_data_changes_the_table_is_a_fresh_starts(seeded: Settings) -> None:
    for size in SIZES:
        app = make_app(seeded)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            before = table_of(app)
            _fail_and_fall_back(seeded)
            app.load_snapshot()
            await settle(pilot)
            during = table_of(app)
            assert during == await fresh_table(seeded, size), size
            assert during != before
            assert_fits(during, size[0])
            kgs = during[0][0]
            assert kgs["Source"] in ("FRANKFURTER", "FRKF") and "fallback" in kgs["State"]
            _recover(seeded)
            app.load_snapshot()
            await settle(pilot)
            assert table_of(app) == await fresh_table(seeded, size), size
