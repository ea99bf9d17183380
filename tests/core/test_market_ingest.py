"""A market source's board through ingest: each pair checked against the official rate
(the newest stored fixing of the local currency's central bank, in the stored
orientation, turned round where the bank publishes the pair the other way), quotes more
than ``[sanity] market_band`` percent from it held (exactly the band: kept), and a rate a
user reports refused in one line when no such rate is plausible."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from providers.base import Batch, Channel, MarketQuote, Observation
from tests.helpers.factories import obs
from ticker.config import SanitySettings
from ticker.core.ingest import IngestResult, ingest, report_rate
from ticker.core.market import official_rates
from ticker.errors import UsageError
from ticker.model.quarantine import HeldKind, HeldReason, decode
from ticker.storage.db import Database
from ticker.storage.repository import Repository

D = Decimal
FETCHED = datetime(2026, 12, 5, 5, 0, tzinfo=UTC)
DAY = date(2026, 12, 5)


@pytest.fixture
def repo(database: Database) -> Repository:
    return Repository(database)


def quote(
    buy: str | None,
    sell: str | None,
    institution: str = "Amonatbonk",
    base: str = "USD",
    local: str = "TJS",
    source: str = "nbt-banks",
) -> MarketQuote:
    return MarketQuote(
        source, institution, base, local, Channel.CASH, None if buy is None else D(buy),
        None if sell is None else D(sell), FETCHED - timedelta(minutes=5), FETCHED,
    )  # fmt: skip


def fixing(provider: str, base: str, local: str, rate: str, as_of: date = DAY) -> Observation:
    return dataclasses.replace(obs(local, rate, as_of, provider), base=base)


def test_the_official_rate_is_the_central_banks_newest_stored_fixing(repo: Repository) -> None:
    repo.add_observations(
        [
            fixing("nbt", "USD", "TJS", "10.9000", DAY - timedelta(days=1)),
            fixing("nbt", "USD", "TJS", "10.0000"),  # the newest: the official rate
            fixing("cbr", "USD", "TJS", "12.0000"),  # another source: never the official
            fixing("nbt", "RUB", "TJS", "0.1250"),  # NBT's rouble, as it publishes it
            fixing("nbkr", "KZT", "KGS", "0.1700"),  # NBKR's tenge: som per tenge
        ]
    )
    # A pair the bank publishes the other way round (somoni in euros): turned round.
    repo.add_observations([fixing("nbt", "TJS", "EUR", "0.08")])
    board = [
        quote("10.90", "11.05"),
        quote("0.12", "0.13", base="RUB"),
        quote("11.9", "12.1", base="EUR"),
        quote("0.16", "0.18", base="KZT", local="KGS", source="fx-kg"),
        quote("460", "470", local="KZT", source="kurs-kz"),  # NBK has no fixing stored
    ]
    assert official_rates(repo, board) == {
        ("USD", "TJS"): D("10.0000"),
        ("RUB", "TJS"): D("0.1250"),
        ("EUR", "TJS"): D("12.5"),
        ("KZT", "KGS"): D("0.1700"),
    }
    # Sell 11.5 is 15% off NBT's 10.00 (4.2% off CBR's 12.00): held against NBT's.
    result = ingest(repo, Batch(quotes=[quote("11.2", "11.5")]), SanitySettings())
    ((held, reason),) = result.quotes_quarantined
    assert held.sell == D("11.5") and decode(reason) == HeldReason(HeldKind.OFFICIAL, D(10))
    (kept,) = repo.quarantined_quotes(5)
    assert kept.official == D("10.0000")


def test_the_newer_of_the_two_orientations_wins_and_an_old_fixing_checks_nothing(
    repo: Repository,
) -> None:
    repo.add_observations(
        [
            fixing("nbt", "EUR", "TJS", "11.0", DAY - timedelta(days=3)),
            fixing("nbt", "TJS", "EUR", "0.08", DAY - timedelta(days=1)),  # newer: 12.5
            fixing("nbt", "USD", "TJS", "10.0", DAY - timedelta(days=40)),  # too old
        ]
    )
    board = [quote("11", "12", base="EUR"), quote("10", "11")]
    assert official_rates(repo, board) == {("EUR", "TJS"): D("12.5")}
    result = ingest(repo, Batch(quotes=[quote("20", "21")]), SanitySettings())
    assert (result.quotes_received, result.quotes_added, result.quotes_quarantined) == (1, 1, [])


def test_quotes_are_held_beyond_the_band_and_kept_at_its_edge(repo: Repository) -> None:
    repo.add_observations([fixing("nbt", "USD", "TJS", "10.00")])
    board = [
        quote("10.90", "11.00", "At the edge above"),  # +10%: kept
        quote("9.00", None, "At the edge below"),  # buy only, -10%: kept
        quote("10.90", "11.0001", "Just above"),  # +10.001%: held
        quote("8.9999", None, "Just below"),  # buy only, -10.001%: held
        quote("1.00", "10.50", "Far buy, near sell"),  # the sell is checked: kept
    ]
    result = ingest(repo, Batch(quotes=board), SanitySettings())
    assert (result.received, result.stored) == (0, 0)
    assert (result.quotes_received, result.quotes_added) == (5, 3)
    assert [q.institution for q, _ in result.quotes_quarantined] == ["Just above", "Just below"]
    shown = {q.institution for q in repo.latest_quotes([("USD", "TJS")])}
    assert shown == {"At the edge above", "At the edge below", "Far buy, near sell"}
    # The band is [sanity] market_band.
    narrow = SanitySettings(market_band=D(5))
    edge, beyond = quote("10.40", "10.50", "Edge of 5%"), quote("10.40", "10.51", "Beyond 5%")
    result = ingest(repo, Batch(quotes=[edge, beyond]), narrow)
    assert [q for q, _ in result.quotes_quarantined] == [beyond]
    assert decode(result.quotes_quarantined[0][1]) == HeldReason(HeldKind.OFFICIAL, D(5))
    assert ingest(repo, Batch(quotes=[beyond]), SanitySettings()).quotes_added == 1


def test_a_board_polled_again_adds_nothing_and_results_add_up(repo: Repository) -> None:
    board = [quote("10.85", "10.95"), quote("10.80", "10.97", "Eskhata")]
    first = ingest(repo, Batch(quotes=board), SanitySettings())
    second = ingest(repo, Batch(quotes=board), SanitySettings())
    assert (first.quotes_added, second.quotes_added) == (2, 0)
    total = IngestResult()
    total.add(first)
    total.add(second)
    assert (total.quotes_received, total.quotes_added, total.quotes_quarantined) == (4, 2, [])
    assert len(repo.latest_quotes()) == 2


NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def test_a_plausible_reported_rate_is_kept(repo: Repository) -> None:
    first = report_rate(repo, "USD", "TMT", D("19.50"), "Ashgabat, cash, heard 5 Dec", NOW)
    # The band of the pair as written: somoni in roubles is the rouble's band turned round.
    second = report_rate(repo, "TJS", "RUB", D("8.7"), "", NOW)
    assert [(r.id, r.pair, str(r.rate)) for r in repo.reported_rates()] == [
        (second, "TJS/RUB", "8.7"),
        (first, "USD/TMT", "19.50"),
    ]


@pytest.mark.parametrize(
    ("base", "local", "rate", "message"),
    [
        (
            "USD",
            "TMT",
            "1950000",
            "USD/TMT 1950000 is not a plausible rate (a reported USD/TMT is between 0.28 and "
            "150000 TMT per USD); nothing was stored",
        ),
        (
            "USD",
            "TMT",
            "0.195",
            "USD/TMT 0.195 is not a plausible rate (a reported USD/TMT is between 0.28 and "
            "150000 TMT per USD); nothing was stored",
        ),
        ("USD", "TMT", "0", "a reported rate is a number greater than 0, got 0"),
        ("USD", "TMT", "-19.5", "a reported rate is a number greater than 0, got -19.5"),
        (
            "USD",
            "GBP",
            "0.8",
            "cannot report a rate of USD/GBP: unknown currency 'GBP' (known: USD, EUR, RUB, "
            "CNY, KGS, KZT, TJS, UZS, TMT)",
        ),
    ],
)
def test_an_implausible_reported_rate_is_refused_in_one_line(
    repo: Repository, base: str, local: str, rate: str, message: str
) -> None:
    with pytest.raises(UsageError) as refused:
        report_rate(repo, base, local, D(rate), "", NOW)
    assert str(refused.value) == message
    assert repo.reported_rates() == []


def test_a_note_too_long_is_refused(repo: Repository) -> None:
    with pytest.raises(UsageError, match="a note is at most 500 characters, got 501"):
        report_rate(repo, "USD", "TMT", D("19.5"), "x" * 501, NOW)
    assert repo.reported_rates() == []
