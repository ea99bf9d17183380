"""A screen's worth of reads goes to the store on one connection, whatever is stored."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.helpers.dashboard import NOW, repo_for
from tests.helpers.factories import series
from tests.helpers.seeded import seed, settings_for
from ticker.config import Settings
from ticker.core.rates import current_rates
from ticker.core.snapshot import load_snapshot, pair_detail
from ticker.model.health import HealthState, ProviderHealth
from ticker.model.pairs import Orientation, parse_pair
from ticker.model.records import NewEvent
from ticker.model.rules import AlertKind, AlertRuleConfig
from ticker.storage.reader import StoreReader, open_reads
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


@contextmanager
def statements(reader: StoreReader) -> Iterator[list[str]]:
    """Every query (SELECT, WITH) the reader's own connection runs in the block."""
    seen: list[str] = []

    def traced(text: str) -> None:
        if text.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append(text)

    reader._conn.set_trace_callback(traced)
    try:
        yield seen
    finally:
        reader._conn.set_trace_callback(None)


def test_the_snapshot_is_four_statements_whatever_the_history(seeded: Settings) -> None:
    """Health, every routed source's last fixings of every pair (one statement), the
    newest firing and the rules; the firings since only when there are some."""
    reader = open_reads(seeded)
    assert isinstance(reader, StoreReader)
    try:
        with statements(reader) as before:
            snapshot = load_snapshot(reader, seeded, Orientation.USD_PER, NOW, 0)
        assert len(snapshot.views) == 5 and len(before) == 4
        repo = repo_for(seeded)
        try:
            repo.add_observations(series("KZT", "nbk", date(2019, 1, 1), ["470"] * 2_000))
            repo.add_observations(series("KGS", "cbr", date(2019, 1, 1), ["87"] * 2_000))
        finally:
            repo.close()
        with statements(reader) as after:
            load_snapshot(reader, seeded, Orientation.USD_PER, NOW, 0)
        assert len(after) == 4
        with statements(reader) as rates:
            current_rates(reader, seeded, NOW)
        assert len(rates) == 2  # health and the last fixings
        with statements(reader) as detail:
            pair_detail(reader, seeded, "KZT", Orientation.USD_PER, "nbk")
        assert len(detail) == 3  # the stored sources, their latest, the held values
    finally:
        reader.close()


def test_a_snapshot_reads_the_firings_since_only_when_there_are_some(
    seeded: Settings,
) -> None:
    repo = repo_for(seeded)
    rule = AlertRuleConfig(parse_pair("USD/KZT"), AlertKind.ABOVE, value=Decimal("400"))
    rule_id = repo.add_alert_rule(rule, "cli", NOW)
    repo.apply_alert(
        rule_id,
        lambda state, _muted: (state, NewEvent(None, "USD/KZT", Decimal("478.77"), "above 400")),
        NOW,
    )
    repo.close()
    reader = open_reads(seeded)
    assert isinstance(reader, StoreReader)
    try:
        with statements(reader) as seen:
            snapshot = load_snapshot(reader, seeded, Orientation.USD_PER, NOW, 0)
        assert len(seen) == 5 and [e.message for e in snapshot.events] == ["above 400"]
        with statements(reader) as seen:
            load_snapshot(reader, seeded, Orientation.USD_PER, NOW, snapshot.last_event_id)
        assert len(seen) == 4
    finally:
        reader.close()


