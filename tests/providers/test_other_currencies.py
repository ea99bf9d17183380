"""Other currencies (issue 28): every source's EUR, RUB, CNY and the five among
themselves, when asked through ``ProviderOptions.extra_currencies``.

Every expected value here is written by hand from the recorded file's digits: the
published value divided by its nominal (``1.0686`` somoni per 10 som is 0.10686 somoni
per som). A rouble rate off by 10 or 100 is the classic bug, so the nominals other than
1 are each checked. CBR's files also carry ``VunitRate`` (roubles per one unit, as the
Bank of Russia computes it), a second check independent of our division.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest

from providers.base import Batch, Observation, Provider, ProviderOptions
from providers.catalogue import SOURCES
from providers.provenance import pair_derivation, pair_is_independent
from tests.helpers.scenarios import BASE, LATEST, Recorder, at, fixture, run, serve
from ticker.core.registry import load_provider

D = Decimal


def make(name: str, now: datetime, *extra: str) -> Provider:
    options = ProviderOptions(extra_currencies=frozenset(extra))
    return load_provider(name)(BASE, 5.0, lambda: now, options)


def latest(name: str, *extra: str) -> Batch:
    scenario = LATEST[name]
    return run(make(name, scenario.now, *extra), serve(scenario))


def pairs(batch: Batch) -> dict[str, Observation]:
    found = {f"{o.base}/{o.quote}": o for o in batch.observations}
    assert len(found) == len(batch.observations), "one observation per pair"
    return found


def check(o: Observation, rate: str, as_of: date) -> None:
    """A central bank's own quote: exactly ``rate`` (written by hand), not derived."""
    assert o.rate == D(rate), (o.base, o.quote, o.rate, rate)
    assert (o.as_of, o.derived) == (as_of, False)


# ----------------------------------------------------------------------- default


@pytest.mark.parametrize("name", sorted(LATEST))
def test_nothing_asked_gives_the_five_against_usd_only(name: str) -> None:
    plain = latest(name)
    assert plain.observations and all(o.base == "USD" for o in plain.observations)
    if name == "frankfurter":  # asking changes its request (see below)
        return
    asked = latest(name, "EUR")
    assert [o for o in asked.observations if "EUR" not in (o.base, o.quote)] == (plain.observations)
    assert any("EUR" in (o.base, o.quote) for o in asked.observations)


# ----------------------------------------------------------------------- NBKR


def test_nbkr_daily_file_gives_eur_cny_kzt_rub_in_som() -> None:
    # nbkr/daily.xml_fetched-2026-05-22_Date-23.05.2026.xml: every Nominal is 1.
    got = pairs(latest("nbkr", "EUR", "CNY", "KZT", "RUB", "USD", "KGS"))
    day = date(2026, 5, 23)
    check(got["EUR/KGS"], "101.5076", day)
    check(got["CNY/KGS"], "12.8707", day)
    check(got["KZT/KGS"], "0.1859", day)
    check(got["RUB/KGS"], "1.2263", day)
    assert got["RUB/KGS"].precision == D("0.004077")  # half of 0.0001 against 1.2263
    assert got["USD/KGS"].rate == D("87.4500")
    assert not any(o.quote == "USD" or o.base == "KGS" for o in got.values())


def test_nbkr_weekly_file_gives_the_others_under_its_own_date() -> None:
    # weekly.xml_fetched-2026-05-23_Date-23.05.2026.xml: TJS per 1, JPY per 10.
    batch = latest("nbkr", "TJS", "JPY", "UZS", "XYZ")
    got = pairs(batch)
    check(got["TJS/KGS"], "9.4148", date(2026, 5, 23))
    check(got["JPY/KGS"], "0.54969", date(2026, 5, 23))  # 5,4969 per 10 yen
    check(got["UZS/KGS"], "0.0073", date(2026, 5, 23))
    assert [(r.pair, r.reason) for r in batch.rejected] == [
        ("XYZ/KGS", "XYZ missing from the response")
    ]


def test_nbkr_2013_daily_file() -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        name = {
            "/XML/daily.xml": "nbkr/nbkr-ios_daily_valid_currencies_Date-15.12.2013.xml",
            "/XML/weekly.xml": "nbkr/nbkr-ios_weekly_valid_currencies_Date-14.12.2013.xml",
        }[request.url.path]
        return httpx.Response(200, content=fixture(name))

    got = pairs(run(make("nbkr", at(2013, 12, 14), "RUB", "EUR"), Recorder(reply)))
    check(got["RUB/KGS"], "1.4992", date(2013, 12, 15))
    check(got["EUR/KGS"], "67.8003", date(2013, 12, 15))


