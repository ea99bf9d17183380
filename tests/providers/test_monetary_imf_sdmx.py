"""The IMF SDMX 3.0 client (imf-sdmx) on recorded and built SDMX-CSV answers.

The recorded files are real answers of api.imf.org (CPI of China, financial soundness of
Kazakhstan), byte-for-byte; the files for the five's policy rates and CPI are BUILT from
the recorded layout, because no public recording of those keys exists (their numbers are
made up): see tests/fixtures/providers/monetary/imf-sdmx/README.md. Expected values are
written by hand from the rows named.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from providers.base import Batch, ProviderOptions, ProviderResponseError, ProviderUnavailable
from providers.imf_sdmx import ACCEPT, IMFSDMX, KEYS, MAX_LINE, MAX_ROWS, Key, read_csv
from providers.monetary_records import CPI_INDEX, CPI_YOY, POLICY_RATE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers" / "monetary" / "imf-sdmx"
NOW = datetime(2026, 7, 15, 9, 0, tzinfo=UTC)
POLICY_PATH = "/external/sdmx/3.0/data/dataflow/IMF.STA/MFS_IR/+/{}.MFS166_RT_PT_A_PT.M"
MFS_HEADER = (
    "STRUCTURE[;],STRUCTURE_ID,ACTION,COUNTRY,INDICATOR,FREQUENCY,TIME_PERIOD,OBS_VALUE,"
    "SCALE,PRECISION,DECIMALS_DISPLAYED\n"
)


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def mfs(country: str, *rows: tuple[str, str]) -> bytes:
    lines = [
        f"dataflow,IMF.STA:MFS_IR(9.0.0),R,{country},MFS166_RT_PT_A_PT,M,{p},{v},0,,\n"
        for p, v in rows
    ]
    return (MFS_HEADER + "".join(lines)).encode()


def recorded_policy(request: httpx.Request) -> httpx.Response:
    country = request.url.path.split("/")[-1].split(".")[0]
    if country == "TKM":
        return httpx.Response(200, content=body("built_empty_TKM.csv"))
    return httpx.Response(200, content=body(f"built_mfs_ir_{country}.csv"))


def provider(*codes: str) -> IMFSDMX:
    options = ProviderOptions(indicators=codes or (POLICY_RATE,))
    return IMFSDMX("https://imf.test", now=lambda: NOW, options=options)


def fetch(imf: IMFSDMX, handler: Callable[[httpx.Request], httpx.Response]) -> Batch:
    async def go() -> Batch:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await imf.fetch(client)

    return asyncio.run(go())


def values(batch: Batch, code: str, country: str) -> dict[str, Decimal | None]:
    return {
        v.period: v.value for v in batch.indicators if v.indicator == code and v.country == country
    }


def test_policy_rates_of_the_five_one_request_each_with_the_csv_accept_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return recorded_policy(request)

    batch = fetch(provider(POLICY_RATE), handler)
    assert [r.url.path for r in seen] == [
        POLICY_PATH.format(c) for c in ("KGZ", "KAZ", "TJK", "UZB", "TKM")
    ]
    assert {r.headers["accept"] for r in seen} == {ACCEPT}
    # built_mfs_ir_KGZ.csv rows 1 and 8: 2025-M11 "9", 2026-M06 "9.5" (digits as published).
    kgz = values(batch, POLICY_RATE, "KGZ")
    assert len(kgz) == 8
    assert kgz["2025-11"] == Decimal("9") and str(kgz["2026-06"]) == "9.5"
    assert values(batch, POLICY_RATE, "KAZ") == {
        "2026-04": Decimal("16.5"),
        "2026-05": Decimal("16.5"),
        "2026-06": Decimal("16"),
    }
    assert values(batch, POLICY_RATE, "TJK")["2026-06"] == Decimal("8.25")
    # UZB 2026-M06 is published with an empty OBS_VALUE: missing, never zero.
    assert values(batch, POLICY_RATE, "UZB")["2026-06"] is None
    one = next(v for v in batch.indicators if v.country == "KGZ")
    assert (one.source, one.is_forecast, one.fetched_at, one.released) == (
        "imf-sdmx",
        False,
        NOW,
        None,
    )
    # Turkmenistan: the IMF's empty match is "no data", said, not a failure.
    assert values(batch, POLICY_RATE, "TKM") == {}
    assert batch.rejected == []
    assert len(batch.notes) == 1 and "no policy-rate for TKM" in batch.notes[0]
    assert "TKM.MFS166_RT_PT_A_PT.M" in batch.notes[0]


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, content=b""),
        httpx.Response(200, content=MFS_HEADER.encode()),
        httpx.Response(200, content=b"\xef\xbb\xbf"),
        httpx.Response(204),
        httpx.Response(404, content=b"NoResultsFound"),
    ],
    ids=["empty body", "header only", "BOM only", "204", "404"],
)
def test_every_empty_answer_for_tkm_is_no_data(answer: httpx.Response) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return answer if "TKM." in request.url.path else recorded_policy(request)

    batch = fetch(provider(), handler)
    assert {v.country for v in batch.indicators} == {"KGZ", "KAZ", "TJK", "UZB"}
    assert any("no policy-rate for TKM" in note for note in batch.notes)


def test_cpi_index_and_the_imfs_own_year_on_year() -> None:
    yoy = b"".join(body("recorded_cpi_CHN_yoy_head.csv").splitlines(keepends=True)[:1]) + (
        b"dataflow,IMF.STA:CPI(5.0.0),R,TJK,CPI,_T,YOY_PCH_PA_PT,M,2026-M06,3.612,0,,,,,,O,OL,,,,true\n"
    )

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        assert path.startswith("/external/sdmx/3.0/data/dataflow/IMF.STA/CPI/5.0.0/")
        if path.endswith("/TJK.CPI._T.IX.M"):
            return httpx.Response(200, content=body("built_cpi_ix_TJK.csv"))
        if path.endswith("/TJK.CPI._T.YOY_PCH_PA_PT.M"):
            return httpx.Response(200, content=yoy)
        return httpx.Response(200, content=b"")

    batch = fetch(provider(CPI_INDEX, CPI_YOY), handler)
    # built_cpi_ix_TJK.csv row 3: 2026-M06 342.1158044731016, every digit kept.
    assert values(batch, CPI_INDEX, "TJK")["2026-06"] == Decimal("342.1158044731016")
    assert values(batch, CPI_YOY, "TJK") == {"2026-06": Decimal("3.612")}
    assert sum("no cpi-index for" in n for n in batch.notes) == 4


def test_the_real_recorded_answer_reads_as_recorded() -> None:
    series = Key("IMF.STA/CPI/5.0.0", "IMF.STA:CPI", KEYS[CPI_YOY].dimensions, KEYS[CPI_YOY].codes)
    rows = read_csv(body("recorded_cpi_CHN_yoy_head.csv"), series, "CHN")
    # Line 2 and line 13 of the recording: 1994-M01 21.10001081822177, 1994-M12 25.50000869227604.
    assert len(rows) == 12
    assert rows[0] == ("1994-M01", "21.10001081822177")
    assert rows[-1] == ("1994-M12", "25.50000869227604")
    header = body("recorded_cpi_CHN_yoy_head.csv").splitlines(keepends=True)[0]
    tail = read_csv(header + body("recorded_cpi_CHN_yoy_tail.csv"), series, "CHN")
    assert tail[-1] == ("2026-M08", "0.8000224323427971")
    fsic = Key("IMF.STA/FSIC/+", "IMF.STA:FSIC", ("COUNTRY", "SECTOR", "INDICATOR", "FREQUENCY"),
               ("S12CFSI", "FSI688_CFSI_PT", "Q"))  # fmt: skip
    # `+` asked, the answer names the version it resolved: IMF.STA:FSIC(13.0.1).
    assert read_csv(body("recorded_fsic_KAZ_head.csv"), fsic, "KAZ")[0] == (
        "2008-Q1",
        "14.42846015946752",
    )


def test_a_month_after_the_current_one_is_rejected_with_its_reason() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        country = request.url.path.split("/")[-1][:3]
        return httpx.Response(
            200, content=mfs(country, ("2026-M07", "9.5"), ("2026-M08", "9.75"), ("1991-M12", "1"))
        )

    batch = fetch(provider(), handler)
    assert {v.period for v in batch.indicators} == {"2026-07"}  # NOW is 2026-07-15
    future = [r for r in batch.rejected if "2026-M08" in r.reason]
    assert len(future) == 5
    assert future[0].value == "9.75"
    assert "after the current month (2026-07)" in future[0].reason
    assert any("1991-M12 is before 1992-01" in r.reason for r in batch.rejected)


def test_a_reset_or_a_5xx_is_the_source_unavailable() -> None:
    def reset(request: httpx.Request) -> httpx.Response:
        if "KAZ." in request.url.path:
            raise httpx.ReadError("[Errno 104] Connection reset by peer")
        return recorded_policy(request)

    with pytest.raises(ProviderUnavailable):
        fetch(provider(), reset)
    with pytest.raises(ProviderUnavailable, match="HTTP 500"):
        fetch(provider(), lambda request: httpx.Response(500, text="Internal Server Error"))


def test_a_changed_header_says_what_was_expected() -> None:
    changed = (
        b"STRUCTURE[;],STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,FREQUENCY,TIME_PERIOD,VALUE\n"
        b"dataflow,IMF.STA:MFS_IR(10.0.0),R,KGZ,MFS166_RT_PT_A_PT,M,2026-M06,9.5\n"
    )
    with pytest.raises(ProviderResponseError) as err:
        fetch(provider(), lambda request: httpx.Response(200, content=changed))
    reason = err.value.reason
    assert "expected SDMX-CSV columns STRUCTURE_ID (or DATAFLOW), COUNTRY, INDICATOR" in reason
    assert "lacks COUNTRY, OBS_VALUE" in reason


def test_one_series_refused_leaves_the_others() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "/CPI/" in request.url.path:
            return httpx.Response(200, content=b'{"errors": [{"title": "Bad request"}]}')
        return recorded_policy(request)

    batch = fetch(provider(POLICY_RATE, CPI_INDEX), handler)
    assert {v.indicator for v in batch.indicators} == {POLICY_RATE}
    assert [r.pair for r in batch.rejected] == [CPI_INDEX]
    assert "JSON where SDMX-CSV was expected" in batch.rejected[0].reason


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (b"<html><title>Service Unavailable</title></html>", "an HTML page where SDMX-CSV"),
        (
            MFS_HEADER.encode()
            + b"dataflow,IMF.STA:MFS_IR(9.0.0),R,KAZ,MFS166_RT_PT_A_PT,M,2026-M06,9,0,,\n",
            "asked for KGZ.MFS166_RT_PT_A_PT.M, row 2 is of 'KAZ.MFS166_RT_PT_A_PT.M'",
        ),
        (
            MFS_HEADER.encode()
            + b"dataflow,IMF.STA:CPI(5.0.0),R,KGZ,MFS166_RT_PT_A_PT,M,2026-M06,9,0,,\n",
            "row 2 is of 'IMF.STA:CPI(5.0.0)', not IMF.STA:MFS_IR",
        ),
        (mfs("KGZ", ("July 2026", "9")), "expected a month such as 2026-M07"),
        (mfs("KGZ", ("2026-M06", "9"), ("2026-M06", "9")), "KGZ 2026-M06 is given twice"),
        (MFS_HEADER.encode() + b"dataflow,x\n", "row 2 has 2 fields, the header 11"),
    ],
    ids=["html", "another country", "another dataflow", "period", "twice", "short row"],
)
def test_a_wrong_answer_is_refused_in_words(answer: bytes, words: str) -> None:
    with pytest.raises(ProviderResponseError) as err:
        fetch(provider(), lambda request: httpx.Response(200, content=answer))
    assert words in err.value.reason


def test_hostile_sizes_are_bounded() -> None:
    huge = MFS_HEADER.encode() + b"dataflow," + b"9" * (MAX_LINE + 10) + b"\n"
    with pytest.raises(ProviderResponseError, match=f"a line of {MAX_LINE + 19} characters"):
        fetch(provider(), lambda request: httpx.Response(200, content=huge))
    many = mfs("KGZ", *((f"2000-M{m:02d}", "1") for m in range(1, 13))) + (
        b"dataflow,IMF.STA:MFS_IR(9.0.0),R,KGZ,MFS166_RT_PT_A_PT,M,2000-M01,1,0,,\n" * MAX_ROWS
    )
    with pytest.raises(ProviderResponseError, match=f"more than {MAX_ROWS} rows"):
        fetch(provider(), lambda request: httpx.Response(200, content=many))
    wide = ",".join(f"C{i}" for i in range(100)).encode() + b"\n"
    with pytest.raises(ProviderResponseError, match="a header of 100 columns"):
        fetch(provider(), lambda request: httpx.Response(200, content=wide))


def test_hostile_numbers_are_rejected_row_by_row() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        country = request.url.path.split("/")[-1][:3]
        return httpx.Response(
            200,
            content=mfs(
                country,
                ("2026-M01", "1e999"),
                ("2026-M02", "abc"),
                ("2026-M03", "9" * 80),
                ("2026-M04", "NaN"),
                ("2026-M05", "-0.5"),
            ),
        )

    batch = fetch(provider(), handler)
    kgz = values(batch, POLICY_RATE, "KGZ")
    assert kgz == {"2026-04": None, "2026-05": Decimal("-0.5")}
    reasons = [r.reason for r in batch.rejected if r.pair == "policy-rate KGZ"]
    assert len(reasons) == 3
    assert "not a plausible rate" in reasons[0] and "not a number" in reasons[1]
    assert "a number of 80 characters" in reasons[2]


def test_an_index_must_be_positive_and_no_country_with_data_refuses_the_series() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            content=(
                b"STRUCTURE[;],STRUCTURE_ID,ACTION,COUNTRY,INDEX_TYPE,COICOP_1999,"
                b"TYPE_OF_TRANSFORMATION,FREQUENCY,TIME_PERIOD,OBS_VALUE\n"
                + f"dataflow,IMF.STA:CPI(5.0.0),R,{request.url.path.split('/')[-1][:3]},"
                "CPI,_T,IX,M,2026-M06,0\n".encode()
            ),
        )

    with pytest.raises(ProviderResponseError) as err:
        fetch(provider(CPI_INDEX), handler)
    assert "no usable observations of *.CPI._T.IX.M for any of the five" in err.value.reason
    assert "an index must be above zero" in err.value.reason
    with pytest.raises(ProviderResponseError, match="no usable observations"):
        fetch(provider(), lambda request: httpx.Response(200, content=b""))


def test_a_series_this_source_does_not_give_is_refused_for_itself() -> None:
    batch = fetch(provider("reserves", POLICY_RATE), recorded_policy)
    assert batch.rejected[0].pair == "reserves"
    assert "no IMF SDMX series for 'reserves'" in batch.rejected[0].reason
