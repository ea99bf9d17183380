"""kurs.kz (``kurs-kz``): exchange offices' cash buy and sell per city, from the JSON a
city page embeds (``var punkts = [...]``).

No recorded kurs.kz page exists in public code, so the pages served here are HAND-MADE:
``tests/fixtures/providers/market/kurs-kz/`` builds them on the shape public clients read
(fields, units, the Unix-seconds ``actualTime``), with made-up offices and values; its
README says which client showed what. Expected values below are written from those
files' digits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from providers.base import (
    Batch,
    Channel,
    MarketQuote,
    ProviderOptions,
    ProviderResponseError,
    ProviderUnavailable,
)
from providers.calendar import ALMATY
from providers.http import BROWSER_USER_AGENT
from providers.kurs_kz import CITIES, MAX_OFFICES, KursKZ, check_places
from providers.market_records import KURS_KZ_CITIES, MARKET
from tests.helpers.scenarios import fixture

BASE = "https://kurs.example"
#: 10:30 in Almaty, 1 April 2026: after every office's update time in the pages.
NOW = datetime(2026, 4, 1, 5, 30, tzinfo=UTC)
PAGES = {
    "almaty": "market/kurs-kz/site_index_city_almaty.html",
    "astana": "market/kurs-kz/site_index_city_astana.html",
}

Handler = Callable[[httpx.Request], httpx.Response]


def make(*places: str, now: datetime = NOW) -> KursKZ:
    return KursKZ(BASE, 5.0, lambda: now, ProviderOptions(places=places))


def pages(overrides: dict[str, bytes] | None = None) -> tuple[Handler, list[httpx.Request]]:
    """Serve each city's page at /site/index?city=..., recording the requests."""
    seen: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        assert request.url.path == "/site/index", request.url
        city = request.url.params["city"]
        if overrides and city in overrides:
            return httpx.Response(200, content=overrides[city])
        return httpx.Response(200, content=fixture(PAGES[city]))

    return reply, seen


def page(punkts: str) -> bytes:
    """A minimal city page embedding ``punkts`` as its offices list."""
    return (
        "<!DOCTYPE html><html><head><title>Курсы валют | kurs.kz</title></head><body>"
        f'<script>var city = "almaty";\nvar punkts = {punkts};\n</script></body></html>'
    ).encode()


def office(name: str, data: str, actual: str = "1775016720", **extra: str) -> str:
    fields = "".join(f',"{key}":{value}' for key, value in extra.items())
    return (
        f'{{"id":1,"name":"{name}","mainaddress":"ул. Примерная, 1",'
        f'"actualTime":{actual},"data":{data}{fields}}}'
    )


def run(provider: KursKZ, handler: Handler, method: str = "fetch") -> Batch:
    async def go() -> Batch:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            result: Batch = await getattr(provider, method)(client)
            return result

    return asyncio.run(go())


def board(batch: Batch) -> dict[tuple[str, str], MarketQuote]:
    return {(q.institution, q.base): q for q in batch.quotes}


def almaty(hour: int, minute: int) -> datetime:
    return datetime(2026, 4, 1, hour, minute, tzinfo=ALMATY)


