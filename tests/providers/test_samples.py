"""Every recorded response parses to the exact values its own digits give.

Expected values are written here from the files' digits: a direct quote must reproduce
the published text; a cross is (local per USD) / (local per X), each divided by its
nominal, and must agree with that quotient to at least 17 significant digits.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from providers.base import Batch, NoFixing, ProviderResponseError
from providers.http import BROWSER_USER_AGENT
from tests.helpers.samples import assert_cross, assert_direct, assert_nbt_five, by_quote
from tests.helpers.scenarios import LATEST, Recorder, at, fixture, make, run, serve

D = Decimal


def latest(name: str) -> tuple[Batch, Recorder]:
    scenario = LATEST[name]
    recorder = serve(scenario)
    return run(make(name, scenario.now), recorder), recorder


def test_nbkr_daily_and_weekly() -> None:
    batch, _ = latest("nbkr")
    got = by_quote(batch)
    day = date(2026, 5, 23)
    assert_direct(got["KGS"], "87.4500", day)
    assert_cross(got["KZT"], "87,4500".replace(",", "."), "1", "0.1859", "1", day)
    assert_cross(got["TJS"], "87.4500", "1", "9.4148", "1", day)
    assert_cross(got["UZS"], "87.4500", "1", "0.0073", "1", day)
    assert_cross(got["TMT"], "87.4500", "1", "24.9857", "1", day)
    assert batch.rejected == []


def test_nbkr_weekly_rates_apply_on_the_daily_date_within_their_week() -> None:
    def reply(request):
        import httpx

        name = {
            "/XML/daily.xml": "nbkr/daily.xml_fetched-2026-05-23_Date-24.05.2026.xml",
            "/XML/weekly.xml": "nbkr/weekly.xml_fetched-2026-05-23_Date-23.05.2026.xml",
        }[request.url.path]
        return httpx.Response(200, content=fixture(name))

    got = by_quote(run(make("nbkr", at(2026, 5, 23, 23)), Recorder(reply)))
    assert got["KGS"].as_of == date(2026, 5, 24)
    assert_cross(got["TMT"], "87.4500", "1", "24.9857", "1", date(2026, 5, 24))


def test_nbkr_2013_format_is_unchanged() -> None:
    import httpx

    def reply(request):
        name = {
            "/XML/daily.xml": "nbkr/nbkr-ios_daily_valid_currencies_Date-15.12.2013.xml",
            "/XML/weekly.xml": "nbkr/nbkr-ios_weekly_valid_currencies_Date-14.12.2013.xml",
        }[request.url.path]
        return httpx.Response(200, content=fixture(name))

    got = by_quote(run(make("nbkr", at(2013, 12, 14)), Recorder(reply)))
    day = date(2013, 12, 15)
    assert_direct(got["KGS"], "29.2717", day)
    assert_cross(got["KZT"], "29.2717", "1", "0.3197", "1", day)
    assert_cross(got["UZS"], "29.2717", "1", "0.0224", "1", day)


def test_nbkr_weekly_rate_out_of_its_week_is_rejected_not_crossed() -> None:
    import httpx

    weekly = fixture("nbkr/weekly.xml_fetched-2026-05-23_Date-23.05.2026.xml").replace(
        b'Date="23.05.2026"', b'Date="09.05.2026"'
    )

    def reply(request):
        if request.url.path == "/XML/weekly.xml":
            return httpx.Response(200, content=weekly)
        return httpx.Response(
            200, content=fixture("nbkr/daily.xml_fetched-2026-05-22_Date-23.05.2026.xml")
        )

    batch = run(make("nbkr", at(2026, 5, 22)), Recorder(reply))
    assert set(by_quote(batch)) == {"KGS", "KZT"}
    assert {r.pair for r in batch.rejected} == {"USD/TJS", "USD/UZS", "USD/TMT"}
    assert all("not in effect on 2026-05-23" in r.reason for r in batch.rejected)


def test_nbkr_history_page() -> None:
    import httpx

    seen: list[dict[str, str]] = []

    def reply(request):
        params = dict(request.url.params)
        seen.append(params)
        assert request.url.path == "/index1.jsp"
        if params["valuta_id"] == "15":
            return httpx.Response(
                200, content=fixture("nbkr/index1.jsp_item1562_valuta15_USD_2005-06.html")
            )
        return httpx.Response(200, content=b"<table></table>")

    batch = run(
        make("nbkr", at(2026, 1, 1)),
        Recorder(reply),
        "fetch_history",
        date(2005, 6, 1),
        date(2005, 6, 30),
    )
    assert [(o.as_of, format(o.rate, "f")) for o in batch.observations] == [
        (date(2005, 6, 4), "40.9879"),
        (date(2005, 6, 11), "41.0511"),
        (date(2005, 6, 18), "41.0685"),
        (date(2005, 6, 25), "40.9614"),
    ]
    assert all(o.quote == "KGS" and not o.derived for o in batch.observations)
    assert seen[0] == {
        "item": "1562",
        "lang": "ENG",
        "valuta_id": "15",
        "beg_day": "01",
        "beg_month": "06",
        "beg_year": "2005",
        "end_day": "30",
        "end_month": "06",
        "end_year": "2005",
    }
    assert sorted(p["valuta_id"] for p in seen) == ["108", "15", "40", "45", "46"]


def test_nbk_divides_by_each_rows_quant() -> None:
    batch, _ = latest("nbk")
    got = by_quote(batch)
    day = date(2026, 4, 1)
    assert_direct(got["KZT"], "478.77", day)
    assert_cross(got["KGS"], "478.77", "1", "5.47", "1", day)
    assert_cross(got["TJS"], "478.77", "1", "50.19", "1", day)
    assert_cross(got["UZS"], "478.77", "1", "3.93", "100", day)  # UZS is quoted per 100
    assert "TMT" not in got  # NBK does not publish TMT


@pytest.mark.parametrize(("day", "usd"), [(date(2026, 4, 2), None), (date(2026, 4, 3), None)])
def test_nbk_other_days_parse(day: date, usd: str | None) -> None:
    import httpx

    name = f"nbk/get_rates.cfm_fdate_{day.strftime('%d.%m.%Y')}.xml"
    batch = run(
        make("nbk", at(day.year, day.month, day.day)),
        Recorder(lambda r: httpx.Response(200, content=fixture(name))),
    )
    got = by_quote(batch)
    assert got["KZT"].as_of == day and not got["KZT"].derived
    body = fixture(name).decode()
    published = body.split("<title>USD</title>")[1].split("<description>")[1].split("<")[0]
    assert format(got["KZT"].rate, "f") == published


def test_nbt_all_five_with_nominals_of_10_and_100() -> None:
    batch, _ = latest("nbt")
    got = by_quote(batch)
    assert_nbt_five(
        got, date(2026, 5, 18), "9.3450", kgs="1.0686", kzt="0.1971", uzs="0.0780", tmt="2.6700"
    )
    assert got["TMT"].rate == D("3.5")


def test_nbt_earlier_snapshot_is_the_latest_and_history_keeps_it_under_its_own_date() -> None:
    import httpx

    # 08:00 in Dushanbe on the 19th: NBT answers the 19th with its newest, the 18th's.
    provider = make("nbt", datetime(2026, 5, 19, 3, 0, tzinfo=UTC))
    reply = Recorder(
        lambda r: httpx.Response(200, content=fixture("nbt/export_xml_2026-05-18.xml"))
    )
    batch = run(provider, reply)
    assert {o.as_of for o in batch.observations} == {date(2026, 5, 18)}
    assert [r.url.params["date"] for r in reply.requests] == ["2026-05-19"]
    assert batch.notes == []  # the latest poll walks back: nothing to say
    # Asked for the 19th's file (a dated request): the 18th's values stay the 18th's, and
    # one line says so; nothing is stored under the 19th. (A backfill reads the range
    # export instead: tests/providers/test_nbt_range.py.)
    history = run(provider, reply, "fetch_day", date(2026, 5, 19))
    assert {o.as_of for o in history.observations} == {date(2026, 5, 18)}
    assert history.notes == [
        "nbt: asked for 2026-05-19, the answer is dated 2026-05-18: kept under 2026-05-18, "
        "the date it declares; none is dated 2026-05-19"
    ]


def test_nbt_response_dated_later_than_asked_is_rejected() -> None:
    import httpx

    provider = make("nbt", datetime(2026, 5, 18, 3, 0, tzinfo=UTC))
    reply = Recorder(
        lambda r: httpx.Response(200, content=fixture("nbt/export_xml_2026-05-19.xml"))
    )
    with pytest.raises(
        ProviderResponseError,
        match=r"asked for 2026-05-18, the answer is dated 2026-05-19 \(later than asked\): "
        "nothing stored",
    ):
        run(provider, reply)


def test_cbu_string_numbers_and_the_tmt_glitch_is_parsed_as_published() -> None:
    batch, _ = latest("cbu")
    got = by_quote(batch)
    day = date(2026, 4, 1)
    assert_direct(got["UZS"], "12194.21", day)
    assert_cross(got["KGS"], "12194.21", "1", "139.40", "1", day)
    assert_cross(got["KZT"], "12194.21", "1", "25.53", "1", day)
    assert_cross(got["TJS"], "12194.21", "1", "1272.88", "1", day)
    assert_cross(got["TMT"], "12194.21", "1", "4037.68", "1", day)  # 3.02: off the peg


@pytest.mark.parametrize(
    ("day", "usd", "tmt"), [(2, "12142.10", "3469.17"), (3, "12149.84", "3471.38")]
)
def test_cbu_history_dates(day: int, usd: str, tmt: str) -> None:
    import httpx

    when = date(2026, 4, day)
    path = f"/en/arkhiv-kursov-valyut/json/all/{when.isoformat()}/"

    def reply(request):
        assert request.url.path == path
        return httpx.Response(200, content=fixture(f"cbu/json_all_{when.isoformat()}.json"))

    got = by_quote(run(make("cbu", at(2026, 4, 8)), Recorder(reply), "fetch_history", when, when))
    assert_direct(got["UZS"], usd, when)
    assert_cross(got["TMT"], usd, "1", tmt, "1", when)


def test_cbt_uses_rate_tmt_and_multiplier_with_a_browser_user_agent() -> None:
    batch, recorder = latest("cbt")
    got = by_quote(batch)
    day = date(2026, 5, 20)
    assert_direct(got["TMT"], "3.5", day)
    assert_cross(got["KGS"], "3.5", "1", "4.0023", "100", day)
    assert_cross(got["KZT"], "3.5", "1", "0.7424", "100", day)
    assert_cross(got["UZS"], "3.5", "1", "0.2913", "1000", day)
    assert_cross(got["TJS"], "3.5", "1", "0.3788", "1", day)
    assert recorder.requests[0].headers["user-agent"] == BROWSER_USER_AGENT


def test_cbt_sunday_asks_for_saturdays_file_and_history_404_is_no_fixing() -> None:
    import httpx

    paths: list[str] = []

    def reply(request):
        paths.append(request.url.path)
        if request.url.path != "/kurs/2026/23052026.xml":
            return httpx.Response(404)  # Monday's file is not out yet
        return httpx.Response(
            200, content=fixture("cbt/kurs_2026_22052026.xml").replace(b"22.05.2026", b"23.05.2026")
        )

    # Sunday 24 May, 17:00 in Ashgabat: Monday's file first, no Sunday file, Saturday's.
    batch = run(make("cbt", at(2026, 5, 24, 12)), Recorder(reply))
    assert paths == ["/kurs/2026/25052026.xml", "/kurs/2026/23052026.xml"]
    assert {o.as_of for o in batch.observations} == {date(2026, 5, 23)}
    with pytest.raises(NoFixing):
        run(
            make("cbt", at(2026, 6, 1)),
            Recorder(lambda r: httpx.Response(404)),
            "fetch_history",
            date(2026, 5, 24),
            date(2026, 5, 24),
        )


def test_cbr_crosses_through_the_rouble() -> None:
    batch, _ = latest("cbr")
    got = by_quote(batch)
    day = date(2026, 4, 25)
    assert_cross(got["KGS"], "75.5273", "1", "86.4125", "100", day)  # = 75.5273 / 0.864125
    assert_cross(got["KZT"], "75.5273", "1", "16.3172", "100", day)
    assert_cross(got["TJS"], "75.5273", "1", "80.0866", "10", day)
    assert_cross(got["UZS"], "75.5273", "1", "62.8322", "10000", day)
    assert_cross(got["TMT"], "75.5273", "1", "21.5792", "1", day)
    assert all(o.derived for o in batch.observations)


def test_cbr_history_joins_the_dollar_and_each_currency_by_date() -> None:
    import httpx

    files = {
        "R01235": "USD",
        "R01335": "KZT",
        "R01370": "KGS",
        "R01670": "TJS",
        "R01710A": "TMT",
        "R01717": "UZS",
    }

    def reply(request):
        params = dict(request.url.params)
        assert request.url.path == "/scripts/XML_dynamic.asp"
        assert (params["date_req1"], params["date_req2"]) == ("01/03/2026", "05/03/2026")
        code = files[params["VAL_NM_RQ"]]
        return httpx.Response(
            200, content=fixture(f"cbr/XML_dynamic_{params['VAL_NM_RQ']}_{code}_2026-03-01_05.xml")
        )

    batch = run(
        make("cbr", at(2026, 4, 26)),
        Recorder(reply),
        "fetch_history",
        date(2026, 3, 1),
        date(2026, 3, 5),
    )
    days = sorted({o.as_of for o in batch.observations})
    assert days == [date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5)]  # change days only
    uzs = {o.as_of: o for o in batch.observations if o.quote == "UZS"}
    usd_text = fixture("cbr/XML_dynamic_R01235_USD_2026-03-01_05.xml").decode("cp1251")
    usd_on_3rd = usd_text.split('Date="03.03.2026"')[1].split("<Value>")[1].split("<")[0]
    assert_cross(
        uzs[date(2026, 3, 3)],
        usd_on_3rd.replace(",", "."),
        "1",
        "63.3058",
        "10000",
        date(2026, 3, 3),
    )


def test_frankfurter_erapi_currencyapi_quote_directly() -> None:
    f = by_quote(latest("frankfurter")[0])
    assert_direct(f["KGS"], "87.4512", date(2026, 5, 22))
    assert_direct(f["UZS"], "11981.25", date(2026, 5, 22))
    e = by_quote(latest("erapi")[0])
    assert_direct(e["TMT"], "3.5249", date(2026, 5, 23))  # time_last_update_unix, in UTC
    assert_direct(e["KZT"], "470.512", date(2026, 5, 23))
    c = by_quote(latest("currencyapi")[0])
    assert_direct(c["KGS"], "87.45119922", date(2026, 5, 23))
    assert set(c) == {"KGS", "KZT", "TJS", "UZS", "TMT"}


def test_erapi_error_result_is_a_bad_response() -> None:
    import httpx

    reply = Recorder(lambda r: httpx.Response(200, content=fixture("erapi/error_unsupported.json")))
    with pytest.raises(ProviderResponseError, match="the source reports unsupported-code"):
        run(make("erapi", at(2026, 5, 23)), reply)


def test_currencyapi_falls_back_to_pages_dev() -> None:
    import httpx

    urls: list[str] = []

    def reply(request):
        urls.append(str(request.url))
        if request.url.host == "feeds.example":
            return httpx.Response(503)
        return httpx.Response(200, content=fixture("currencyapi/usd_2024-03-02.json"))

    provider = make("currencyapi", at(2024, 3, 3), fallback_url="https://{date}.mirror.example")
    got = by_quote(
        run(provider, Recorder(reply), "fetch_history", date(2024, 3, 2), date(2024, 3, 2))
    )
    assert urls == [
        "https://feeds.example/npm/@fawazahmed0/currency-api@2024-03-02/v1/currencies/usd.json",
        "https://2024-03-02.mirror.example/v1/currencies/usd.json",
    ]
    assert_direct(got["UZS"], "12501.30987331", date(2024, 3, 2))


def test_frankfurter_history_range() -> None:
    import httpx

    def reply(request):
        assert dict(request.url.params) == {
            "base": "USD",
            "quotes": "KGS,KZT,TJS,UZS,TMT",
            "from": "2026-03-02",
            "to": "2026-03-03",
        }
        return httpx.Response(200, content=fixture("frankfurter/rates_range_2026-03-02_03.json"))

    batch = run(
        make("frankfurter", at(2026, 3, 4)),
        Recorder(reply),
        "fetch_history",
        date(2026, 3, 2),
        date(2026, 3, 3),
    )
    assert len(batch.observations) == 10
    assert {format(o.rate, "f") for o in batch.observations if o.quote == "UZS"} == {
        "12310.07",
        "12298.5",
    }


def test_conditional_get_with_etag_and_last_modified() -> None:
    import httpx

    seen: list[dict[str, str]] = []
    daily = fixture("nbkr/daily.xml_fetched-2026-05-22_Date-23.05.2026.xml")
    weekly = fixture("nbkr/weekly.xml_fetched-2026-05-23_Date-23.05.2026.xml")

    def reply(request):
        seen.append(dict(request.headers))
        tag = f'"{request.url.path}-v1"'
        if request.headers.get("if-none-match") == tag:
            return httpx.Response(304, headers={"ETag": tag})
        body = daily if request.url.path == "/XML/daily.xml" else weekly
        headers = {"ETag": tag, "Last-Modified": "Fri, 22 May 2026 09:59:06 GMT"}
        return httpx.Response(200, content=body, headers=headers)

    provider = make("nbkr", at(2026, 5, 22, 13))
    first = run(provider, Recorder(reply))
    second = run(provider, Recorder(reply))  # the same provider instance, as in the collector
    assert [o.rate for o in second.observations] == [o.rate for o in first.observations]
    assert "if-none-match" not in seen[0]
    assert seen[2]["if-none-match"] == '"/XML/daily.xml-v1"'
    assert seen[2]["if-modified-since"] == "Fri, 22 May 2026 09:59:06 GMT"
