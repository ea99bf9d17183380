"""Market quotes and reported rates seeded into the dashboard tests' store (the seeded
official rates: USD/TJS 9.3450 from NBT, USD/KGS 87.45 from NBKR, USD/TMT 3.50 from CBT)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from providers.market_quote import Channel, MarketQuote
from tests.helpers.dashboard import NOW
from ticker.config import Settings
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

DUSHANBE = ZoneInfo("Asia/Dushanbe")
BISHKEK = ZoneInfo("Asia/Bishkek")
#: Quoted an hour before the tests' clock, in each source's zone (Monday: a banking day).
QUOTED = NOW - timedelta(hours=1)
FETCHED = NOW - timedelta(minutes=5)
#: The loose band the tests store quotes with (their distance from official is checked elsewhere).
BAND = Decimal(50)

#: NBT's board for USD/TJS cash: the best buy is Orienbonk's 9.31, the best sell
#: Amonatbonk's 9.38; Spitamen buys no dollars.
NBT_CASH = [
    ("Amonatbonk", "9.30", "9.38"),
    ("Orienbonk", "9.31", "9.40"),
    ("Spitamen Bank", None, "9.39"),
]


def quote(
    source: str,
    institution: str,
    pair: tuple[str, str],
    buy: str | None,
    sell: str | None,
    channel: Channel = Channel.CASH,
    zone: ZoneInfo = DUSHANBE,
) -> MarketQuote:
    return MarketQuote(
        source,
        institution,
        pair[0],
        pair[1],
        channel,
        Decimal(buy) if buy is not None else None,
        Decimal(sell) if sell is not None else None,
        QUOTED.astimezone(zone),
        FETCHED,
    )


def nbt_board() -> list[MarketQuote]:
    cash = [quote("nbt-banks", n, ("USD", "TJS"), b, s) for n, b, s in NBT_CASH]
    card = quote("nbt-banks", "Eskhata", ("USD", "TJS"), "9.33", "9.36", Channel.CARD)
    return [*cash, card]


def fx_board() -> list[MarketQuote]:
    return [
        quote("fx-kg", "Ayil Bank", ("USD", "KGS"), "87.10", "87.60", zone=BISHKEK),
        quote("fx-kg", "Optima", ("USD", "KGS"), "87.20", "87.70", zone=BISHKEK),
    ]


def store_market(
    settings: Settings, quotes: list[MarketQuote], reported: Sequence[tuple[str, str]] = ()
) -> None:
    """Store ``quotes`` (one board each call) and ``reported`` rates (code, rate) of the
    dollar, as ``ticker market report`` would."""
    database = open_database(settings.database_url)
    try:
        repo = Repository(database)
        if quotes:
            repo.store_quotes(quotes, {}, BAND)
        for code, rate in reported:
            note = f"Ashgabat, cash, heard {NOW:%d %b}"
            repo.report_rate("USD", code, Decimal(rate), note, NOW - timedelta(hours=2))
    finally:
        database.dispose()