def test_almaty_page_gives_every_office_cash_quote_exactly() -> None:
    reply, seen = pages()
    batch = run(make("almaty"), reply, "latest")
    got = board(batch)
    expected = {
        # (institution, currency): (buy, sell, quoted at), from the page's digits
        ("Миг, пр. Абылай хана, 62", "USD"): ("477.5", "479.5", almaty(9, 12)),
        ("Миг, пр. Абылай хана, 62", "EUR"): ("546", "551", almaty(9, 12)),
        ("Миг, пр. Абылай хана, 62", "RUB"): ("5.82", "5.9", almaty(9, 12)),
        ("Миг, ул. Толе би, 73", "USD"): ("477.8", "479.3", almaty(9, 47)),
        ("Миг, ул. Толе би, 73", "EUR"): ("546.5", "550.5", almaty(9, 47)),
        ("Миг, ул. Толе би, 73", "RUB"): ("5.83", "5.89", almaty(9, 47)),
        ("Валюта-Сервис", "USD"): ("477", "480", almaty(10, 3)),
        ("Валюта-Сервис", "EUR"): ("545", "552", almaty(10, 3)),
        ("Обменный пункт «Айсберг»", "USD"): ("478", "479.8", almaty(8, 55)),
        ("Обменный пункт «Айсберг»", "EUR"): ("547", "551.5", almaty(8, 55)),
        ("Обменный пункт «Айсберг»", "RUB"): ("5.84", None, almaty(8, 55)),
        ("Exchange Almaty", "USD"): ("476.5", "480.5", almaty(10, 20)),
        ("Exchange Almaty", "EUR"): ("544", "553", almaty(10, 20)),
        ("Exchange Almaty", "RUB"): ("5.8", "5.95", almaty(10, 20)),
        ("Золотой Телец", "USD"): ("477.3", "479.7", almaty(9, 30)),
        ("Золотой Телец", "RUB"): ("5.81", "5.92", almaty(9, 30)),
    }
    assert set(got) == set(expected)
    for key, (buy, sell, quoted_at) in expected.items():
        q = got[key]
        assert (str(q.buy), None if q.sell is None else str(q.sell)) == (buy, sell), key
        assert q.quoted_at == quoted_at and q.quoted_at.utcoffset() == timedelta(hours=5)
        assert (q.source, q.quote, q.channel, q.city) == ("kurs-kz", "KZT", Channel.CASH, "Almaty")
        assert q.fetched_at == NOW
    assert batch.rejected == [] and batch.notes == []
    # One request, the city page; the program's own User-Agent (the site takes any).
    assert len(seen) == 1 and dict(seen[0].url.params) == {"city": "almaty"}
    assert seen[0].headers.get("user-agent") != BROWSER_USER_AGENT


def test_not_offered_sides_and_other_lists_and_currencies_are_left_out() -> None:
    reply, _ = pages()
    got = board(run(make("almaty"), reply))
    # RUB [0, 0]: no quote at all; EUR missing from an office's data: no quote.
    assert ("Валюта-Сервис", "RUB") not in got
    assert ("Золотой Телец", "EUR") not in got
    # Only USD, EUR and RUB; the second list (punktsFromInternet) is not read.
    assert {q.base for q in got.values()} == {"USD", "EUR", "RUB"}
    assert not any("Онлайн" in q.institution for q in got.values())


def test_no_city_given_reads_the_record_s_default_places() -> None:
    reply, seen = pages()
    batch = run(make(), reply)
    assert MARKET["kurs-kz"].places == ("almaty", "astana")  # one default: the record's
    assert [dict(r.url.params) for r in seen] == [{"city": "almaty"}, {"city": "astana"}]
    assert {q.city for q in batch.quotes} == {"Almaty", "Astana"}


def test_the_cities_are_the_record_s() -> None:
    assert CITIES is KURS_KZ_CITIES
    assert MARKET["kurs-kz"].known_places == tuple(KURS_KZ_CITIES)


def test_two_cities_one_request_each_and_the_city_on_every_quote() -> None:
    reply, seen = pages()
    batch = run(make("almaty", "Astana "), reply, "latest")
    assert [r.url.params["city"] for r in seen] == ["almaty", "astana"]
    cities = {q.city for q in batch.quotes}
    assert cities == {"Almaty", "Astana"}
    astana = {(q.institution, q.base): q for q in batch.quotes if q.city == "Astana"}
    # "Миг" is the only one of that name in Astana: no address needed there.
    assert set(astana) == {
        ("Миг", "USD"),
        ("Миг", "EUR"),
        ("Миг", "RUB"),
        ("Tengri Exchange", "USD"),
        ("Tengri Exchange", "EUR"),
        ("Tengri Exchange", "RUB"),
        ("Нур-Обмен", "USD"),
    }
    q = astana[("Нур-Обмен", "USD")]
    assert (str(q.buy), str(q.sell), q.quoted_at) == ("477.9", "479.6", almaty(7, 15))
    assert len(batch.quotes) == 16 + 7


def test_a_city_asked_twice_is_read_once() -> None:
    reply, seen = pages()
    run(make("astana", "ASTANA"), reply)
    assert len(seen) == 1


def test_an_unknown_city_is_refused_in_words_without_a_request() -> None:
    reply, seen = pages()
    with pytest.raises(ProviderResponseError) as err:
        run(make("almaty", "moscow"), reply)
    assert "'moscow'" in err.value.reason and "almaty, astana" in err.value.reason
    assert seen == []
    with pytest.raises(ValueError, match="no page for 'bishkek'"):
        check_places(("bishkek",))
    assert check_places(()) == ("almaty", "astana")
    assert set(check_places(tuple(CITIES))) == set(CITIES)