def test_the_shown_dates_other_fixings_further_back_cost_one_more_statement(
    tmp_path: Path,
) -> None:
    """The divergence needs each other source's fixing of the shown date; when that lies
    further back than the fixings read, one statement fetches them all."""
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    start = NOW.date() - timedelta(days=59)
    # NBK stopped 40 days ago; CBU went on daily but is failing, so NBK stays shown.
    repo.add_observations(series("KZT", "nbk", start, ["478.77"] * 20))
    repo.add_observations(series("KZT", "cbu", start, ["480.00"] * 60))
    repo.save_health(ProviderHealth("cbu", HealthState.FAILING, NOW, None, "down", 5))
    repo.close()
    reader = open_reads(settings)
    assert isinstance(reader, StoreReader)
    try:
        with statements(reader) as seen:
            views = current_rates(reader, settings, NOW)
    finally:
        reader.close()
    (kzt,) = [v for v in views if v.local == "KZT"]
    assert kzt.provider == "nbk" and kzt.as_of == start + timedelta(days=19)
    assert kzt.divergence_pct is not None  # against CBU's fixing of that very date
    # In the display orientation (KZT/USD), NBK is above CBU: 480 / 478.77 - 1.
    assert round(kzt.divergence_pct, 4) == round((480 / Decimal("478.77") - 1) * 100, 4)
    assert len(seen) == 3


def test_a_fallback_shown_costs_one_more_statement_for_its_sparkline(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    start = NOW.date() - timedelta(days=59)
    # NBK stopped 40 days ago; CBU (a fallback for KZT) went on daily, and is healthy.
    repo.add_observations(series("KZT", "nbk", start, ["478.77"] * 20))
    rates = [str(470 + i) for i in range(60)]
    repo.add_observations(series("KZT", "cbu", start, rates))
    repo.close()
    reader = open_reads(settings)
    assert isinstance(reader, StoreReader)
    try:
        with statements(reader) as seen:
            snapshot = load_snapshot(reader, settings, Orientation.PER_USD, NOW, None)
    finally:
        reader.close()
    (kzt,) = snapshot.views
    assert kzt.provider == "cbu" and kzt.fallback_for == "nbk"
    # The sparkline is CBU's last 30 fixings, rising one tenge a day: 30 cells, climbing.
    spark = snapshot.sparks["KZT"]
    assert len(spark) == 30 and spark[0] < spark[-1] and spark == "".join(sorted(spark))
    assert len(seen) == 5


def test_the_detail_lists_every_source_the_store_holds(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    day = NOW.date()
    repo.add_observations(series("KGS", "nbkr", day, ["87.45"]))
    repo.add_observations(series("KGS", "nbk", day, ["87.60"]))  # NBK's KGS: not routed
    repo.add_observations(series("KGS", "frankfurter", day, ["87.50"]))
    repo.add_observations(series("KZT", "cbt", day, ["478"]))  # another pair: not listed
    repo.close()
    routing = list(settings.routing["KGS"])
    assert "nbk" not in routing and "cbt" not in routing and routing[0] == "nbkr"
    reader = open_reads(settings)
    try:
        detail = pair_detail(reader, settings, "KGS", Orientation.PER_USD, "nbkr")
    finally:
        reader.close()
    rows = {r.provider: r for r in detail.rows}
    assert list(rows)[0] == "nbkr" and list(rows)[-1] == "nbk"  # routed first, then the rest
    assert set(rows) == {"nbkr", "frankfurter", "nbk"}
    assert rows["nbkr"].route == 1 and rows["nbkr"].routed
    assert rows["frankfurter"].route == routing.index("frankfurter") + 1
    assert rows["nbk"].route is None and rows["nbk"].rate == Decimal("87.60")


def test_the_detail_gives_the_crosses_against_the_other_four(seeded: Settings) -> None:
    reader = open_reads(seeded)
    assert isinstance(reader, StoreReader)
    try:
        with statements(reader) as seen:
            detail = pair_detail(reader, seeded, "KZT", Orientation.USD_PER, "nbk", NOW)
    finally:
        reader.close()
    crosses = dict(detail.crosses)
    assert list(crosses) == ["KGS", "TJS", "UZS", "TMT"]  # the other four, in the usual order
    # Units of each per one tenge, through the routed official rates against the dollar.
    assert crosses["KGS"] == Decimal("87.45") / Decimal("478.77")
    assert crosses["TMT"] == Decimal("3.50") / Decimal("478.77")
    # The detail's three, the pair's market (its quotes, the reported rates: no quote, so
    # no official reference read), then the health and every pair's fixings.
    assert len(seen) == 7
    assert detail.market == () and detail.reported == () and detail.market_at == NOW
