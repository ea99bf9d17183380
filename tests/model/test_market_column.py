"""The market column's entries: the best current cash prices per pair, a reported rate
where no board has the pair, and the prices turned round for a row shown the other way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from providers.market_quote import Channel, MarketQuote
from ticker.display.market import market_cell
from ticker.model.market import Origin, summarise
from ticker.model.market_column import ColumnEntry, column_entries, entry_for
from ticker.model.market_records import ReportedRate
from ticker.model.pairs import Pair

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _quote(
    institution: str, buy: str | None, sell: str | None, channel: Channel = Channel.CASH,
    source: str = "nbt-banks", at: datetime = NOW - timedelta(hours=1),
) -> MarketQuote:  # fmt: skip
    return MarketQuote(
        source, institution, "USD", "TJS", channel,
        Decimal(buy) if buy else None, Decimal(sell) if sell else None, at, at,
    )  # fmt: skip


def test_the_best_cash_prices_of_each_pair() -> None:
    quotes = [
        _quote("Amonatbonk", "10.85", "10.95"),
        _quote("Orienbonk", "10.86", "10.97"),
        _quote("Spitamen", None, "10.92"),
        _quote("Eskhata", "10.90", "10.91", Channel.CARD),  # not the column's channel
    ]
    (entry,) = column_entries(summarise(quotes, None, NOW), [])
    assert entry == ColumnEntry("USD", "TJS", Decimal("10.86"), Decimal("10.92"), Origin.OFFICIAL)
    assert market_cell(entry) == "10.86/10.92"


def test_stale_quotes_give_no_entry_and_a_third_party_is_marked() -> None:
    last_week = NOW - timedelta(days=7)
    assert (
        column_entries(summarise([_quote("A", "10.8", "10.9", at=last_week)], None, NOW), []) == []
    )
    (entry,) = column_entries(
        summarise([_quote("A", "10.8", "10.9", source="fx-kg")], None, NOW), []
    )
    assert entry.origin is Origin.THIRD_PARTY and market_cell(entry) == "10.80/10.90*"


def test_a_reported_rate_only_where_no_board_has_the_pair() -> None:
    said = [
        ReportedRate(2, "USD", "TMT", Decimal("19.5"), "newest", NOW),
        ReportedRate(1, "USD", "TMT", Decimal("18"), "older", NOW - timedelta(days=3)),
        ReportedRate(3, "USD", "TJS", Decimal("11"), "", NOW),
    ]
    entries = column_entries(summarise([_quote("A", "10.8", "10.9")], None, NOW), said)
    tmt = entry_for(entries, Pair("USD", "TMT"))
    assert tmt is not None and market_cell(tmt) == "reported 19.50"
    tjs = entry_for(entries, Pair("USD", "TJS"))
    assert tjs is not None and tjs.origin is Origin.OFFICIAL  # the board, not the report


def test_turned_round_both_prices_are_inverted_and_the_sides_swapped() -> None:
    entry = ColumnEntry("USD", "TJS", Decimal("10"), Decimal("12.5"), Origin.OFFICIAL)
    turned = entry.seen_as(Pair("TJS", "USD"))
    assert turned == ColumnEntry("TJS", "USD", Decimal("0.08"), Decimal("0.1"), Origin.OFFICIAL)
    assert market_cell(turned) == "0.08/0.10"
    assert entry.seen_as(Pair("USD", "TJS")) is entry
    assert entry.seen_as(Pair("RUB", "TJS")) is None
    one_side = ColumnEntry("USD", "TJS", None, Decimal("12.5"), Origin.OFFICIAL).seen_as(
        Pair("TJS", "USD")
    )
    assert one_side is not None and market_cell(one_side) == "0.08/-"
