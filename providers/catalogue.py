"""What each built-in source *is*, as data (no HTTP code): one :class:`Source` record per
source, and the five currencies and countries every part of the program shares.

A record says what kind of data the source gives, which of the five currencies it covers,
when it publishes (its :class:`~providers.calendar.Calendar`), where it is and how often
and how patiently it is asked (the defaults of its ``[providers.NAME]`` section), how its
history is read and from when, and the indicators it is asked for by default. Everything
else reads it here: the provider classes (``class NBK(DailyHistoryProvider,
source=SOURCES["nbk"])`` sets their ``NAME``, ``CURRENCIES``, ``CALENDAR``, ``HISTORY`` ...),
the configuration's defaults and its check of ``[routing]``
(:mod:`ticker.config.sources`), and freshness, which judges a fixing by its source's
calendar without importing any provider. A third-party package declares its own sources
the same way: a record of its own passed as ``source=``, or the class attributes set
by hand.

Standard library only (the read side imports it for the calendars and the currencies).
Each calendar rule's evidence, with the public recordings and clients it was settled
from, is in ``docs/dates-and-provenance.md``; where the evidence is ambiguous, the reading
chosen is the one that never shows an older rate than the one in force.
"""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

from providers.calendar import (
    ALMATY,
    ASHGABAT,
    BISHKEK,
    DUSHANBE,
    EVERY_DAY,
    MON_FRI,
    MON_SAT,
    MOSCOW,
    RUSSIA_NO_FIXING,
    TASHKENT,
    TUE_SAT,
    TURKMENISTAN_HOLIDAYS,
    UZBEKISTAN_HOLIDAYS,
    Calendar,
)
from providers.market_records import MARKET_SOURCES
from providers.monetary_records import MONETARY_SOURCES
from providers.records import COUNTRIES, LOCAL_CURRENCIES, History, Kind, Source

__all__ = [
    "CALENDARS",
    "CENTRAL_BANKS",
    "COUNTRIES",
    "COVERS",
    "History",
    "Kind",
    "LOCAL_CURRENCIES",
    "SOURCES",
    "Source",
]

_ALL_FIVE = frozenset(LOCAL_CURRENCIES)
#: The foreign currencies besides the dollar every rate source here publishes.
_MAJORS = frozenset({"EUR", "RUB", "CNY"})
_HALF_HOUR = timedelta(minutes=30)

