"""Market quotes in words and in JSON: prices by the one number rule, distances from the
official rate with their sign, channels and origins for people, a board line's cells, and
exact JSON (normalised as ``json_decimal`` does: a published ``10.9500`` is ``"10.95"``).
Expected values worked out by hand in the comments."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from providers.market_quote import Channel, MarketQuote, Side
from ticker.display.market import (
    BoardCells,
    age_text,
    board_cells,
    board_headers,
    board_record,
    channel_word,
    institution_text,
    market_json,
    origin_word,
    price_text,
    quote_record,
    summary_text,
    versus_text,
)
from ticker.model.market import Origin, board, summarise
from ticker.model.pairs import percent_change

D = Decimal
DUSHANBE = timezone(timedelta(hours=5))
MON, TUE = date(2025, 12, 1), date(2025, 12, 2)  # a Monday, NBT's boards' banking day


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=DUSHANBE)


def q(
    institution: str,
    buy: str | None,
    sell: str | None,
    *,
    when: datetime | None = None,
    source: str = "nbt-banks",
    quote: str = "TJS",
    city: str = "",
) -> MarketQuote:
    quoted = at(MON, 9) if when is None else when
    return MarketQuote(
        source, institution, "USD", quote, Channel.CASH,
        D(buy) if buy is not None else None, D(sell) if sell is not None else None,
        quoted, quoted + timedelta(minutes=5), city,
    )  # fmt: skip


NOW = at(MON, 12)
BOARD = [
    q("Alif", "10.85", "10.95"),
    q("Bonk", "10.88", "10.92", city="Khujand"),
    q("Cbank", "10.88", None),
    q("Dbank", None, "10.92"),
    q("Eskhata", "10.80", "10.99"),
]


def test_a_price_against_the_official_rate_as_the_issue_writes_it() -> None:
    # (10.92 - 10.8765) / 10.8765 = 0.0435 / 10.8765 = +0.39994% -> two decimals: +0.40%.
    pct = percent_change(D("10.8765"), D("10.92"))
    assert price_text(Channel.CASH, Side.SELL, D("10.92"), pct, "nbt") == (
        "cash sell 10.92, +0.40% vs NBT"
    )


def test_the_distance_carries_its_sign_and_zero_has_none() -> None:
    below = percent_change(D("10.90"), D("10.88"))  # -0.02 / 10.90 = -0.18349%
    assert versus_text(below, "nbt") == "-0.18% vs NBT"
    assert versus_text(percent_change(D("10.90"), D("10.90")), "nbt") == "0.00% vs NBT"
    # A distance too small for two decimals keeps a digit: 10.9001 over 10.90 is +0.00092%.
    assert versus_text(percent_change(D("10.90"), D("10.9001")), "nbt") == "+0.00092% vs NBT"
    assert versus_text(None, "nbt") == ""
    assert versus_text(below, "") == "-0.18% vs official"


def test_prices_follow_the_one_number_rule() -> None:
    # NBT's 10.9500 is 10.95 (a trailing zero is not a digit); a sum keeps two decimals
    # and its separators; no official rate: no distance.
    assert price_text(Channel.CASH, Side.BUY, D("10.9500")) == "cash buy 10.95"
    assert price_text(Channel.NONCASH, Side.SELL, D("12850.00")) == "non-cash sell 12,850.00"
    # Five significant digits by default: 10.92345 -> 10.923.
    assert price_text(Channel.CARD, Side.SELL, D("10.92345")) == "card sell 10.923"
    assert price_text(Channel.CARD, Side.SELL, D("10.92345"), significant=6) == "card sell 10.9235"


def test_channel_and_origin_words() -> None:
    assert [channel_word(c) for c in Channel] == [
        "cash",
        "non-cash",
        "card",
        "e-wallet",
        "transfer",
        "interbank",
    ]
    assert origin_word(Origin.OFFICIAL) == "official source"
    assert origin_word(Origin.THIRD_PARTY) == "third party"
    assert origin_word(Origin.REPORTED) == "reported"
    assert institution_text(BOARD[1]) == "Bonk (Khujand)"
    assert institution_text(BOARD[0]) == "Alif"


def test_a_summary_in_one_line() -> None:
    (s,) = summarise(BOARD, D("10.90"), NOW)
    # Best buy 10.88 (Bonk, Cbank): -0.02 / 10.90 = -0.18%; best sell 10.92 (Bonk,
    # Dbank): +0.18%; medians (10.85 + 10.88) / 2 = 10.865 and (10.92 + 10.95) / 2 =
    # 10.935; spread 10.92 - 10.88 = +0.04 (a change of the prices: their decimals).
    assert summary_text(s, "nbt") == (
        "USD/TJS cash buy 10.88 (Bonk (Khujand), Cbank), -0.18% vs NBT; "
        "sell 10.92 (Bonk (Khujand), Dbank), +0.18% vs NBT; median 10.865 / 10.935; "
        "spread +0.04; 5 institutions; official source"
    )


def test_a_summary_says_third_party_stale_and_what_is_not_offered() -> None:
    kg = [q("Kicb", "87.30", None, source="fx-kg", quote="KGS")]
    (s,) = summarise(kg, None, NOW)
    assert summary_text(s) == (
        "USD/KGS cash buy 87.30 (Kicb); sell not offered; median 87.30 / -; "
        "1 institution; third party"
    )
    now = at(TUE, 12)  # Monday's quotes are stale from Tuesday 10:00
    (s,) = summarise(BOARD, None, now)
    assert summary_text(s).endswith("; 5 institutions; stale; official source")
    (s,) = summarise([*BOARD, q("Fresh", "10.86", "10.93", when=at(TUE, 9))], None, now)
    assert summary_text(s).endswith("; 1 institution; 5 stale left out; official source")


def test_board_cells_with_the_best_marked_and_each_age() -> None:
    lines = board(BOARD, "USD/TJS", Channel.CASH, Side.SELL, NOW, official=D("10.90"))
    cells = [board_cells(line, NOW) for line in lines]
    # Quoted 09:00, now 12:00: 3h00m ago. Sell 10.92 over 10.90: +0.18%; 10.95: +0.46%
    # (0.05 / 10.90 = 0.4587%); 10.99: +0.83% (0.09 / 10.90 = 0.8257%).
    assert cells == [
        BoardCells("Bonk", "Khujand", "10.88", "10.92", "+0.18%", "3h00m ago", "best"),
        BoardCells("Dbank", "", "-", "10.92", "+0.18%", "3h00m ago", "best"),
        BoardCells("Alif", "", "10.85", "10.95", "+0.46%", "3h00m ago", ""),
        BoardCells("Eskhata", "", "10.80", "10.99", "+0.83%", "3h00m ago", ""),
        BoardCells("Cbank", "", "10.88", "-", "-", "3h00m ago", ""),
    ]
    assert board_headers("nbt") == BoardCells(
        "Institution", "City", "Buy", "Sell", "vs NBT", "Age", ""
    )
    assert board_headers().vs_official == "vs official"


def test_a_stale_line_says_so_beside_its_age() -> None:
    now = at(TUE, 12)
    (line,) = board([q("Alif", "10.85", "10.95", when=at(MON, 17))], "USD/TJS", Channel.CASH,
                    Side.BUY, now)  # fmt: skip
    assert age_text(line, now) == "19h00m ago, stale"  # Monday 17:00 to Tuesday 12:00


def test_market_json_is_exact_and_normalised_with_quoted_times_in_the_sources_zone() -> None:
    # Alif as published, 10.8500 / 10.9500, and read back in UTC (04:00Z is 09:00 in
    # Dushanbe); Bonk 10.88 / 10.92 in Khujand.
    alif = q("Alif", "10.8500", "10.9500", when=at(MON, 9).astimezone(UTC))
    bonk = q("Bonk", "10.88", "10.92", city="Khujand")
    text = market_json(summarise([alif, bonk], D("10.90"), NOW), {"USD/TJS": "nbt"})
    assert "E" not in text  # never an exponent (no upper-case letter E in these names)
    (s,) = json.loads(text)
    # Medians: (10.8500 + 10.88) / 2 = 10.8650 -> "10.865"; (10.9500 + 10.92) / 2 =
    # 10.9350 -> "10.935". Spreads per bank 0.1000 and 0.04: median 0.0700 -> "0.07".
    assert {k: s[k] for k in ("best_buy", "best_sell", "median_buy", "median_sell")} == {
        "best_buy": "10.88",
        "best_sell": "10.92",
        "median_buy": "10.865",
        "median_sell": "10.935",
    }
    assert (s["spread"], s["median_spread"], s["official"]) == ("0.04", "0.07", "10.9")
    # The distance is exact, as percent_change gives it: 0.02 / 10.90 * 100.
    assert s["best_sell_vs_official_pct"] == "0.1834862385321100917431192661"
    assert s["best_buy_vs_official_pct"] == "-0.1834862385321100917431192661"
    assert (s["official_source"], s["origin"], s["channel"], s["pair"]) == (
        "nbt",
        "official",
        "cash",
        "USD/TJS",
    )
    assert (s["institutions"], s["stale_left_out"], s["stale"]) == (2, 0, False)
    assert s["best_buy_from"] == [{"institution": "Bonk", "city": "Khujand", "source": "nbt-banks"}]
    assert s["newest"] == "2025-12-01T09:00:00+05:00"
    # The quotes, best sell first: Bonk 10.92, then Alif, whose 10.9500 is "10.95".
    bonk_json, alif_json = s["quotes"]
    assert alif_json == {
        "source": "nbt-banks",
        "origin": "official",
        "institution": "Alif",
        "city": None,  # the source gives none
        "pair": "USD/TJS",
        "base": "USD",
        "quote": "TJS",
        "channel": "cash",
        "buy": "10.85",
        "sell": "10.95",
        "quoted_at": "2025-12-01T09:00:00+05:00",
        "fetched_at": "2025-12-01T04:05:00Z",
    }
    assert bonk_json["institution"] == "Bonk"


def test_json_without_an_official_rate_or_a_quoted_time_or_a_side() -> None:
    bare = MarketQuote("kurs-kz", "Kassa 24", "USD", "KZT", Channel.CASH, D("470.5"), None,
                       None, at(MON, 9), "Almaty")  # fmt: skip
    (s,) = json.loads(market_json(summarise([bare], None, NOW)))
    assert (s["official"], s["official_source"], s["best_sell_vs_official_pct"]) == (None,) * 3
    assert (s["best_sell"], s["spread"], s["origin"]) == (None, None, "third-party")
    record = quote_record(bare)
    assert (record["quoted_at"], record["sell"], record["buy"]) == (None, None, D("470.5"))


def test_a_board_line_as_json() -> None:
    lines = board(BOARD, "USD/TJS", Channel.CASH, Side.BUY, NOW, official=D("10.90"))
    first = board_record(lines[0])
    assert (first["institution"], first["price"], first["best"], first["stale"]) == (
        "Bonk",
        D("10.88"),
        True,
        False,
    )
    assert first["age_seconds"] == 3 * 3600
    assert first["vs_official_pct"] == percent_change(D("10.90"), D("10.88"))
    last = board_record(lines[-1])  # Dbank buys nothing
    assert (last["institution"], last["price"], last["vs_official_pct"]) == ("Dbank", None, None)
