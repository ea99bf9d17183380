"""The remaining recorded files, and the parsing rules on their own."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import httpx
import pytest

from providers.base import ProviderResponseError
from providers.nbkr import parse_history_page
from providers.parsing import cross, parse_decimal, parse_json, parse_xml, per_unit
from tests.helpers.samples import assert_cross, assert_direct, by_quote
from tests.helpers.scenarios import Recorder, at, fixture, make, run


def _nbt_rows(text: str) -> dict[str, tuple[str, str]]:
    pattern = (
        r"<CharCode>(\w+)</CharCode>\s*<Nominal>(\d+)</Nominal>\s*"
        r"<Name>[^<]*</Name>\s*<Value>([^<]*)</Value>"
    )
    return {code: (value, nominal) for code, nominal, value in re.findall(pattern, text)}


@pytest.mark.parametrize("day", [18, 19, 20])
def test_every_nbt_file(day: int) -> None:
    when = date(2026, 5, day)
    name = f"nbt/export_xml_{when.isoformat()}.xml"
    rows = _nbt_rows(fixture(name).decode())
    got = by_quote(
        run(
            make("nbt", at(2026, 5, day)),
            Recorder(lambda r: httpx.Response(200, content=fixture(name))),
        )
    )
    usd, _ = rows["USD"]
    assert_direct(got["TJS"], usd, when)
    for code in ("KGS", "KZT", "UZS", "TMT"):
        value, nominal = rows[code]
        assert_cross(got[code], usd, "1", value, nominal, when)


def _cbt_rows(text: str) -> dict[str, tuple[str, str]]:
    pattern = r'<rate code="(\w+)">.*?<multiplier>(\d+)</multiplier>\s*<rate_tmt>([^<]*)</rate_tmt>'
    return {code: (value, mult) for code, mult, value in re.findall(pattern, text, re.S)}


@pytest.mark.parametrize("day", [20, 21, 22])
def test_every_cbt_file(day: int) -> None:
    when = date(2026, 5, day)
    name = f"cbt/kurs_2026_{when.strftime('%d%m%Y')}.xml"
    assert b"\r\n" in fixture(name)  # the files have CRLF line ends
    rows = _cbt_rows(fixture(name).decode())
    got = by_quote(
        run(
            make("cbt", at(2026, 5, day)),
            Recorder(lambda r: httpx.Response(200, content=fixture(name))),
        )
    )
    assert_direct(got["TMT"], rows["USD"][0], when)
    for code in ("KGS", "KZT", "TJS", "UZS"):
        value, mult = rows[code]
        assert_cross(got[code], rows["USD"][0], rows["USD"][1], value, mult, when)


def test_cbt_file_dated_later_than_asked_is_rejected() -> None:
    body = fixture("cbt/kurs_2026_22052026.xml")  # served for the 21st
    with pytest.raises(
        ProviderResponseError,
        match=r"asked for 2026-05-21, the answer is dated 2026-05-22 \(later than asked\): "
        "nothing stored",
    ):
        run(make("cbt", at(2026, 5, 20)), Recorder(lambda r: httpx.Response(200, content=body)))


def test_nbkr_history_pages_for_any_currency() -> None:
    eur = parse_history_page(fixture("nbkr/index1.jsp_item1562_valuta20_EUR_2005-06.html"))
    assert eur == {
        date(2005, 6, 25): "49,4425",
        date(2005, 6, 18): "49,8469",
        date(2005, 6, 11): "50,1624",
        date(2005, 6, 4): "50,3208",
    }
    with pytest.raises(ValueError):
        parse_history_page(b"<html><body>Service unavailable</body></html>")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("87,4500", "87.4500"),
        ("478.77", "478.77"),
        ("5,39256E-05", "0.0000539256"),  # CBR's exponent form
        ("3", "3"),
        (" 0,0073 ", "0.0073"),
        ("12194.21", "12194.21"),
    ],
)
def test_parse_decimal(text: str, expected: str) -> None:
    assert format(parse_decimal(text), "f") == expected


@pytest.mark.parametrize(
    "text", ["", "1,234.5", "12 000", "NaN", "Infinity", "abc", "1.2.3", "--1"]
)
def test_parse_decimal_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_cbr_exponent_form_is_in_the_recorded_file() -> None:
    text = fixture("cbr/XML_daily_latest_2026-04-25.xml").decode("cp1251")
    irr = re.search(
        r"<CharCode>IRR</CharCode><Nominal>(\d+)</Nominal>.*?<Value>([^<]*)</Value><VunitRate>([^<]*)<",
        text,
    )
    assert irr is not None
    nominal, value, unit = irr.groups()
    assert unit == "5,39256E-05"
    assert per_unit(parse_decimal(value), parse_decimal(nominal)) == parse_decimal(unit)


def test_bom_and_encodings() -> None:
    xml = (
        '<?xml version="1.0" encoding="windows-1251"?>'
        '<ValCurs Date="01.01.2026"><Name>Доллар</Name></ValCurs>'
    )
    root = parse_xml(b"\xef\xbb\xbf" + xml.replace("windows-1251", "utf-8").encode(), "ValCurs")
    assert root.attrib["Date"] == "01.01.2026"
    root = parse_xml(xml.encode("cp1251"), "ValCurs")
    assert root.findtext("Name") == "Доллар"
    assert parse_json(b'\xef\xbb\xbf{"rate": 87.4500}') == {"rate": Decimal("87.4500")}
    assert str(parse_json(b'{"rate": 87.4500}')["rate"]) == "87.4500"  # never a float


def test_cross_precision() -> None:
    value = cross(Decimal("478.77"), per_unit(Decimal("3.93"), Decimal(100)))
    assert len(value.as_tuple().digits) == 20
    assert cross(Decimal("9.3450"), Decimal("2.6700")) == Decimal("3.5")


def test_an_unknown_xml_encoding_is_a_bad_response() -> None:
    # Found by the fuzzer: a damaged declaration must not escape as LookupError.
    body = b'<?xml version="1.0" encoding="w-indows-1251"?><ValCurs Date="25.04.2026"/>'
    with pytest.raises(ValueError, match="unreadable XML encoding"):
        parse_xml(body, "ValCurs")


def test_nbkr_history_crosses_join_the_dollar_by_date() -> None:
    usd = fixture("nbkr/index1.jsp_item1562_valuta15_USD_2005-06.html")
    # A KZT page in the recorded format, on two of the USD dates and one other date.
    kzt = (
        b"<table><tr><td><!--date-->25.06.2005<!--date--></td><td><!--value-->0,3050<!--value-->"
        b"</td></tr><tr><td><!--date-->18.06.2005<!--date--></td><td><!--value-->0,3071"
        b"<!--value--></td></tr><tr><td><!--date-->17.06.2005<!--date--></td><td><!--value-->"
        b"0,3070<!--value--></td></tr></table>"
    )

    def reply(request: httpx.Request) -> httpx.Response:
        valuta = request.url.params["valuta_id"]
        body = {"15": usd, "40": kzt}.get(valuta, b"<table></table>")
        return httpx.Response(200, content=body)

    batch = run(
        make("nbkr", at(2026, 1, 1)),
        Recorder(reply),
        "fetch_history",
        date(2005, 6, 1),
        date(2005, 6, 30),
    )
    kzt_rows = {o.as_of: o for o in batch.observations if o.quote == "KZT"}
    assert sorted(kzt_rows) == [date(2005, 6, 18), date(2005, 6, 25)]  # only where both exist
    assert_cross(kzt_rows[date(2005, 6, 25)], "40.9614", "1", "0.3050", "1", date(2005, 6, 25))
    assert_cross(kzt_rows[date(2005, 6, 18)], "41.0685", "1", "0.3071", "1", date(2005, 6, 18))