@pytest.mark.parametrize("status", [503, 502])
def test_site_down_is_unavailable(status: int) -> None:
    with pytest.raises(ProviderUnavailable) as err:
        run(make("almaty"), lambda request: httpx.Response(status, content=b"busy"))
    assert f"{status}" in str(err.value)


def test_timeout_is_unavailable() -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(ProviderUnavailable):
        run(make("almaty"), reply)


def test_one_city_down_keeps_the_other_and_says_so() -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        if request.url.params["city"] == "astana":
            return httpx.Response(503)
        return httpx.Response(200, content=fixture(PAGES["almaty"]))

    batch = run(make("almaty", "astana"), reply, "latest")
    assert {q.city for q in batch.quotes} == {"Almaty"} and len(batch.quotes) == 16
    assert len(batch.notes) == 1 and "503" in batch.notes[0] and "city=astana" in batch.notes[0]


def test_every_city_down_raises_the_first_failure() -> None:
    with pytest.raises(ProviderUnavailable):
        run(make("almaty", "astana"), lambda request: httpx.Response(503))


def test_a_page_without_the_offices_list_is_a_changed_layout() -> None:
    body = b"<html><head><title>kurs.kz - new design</title></head><body>app</body></html>"
    reply, _ = pages({"almaty": body})
    with pytest.raises(ProviderResponseError) as err:
        run(make("almaty"), reply)
    reason = err.value.reason
    assert "no 'var punkts = [...]' list of exchange offices" in reason
    assert "layout has changed" in reason and "new design" in reason
    assert "city=almaty" in err.value.url


def test_only_the_other_list_is_still_a_changed_layout() -> None:
    body = b"<script>var punktsFromInternet = [];\nvar punkts;\nrender(punkts)</script>"
    reply, _ = pages({"almaty": body})
    with pytest.raises(ProviderResponseError, match="layout has changed"):
        run(make("almaty"), reply)


def test_the_list_is_found_however_it_is_spaced() -> None:
    body = page("[]").replace(
        b"var punkts = []", b"var punkts=\n  [" + office("Миг", '{"USD":[477,480]}').encode() + b"]"
    )
    reply, _ = pages({"almaty": body})
    (q,) = run(make("almaty"), reply).quotes
    assert (q.institution, str(q.buy), str(q.sell)) == ("Миг", "477", "480")


@pytest.mark.parametrize(
    "punkts",
    [
        '[{"id":1,"name":"Миг",}]',
        '[{"id":1,"name":"Миг","data":{"USD":[477,480]}}',
        "[" * 100_000,
        "[{'id': 1}]",
    ],
    ids=["trailing-comma", "unclosed", "deep", "single-quotes"],
)
def test_malformed_json_is_refused(punkts: str) -> None:
    reply, _ = pages({"almaty": page(punkts)})
    with pytest.raises(ProviderResponseError, match="'var punkts' list is not valid JSON"):
        run(make("almaty"), reply)


def test_an_empty_list_is_refused() -> None:
    reply, _ = pages({"almaty": page("[]")})
    with pytest.raises(ProviderResponseError, match="lists no exchange offices"):
        run(make("almaty"), reply)


def test_too_many_offices_are_not_believed() -> None:
    many = ",".join(office(f"Пункт {i}", '{"USD":[477,480]}') for i in range(MAX_OFFICES + 1))
    reply, _ = pages({"almaty": page(f"[{many}]")})
    with pytest.raises(ProviderResponseError, match=f"more than {MAX_OFFICES}"):
        run(make("almaty"), reply)


def test_a_number_of_a_hundred_digits_refuses_the_page() -> None:
    row = office("Миг", '{"USD":[4' + "7" * 99 + ",480]}")
    reply, _ = pages({"almaty": page(f"[{row}]")})
    with pytest.raises(ProviderResponseError, match="digits"):
        run(make("almaty"), reply)


