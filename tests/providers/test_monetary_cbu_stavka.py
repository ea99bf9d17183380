"""cbu-stavka: Uzbekistan's policy rate on each day it took effect, from the CBU's
``asosiy_stavka.xlsx``, found through the link on its policy-rate page.

Both recordings are real (tests/fixtures/providers/monetary/cbu-stavka/README.md); the
expected values are read by hand from the workbook's sheet ``policy rate`` (its cells and
``xl/sharedStrings.xml``, row numbers as in the sheet). The failure cases edit those
recordings, rebuilding the zip with one part changed; the bombs are built here.
"""

from __future__ import annotations

import asyncio
import io
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from providers.base import Batch, ProviderOptions, ProviderResponseError, ProviderUnavailable
from providers.cbu_stavka import CBUStavka
from providers.monetary_records import CPI_YOY, MONETARY, POLICY_RATE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/providers/monetary/cbu-stavka"
WORKBOOK = (FIXTURES / "asosiy_stavka.xlsx").read_bytes()
PAGE = (FIXTURES / "refinancing-rate.html").read_bytes()
LINK = b"/upload/medialibrary/479/szj8z2sr5oanndna0npgsw6r0xcyi67u/asosiy_stavka.xlsx"
#: The day the recordings were downloaded (docs/overview/phase3-source-discovery.md).
NOW = datetime(2026, 4, 29, 9, 0, tzinfo=UTC)
SHEET = "xl/worksheets/sheet1.xml"  # the English sheet "policy rate" (rId1)
STRINGS = "xl/sharedStrings.xml"
OPEN = "24.03.2025 — ...".encode()

Reply = bytes | Callable[[httpx.Request], httpx.Response]


def fetch(
    workbook: Reply = WORKBOOK, page: Reply = PAGE, *codes: str, now: datetime = NOW
) -> Batch:
    provider = CBUStavka(
        "https://cbu.test",
        now=lambda: now,
        options=ProviderOptions(indicators=codes or (POLICY_RATE,)),
    )
    routes = {"/en/monetary-policy/refinancing-rate/": page, LINK.decode(): workbook}

    def answer(request: httpx.Request) -> httpx.Response:
        reply = routes[request.url.path]
        return httpx.Response(200, content=reply) if isinstance(reply, bytes) else reply(request)

    async def go() -> Batch:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            return await provider.fetch(client)

    return asyncio.run(go())


def refused(workbook: Reply = WORKBOOK, page: Reply = PAGE) -> str:
    with pytest.raises(ProviderResponseError) as info:
        fetch(workbook, page)
    assert info.value.provider == "cbu-stavka"
    return info.value.reason


def rebuilt(**parts: bytes) -> bytes:
    """The recorded workbook with the named parts (``sheet1``, ``sharedStrings``) replaced."""
    source = zipfile.ZipFile(io.BytesIO(WORKBOOK))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            key = info.filename.rsplit("/", 1)[-1].removesuffix(".xml")
            target.writestr(info.filename, parts.get(key, source.read(info.filename)))
    return out.getvalue()


def part(name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(WORKBOOK)).read(name)


def with_rows(*rows: tuple[str, str], newest_until: str | None = None) -> bytes:
    """The workbook with ``(period, rate)`` rows added to the English sheet (inline text,
    a number cell), the open range closed on ``newest_until`` when given."""
    cells = b"".join(
        f'<row r="{36 + i}"><c r="A{36 + i}" t="inlineStr"><is><t>{period}</t></is></c>'
        f'<c r="B{36 + i}"><v>{rate}</v></c></row>'.encode()
        for i, (period, rate) in enumerate(rows)
    )
    sheet = part(SHEET).replace(b"</sheetData>", cells + b"</sheetData>")
    strings = part(STRINGS)
    if newest_until is not None:
        strings = strings.replace(OPEN, f"24.03.2025 — {newest_until}".encode())
    return rebuilt(sheet1=sheet, sharedStrings=strings)


def test_the_record_names_the_class() -> None:
    assert CBUStavka.NAME == "cbu-stavka"
    assert CBUStavka.SOURCE is MONETARY["cbu-stavka"]


