"""The banks' and exchange offices' boards, as records (no HTTP code): what each market
source is, which pairs it quotes, and its banking hours.

A market source gives buy and sell quotes per institution and channel during the day
(:mod:`providers.market_quote`); its calendar is the banking day in its country, so the
collector polls it at its interval while the banks are open and rarely outside. Every
source but the National Bank of Tajikistan's own table is a third party: opt-in, and
labelled so wherever its quotes are shown. Each record's evidence (the public document
or recording it was built from) is in ``docs/market-sources.md``.

Standard library only.
"""

from __future__ import annotations

from datetime import time, timedelta

from providers.calendar import ALMATY, BISHKEK, DUSHANBE, EVERY_DAY, MON_SAT, TASHKENT, Calendar
from providers.records import Kind, Source

__all__ = ["KURS_KZ_CITIES", "MARKET", "MARKET_SOURCES"]

#: The foreign currencies the boards here quote against the local one.
_BOARD = frozenset({"USD", "EUR", "RUB"})

#: kurs.kz's city pages (``/site/index?city=<slug>``), the slugs public clients read, and
#: each city's name (a quote's ``city``): the cities ``[providers.kurs-kz] places`` accepts.
KURS_KZ_CITIES: dict[str, str] = {
    "almaty": "Almaty",
    "astana": "Astana",
    "shymkent": "Shymkent",
    "aktau": "Aktau",
    "aktobe": "Aktobe",
    "ekibastuz": "Ekibastuz",
    "kaskelen": "Kaskelen",
    "kostanai": "Kostanai",
    "pavlodar": "Pavlodar",
    "petropavlovsk": "Petropavlovsk",
    "ridder": "Ridder",
    "semei": "Semei",
    "taldykorgan": "Taldykorgan",
    "uralsk": "Uralsk",
}

MARKET_SOURCES: tuple[Source, ...] = (
    Source(
        "nbt-banks",
        title="National Bank of Tajikistan, commercial banks' rates",
        kind=Kind.MARKET,
        base_url="https://www.nbt.tj",
        interval=timedelta(minutes=30),
        poll_floor=timedelta(minutes=10),
        currencies=frozenset({"TJS"}),
        quoted_in="TJS",
        others=_BOARD,
        # Tajik banks update their boards through the working day, Monday to Saturday.
        calendar=Calendar(DUSHANBE, MON_SAT, time(8, 0), window=timedelta(hours=10)),
        terms="the central bank's own publication; a link to nbt.tj is required",
    ),
    Source(
        "fx-kg",
        title="fx.kg, Kyrgyz banks and exchange offices",
        kind=Kind.MARKET,
        base_url="https://data.fx.kg",
        interval=timedelta(hours=1),
        poll_floor=timedelta(minutes=30),
        currencies=frozenset({"KGS"}),
        quoted_in="KGS",
        # fx.kg's boards quote the tenge beside the dollar, the euro and the rouble.
        others=_BOARD | {"KZT"},
        # Banks and exchange offices change their boards every day of the week. One
        # request a poll, hourly at most (never under 30 minutes): 750 a month at the very
        # most, fewer outside the day's window. fx.kg does not publish its cap's size.
        calendar=Calendar(BISHKEK, EVERY_DAY, time(8, 0), window=timedelta(hours=12)),
        third_party=True,
        terms="third party (fx.kg); a free account's token, a monthly request cap",
        token_env="TICKER_FXKG_TOKEN",
    ),
    Source(
        "kurs-kz",
        title="kurs.kz, Kazakh exchange offices",
        kind=Kind.MARKET,
        base_url="https://kurs.kz",
        interval=timedelta(minutes=30),
        poll_floor=timedelta(minutes=15),
        currencies=frozenset({"KZT"}),
        quoted_in="KZT",
        others=_BOARD,
        calendar=Calendar(ALMATY, EVERY_DAY, time(8, 0), window=timedelta(hours=13)),
        third_party=True,
        terms="third party; the site's pages, no published terms: poll politely",
        # The two largest cash markets, one request each per poll: the one default, the
        # config's and the provider's alike.
        places=("almaty", "astana"),
        known_places=tuple(KURS_KZ_CITIES),
    ),
    Source(
        "bank-uz",
        title="bank.uz, Uzbek banks",
        kind=Kind.MARKET,
        base_url="https://bank.uz",
        interval=timedelta(minutes=30),
        poll_floor=timedelta(minutes=15),
        currencies=frozenset({"UZS"}),
        quoted_in="UZS",
        others=_BOARD,
        calendar=Calendar(TASHKENT, MON_SAT, time(9, 0), window=timedelta(hours=9)),
        third_party=True,
        terms="third party; an aggregator's public rates page, no API (bank.uz/uz/terms/)",
    ),
)

#: The market records by name.
MARKET: dict[str, Source] = {source.name: source for source in MARKET_SOURCES}
