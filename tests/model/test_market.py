"""Market quotes decided: latest per institution, stale at the awkward hours, the best buy
and sell (ties named), the medians, the spread, the distance from the official rate, the
board's order, and the best price a customer meets. Every expected value is worked out by
hand in the comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from providers.market_quote import Channel, MarketQuote, Side
from ticker.model.market import (
    CHANNEL_ORDER,
    MarketPrice,
    Origin,
    best_market,
    board,
    is_stale,
    latest_quotes,
    median,
    origin_of,
    parse_channel,
    quote_age,
    summarise,
)
from ticker.model.pairs import Pair

D = Decimal
DUSHANBE = timezone(timedelta(hours=5))
BISHKEK = timezone(timedelta(hours=6))
# 1 December 2025 is a Monday; NBT's board's banking days are Monday to Saturday, from 08:00.
MON, TUE, SAT, SUN = date(2025, 12, 1), date(2025, 12, 2), date(2025, 12, 6), date(2025, 12, 7)
NEXT_MON = date(2025, 12, 8)


def at(day: date, hour: int, minute: int = 0, zone: timezone = DUSHANBE) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def q(
    institution: str,
    buy: str | None,
    sell: str | None,
    *,
    when: datetime | None = None,
    source: str = "nbt-banks",
    channel: Channel = Channel.CASH,
    base: str = "USD",
    quote: str = "TJS",
    city: str = "",
    fetched: datetime | None = None,
) -> MarketQuote:
    quoted = at(MON, 9) if when is None else when
    return MarketQuote(
        source=source,
        institution=institution,
        base=base,
        quote=quote,
        channel=channel,
        buy=D(buy) if buy is not None else None,
        sell=D(sell) if sell is not None else None,
        quoted_at=quoted,
        fetched_at=fetched if fetched is not None else quoted + timedelta(minutes=5),
        city=city,
    )


NOW = at(MON, 12)

# Five banks' cash USD/TJS, Monday morning:
#   Alif      10.85 / 10.95
#   Bonk      10.88 / 10.92
#   Cbank     10.88 / -      (buys only)
#   Dbank     -     / 10.92  (sells only)
#   Eskhata   10.80 / 10.99
BOARD = [
    q("Alif", "10.85", "10.95"),
    q("Bonk", "10.88", "10.92"),
    q("Cbank", "10.88", None),
    q("Dbank", None, "10.92"),
    q("Eskhata", "10.80", "10.99"),
]


# ---------------------------------------------------------------- median


def test_median_of_an_even_count_is_the_mean_of_the_middle_two_exactly() -> None:
    # sorted 10.80 10.85 10.88 10.88: (10.85 + 10.88) / 2 = 21.73 / 2 = 10.865 (a digit more).
    assert median([D("10.88"), D("10.80"), D("10.88"), D("10.85")]) == D("10.865")
    # 1.0000000000000000000000000001 + 2 has 29 digits: past the default precision of 28;
    # the half is 1.50000000000000000000000000005, not rounded.
    assert median([D("1.0000000000000000000000000001"), D(2)]) == D(
        "1.50000000000000000000000000005"
    )


def test_median_of_an_odd_count_is_the_middle_one_and_of_none_is_none() -> None:
    assert median([D("10.95"), D("10.92"), D("10.99")]) == D("10.95")
    assert median([]) is None


# ---------------------------------------------------------------- summaries


def test_best_sides_ties_medians_spread_and_distances_from_the_official_rate() -> None:
    (s,) = summarise(BOARD, D("10.90"), NOW)
    assert (s.pair, s.channel, s.institutions, s.left_out, s.stale) == (
        "USD/TJS",
        Channel.CASH,
        5,
        0,
        False,
    )
    # Best buy: the highest, 10.88, given by Bonk and Cbank (a tie: both named, by name).
    assert s.best_buy == D("10.88")
    assert [x.institution for x in s.best_buy_from] == ["Bonk", "Cbank"]
    # Best sell: the lowest, 10.92, by Bonk and Dbank.
    assert s.best_sell == D("10.92")
    assert [x.institution for x in s.best_sell_from] == ["Bonk", "Dbank"]
    # Buys offered: 10.80 10.85 10.88 10.88 -> (10.85 + 10.88) / 2 = 10.865.
    # Sells offered: 10.92 10.92 10.95 10.99 -> (10.92 + 10.95) / 2 = 10.935.
    assert (s.median_buy, s.median_sell) == (D("10.865"), D("10.935"))
    # Spread: best sell - best buy = 10.92 - 10.88 = 0.04. Per institution with both
    # sides: Alif 0.10, Bonk 0.04, Eskhata 0.19 -> median 0.10.
    assert (s.spread, s.median_spread) == (D("0.04"), D("0.10"))
    # Against 10.90: sell 10.92 is 0.02 / 10.90 = +0.18349% (above: +); buy 10.88 is
    # -0.02 / 10.90 = -0.18349%; median sell 10.935: +0.035 / 10.90 = +0.32110%;
    # median buy 10.865: -0.32110%.
    rounded = [
        x.quantize(D("0.00001")) if x is not None else None
        for x in (
            s.best_sell_vs_official,
            s.best_buy_vs_official,
            s.median_sell_vs_official,
            s.median_buy_vs_official,
        )
    ]
    assert rounded == [D("0.18349"), D("-0.18349"), D("0.32110"), D("-0.32110")]
    assert s.official == D("10.90")
    assert (s.sources, s.origin) == (("nbt-banks",), Origin.OFFICIAL)
    assert s.newest == at(MON, 9)


def test_without_an_official_rate_there_is_no_distance() -> None:
    (s,) = summarise(BOARD, None, NOW)
    assert s.official is None
    assert (
        s.best_buy_vs_official,
        s.best_sell_vs_official,
        s.median_buy_vs_official,
        s.median_sell_vs_official,
    ) == (None, None, None, None)
    assert s.best_sell == D("10.92")  # the rest is there all the same


def test_a_side_nobody_offers_has_no_best_no_median_and_no_spread() -> None:
    (s,) = summarise([q("Alif", "10.85", None), q("Bonk", "10.86", None)], D("10.90"), NOW)
    assert (s.best_sell, s.best_sell_from, s.median_sell) == (None, (), None)
    assert (s.spread, s.median_spread, s.best_sell_vs_official) == (None, None, None)
    assert s.median_buy == D("10.855")  # (10.85 + 10.86) / 2


def test_summaries_come_per_pair_and_channel_in_display_order() -> None:
    quotes = [
        q("Alif", "0.1100", "0.1200", base="RUB"),
        q("Alif", "10.80", "10.90", channel=Channel.CARD),
        q("Alif", "12.60", "12.90", base="EUR"),
        q("Alif", "10.85", "10.95"),
        q("Hamkor", "12000", "12100", quote="UZS", source="bank-uz"),
    ]
    officials = {"USD/TJS": D("10.90"), "EUR/TJS": D("12.70")}
    got = [(s.pair, s.channel) for s in summarise(quotes, officials, NOW)]
    # TJS before UZS (the five's order), then USD, EUR, RUB, then cash before card.
    assert got == [
        ("USD/TJS", Channel.CASH),
        ("USD/TJS", Channel.CARD),
        ("EUR/TJS", Channel.CASH),
        ("RUB/TJS", Channel.CASH),
        ("USD/UZS", Channel.CASH),
    ]
    by_pair = {(s.pair, s.channel): s for s in summarise(quotes, officials, NOW)}
    # EUR: sell 12.90 against 12.70 is +0.2 / 12.70 = +1.5748%; RUB has no official rate.
    eur = by_pair[("EUR/TJS", Channel.CASH)].best_sell_vs_official
    assert eur is not None and eur.quantize(D("0.0001")) == D("1.5748")
    assert by_pair[("RUB/TJS", Channel.CASH)].best_sell_vs_official is None
    assert by_pair[("USD/UZS", Channel.CASH)].origin is Origin.THIRD_PARTY


def test_one_official_rate_for_several_pairs_is_refused() -> None:
    quotes = [q("Alif", "10.85", "10.95"), q("Alif", "12.6", "12.9", base="EUR")]
    with pytest.raises(ValueError, match="several pairs"):
        summarise(quotes, D("10.90"), NOW)


def test_each_institution_counts_once_with_its_newest_quote() -> None:
    older = q("Alif", "10.70", "10.80", when=at(MON, 8, 30))
    newer = q("Alif", "10.85", "10.95", when=at(MON, 10))
    assert latest_quotes([newer, older]) == [newer]
    (s,) = summarise([older, newer, q("Bonk", "10.88", "10.92")], None, NOW)
    # Alif's 10.80 sell is history: best sell is Bonk's 10.92; two institutions.
    assert (s.institutions, s.best_sell, s.best_buy) == (2, D("10.92"), D("10.88"))
    # The same name in two cities is two institutions.
    two = [q("Kassa", "470", "475", city="Almaty"), q("Kassa", "471", "476", city="Astana")]
    assert len(latest_quotes(two)) == 2


def test_stale_quotes_are_left_out_while_a_current_one_remains() -> None:
    now = at(TUE, 11)  # Tuesday's banking day opened at 08:00, two hours' grace past
    old_best = q("Alif", "10.95", "10.96", when=at(MON, 17))  # yesterday: stale
    current = [
        q("Bonk", "10.88", "10.92", when=at(TUE, 9)),
        q("Cbank", "10.86", "10.94", when=at(TUE, 10)),
    ]
    (s,) = summarise([old_best, *current], D("10.90"), now)
    assert (s.best_buy, s.best_sell, s.institutions, s.left_out, s.stale) == (
        D("10.88"),
        D("10.92"),
        2,
        1,
        False,
    )
    # Every quote stale: the figures are theirs, marked stale.
    (s,) = summarise([old_best], D("10.90"), now)
    assert (s.best_buy, s.institutions, s.left_out, s.stale) == (D("10.95"), 1, 0, True)


def test_a_stored_quote_with_more_fields_fits_and_comes_back_as_itself() -> None:
    @dataclass(frozen=True)
    class Stored:
        id: int
        source: str
        institution: str
        base: str
        quote: str
        channel: Channel
        buy: Decimal | None
        sell: Decimal | None
        quoted_at: datetime | None
        fetched_at: datetime
        city: str = ""

    row = Stored(7, "nbt-banks", "Alif", "USD", "TJS", Channel.CASH, D("10.85"), D("10.95"),
                 at(MON, 9), at(MON, 9, 5))  # fmt: skip
    (s,) = summarise([row], None, NOW)
    assert s.best_sell_from[0].id == 7
    assert board([row], "USD/TJS", Channel.CASH, Side.SELL, NOW)[0].quote.id == 7


# ---------------------------------------------------------------- staleness


@pytest.mark.parametrize(
    ("quoted", "now", "stale"),
    [
        # Yesterday evening's quote just after local midnight in Dushanbe: no banking day
        # has opened since, so it is current (a UTC day would have turned at 05:00 local).
        (at(MON, 18, 30), at(TUE, 0, 5), False),
        (at(MON, 18, 30), at(TUE, 9, 59), False),  # Tuesday opened 08:00: grace to 10:00
        (at(MON, 18, 30), at(TUE, 10, 0), True),
        # Saturday's quote holds all Sunday (no banking day) until Monday 10:00.
        (at(SAT, 16), at(SUN, 20), False),
        (at(SAT, 16), at(NEXT_MON, 9, 59), False),
        (at(SAT, 16), at(NEXT_MON, 10), True),
        # A quote posted before the day's opening is that day's.
        (at(TUE, 7, 45), at(TUE, 18), False),
    ],
)
def test_stale_after_a_banking_day_has_been_open_two_hours(
    quoted: datetime, now: datetime, stale: bool
) -> None:
    assert is_stale(q("Alif", "10.85", "10.95", when=quoted), now) is stale


def test_the_day_is_the_sources_not_the_zone_the_quote_was_read_in() -> None:
    # Tuesday 00:30 in Dushanbe is Monday 19:30 UTC (as the store gives it back): at
    # Tuesday 10:30 local it is Tuesday's quote, current.
    quoted = at(TUE, 0, 30).astimezone(UTC)
    assert quoted.date() == MON
    assert not is_stale(q("Alif", "10.85", "10.95", when=quoted), at(TUE, 10, 30))


def test_every_day_boards_and_sources_without_a_calendar() -> None:
    # fx.kg's calendar is every day from 08:00 Bishkek: Sunday 10:00 makes Saturday's stale.
    saturday = q(
        "Kicb", "87.3", "87.6", when=at(SAT, 20, zone=BISHKEK), source="fx-kg", quote="KGS"
    )
    assert not is_stale(saturday, at(SUN, 9, 59, zone=BISHKEK))
    assert is_stale(saturday, at(SUN, 10, zone=BISHKEK))
    # A source not known here: 24 hours.
    unknown = q("X", "1.1", "1.2", when=at(MON, 9), source="elsewhere")
    assert not is_stale(unknown, at(TUE, 9))
    assert is_stale(unknown, at(TUE, 9) + timedelta(seconds=1))


def test_without_a_quoted_time_the_fetched_time_counts() -> None:
    fetched = at(MON, 18)
    bare = MarketQuote("nbt-banks", "Alif", "USD", "TJS", Channel.CASH, D("10.85"), D("10.95"),
                       None, fetched)  # fmt: skip
    assert quote_age(bare, at(MON, 18, 30)) == timedelta(minutes=30)
    assert not is_stale(bare, at(TUE, 9))
    assert is_stale(bare, at(TUE, 10))


# ---------------------------------------------------------------- the board


def test_board_by_buy_is_highest_first_ties_by_name_not_offered_last() -> None:
    lines = board(BOARD, "USD/TJS", Channel.CASH, Side.BUY, NOW, official=D("10.90"))
    # 10.88 Bonk, 10.88 Cbank (tie: by name), 10.85 Alif, 10.80 Eskhata, then Dbank (no buy).
    assert [(x.quote.institution, x.price, x.best) for x in lines] == [
        ("Bonk", D("10.88"), True),
        ("Cbank", D("10.88"), True),
        ("Alif", D("10.85"), False),
        ("Eskhata", D("10.80"), False),
        ("Dbank", None, False),
    ]
    # A buy below the official 10.90 is negative: (10.85 - 10.90) / 10.90 = -0.45872%.
    alif = lines[2].vs_official
    assert alif is not None and alif.quantize(D("0.00001")) == D("-0.45872")
    assert lines[4].vs_official is None
    assert lines[0].age == timedelta(hours=3)  # quoted 09:00, now 12:00


def test_board_by_sell_is_lowest_first() -> None:
    lines = board(BOARD, Pair("USD", "TJS"), Channel.CASH, Side.SELL, NOW, official=D("10.90"))
    # 10.92 Bonk, 10.92 Dbank, 10.95 Alif, 10.99 Eskhata, then Cbank (no sell).
    assert [(x.quote.institution, x.best) for x in lines] == [
        ("Bonk", True),
        ("Dbank", True),
        ("Alif", False),
        ("Eskhata", False),
        ("Cbank", False),
    ]
    # A sell above the official rate is +: (10.99 - 10.90) / 10.90 = +0.82569%.
    eskhata = lines[3].vs_official
    assert eskhata is not None and eskhata.quantize(D("0.00001")) == D("0.82569")


def test_board_names_tie_case_blind_and_puts_stale_quotes_after_current_ones() -> None:
    now = at(TUE, 12)
    quotes = [
        q("bonk", "10.88", "10.92", when=at(TUE, 9)),
        q("Alif", "10.88", "10.93", when=at(TUE, 9)),
        q("Zed", "10.99", "11.00", when=at(MON, 17)),  # the highest buy, but yesterday's
        q("Other", "10.80", "10.90", channel=Channel.CARD, when=at(TUE, 9)),  # not cash
    ]
    lines = board(quotes, "TJS/USD", Channel.CASH, Side.BUY, now)
    assert [(x.quote.institution, x.best, x.stale) for x in lines] == [
        ("Alif", True, False),
        ("bonk", True, False),
        ("Zed", False, True),
    ]
    assert all(x.vs_official is None for x in lines)  # no official given


# ---------------------------------------------------------------- best market price


def test_best_market_a_customer_buying_usd_meets_the_lowest_sell() -> None:
    # Buying dollars: the bank's sell, lowest: 10.92 at Bonk and Dbank, the first by name.
    assert best_market(BOARD, "USD/TJS", Side.SELL) == MarketPrice(D("10.92"), "Bonk", "nbt-banks")
    # Selling dollars: the bank's buy, highest: 10.88 at Bonk and Cbank.
    price, institution, source = best_market(BOARD, Pair("TJS", "USD"), Side.BUY) or (None, "", "")
    assert (price, institution, source) == (D("10.88"), "Bonk", "nbt-banks")


def test_best_market_reads_one_channel_and_leaves_stale_quotes_out_given_now() -> None:
    quotes = [
        q("Alif", "10.85", "10.95", when=at(TUE, 9)),
        q("Zed", "10.70", "10.75", when=at(MON, 17)),  # the cheapest, but yesterday's
        q("Card", "10.60", "10.70", channel=Channel.CARD, when=at(TUE, 9)),
    ]
    assert best_market(quotes, "USD/TJS", Side.SELL) == MarketPrice(D("10.75"), "Zed", "nbt-banks")
    now = at(TUE, 12)
    assert best_market(quotes, "USD/TJS", Side.SELL, now=now) == MarketPrice(
        D("10.95"), "Alif", "nbt-banks"
    )
    assert best_market(quotes, "USD/TJS", Side.SELL, Channel.CARD, now=now) == MarketPrice(
        D("10.70"), "Card", "nbt-banks"
    )
    assert best_market(quotes, "USD/TJS", Side.SELL, Channel.TRANSFER) is None
    assert best_market(quotes, "EUR/TJS", Side.SELL) is None
    only_buys = [q("Alif", "10.85", None)]
    assert best_market(only_buys, "USD/TJS", Side.SELL) is None


# ---------------------------------------------------------------- channels and origins


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("cash", Channel.CASH),
        ("CASH", Channel.CASH),
        ("noncash", Channel.NONCASH),
        ("non-cash", Channel.NONCASH),
        ("Non_Cash", Channel.NONCASH),
        ("card", Channel.CARD),
        ("cards", Channel.CARD),
        ("e-wallet", Channel.EWALLET),
        ("ewallet", Channel.EWALLET),
        ("transfers", Channel.TRANSFER),
        (" transfer ", Channel.TRANSFER),
        ("interbank", Channel.INTERBANK),
    ],
)
def test_parse_channel_reads_values_and_friendly_spellings(text: str, channel: Channel) -> None:
    assert parse_channel(text) is channel


def test_parse_channel_lists_the_choices() -> None:
    with pytest.raises(ValueError) as caught:
        parse_channel("crypto\x1b[2J")
    assert str(caught.value) == (
        "unknown channel 'crypto\\x1b[2J': choose one of "
        "cash, noncash, card, ewallet, transfer, interbank"
    )


def test_channel_order_has_every_channel_cash_first_interbank_last() -> None:
    assert set(CHANNEL_ORDER) == set(Channel)
    assert (CHANNEL_ORDER[0], CHANNEL_ORDER[-1]) == (Channel.CASH, Channel.INTERBANK)


def test_origins() -> None:
    assert origin_of("nbt-banks") is Origin.OFFICIAL
    assert origin_of("fx-kg") is Origin.THIRD_PARTY
    assert origin_of("kurs-kz") is Origin.THIRD_PARTY
    assert origin_of("bank-uz") is Origin.THIRD_PARTY
    assert origin_of("somewhere-new") is Origin.THIRD_PARTY
    assert origin_of("reported") is Origin.REPORTED