def test_the_recorded_workbook_gives_each_rate_on_the_day_it_took_effect() -> None:
    seen: list[str] = []

    def page(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, content=PAGE)

    def workbook(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, content=WORKBOOK)

    batch = fetch(workbook, page)
    # The page first, then the workbook at the page's link, on the configured host.
    assert seen == ["/en/monetary-policy/refinancing-rate/", LINK.decode()]
    got = {v.period: v.value for v in batch.indicators}
    # Sheet "policy rate", by hand: row 2 "24.03.2025 — ..." 14 (in force), row 3
    # "26.07.2024 — 23.03.2025" 13.5, row 4 "17.03.2023 — 25.07.2024" 14, row 12
    # "01.01.2015 — 27.06.2017" 9, row 32 "20.03.1995 — 30.06.1995" 300, row 35
    # "02.05.1994 — 30.09.1994" 150 (the oldest).
    assert len(got) == 34 and min(got) == "1994-05-02" and max(got) == "2025-03-24"
    assert got["2025-03-24"] == Decimal("14") and got["2024-07-26"] == Decimal("13.5")
    assert got["2023-03-17"] == Decimal("14") and got["2015-01-01"] == Decimal("9")
    assert got["1995-03-20"] == Decimal("300") and got["1994-05-02"] == Decimal("150")
    assert str(got["2024-07-26"]) == "13.5"  # the published digits
    assert [v.period for v in batch.indicators] == sorted(got)  # oldest first
    for v in batch.indicators:
        assert (v.source, v.indicator, v.country) == ("cbu-stavka", POLICY_RATE, "UZB")
        assert v.released == date.fromisoformat(v.period)  # no announcement date in the file
        assert not v.is_forecast and v.fetched_at == NOW
    assert batch.rejected == [] and batch.observations == []


def test_the_four_language_sheets_hold_the_same_rates() -> None:
    # The English sheet is read; the Uzbek (Latin, Cyrillic) and Russian ones differ only
    # in their header (rows 2 to 35 are the same cells).
    english = part(SHEET).split(b'<row r="2"', 1)[1].split(b"</sheetData>")[0]
    for n in (2, 3, 4):
        other = part(f"xl/worksheets/sheet{n}.xml")
        assert other.split(b'<row r="2"', 1)[1].split(b"</sheetData>")[0] == english