def test_nbkr_weekly_failure_loses_only_the_weekly_others() -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/XML/weekly.xml":
            return httpx.Response(200, content=b"<html>maintenance</html>")
        return httpx.Response(
            200, content=fixture("nbkr/daily.xml_fetched-2026-05-22_Date-23.05.2026.xml")
        )

    batch = run(make("nbkr", at(2026, 5, 22, 13), "RUB", "TJS"), Recorder(reply))
    got = pairs(batch)
    check(got["RUB/KGS"], "1.2263", date(2026, 5, 23))
    assert "USD/KGS" in got and "TJS/KGS" not in got
    assert "TJS/KGS" in {r.pair for r in batch.rejected}


def test_nbkr_history_asks_only_for_the_others_asked() -> None:
    seen: list[str] = []

    def reply(request: httpx.Request) -> httpx.Response:
        valuta = request.url.params["valuta_id"]
        seen.append(valuta)
        name = {
            "15": "nbkr/index1.jsp_item1562_valuta15_USD_2005-06.html",
            "20": "nbkr/index1.jsp_item1562_valuta20_EUR_2005-06.html",
        }.get(valuta)
        return httpx.Response(200, content=fixture(name) if name else b"<table></table>")

    span = (date(2005, 6, 1), date(2005, 6, 30))
    plain = run(make("nbkr", at(2026, 1, 1)), Recorder(reply), "fetch_history", *span)
    assert seen == ["15", "40", "45", "46", "108"]
    seen.clear()
    batch = run(
        make("nbkr", at(2026, 1, 1), "EUR", "KZT", "GBP"), Recorder(reply), "fetch_history", *span
    )
    assert seen == ["15", "40", "45", "46", "108", "20"]  # EUR costs one request, KZT none
    got = [(o.base, o.as_of, o.rate) for o in batch.observations if o.quote == "KGS"]
    # index1.jsp_item1562_valuta20_EUR_2005-06.html (the page has no nominal: it is 1)
    assert [g for g in got if g[0] == "EUR"] == [
        ("EUR", date(2005, 6, 4), D("50.3208")),
        ("EUR", date(2005, 6, 11), D("50.1624")),
        ("EUR", date(2005, 6, 18), D("49.8469")),
        ("EUR", date(2005, 6, 25), D("49.4425")),
    ]
    assert [r.pair for r in batch.rejected] == ["GBP/KGS"]
    assert [o for o in batch.observations if o.base == "USD"] == plain.observations


# ----------------------------------------------------------------------- NBK, NBT, CBU, CBT


def test_nbk_table_in_tenge() -> None:
    # nbk/get_rates.cfm_fdate_01.04.2026.xml: UZS quant 100, the others 1.
    got = pairs(latest("nbk", "EUR", "CNY", "RUB", "KGS", "TJS", "UZS", "KZT"))
    day = date(2026, 4, 1)
    check(got["EUR/KZT"], "548.62", day)
    check(got["CNY/KZT"], "69.31", day)
    check(got["RUB/KZT"], "5.87", day)
    check(got["KGS/KZT"], "5.47", day)
    check(got["TJS/KZT"], "50.19", day)
    check(got["UZS/KZT"], "0.0393", day)  # 3.93 tenge per 100 sum
    assert got["USD/KZT"].rate == D("478.77")


def test_nbt_table_in_somoni() -> None:
    # nbt/export_xml_2026-05-18.xml: KGS and KZT per 10, UZS per 100, JPY per 10.
    got = pairs(latest("nbt", "RUB", "EUR", "CNY", "KGS", "KZT", "UZS", "TMT", "JPY"))
    day = date(2026, 5, 18)
    check(got["RUB/TJS"], "0.1277", day)
    check(got["EUR/TJS"], "10.8757", day)
    check(got["CNY/TJS"], "1.3724", day)
    check(got["KGS/TJS"], "0.10686", day)  # 1.0686 per 10 som
    check(got["KZT/TJS"], "0.01971", day)  # 0.1971 per 10 tenge
    check(got["UZS/TJS"], "0.00078", day)  # 0.0780 per 100 sum
    check(got["TMT/TJS"], "2.67", day)
    check(got["JPY/TJS"], "0.05894", day)
    # The precision of a quote per 100 is that of its published digits: 0.0780 ± 0.00005.
    assert got["UZS/TJS"].precision == D("0.06410")