_BUILT_IN = (
    Source(
        "nbkr",
        title="National Bank of the Kyrgyz Republic",
        kind=Kind.FIXINGS,
        base_url="https://www.nbkr.kg",
        interval=_HALF_HOUR,
        currencies=_ALL_FIVE,
        quoted_in="KGS",
        others=frozenset(_MAJORS | {"KZT", "TJS", "UZS", "TMT"}),
        # daily.xml is re-stamped every day, weekends included, around 16:00 Bishkek, dated
        # the next day (weekly.xml's TJS, UZS and TMT: Saturday, valid for 7 days).
        calendar=Calendar(BISHKEK, EVERY_DAY, time(16, 0), lead_days=1),
        history=History.RANGE,
        history_start=date(1999, 1, 1),
        history_step_days=366,
        # NBKR drops connections after ~20 TLS handshakes in quick succession: go slowly.
        backfill_delay=timedelta(milliseconds=500),
    ),
    Source(
        "nbk",
        title="National Bank of Kazakhstan",
        kind=Kind.FIXINGS,
        base_url="https://nationalbank.kz",
        interval=_HALF_HOUR,
        currencies=frozenset({"KZT", "KGS", "TJS", "UZS"}),  # the NBK publishes no manat rate
        quoted_in="KZT",
        others=frozenset(_MAJORS | {"KGS", "TJS", "UZS"}),
        # The rate is set from the day's KASE trading (USD at 15:30, crosses at 16:00 Astana
        # time) and is in force from the next day; get_rates.cfm?fdate=D answers a file dated
        # D for every day asked, a weekend's carrying the rate set on Friday (a recorded
        # Saturday 01.08.2026 file with a change from Friday's). So every day is dated, the
        # next day's from 16:00, and new rates are dated Tuesday to Saturday (Sunday's and
        # Monday's files repeat Saturday's); no holiday is skipped (the day after a trading
        # day carries that day's new rate, holiday or not).
        calendar=Calendar(ALMATY, EVERY_DAY, time(16, 0), lead_days=1, renews=TUE_SAT),
        history=History.DAILY,
        history_start=date(2000, 1, 1),
    ),
    Source(
        "nbt",
        title="National Bank of Tajikistan",
        kind=Kind.FIXINGS,
        base_url="https://www.nbt.tj",
        interval=_HALF_HOUR,
        currencies=_ALL_FIVE,
        quoted_in="TJS",
        others=frozenset(_MAJORS | {"KGS", "KZT", "UZS", "TMT"}),
        # Every day, weekends and holidays included (carried forward), in the Dushanbe
        # morning; a date not yet published answers with the newest snapshot.
        calendar=Calendar(DUSHANBE, EVERY_DAY, time(9, 30)),
        # History: the range export, one currency per request (providers/nbt.py). No span
        # limit is known (public clients ask ten years and more); 400 days is a year,
        # leap day or not, in one request per currency (kursi-tojik's backfill asks 401).
        history=History.RANGE,
        history_start=date(2001, 1, 1),
        history_step_days=400,
    ),
    Source(
        "cbu",
        title="Central Bank of Uzbekistan",
        kind=Kind.FIXINGS,
        base_url="https://cbu.uz",
        interval=_HALF_HOUR,
        currencies=_ALL_FIVE,
        quoted_in="UZS",
        others=frozenset(_MAJORS | {"KGS", "KZT", "TJS", "TMT"}),
        # Business days; ``Date`` is the day the rate is in force from, set the business day
        # before: at 16:00 Tashkent until 9 Aug 2026, about 17:30 from 10 Aug 2026 (cbu.uz
        # press centre, advert 4257111). Monday's rate is set on Friday.
        calendar=Calendar(
            TASHKENT,
            MON_FRI,
            time(17, 30),
            lead_days=1,
            holidays=UZBEKISTAN_HOLIDAYS,
            sets_on=MON_FRI,
        ),
        history=History.DAILY,
        history_start=date(1994, 7, 1),
    ),
    Source(
        "cbt",
        title="Central Bank of Turkmenistan",
        kind=Kind.FIXINGS,
        base_url="https://cbt.tm",
        interval=_HALF_HOUR,
        currencies=_ALL_FIVE,
        quoted_in="TMT",
        others=frozenset(_MAJORS | {"KGS", "KZT", "TJS", "UZS"}),
        # Monday to Saturday; day D's file appears around 15:30 Ashgabat on D-1.
        calendar=Calendar(
            ASHGABAT, MON_SAT, time(15, 30), lead_days=1, holidays=TURKMENISTAN_HOLIDAYS
        ),
        history=History.DAILY,
        history_start=date(2020, 4, 17),
    ),
    Source(
        "cbr",
        title="Central Bank of Russia (via RUB)",
        kind=Kind.FIXINGS,
        base_url="https://www.cbr.ru",
        interval=_HALF_HOUR,
        currencies=_ALL_FIVE,
        quoted_in="RUB",
        others=frozenset((_MAJORS - {"RUB"}) | _ALL_FIVE | {"USD"}),
        # Set on business days for the next day: dated Tuesday to Saturday (Saturday's
        # covers Sunday and Monday), published around 15:30 Moscow the day before.
        calendar=Calendar(MOSCOW, TUE_SAT, time(15, 30), lead_days=1, holidays=RUSSIA_NO_FIXING),
        history=History.RANGE,
        history_start=date(1993, 1, 1),
        # XML_dynamic has no known span limit: public code asks a year and more (a data
        # project's manifest records 01/01/2009 to 31/12/2024 for USD in one file).
        history_step_days=3660,
    ),
    Source(
        "frankfurter",
        title="Frankfurter (blended central-bank rates)",
        kind=Kind.FIXINGS,
        base_url="https://api.frankfurter.dev",
        interval=timedelta(hours=1),
        currencies=_ALL_FIVE,
        others=frozenset(_MAJORS),
        # A blend of central-bank fixings, business days, through the European afternoon.
        calendar=Calendar(UTC, MON_FRI, time(16, 0), window=timedelta(hours=8)),
        history=History.RANGE,
        history_start=date(1999, 1, 4),
        # v2 ``from=&to=`` takes any length; a daily range over five years is refused with
        # 422 when ``providers=`` is pinned (not asked here): five years stays inside it.
        history_step_days=1827,
        backfill_concurrency=2,
    ),
    Source(
        "erapi",
        title="ExchangeRate-API open access",
        kind=Kind.FIXINGS,
        base_url="https://open.er-api.com",
        interval=timedelta(hours=6),
        # Hourly requests are never rate limited, its documentation says; more often
        # risks an HTTP 429 and a lock-out of about 20 minutes.
        poll_floor=timedelta(hours=1),
        currencies=_ALL_FIVE,
        others=frozenset(_MAJORS),
        # Rebuilt once a day, just after midnight UTC.
        calendar=Calendar(UTC, EVERY_DAY, time(0, 30)),
    ),
    Source(
        "currencyapi",
        title="fawazahmed0 currency-api",
        kind=Kind.FIXINGS,
        base_url="https://cdn.jsdelivr.net",
        interval=timedelta(hours=3),
        currencies=_ALL_FIVE,
        others=frozenset(_MAJORS),
        # Built by a job started at 00:00 UTC, dated that UTC day, but out only around
        # midnight US Eastern (04:00 UTC in summer, 05:00 in winter): fawazahmed0/exchange-api
        # issues 153, 116 and 114.
        calendar=Calendar(UTC, EVERY_DAY, time(4, 0), window=timedelta(hours=4)),
        history=History.DAILY,
        history_start=date(2024, 3, 2),
        backfill_concurrency=2,
        backfill_delay=timedelta(milliseconds=100),
        fallback_url="https://{date}.currency-api.pages.dev",
    ),
    Source(
        "worldbank",
        title="World Bank, World Development Indicators (CC BY 4.0)",
        kind=Kind.ANNUAL,
        base_url="https://api.worldbank.org",
        interval=timedelta(days=1),
        timeout=timedelta(seconds=60),
        indicators=(
            "FP.CPI.TOTL.ZG",
            "NY.GDP.MKTP.KD.ZG",
            "BX.TRF.PWKR.DT.GD.ZS",
            "BN.CAB.XOKA.GD.ZS",
            "SL.UEM.TOTL.ZS",
            "PA.NUS.FCRF",
            "NY.GDP.PCAP.CD",
            "FI.RES.TOTL.CD",
        ),
    ),
    Source(
        "imf",
        title="IMF DataMapper, World Economic Outlook",
        kind=Kind.ANNUAL,
        base_url="https://www.imf.org",
        interval=timedelta(days=1),
        timeout=timedelta(seconds=60),
        indicators=("NGDP_RPCH", "PCPIPCH", "BCA_NGDPD", "GGXWDG_NGDP"),
    ),
)