def test_the_sdmx_month_ends_agree_with_the_workbook() -> None:
    # cbu-policy's recording (FPOLM_PA, the rate at each month's end, 2013-01 to 2025-12)
    # against this one: each month's value is the rate in force on its last day here.
    sdmx = (FIXTURES.parent / "cbu-policy/INR_Uzbekistan_Online_STA.xml").read_text()
    series = sdmx.split('INDICATOR="FPOLM_PA"', 1)[1].split("</Series>", 1)[0]
    months = re.findall(r'TIME_PERIOD="(\d{4})-(\d{2})" OBS_VALUE="([^"]+)"', series)
    decided = [(v.period, v.value) for v in fetch().indicators]
    assert len(months) == 156
    for year, month, value in months:
        last_day = (date(int(year) + int(month) // 12, int(month) % 12 + 1, 1)).isoformat()
        in_force = [rate for day, rate in decided if day < last_day][-1]
        assert in_force == Decimal(value), (year, month)


def test_a_rate_taking_effect_after_today_is_rejected_with_its_reason() -> None:
    body = with_rows(("01.05.2026 — ...", "13"), newest_until="30.04.2026")
    batch = fetch(body)
    assert max(v.period for v in batch.indicators) == "2025-03-24"
    (rejected,) = batch.rejected
    assert (rejected.pair, rejected.value) == (POLICY_RATE, "13")
    assert rejected.reason == "UZB 2026-05-01: takes effect after today (2026-04-29 in Tashkent)"
    # 30 April 19:00 UTC is 1 May 00:00 in Tashkent (UTC+5): the new rate is in force.
    batch = fetch(body, now=datetime(2026, 4, 30, 19, 0, tzinfo=UTC))
    assert batch.rejected == [] and batch.indicators[-1].period == "2026-05-01"
    assert batch.indicators[-1].value == Decimal("13")


def test_every_rate_in_the_future_refuses_the_file() -> None:
    strings = part(STRINGS).replace(b".19", b".29").replace(b".20", b".30")
    reason = refused(rebuilt(sharedStrings=strings))
    assert reason.startswith("no rate in force yet: UZB ")
    assert "takes effect after today (2026-04-29 in Tashkent)" in reason


@pytest.mark.parametrize(
    ("rate", "said"),
    [
        ("1E+30", "UZB 2026-04-01: 1E+30 is outside the plausible range 0 to 1000"),
        ("-0.5", "UZB 2026-04-01: -0.5 is outside the plausible range 0 to 1000"),
    ],
)
def test_an_implausible_rate_is_rejected_alone(rate: str, said: str) -> None:
    batch = fetch(with_rows(("01.04.2026 — ...", rate), newest_until="31.03.2026"))
    assert len(batch.indicators) == 34
    assert [r.reason for r in batch.rejected] == [said]


@pytest.mark.parametrize(
    ("rate", "said"),
    [
        ("1E+99", "not a plausible rate"),
        ("9" * 100, "a number of 100 characters"),
        ("NaN", "not a number"),
        ("Infinity", "not a number"),
        ("0x1F", "not a number"),
    ],
)
def test_a_hostile_number_refuses_the_file(rate: str, said: str) -> None:
    reason = refused(with_rows(("01.04.2026 — ...", rate), newest_until="31.03.2026"))
    assert reason.startswith("no indicator values (policy-rate: ") and said in reason


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        ((("31.02.2026 — ...", "13"),), "row 36: '31.02.2026 — ...' has no such date"),
        ((("from 1 April 2026", "13"),), "row 36: 'from 1 April 2026' is not a period"),
        ((("01.04.2026 — ...", "'13'"),), "not a number"),
        ((("01.04.2026 — 01.03.2026", "13"),), "row 36: the period ends 2026-03-01, before"),
        (
            (("01.01.1990 — ...", "13"),),
            "row 36: a rate still in force from 1990-01-01 while row 35's starts 1994-05-02",
        ),
        ((("01.04.2026 — ...", "13"),), "row 2: a rate still in force from 2025-03-24"),
        (
            (("01.04.2026 — 30.04.2026", "13"), ("15.04.2026 — ...", "12")),
            "overlap (2026-04-01 to 2026-04-30, then from 2026-04-15)",
        ),
    ],
)
def test_periods_that_do_not_follow_one_another_refuse_the_file(
    rows: tuple[tuple[str, str], ...], said: str
) -> None:
    closed = None if "row 2:" in said or "1990" in said else "31.03.2026"
    assert said in refused(with_rows(*rows, newest_until=closed))


def test_a_sheet_without_the_expected_header_or_shape_is_refused() -> None:
    renamed = part(STRINGS).replace(b"<t>Expire date</t>", b"<t>Decision date</t>")
    reason = refused(rebuilt(sharedStrings=renamed))
    assert "sheet 'policy rate' starts ('Decision date', '%'), not the header" in reason
    third = part(SHEET).replace(
        b'<c r="B5" s="3"><v>15</v></c>', b'<c r="B5" s="3"><v>15</v></c><c r="C5"><v>1</v></c>'
    )
    assert "row 5: a column C where the file has two (A, B)" in refused(rebuilt(sheet1=third))
    serial = part(SHEET).replace(
        b'<c r="A5" s="7" t="s"><v>29</v></c>', b'<c r="A5"><v>44764</v></c>'
    )
    assert "row 5: Decimal('44764') (a number: an Excel date?) where a period" in refused(
        rebuilt(sheet1=serial)
    )
    no_rate = part(SHEET).replace(b'<c r="B5" s="3"><v>15</v></c>', b"")
    assert "row 5: no rate for '22.07.2022 — 16.03.2023'" in refused(rebuilt(sheet1=no_rate))
    header_only = part(SHEET).split(b'<row r="2"')[0] + b"</sheetData></worksheet>"
    assert "sheet 'policy rate' has a header and no rates" in refused(rebuilt(sheet1=header_only))


def test_a_workbook_without_the_english_sheet_is_refused() -> None:
    workbook = part("xl/workbook.xml").replace(b'name="policy rate"', b'name="policy rates"')
    reason = refused(rebuilt(workbook=workbook))
    assert (
        "no sheet 'policy rate' in the workbook (it has 'policy rates', 'asosiy stavka'" in reason
    )


