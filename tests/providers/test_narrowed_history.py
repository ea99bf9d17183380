"""A provider narrowed to some pairs (:meth:`providers.base.Provider.narrowed`, a backfill
of some pairs) asks a history span only for the currencies those pairs need, where the
source reads a request per currency: NBT's range export (``cs=``), NBKR's history page
(``valuta_id``), CBR's ``XML_dynamic`` (``VAL_NM_RQ``). What it gives of those pairs is
what the whole span gives; its request count (the backfill's estimate) is the requests
it makes. From the recorded files: NBT's snapshots of 18-20 May 2026 (as range answers),
NBKR's USD and EUR pages of June 2005, CBR's dynamic files of 1-5 March 2026."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest

from providers.base import Batch, NoFixing, Provider, ProviderOptions
from providers.cbr import CBR
from providers.nbt import NBT
from tests.helpers.nbt_range import range_answer, range_dates
from tests.helpers.scenarios import BASE, Recorder, at, fixture, run
from ticker.core.registry import load_provider

D = Decimal
NBT_DAYS = (date(2026, 5, 18), date(2026, 5, 19), date(2026, 5, 20))
NBKR_JUNE = (date(2005, 6, 1), date(2005, 6, 30))
CBR_MARCH = (date(2026, 3, 1), date(2026, 3, 5))
EMPTY_CBR = b'<?xml version="1.0" encoding="windows-1251"?><ValCurs ID="x"></ValCurs>'


def make(name: str, now: datetime, *extra: str) -> Provider:
    options = ProviderOptions(extra_currencies=frozenset(extra))
    return load_provider(name)(BASE, 5.0, lambda: now, options)


def observed(batch: Batch) -> list[tuple[str, date, Decimal, bool]]:
    return sorted((f"{o.base}/{o.quote}", o.as_of, o.rate, o.derived) for o in batch.observations)


def nbt_ranges() -> Recorder:
    by_day = {d: fixture(f"nbt/export_xml_{d.isoformat()}.xml") for d in NBT_DAYS}

    def reply(request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)
        return httpx.Response(
            200, content=range_answer(query["cs"], *range_dates(query), by_day.get)
        )

    return Recorder(reply)


def nbkr_pages() -> Recorder:
    pages = {
        "15": "nbkr/index1.jsp_item1562_valuta15_USD_2005-06.html",
        "20": "nbkr/index1.jsp_item1562_valuta20_EUR_2005-06.html",
    }

    def reply(request: httpx.Request) -> httpx.Response:
        name = pages.get(request.url.params["valuta_id"])
        return httpx.Response(200, content=fixture(name) if name else b"<table></table>")

    return Recorder(reply)


def cbr_files() -> Recorder:
    files = {
        "R01235": "cbr/XML_dynamic_R01235_USD_2026-03-01_05.xml",
        "R01335": "cbr/XML_dynamic_R01335_KZT_2026-03-01_05.xml",
        "R01370": "cbr/XML_dynamic_R01370_KGS_2026-03-01_05.xml",
        "R01670": "cbr/XML_dynamic_R01670_TJS_2026-03-01_05.xml",
        "R01710A": "cbr/XML_dynamic_R01710A_TMT_2026-03-01_05.xml",
        "R01717": "cbr/XML_dynamic_R01717_UZS_2026-03-01_05.xml",
    }

    def reply(request: httpx.Request) -> httpx.Response:
        name = files.get(request.url.params["VAL_NM_RQ"])
        return httpx.Response(200, content=fixture(name) if name else EMPTY_CBR)

    return Recorder(reply)


def history(
    provider: Provider, recorder: Recorder, span: tuple[date, date], key: str
) -> tuple[Batch, list[str]]:
    """The span's batch and what each request asked (``key``: the currency's parameter)."""
    batch = run(provider, recorder, "fetch_history", *span)
    return batch, [r.url.params[key] for r in recorder.requests]


def only(batch: Batch, *pairs: str) -> list[tuple[str, date, Decimal, bool]]:
    return [o for o in observed(batch) if o[0] in pairs]


NOW_NBT = datetime(2026, 5, 21, 9, 0, tzinfo=UTC)
Case = tuple[str, datetime, Callable[[], Recorder], tuple[date, date], str]
CASES: dict[str, Case] = {
    "nbt": ("nbt", NOW_NBT, nbt_ranges, (NBT_DAYS[0], NBT_DAYS[-1]), "cs"),
    "nbkr": ("nbkr", at(2026, 1, 1), nbkr_pages, NBKR_JUNE, "valuta_id"),
    "cbr": ("cbr", at(2026, 4, 1), cbr_files, CBR_MARCH, "VAL_NM_RQ"),
}


@pytest.mark.parametrize(
    ("name", "pairs", "requests"),
    [
        ("nbt", ["USD/TJS"], ["USD"]),  # the dollar's own series
        ("nbt", ["USD/KGS"], ["KGS", "USD"]),  # a cross: TJS per USD over TJS per som
        ("nbt", ["USD/TJS", "USD/UZS"], ["USD", "UZS"]),
        ("nbkr", ["USD/KGS"], ["15"]),  # the som's own: the USD page
        ("nbkr", ["USD/KGS", "USD/KZT"], ["15", "40"]),  # a cross: the tenge's page too
        ("cbr", ["USD/KGS"], ["R01235", "R01370"]),  # a cross through the rouble
        ("cbr", ["USD/TMT"], ["R01235", "R01710A"]),
    ],
)
def test_a_narrowed_span_asks_what_the_pairs_need_and_gives_what_the_whole_one_does(
    name: str, pairs: list[str], requests: list[str]
) -> None:
    source, now, recorder, span, key = CASES[name]
    whole, asked_whole = history(make(source, now), recorder(), span, key)
    narrowed = make(source, now).narrowed(pairs)
    batch, asked = history(narrowed, recorder(), span, key)
    assert sorted(asked) == requests
    assert narrowed.history_requests() == len(requests)  # the estimate says so
    assert observed(batch) == only(whole, *pairs) != []
    assert batch.rejected == []  # no row of a currency not asked is missed
    # The whole span asked every currency, as before.
    assert make(source, now).history_requests() == len(asked_whole) == {"cbr": 6}.get(name, 5)


def test_nbt_narrowed_to_the_somoni_gives_its_published_dollar_rates() -> None:
    batch, asked = history(
        make("nbt", NOW_NBT).narrowed(["USD/TJS"]), nbt_ranges(), (NBT_DAYS[0], NBT_DAYS[-1]), "cs"
    )
    assert asked == ["USD"]
    # nbt/export_xml_2026-05-18.xml, -19, -20: somoni per dollar.
    assert observed(batch) == [
        ("USD/TJS", NBT_DAYS[0], D("9.3450"), False),
        ("USD/TJS", NBT_DAYS[1], D("9.3371"), False),
        ("USD/TJS", NBT_DAYS[2], D("9.3288"), False),
    ]


def test_an_extra_currency_asked_costs_its_own_request_and_no_other() -> None:
    # NBT's RUB/TJS with its dollar rate: the rouble's series and the dollar's.
    nbt = make("nbt", NOW_NBT, "RUB").narrowed(["USD/TJS", "RUB/TJS"])
    batch, asked = history(nbt, nbt_ranges(), (NBT_DAYS[0], NBT_DAYS[-1]), "cs")
    assert sorted(asked) == ["RUB", "USD"] and nbt.history_requests() == 2
    # The recorded snapshots' rouble: 0.1277, 0.1289, 0.1308 somoni.
    assert [o[2] for o in only(batch, "RUB/TJS")] == [D("0.1277"), D("0.1289"), D("0.1308")]
    # NBKR's EUR/KGS with the som's dollar rate: the EUR page (valuta_id 20) and the USD one.
    nbkr = make("nbkr", at(2026, 1, 1), "EUR").narrowed(["USD/KGS", "EUR/KGS"])
    batch, asked = history(nbkr, nbkr_pages(), NBKR_JUNE, "valuta_id")
    assert asked == ["15", "20"] and nbkr.history_requests() == 2
    assert [o[2] for o in only(batch, "EUR/KGS")] == [
        D("50.3208"),
        D("50.1624"),
        D("49.8469"),
        D("49.4425"),
    ]
    # CBR's EUR/RUB alone needs no dollar: its own file (R01239), nothing else.
    cbr = make("cbr", at(2026, 4, 1), "EUR").narrowed(["EUR/RUB"])
    batch, asked = history(cbr, cbr_files(), CBR_MARCH, "VAL_NM_RQ")
    assert asked == ["R01239"] and cbr.history_requests() == 1
    assert batch.observations == []  # not recorded here: an empty file, no fixing


def test_the_extra_currencies_of_pairs_not_asked_cost_nothing() -> None:
    """Built for RUB and EUR (watched pairs), narrowed to the dollar pair alone."""
    nbkr = make("nbkr", at(2026, 1, 1), "RUB", "EUR").narrowed(["USD/KGS"])
    assert nbkr.history_requests() == 1
    nbt = make("nbt", NOW_NBT, "RUB", "EUR").narrowed(["USD/TJS"])
    assert isinstance(nbt, NBT) and nbt.history_codes() == ["USD"]
    cbr = make("cbr", at(2026, 4, 1), "EUR", "KGS").narrowed(["KGS/RUB"])
    assert isinstance(cbr, CBR) and cbr.history_ids() == {
        "KGS": "R01370"
    }  # CBR's own KGS/RUB: the som's file


def test_a_narrowed_span_without_its_series_is_no_fixing() -> None:
    def none(day: date) -> bytes | None:
        return None

    def empty(request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)  # a window without a record
        return httpx.Response(200, content=range_answer(query["cs"], *range_dates(query), none))

    nbt = make("nbt", NOW_NBT, "RUB").narrowed(["RUB/TJS"])
    with pytest.raises(NoFixing, match="no rates of RUB from 2026-05-18 to 2026-05-20"):
        run(nbt, Recorder(empty), "fetch_history", NBT_DAYS[0], NBT_DAYS[-1])
    tjs = make("nbt", NOW_NBT).narrowed(["USD/TJS"])
    with pytest.raises(NoFixing, match="no USD rates"):
        run(tjs, Recorder(empty), "fetch_history", NBT_DAYS[0], NBT_DAYS[-1])


def test_narrowing_is_a_copy_and_pacing_keeps_it() -> None:
    plain = make("nbt", NOW_NBT, "RUB")
    narrowed = plain.narrowed(["USD/TJS"])
    assert plain.options.history_pairs is None and plain.history_requests() == 6
    paced = narrowed.paced(0.5)
    assert paced.options.history_pairs == frozenset({"USD/TJS"})
    assert paced.history_requests() == 1 and paced.request_delay == 0.5
    assert paced.options.extra_currencies == frozenset({"RUB"})