def test_cbu_table_in_sum() -> None:
    # cbu/json_all_2026-04-01.json: every Nominal of these is "1".
    got = pairs(latest("cbu", "EUR", "RUB", "CNY", "KGS", "KZT", "TJS", "TMT"))
    day = date(2026, 4, 1)
    check(got["EUR/UZS"], "13984.32", day)
    check(got["RUB/UZS"], "149.97", day)
    check(got["CNY/UZS"], "1765.33", day)
    check(got["KGS/UZS"], "139.40", day)
    check(got["KZT/UZS"], "25.53", day)
    check(got["TJS/UZS"], "1272.88", day)
    check(got["TMT/UZS"], "4037.68", day)  # the off-peg row, as published


def test_cbu_row_dated_after_the_dollar_is_rejected() -> None:
    body = fixture("cbu/json_all_2026-04-01.json").decode()
    rub = re.search(r'\{[^{}]*"Ccy":"RUB"[^{}]*\}', body)
    assert rub is not None
    body = body.replace(rub.group(0), rub.group(0).replace("01.04.2026", "02.04.2026"))
    provider = make("cbu", at(2026, 4, 1), "RUB", "EUR")
    batch = run(provider, Recorder(lambda r: httpx.Response(200, content=body.encode())))
    assert "EUR/UZS" in pairs(batch) and "RUB/UZS" not in pairs(batch)
    assert [(r.pair, r.value) for r in batch.rejected] == [("RUB/UZS", "149.97")]


def test_cbt_table_in_manat() -> None:
    # cbt/kurs_2026_20052026.xml: multiplier KGS 100, KZT 100, UZS 1000, RUB 100.
    got = pairs(latest("cbt", "RUB", "EUR", "CNY", "KGS", "KZT", "UZS", "TJS"))
    day = date(2026, 5, 20)
    check(got["RUB/TMT"], "0.049088", day)  # 4.9088 per 100 roubles
    check(got["EUR/TMT"], "4.0649", day)
    check(got["CNY/TMT"], "0.5142", day)
    check(got["KGS/TMT"], "0.040023", day)
    check(got["KZT/TMT"], "0.007424", day)
    check(got["UZS/TMT"], "0.0002913", day)  # 0.2913 per 1000 sum
    check(got["TJS/TMT"], "0.3788", day)


def test_missing_zero_and_garbled_rows_are_rejected_and_the_dollar_kept() -> None:
    body = (
        fixture("nbt/export_xml_2026-05-18.xml")
        .decode()
        .replace("<Value>0.1277</Value>", "<Value>0.0000</Value>")
        .replace("<Value>10.8757</Value>", "<Value>10,87,57</Value>")
    )
    body = re.sub(r"(<CharCode>CNY</CharCode>\s*<Nominal>)1<", r"\g<1>0<", body)
    provider = make("nbt", at(2026, 5, 18), "RUB", "EUR", "CNY", "XAU")
    batch = run(provider, Recorder(lambda r: httpx.Response(200, content=body.encode())))
    assert set(pairs(batch)) == {"USD/KGS", "USD/KZT", "USD/TJS", "USD/UZS", "USD/TMT"}
    reasons = {r.pair: r.reason for r in batch.rejected}
    assert reasons["CNY/TJS"] == "nominal must be positive, got 0"
    assert reasons["RUB/TJS"] == "not a positive number: '0.0000'"
    assert "not a number" in reasons["EUR/TJS"]
    assert reasons["XAU/TJS"] == "XAU missing from the response"


def test_a_history_day_carries_the_others() -> None:
    provider = make("nbk", at(2026, 4, 10), "RUB")
    scenario = LATEST["nbk"]
    batch = run(provider, serve(scenario), "fetch_day", date(2026, 4, 1))
    check(pairs(batch)["RUB/KZT"], "5.87", date(2026, 4, 1))


# ----------------------------------------------------------------------- CBR


def _vunit_rates(name: str) -> dict[str, Decimal]:
    text = fixture(name).decode("cp1251")
    return {
        m.group(1): D(m.group(2).replace(",", "."))
        for m in re.finditer(r"<CharCode>(\w+)</CharCode>.*?<VunitRate>([^<]+)</VunitRate>", text)
    }