#: Every built-in source by name, in the order the program lists them: the rate sources,
#: the banks' and exchange offices' boards (:mod:`providers.market_records`), the monetary
#: series (:mod:`providers.monetary_records`), the annual indicators.
SOURCES: dict[str, Source] = {
    source.name: source
    for source in (
        *(s for s in _BUILT_IN if s.kind is Kind.FIXINGS),
        *MARKET_SOURCES,
        *MONETARY_SOURCES,
        *(s for s in _BUILT_IN if s.kind is not Kind.FIXINGS),
    )
}

#: Which of the five local currencies each built-in rate source yields against USD.
COVERS: dict[str, frozenset[str]] = {
    name: source.currencies for name, source in SOURCES.items() if source.kind is Kind.FIXINGS
}

#: The built-in sources' publication calendars.
CALENDARS: dict[str, Calendar] = {
    name: source.calendar for name, source in SOURCES.items() if source.calendar is not None
}

#: Each currency's own central bank among the built-in sources: its table quotes every
#: other currency in this one (NBT's rouble is RUB/TJS, somoni per rouble). Read from the
#: rate records' ``quoted_in``, the one place that says it (a bank board quotes in the
#: local currency too, but is no central bank's fixing).
CENTRAL_BANKS: dict[str, str] = {
    source.quoted_in: name
    for name, source in SOURCES.items()
    if source.quoted_in is not None and source.kind is Kind.FIXINGS
}