def test_hostile_rows_are_rejected_with_their_reasons_and_the_rest_kept() -> None:
    rows = [
        office("Хороший", '{"USD":[477,480],"EUR":[546,551]}'),
        office("Текст", '{"USD":["abc",480],"EUR":[546,551]}'),
        office("Минус", '{"USD":[-477,480]}'),
        office("Огромный", '{"USD":[1e999,480]}'),
        office("НеЧисло", '{"USD":[NaN,480]}'),
        office("Булево", '{"USD":[true,480]}'),
        office("Один", '{"USD":[477]}'),
        office("Строка", '{"USD":"477/480"}'),
        office("БезДанных", '"нет"'),
        office("Время", '{"USD":[477,480]}', actual='"скоро"'),
        office("Миллисекунды", '{"USD":[477,480]}', actual="1775016720000"),
        "42",
        '{"id":9,"data":{"USD":[477,480]}}',
    ]
    reply, _ = pages({"almaty": page("[" + ",".join(rows) + "]")})
    batch = run(make("almaty"), reply, "latest")
    assert {(q.institution, q.base) for q in batch.quotes} == {
        ("Хороший", "USD"),
        ("Хороший", "EUR"),
        ("Текст", "EUR"),  # its USD is bad, its EUR is kept
    }
    why = {(r.value, r.pair): r.reason for r in batch.rejected}
    assert "not a number" in why[("Текст", "USD/KZT cash")]
    assert "positive" in why[("Минус", "USD/KZT cash")]
    assert "not a plausible rate" in why[("Огромный", "USD/KZT cash")]
    assert "not a number" in why[("НеЧисло", "USD/KZT cash")]
    assert "not a number" in why[("Булево", "USD/KZT cash")]
    assert "expected [buy, sell]" in why[("Один", "USD/KZT cash")]
    assert "expected [buy, sell]" in why[("Строка", "USD/KZT cash")]
    assert "no 'data' map" in why[("БезДанных", "KZT")]
    assert "not a time in Unix seconds" in why[("Время", "KZT")]
    assert "not a time in Unix seconds" in why[("Миллисекунды", "KZT")]
    nameless = sorted(r.reason for r in batch.rejected if r.value == "?")
    assert nameless == [
        "Almaty: an office entry is not an object: '42'",
        "Almaty: an office without a name",
    ]
    assert len(batch.rejected) == 12


def test_buy_above_sell_is_rejected_and_the_rest_kept() -> None:
    rows = [
        office("Перевёрнутый", '{"USD":[481,479],"EUR":[546,551]}'),
        office("Обычный", '{"USD":[477,480]}'),
    ]
    reply, _ = pages({"almaty": page("[" + ",".join(rows) + "]")})
    batch = run(make("almaty"), reply, "latest")
    assert {(q.institution, q.base) for q in batch.quotes} == {
        ("Перевёрнутый", "EUR"),
        ("Обычный", "USD"),
    }
    (rejected,) = batch.rejected
    assert (rejected.pair, rejected.value) == ("USD/KZT cash", "Перевёрнутый")
    assert "buy 481 is above sell 479" in rejected.reason


def test_a_time_in_the_future_is_rejected_by_latest() -> None:
    later = int((NOW + timedelta(hours=2)).timestamp())
    rows = [
        office("Из будущего", '{"USD":[477,480]}', actual=str(later)),
        office("Сейчас", '{"USD":[477.5,479.5]}'),
    ]
    reply, _ = pages({"almaty": page("[" + ",".join(rows) + "]")})
    assert len(run(make("almaty"), reply).quotes) == 2  # fetch keeps both; latest screens
    batch = run(make("almaty"), reply, "latest")
    assert [q.institution for q in batch.quotes] == ["Сейчас"]
    (rejected,) = batch.rejected
    assert rejected.value == "Из будущего" and "after now" in rejected.reason


def test_every_time_in_the_future_refuses_the_board() -> None:
    later = str(int((NOW + timedelta(days=1)).timestamp()))
    row = office("Миг", '{"USD":[477,480]}', actual=later)
    reply, _ = pages({"almaty": page(f"[{row}]")})
    with pytest.raises(ProviderResponseError, match="no quotes: quoted at"):
        run(make("almaty"), reply, "latest")


def test_two_offices_with_one_name_and_address_are_told_apart_by_id() -> None:
    twin = (
        '{"id":%d,"name":"Миг","mainaddress":"ТЦ Мега","actualTime":1775016720,"data":{"USD":[%s]}}'
    )
    rows = [twin % (1, "477,480"), twin % (2, "477.5,479.5"), office("Другой", '{"USD":[477,480]}')]
    reply, _ = pages({"almaty": page("[" + ",".join(rows) + "]")})
    got = {q.institution for q in run(make("almaty"), reply).quotes}
    assert got == {"Миг, ТЦ Мега (#1)", "Миг, ТЦ Мега (#2)", "Другой"}


def test_an_office_without_a_time_is_kept_without_one() -> None:
    row = '{"id":5,"name":"Без времени","data":{"USD":[477,480]}}'
    reply, _ = pages({"almaty": page(f"[{row}]")})
    (q,) = run(make("almaty"), reply, "latest").quotes
    assert q.quoted_at is None and q.institution == "Без времени"
