"""Market quotes in the store, on both backends: a row per price change (a poll that finds
the same prices confirms the newest row), exact decimals and missing sides kept, quotes too
far from the official rate held with their reason, the newest row of every key read in one
bounded statement (by the write side and the read side alike), reported rates added,
listed and deleted, and a store of the schema before the market upgraded with every row."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import pytest
from sqlalchemy import Engine, text

from providers.market_quote import Channel, MarketQuote
from tests.helpers.factories import obs
from tests.helpers.read_only import read_only_file
from ticker.config import Settings
from ticker.model.market_records import HeldQuote, StoredQuote
from ticker.model.quarantine import HeldKind, HeldReason, decode
from ticker.storage import migrations
from ticker.storage.changes import CHANNEL, is_ours
from ticker.storage.db import Database, make_engine, normalize_url, open_database
from ticker.storage.market_store import MARKET
from ticker.storage.reader import StoreReader, open_reads
from ticker.storage.repository import Repository

D = Decimal
T0 = datetime(2026, 12, 5, 4, 0, tzinfo=UTC)  # 09:00 in Dushanbe
NO_OFFICIAL: dict[tuple[str, str], Decimal] = {}
BAND = D(10)


@pytest.fixture
def repo(database: Database) -> Repository:
    return Repository(database)


def quote(
    buy: str | None = "10.85",
    sell: str | None = "10.95",
    at: datetime = T0,
    quoted: datetime | None = T0 - timedelta(minutes=5),
    institution: str = "Amonatbonk",
    channel: Channel = Channel.CASH,
    base: str = "USD",
    local: str = "TJS",
    source: str = "nbt-banks",
    city: str = "",
) -> MarketQuote:
    return MarketQuote(
        source, institution, base, local, channel, None if buy is None else D(buy),
        None if sell is None else D(sell), quoted, at, city,
    )  # fmt: skip


def history(repo: Repository, q: MarketQuote, since: datetime | None = None) -> list[StoredQuote]:
    return repo.quote_history(
        q.source, q.institution, q.city, q.base, q.quote, q.channel, since, limit=100
    )


def test_a_poll_with_unchanged_prices_adds_no_row_and_confirms_the_newest(
    repo: Repository,
) -> None:
    first = quote()
    assert repo.store_quotes([first], NO_OFFICIAL, BAND) == (1, 1, 0, [])
    later = T0 + timedelta(minutes=10)
    again = quote(at=later, quoted=T0 + timedelta(minutes=7))
    assert repo.store_quotes([again], NO_OFFICIAL, BAND) == (1, 0, 1, [])
    (row,) = history(repo, first)
    assert (row.first_fetched_at, row.last_fetched_at) == (T0, later)
    assert row.quoted_at == T0 - timedelta(minutes=5)  # the price's first quoted time
    assert row.seen_quoted_at == T0 + timedelta(minutes=7)  # the newest that confirmed it
    assert row.replaced_at is None and row.fetched_at == later
    # A confirmation timed earlier (or not at all) keeps the newest quoted time.
    repo.store_quotes([quote(at=later + timedelta(minutes=5), quoted=None)], NO_OFFICIAL, BAND)
    (row,) = history(repo, first)
    assert row.seen_quoted_at == T0 + timedelta(minutes=7)
    assert row.last_fetched_at == later + timedelta(minutes=5)


def test_a_changed_price_adds_a_row_and_the_history_reads_both(repo: Repository) -> None:
    first = quote()
    repo.store_quotes([first], NO_OFFICIAL, BAND)
    changed_at = T0 + timedelta(hours=1)
    changed = quote("10.87", "10.97", at=changed_at, quoted=changed_at - timedelta(minutes=3))
    assert repo.store_quotes([changed], NO_OFFICIAL, BAND) == (1, 1, 0, [])
    newer, older = history(repo, first)
    assert (newer.buy, newer.sell, newer.replaced_at) == (D("10.87"), D("10.97"), None)
    assert (older.buy, older.sell, older.replaced_at) == (D("10.85"), D("10.95"), changed_at)
    assert newer.id > older.id
    assert [r.id for r in history(repo, first, since=changed_at)] == [newer.id]
    (latest,) = repo.latest_quotes()
    assert latest == newer
    # Back to the first prices: a third row (a history of prices, not of values).
    back = quote(at=T0 + timedelta(hours=2), quoted=T0 + timedelta(hours=2))
    assert repo.store_quotes([back], NO_OFFICIAL, BAND).added == 1
    assert [r.sell for r in history(repo, first)] == [D("10.95"), D("10.97"), D("10.95")]


def test_a_price_timed_before_the_one_held_is_older_news_and_left_out(repo: Repository) -> None:
    repo.store_quotes([quote(quoted=T0)], NO_OFFICIAL, BAND)
    stale = quote("10.80", "10.90", at=T0 + timedelta(minutes=5), quoted=T0 - timedelta(hours=1))
    assert repo.store_quotes([stale], NO_OFFICIAL, BAND) == (1, 0, 0, [])
    (row,) = repo.latest_quotes()
    assert row.sell == D("10.95")


def test_two_prices_of_one_key_in_one_batch_make_two_rows_the_later_newest(
    repo: Repository,
) -> None:
    repo.store_quotes([quote()], NO_OFFICIAL, BAND)
    at = T0 + timedelta(minutes=10)
    batch = [quote("10.86", "10.96", at=at, quoted=at), quote("10.88", "10.98", at=at, quoted=at)]
    assert repo.store_quotes(batch, NO_OFFICIAL, BAND).added == 2
    rows = history(repo, batch[0])
    assert [(r.sell, r.replaced_at) for r in rows] == [
        (D("10.98"), None),
        (D("10.96"), at),
        (D("10.95"), at),
    ]
    assert len(repo.latest_quotes()) == 1


def test_a_side_not_offered_round_trips_as_none(repo: Repository) -> None:
    buy_only = quote(sell=None, institution="Eskhata")
    sell_only = quote(buy=None, institution="Orienbank")
    assert repo.store_quotes([buy_only, sell_only], NO_OFFICIAL, BAND).added == 2
    found = {q.institution: (q.buy, q.sell) for q in repo.latest_quotes()}
    assert found == {"Eskhata": (D("10.85"), None), "Orienbank": (None, D("10.95"))}
    # The same missing side again is the same prices.
    assert repo.store_quotes([buy_only], NO_OFFICIAL, BAND).confirmed == 1


def test_prices_come_back_with_the_digits_published(repo: Repository) -> None:
    repo.store_quotes([quote("10.8500", "10.9500")], NO_OFFICIAL, BAND)
    (row,) = repo.latest_quotes()
    assert (str(row.buy), str(row.sell)) == ("10.8500", "10.9500")
    # The same price written with fewer digits is the same price: confirmed, kept as first.
    assert repo.store_quotes([quote("10.85", "10.95")], NO_OFFICIAL, BAND).confirmed == 1
    (row,) = repo.latest_quotes()
    assert str(row.sell) == "10.9500"


def test_a_quote_too_far_from_the_official_rate_is_held_with_its_reason(
    repo: Repository,
) -> None:
    official = {("USD", "TJS"): D("10.00")}
    near = quote("10.90", "11.00", institution="Amonatbonk")  # +10%: exactly the band, kept
    far = quote("11.00", "11.01", institution="Spitamen")  # +10.1%: held
    buy_only = quote("8.99", None, institution="Eskhata")  # no sell: its buy, -10.1%: held
    stored = repo.store_quotes([near, far, buy_only], official, BAND)
    reason = '{"kind":"official","allowed":"10"}'
    assert stored == (3, 1, 0, [(far, reason), (buy_only, reason)])
    assert decode(reason) == HeldReason(HeldKind.OFFICIAL, D(10))
    assert [q.institution for q in repo.latest_quotes()] == ["Amonatbonk"]
    held = repo.quarantined_quotes(10)
    assert [(h.quote.institution, h.quote.sell, h.reason, h.official) for h in held] == [
        ("Eskhata", None, reason, D("10.00")),
        ("Spitamen", D("11.01"), reason, D("10.00")),
    ]
    assert all(isinstance(h, HeldQuote) for h in held)
    # Held again by the next poll: no second row, the held one seen later.
    later = T0 + timedelta(minutes=10)
    again = dataclasses.replace(far, fetched_at=later)
    assert repo.store_quotes([again], official, BAND).quarantined == [(again, reason)]
    spitamen = [h for h in repo.quarantined_quotes(10) if h.quote.institution == "Spitamen"]
    assert [(h.quote.first_fetched_at, h.quote.last_fetched_at) for h in spitamen] == [(T0, later)]
    # Another pair has no official rate known: stored unchecked.
    rub = quote("0.1", "0.9", base="RUB", institution="Spitamen")
    assert repo.store_quotes([rub], official, BAND).added == 1


def test_a_large_board_held_whole_is_kept_and_held_again_without_new_rows(
    repo: Repository,
) -> None:
    """Every quote of a board of 1,500 far from a wrong official rate: held once each."""
    board = [quote("10.85", "10.95", institution=f"Office {i}") for i in range(1500)]
    official = {("USD", "TJS"): D("3.50")}
    assert len(repo.store_quotes(board, official, BAND).quarantined) == 1500
    later = [dataclasses.replace(q, fetched_at=T0 + timedelta(minutes=5)) for q in board]
    assert len(repo.store_quotes(later, official, BAND).quarantined) == 1500
    held = repo.quarantined_quotes(2000)
    assert len(held) == 1500
    assert {h.quote.last_fetched_at for h in held} == {T0 + timedelta(minutes=5)}
    assert repo.latest_quotes() == []


def test_the_newest_row_of_every_key_is_read_bounded_and_filtered(repo: Repository) -> None:
    for hour in range(3):  # three prices of each key: one newest row each
        at = T0 + timedelta(hours=hour)
        sell = f"10.9{hour}"
        batch = [
            quote("10.80", sell, at, at, bank, channel, base)
            for bank in ("Amonatbonk", "Eskhata", "Spitamen")
            for channel in (Channel.CASH, Channel.CARD)
            for base in ("USD", "EUR")
        ]
        repo.store_quotes(batch, NO_OFFICIAL, BAND)
    latest = repo.latest_quotes()
    assert len(latest) == 12
    assert {q.sell for q in latest} == {D("10.92")}
    assert len({q.key for q in latest}) == 12
    assert [q.base for q in latest] == ["EUR"] * 6 + ["USD"] * 6  # by pair, channel, source
    assert len(repo.latest_quotes(limit=5)) == 5
    usd = repo.latest_quotes([("USD", "TJS")])
    assert len(usd) == 6 and {q.base for q in usd} == {"USD"}
    cash = repo.latest_quotes([("USD", "TJS"), ("EUR", "TJS")], channel=Channel.CASH)
    assert len(cash) == 6 and {q.channel for q in cash} == {Channel.CASH}
    assert repo.latest_quotes([]) == []
    assert repo.latest_quotes(source="fx-kg") == []
    assert len(repo.latest_quotes(source="nbt-banks")) == 12
    with pytest.raises(ValueError, match="limit"):
        repo.latest_quotes(limit=0)


def test_cities_keep_their_own_keys(repo: Repository) -> None:
    almaty = quote("470", "475", local="KZT", source="kurs-kz", city="Almaty", institution="Ak")
    astana = dataclasses.replace(almaty, city="Astana", sell=D("476"))
    assert repo.store_quotes([almaty, astana], NO_OFFICIAL, BAND).added == 2
    assert sorted(q.city for q in repo.latest_quotes([("USD", "KZT")])) == ["Almaty", "Astana"]


def test_bad_names_are_refused_before_anything_is_written(repo: Repository) -> None:
    with pytest.raises(ValueError, match="source names"):
        repo.store_quotes([quote(source="NBT Banks")], NO_OFFICIAL, BAND)
    with pytest.raises(ValueError, match="currency codes"):
        repo.store_quotes([quote(base="usd")], NO_OFFICIAL, BAND)
    assert repo.latest_quotes() == []


def test_reported_rates_are_added_listed_newest_first_and_deleted(repo: Repository) -> None:
    first = repo.report_rate("USD", "TMT", D("19.50"), "Ashgabat, cash", T0)
    second = repo.report_rate("USD", "TMT", D("19.8"), "", T0 + timedelta(days=1))
    other = repo.report_rate("RUB", "TMT", D("0.21"), "bazaar", T0 + timedelta(days=2))
    rates = repo.reported_rates()
    assert [r.id for r in rates] == [other, second, first]
    tmt = repo.reported_rates(("USD", "TMT"))
    assert [(str(r.rate), r.note, r.reported_at) for r in tmt] == [
        ("19.8", "", T0 + timedelta(days=1)),
        ("19.50", "Ashgabat, cash", T0),
    ]
    assert len(repo.reported_rates(limit=1)) == 1
    assert repo.delete_reported(second)
    assert not repo.delete_reported(second)
    assert [r.id for r in repo.reported_rates()] == [other, first]
    # Ids are never given twice, even after the newest is deleted.
    assert repo.delete_reported(other)
    assert repo.report_rate("USD", "TMT", D("19.6"), "", T0) > other
    with pytest.raises(ValueError, match="positive"):
        repo.report_rate("USD", "TMT", D("-1"), "", T0)


def test_the_data_mark_moves_with_the_market(repo: Repository) -> None:
    marks = [repo.data_mark()]
    repo.store_quotes([quote()], NO_OFFICIAL, BAND)
    marks.append(repo.data_mark())
    repo.store_quotes([quote("11", "12")], {("USD", "TJS"): D(10)}, BAND)  # held
    marks.append(repo.data_mark())
    reported = repo.report_rate("USD", "TMT", D("19.5"), "", T0)
    repo.report_rate("USD", "TMT", D("19.6"), "", T0)
    marks.append(repo.data_mark())
    repo.delete_reported(reported)  # not the newest
    marks.append(repo.data_mark())
    assert len(set(marks)) == len(marks)


def _settings_at(url: str) -> Settings:
    base = Settings()
    return dataclasses.replace(base, storage=dataclasses.replace(base.storage, url=url))


def test_the_read_side_reads_the_market_as_the_repository_does(
    repo: Repository, db_url: str
) -> None:
    official = {("USD", "TJS"): D("10.00")}
    repo.store_quotes(
        [quote(), quote("10.9", None, institution="Eskhata"), quote("12", "13", institution="X")],
        official,
        BAND,
    )
    repo.store_quotes([quote("10.86", "10.96", at=T0 + timedelta(hours=1))], official, BAND)
    repo.report_rate("USD", "TMT", D("19.50"), "Ashgabat", T0)
    q = quote()

    def answers(r: Repository | StoreReader) -> tuple[object, ...]:
        return (
            r.latest_quotes(),
            r.latest_quotes([("USD", "TJS")], Channel.CASH, "nbt-banks", 1),
            r.quote_history(q.source, q.institution, q.city, q.base, q.quote, q.channel),
            r.quote_history(
                q.source, q.institution, q.city, q.base, q.quote, q.channel, T0 + timedelta(1)
            ),
            r.reported_rates(("USD", "TMT")),
            r.quarantined_quotes(5),
            r.data_mark(),
        )

    reads = open_reads(_settings_at(db_url))
    try:
        assert isinstance(reads, StoreReader)
        assert answers(reads) == answers(repo)
    finally:
        reads.close()


def test_quotes_are_announced_on_postgresql(new_pg_database) -> None:
    assert is_ours(MARKET)
    repo = Repository(open_database(new_pg_database(), timedelta(seconds=2)))
    try:
        url = repo.listen_conninfo
        assert url is not None
        with psycopg.connect(url, autocommit=True) as listener:
            listener.execute(f"LISTEN {CHANNEL}")
            repo.store_quotes([quote()], NO_OFFICIAL, BAND)
            reported = repo.report_rate("USD", "TMT", D("19.5"), "", T0)
            repo.delete_reported(reported)
            repo.delete_reported(reported)  # nothing left: nothing said
            listener.execute("SELECT 1")
            heard = [n.payload for n in listener.notifies(timeout=0.2) if n.channel == CHANNEL]
            assert heard == [MARKET, MARKET, MARKET]
    finally:
        repo.close()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(normalize_url(db_url), timedelta(seconds=2))
    yield eng
    eng.dispose()


def test_a_schema_9_store_upgrades_keeping_every_row_and_takes_quotes(
    engine: Engine, db_url: str
) -> None:
    assert migrations.upgrade(engine, target=9) == (0, 9)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO observation (provider, base, quote, as_of, rate, derived, "
                "fetched_at) VALUES ('nbt', 'USD', 'TJS', :d, '10.9500', :f, :t)"
            ),
            {"d": "2026-12-04", "f": False, "t": "2026-12-04 06:00:00.000000"},
        )
        conn.execute(
            text("INSERT INTO poll_request (asked_by, asked_at) VALUES ('host pid 1', :t)"),
            {"t": "2026-12-04 06:00:00.000000"},
        )
    engine.dispose()
    db = open_database(db_url)
    try:
        assert db.schema_before == 9
        with db.engine.connect() as conn:
            assert migrations.current_version(conn) == migrations.HEAD
            counts = {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("observation", "poll_request", "market_quote", "reported_rate")
            }
        assert counts == {
            "observation": 1,
            "poll_request": 1,
            "market_quote": 0,
            "reported_rate": 0,
        }
        repo = Repository(db)
        (tjs,) = repo.history("TJS")
        assert str(tjs.rate) == "10.9500"
        assert repo.add_observations([obs("TJS", "10.96")]) == 1
        assert repo.store_quotes([quote()], NO_OFFICIAL, BAND).added == 1
        assert repo.report_rate("USD", "TMT", D("19.5"), "", T0) == 1
    finally:
        db.dispose()


def test_a_read_only_store_from_before_the_market_reads_as_having_none(tmp_path) -> None:
    """A store nobody can write is read as it is: a schema-9 one has no market tables."""
    path = tmp_path / "old.db"
    engine = make_engine(normalize_url(f"sqlite:///{path}"), timedelta(seconds=2))
    migrations.upgrade(engine, target=9)
    with engine.begin() as conn:
        conn.execute(text("PRAGMA journal_mode=DELETE"))
    engine.dispose()
    with read_only_file(path):
        reads = open_reads(_settings_at(f"sqlite:///{path}"))
        try:
            assert reads.writes_refused and reads.schema_version == 9
            assert reads.latest_quotes() == []
            assert reads.quote_history("nbt-banks", "A", "", "USD", "TJS", "cash") == []
            assert reads.reported_rates() == []
            assert reads.quarantined_quotes() == []
            assert len(reads.data_mark()[0]) == 7 + 22
        finally:
            reads.close()