def test_cbr_gives_x_per_rub_and_usd_rub_when_rub_is_asked() -> None:
    # cbr/XML_daily_latest_2026-04-25.xml: KGS, KZT, JPY per 100, TJS per 10, UZS per 10000.
    asked = ("RUB", "EUR", "CNY", "KGS", "KZT", "TJS", "UZS", "TMT", "JPY")
    batch = latest("cbr", *asked)
    got = pairs(batch)
    day = date(2026, 4, 25)
    check(got["USD/RUB"], "75.5273", day)
    check(got["EUR/RUB"], "88.2826", day)
    check(got["CNY/RUB"], "11.0270", day)
    check(got["KGS/RUB"], "0.864125", day)  # 86,4125 per 100 som
    check(got["KZT/RUB"], "0.163172", day)  # 16,3172 per 100 tenge
    check(got["TJS/RUB"], "8.00866", day)  # 80,0866 per 10 somoni
    check(got["UZS/RUB"], "0.00628322", day)  # 62,8322 per 10000 sum
    check(got["TMT/RUB"], "21.5792", day)
    check(got["JPY/RUB"], "0.472636", day)
    vunit = _vunit_rates("cbr/XML_daily_latest_2026-04-25.xml")
    for pair, o in got.items():
        if o.quote == "RUB":  # the Bank of Russia's own per-unit figure agrees
            assert o.rate == vunit[o.base], pair
    # The crosses through the rouble are today's, untouched.
    assert got["USD/KGS"].derived and got["USD/KGS"].quote == "KGS"


def test_cbr_usd_rub_only_when_asked() -> None:
    assert "USD/RUB" not in pairs(latest("cbr", "EUR"))
    assert "USD/RUB" in pairs(latest("cbr", "USD"))


def test_cbr_history_others_cost_requests_only_when_not_fetched_anyway() -> None:
    ids: list[str] = []
    files = {
        "R01235": "cbr/XML_dynamic_R01235_USD_2026-03-01_05.xml",
        "R01370": "cbr/XML_dynamic_R01370_KGS_2026-03-01_05.xml",
        "R01717": "cbr/XML_dynamic_R01717_UZS_2026-03-01_05.xml",
    }
    empty = b'<?xml version="1.0" encoding="windows-1251"?><ValCurs ID="x"></ValCurs>'

    def reply(request: httpx.Request) -> httpx.Response:
        cbr_id = request.url.params["VAL_NM_RQ"]
        ids.append(cbr_id)
        return httpx.Response(200, content=fixture(files[cbr_id]) if cbr_id in files else empty)

    provider = make("cbr", at(2026, 4, 1), "RUB", "KGS", "UZS", "EUR", "XYZ")
    batch = run(provider, Recorder(reply), "fetch_history", date(2026, 3, 1), date(2026, 3, 5))
    assert ids == ["R01235", "R01335", "R01370", "R01670", "R01710A", "R01717", "R01239"]
    got = {(o.base, o.quote, o.as_of): o.rate for o in batch.observations if o.quote == "RUB"}
    # XML_dynamic_R01370_KGS: 88,2534 / 88,7476 / 88,9662 per 100 som.
    assert got[("KGS", "RUB", date(2026, 3, 3))] == D("0.882534")
    assert got[("KGS", "RUB", date(2026, 3, 4))] == D("0.887476")
    assert got[("KGS", "RUB", date(2026, 3, 5))] == D("0.889662")
    # XML_dynamic_R01717_UZS: 63,3058 per 10000 sum on the 3rd.
    assert got[("UZS", "RUB", date(2026, 3, 3))] == D("0.00633058")
    assert got[("USD", "RUB", date(2026, 3, 3))] == D("77.1734")
    assert [r.pair for r in batch.rejected] == ["XYZ/RUB"]