def test_a_zip_bomb_is_refused_before_it_is_read() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr(SHEET, b"<" + b"\0" * (3 * 1024 * 1024))
    reason = refused(out.getvalue())
    assert "the members expand" in reason and "(at most 100)" in reason


def test_too_many_members_are_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as many:
        for n in range(101):
            many.writestr(f"xl/media/{n}.xml", b"<a/>")
    assert "101 members in the archive (at most 100)" in refused(out.getvalue())


def test_a_member_that_is_not_xml_is_refused() -> None:
    binary = zipfile.ZipFile(io.BytesIO(WORKBOOK)).read("xl/printerSettings/printerSettings1.bin")
    reason = refused(rebuilt(sheet1=binary))
    assert "xl/worksheets/sheet1.xml: not well-formed XML" in reason
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet>&a;</worksheet>'
    assert "xl/worksheets/sheet1.xml: unsafe XML refused" in refused(rebuilt(sheet1=dtd))


def test_an_answer_that_is_not_a_workbook_is_refused() -> None:
    assert "not an xlsx (zip) file" in refused(b"<html><title>Maintenance</title></html>")
    assert "not an xlsx (zip) file" in refused(WORKBOOK[: len(WORKBOOK) // 2])
    assert "larger than 5 MB" in refused(b"PK" + b"\0" * (6 * 1024 * 1024))


def test_the_page_must_link_one_workbook_on_the_same_site() -> None:
    assert "the policy-rate page links no asosiy_stavka.xlsx" in refused(page=b"<html></html>")
    offsite = PAGE.replace(b'href="' + LINK, b'href="https://files.example' + LINK)
    assert "links it nowhere under /upload/ on this site" in refused(page=offsite)
    other = LINK.replace(b"/479/", b"/480/")
    two = PAGE.replace(b"</body>", b'<a href="' + other + b'">old</a></body>')
    assert "the policy-rate page links 2 different asosiy_stavka.xlsx" in refused(page=two)
    climbing = PAGE.replace(LINK, b"/upload/../admin/asosiy_stavka.xlsx")
    assert "the policy-rate page links '/upload/../admin/asosiy_stavka.xlsx'" in refused(
        page=climbing
    )


def test_a_moved_workbook_is_followed_through_the_page() -> None:
    moved = LINK.replace(b"szj8z2sr5oanndna0npgsw6r0xcyi67u", b"newupload")
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, content=WORKBOOK)

    provider = CBUStavka(
        "https://cbu.test", now=lambda: NOW, options=ProviderOptions(indicators=(POLICY_RATE,))
    )

    async def go() -> Batch:
        def route(request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/refinancing-rate/"):
                return httpx.Response(200, content=PAGE.replace(LINK, moved))
            return answer(request)

        async with httpx.AsyncClient(transport=httpx.MockTransport(route)) as client:
            return await provider.fetch(client)

    assert len(asyncio.run(go()).indicators) == 34
    assert seen == [moved.decode()]


def test_a_source_that_is_down_fails_the_fetch() -> None:
    with pytest.raises(ProviderUnavailable, match="HTTP 503"):
        fetch(page=lambda request: httpx.Response(503))
    with pytest.raises(ProviderUnavailable, match="HTTP 503"):
        fetch(lambda request: httpx.Response(503))


def test_a_missing_workbook_is_said() -> None:
    reason = refused(lambda request: httpx.Response(404, content=b"<html>Not found</html>"))
    assert reason == "no indicator values (policy-rate: HTTP 404 Not Found)"


def test_an_indicator_the_file_lacks_is_rejected_alone() -> None:
    batch = fetch(WORKBOOK, PAGE, CPI_YOY, POLICY_RATE)
    assert len(batch.indicators) == 34
    (rejected,) = batch.rejected
    assert rejected.pair == CPI_YOY
    assert rejected.reason == "cpi-yoy is not in the CBU's policy-rate file (it gives policy-rate)"


def test_a_backfill_counts_the_page_and_the_workbook() -> None:
    def provider(*codes: str) -> CBUStavka:
        return CBUStavka("https://cbu.test", options=ProviderOptions(indicators=codes))

    assert provider(POLICY_RATE).backfill_requests() == 2
    assert provider().backfill_requests() == 0