def test_cbr_rouble_quotes_of_the_four_are_derived_since_2024_12_27() -> None:
    day = date(2026, 4, 25)
    found = pair_derivation("cbr", "KGS", "RUB", day)
    assert found is not None and found.describe() == "derived from NBKR via USD"
    dollar = pair_derivation("cbr", "USD", "KGS", day)  # as today
    assert dollar is not None and dollar.describe() == "derived from NBKR via RUB"
    assert not pair_is_independent("cbr", "UZS", "RUB", day)
    assert pair_is_independent("cbr", "KGS", "RUB", date(2024, 12, 26))
    assert pair_is_independent("cbr", "TMT", "RUB", day)
    assert pair_is_independent("cbr", "EUR", "RUB", day)
    assert pair_is_independent("cbr", "USD", "RUB", day)
    assert pair_is_independent("nbt", "RUB", "TJS", day)
    assert not pair_is_independent("frankfurter", "USD", "TMT", day)
    assert pair_is_independent("frankfurter", "USD", "RUB", day)


# ----------------------------------------------------------------------- aggregators


def test_erapi_and_currencyapi_give_usd_x_for_what_they_carry() -> None:
    e = latest("erapi", "EUR", "RUB", "CNY")
    got = pairs(e)
    assert format(got["USD/EUR"].rate, "f") == "0.861574"
    assert format(got["USD/RUB"].rate, "f") == "71.3291"
    assert got["USD/RUB"].as_of == date(2026, 5, 23) and not got["USD/RUB"].derived
    assert [(r.pair, r.reason) for r in e.rejected] == [("USD/CNY", "missing from the response")]
    c = latest("currencyapi", "EUR", "RUB", "CNY")
    got = pairs(c)
    assert format(got["USD/EUR"].rate, "f") == "0.86150241"
    assert format(got["USD/RUB"].rate, "f") == "71.41021003"
    assert [r.pair for r in c.rejected] == ["USD/CNY"]


def test_frankfurter_adds_the_others_to_quotes_and_says_what_is_missing() -> None:
    seen: list[str] = []

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params["quotes"])
        return httpx.Response(200, content=fixture("frankfurter/rates_latest_others.json"))

    batch = run(make("frankfurter", at(2026, 5, 22), "RUB", "EUR", "CNY", "KZT"), Recorder(reply))
    assert seen == ["KGS,KZT,TJS,UZS,TMT,CNY,EUR,RUB"]
    got = pairs(batch)
    assert format(got["USD/EUR"].rate, "f") == "0.86123"
    assert format(got["USD/CNY"].rate, "f") == "6.7951"
    assert [(r.pair, r.reason) for r in batch.rejected] == [
        ("USD/RUB", "missing from the response")
    ]


# ----------------------------------------------------------------------- catalogue


def test_the_catalogue_says_which_pair_each_asked_currency_gives() -> None:
    assert SOURCES["nbt"].pair_of("RUB") == ("RUB", "TJS")
    assert SOURCES["nbkr"].pair_of("kzt") == ("KZT", "KGS")
    assert SOURCES["nbk"].pair_of("KGS") == ("KGS", "KZT")
    assert SOURCES["nbk"].pair_of("TMT") is None  # the NBK publishes no manat rate
    assert SOURCES["nbt"].pair_of("TJS") is None
    assert SOURCES["cbr"].pair_of("EUR") == ("EUR", "RUB")
    assert SOURCES["cbr"].pair_of("RUB") == ("USD", "RUB")
    assert SOURCES["cbr"].pair_of("USD") == ("USD", "RUB")
    assert SOURCES["cbr"].pair_of("KGS") == ("KGS", "RUB")
    assert SOURCES["erapi"].pair_of("RUB") == ("USD", "RUB")
    assert SOURCES["frankfurter"].pair_of("CNY") == ("USD", "CNY")
    assert SOURCES["worldbank"].pair_of("RUB") is None


def test_options_default_to_nothing_asked() -> None:
    assert ProviderOptions().extra_currencies == frozenset()
    provider = make("nbt", datetime(2026, 5, 18, tzinfo=UTC), "rub")
    assert provider.paced(0.5).options.extra_currencies == frozenset({"rub"})


def test_frankfurter_history_asks_for_the_others_in_the_same_request() -> None:
    seen: list[dict[str, str]] = []

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.url.params))
        return httpx.Response(200, content=fixture("frankfurter/rates_latest_others.json"))

    provider = make("frankfurter", at(2026, 5, 25), "EUR", "CNY")
    span = (date(2026, 5, 22), date(2026, 5, 22))
    batch = run(provider, Recorder(reply), "fetch_history", *span)
    assert [p["quotes"] for p in seen] == ["KGS,KZT,TJS,UZS,TMT,CNY,EUR"]
    assert format(pairs(batch)["USD/EUR"].rate, "f") == "0.86123"
