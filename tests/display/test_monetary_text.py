"""The monetary monitor as ``ticker indicators`` prints it: the table (long forms when they
fit, short ones in 80 columns, never a cut number), which source speaks, why a cell is
``n/a``, the real rates; and the JSON records. Expected texts written by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from ticker.display.monetary_text import (
    missing_lines,
    monetary_records,
    monitor_lines,
    monitor_table,
    source_lines,
    speaking_sources,
)
from ticker.model.monetary import SHOWN_SERIES, MonetaryView, monetary_view
from ticker.model.records import IndicatorPoint

AT = datetime(2026, 11, 20, 9, tzinfo=UTC)
COUNTRIES = ("KGZ", "KAZ", "TJK", "UZB", "TKM")
#: As config.toml asks them (NBK's remittances are not asked: form 408 is in tenge).
ASKED = {
    "nbk-data": ("policy-rate", "policy-corridor-low", "policy-corridor-high", "reserves"),
    "imf-sdmx": ("policy-rate", "cpi-index", "cpi-yoy"),
    "cbu-policy": ("policy-rate",),
    "siat": ("cpi-mom",),
}


def p(
    source: str,
    code: str,
    country: str,
    period: str,
    value: str | None,
    released: date | None = None,
) -> IndicatorPoint:
    number = None if value is None else Decimal(value)
    return IndicatorPoint(source, code, country, period, number, False, AT, None, None, released)


POINTS = [
    p("nbk-data", "policy-rate", "KAZ", "2026-08-29", "16.50", date(2026, 8, 29)),
    p("nbk-data", "policy-rate", "KAZ", "2026-10-10", "17.00", date(2026, 10, 10)),
    p("nbk-data", "reserves", "KAZ", "2026-10", "45230.1", date(2026, 11, 7)),
    p("imf-sdmx", "policy-rate", "KAZ", "2026-09", "16.5"),  # NBK speaks for KAZ
    p("imf-sdmx", "policy-rate", "KGZ", "2026-08", "9"),
    p("imf-sdmx", "policy-rate", "KGZ", "2026-09", "9.25"),
    p("imf-sdmx", "policy-rate", "KGZ", "2026-10", "9.25"),
    p("imf-sdmx", "policy-rate", "TJK", "2026-10", "8.25"),
    p("imf-sdmx", "policy-rate", "TKM", "2026-10", None),  # published as missing
    p("imf-sdmx", "cpi-yoy", "KAZ", "2026-10", "12.6"),
    p("imf-sdmx", "cpi-yoy", "KGZ", "2026-10", "7.1"),
    p("imf-sdmx", "cpi-yoy", "TJK", "2026-09", "3.5"),
    p("imf-sdmx", "cpi-yoy", "UZB", "2026-10", "8.4"),
    p("cbu-policy", "policy-rate", "UZB", "2026-07-24", "14", date(2026, 7, 24)),
    p("cbu-policy", "policy-rate", "UZB", "2026-09-11", "14", date(2026, 9, 11)),
]
HELD = {(x.source, x.indicator) for x in POINTS if x.value is not None}
CODES = list(SHOWN_SERIES)


def view(countries: tuple[str, ...] = COUNTRIES, codes: list[str] = CODES) -> MonetaryView:
    return monetary_view(POINTS, ASKED, countries, codes)


LONG = """\
Country  Policy rate                         CPI y/y         Reserves          Remittances in
KGZ      9.25% since Sep 2026, +0.25 pp      7.1% Oct 2026   no source         no source
KAZ      17.00% since 10 Oct 2026, +0.50 pp  12.6% Oct 2026  $45.2bn Oct 2026  no source
TJK      8.25% since Oct 2026                3.5% Sep 2026   no source         no source
UZB      14.00% since 11 Sep 2026, 0.00 pp   8.4% Oct 2026   no source         no source
TKM      n/a                                 n/a             no source         no source"""

SHORT = """\
Country  Policy rate             CPI y/y       Reserves        Remittances in
KGZ      9.25% Sep 26 +0.25      7.1% Oct 26   no source       no source
KAZ      17.00% 10 Oct 26 +0.50  12.6% Oct 26  $45.2bn Oct 26  no source
TJK      8.25% Oct 26            3.5% Sep 26   no source       no source
UZB      14.00% 11 Sep 26 0.00   8.4% Oct 26   no source       no source
TKM      n/a                     n/a           no source       no source"""


def test_the_long_forms_when_they_fit_the_short_ones_in_80_columns() -> None:
    assert monitor_table(view(), CODES) == LONG  # a pipe: any width
    assert monitor_table(view(), CODES, width=100) == LONG
    assert monitor_table(view(), CODES, width=80) == SHORT
    assert max(len(line) for line in SHORT.splitlines()) <= 80


def test_which_source_speaks_and_why_a_cell_is_missing() -> None:
    assert source_lines(view(), CODES) == [
        "Policy rate: KAZ from nbk-data, UZB from cbu-policy, others from imf-sdmx",
        "CPI y/y: from imf-sdmx",
        "Reserves: KAZ from nbk-data",
    ]  # remittances: no source asked for them, no line
    assert missing_lines(view(), CODES, HELD) == [
        "TKM: no source has published its Policy rate or CPI y/y (asked: imf-sdmx)"
    ]
    two = view(("KAZ", "UZB"), ["policy-rate"])
    assert source_lines(two, ["policy-rate"]) == [
        "Policy rate: KAZ from nbk-data; UZB from cbu-policy"
    ]


def test_a_source_nothing_is_stored_from_is_said_with_how_to_fetch_it() -> None:
    only_kaz = [x for x in POINTS if x.source != "imf-sdmx"]
    held = {(x.source, x.indicator) for x in only_kaz}
    shown = monetary_view(only_kaz, ASKED, COUNTRIES, CODES)
    assert missing_lines(shown, CODES, held) == [
        "imf-sdmx: nothing stored yet of Policy rate, CPI y/y (ticker poll --provider imf-sdmx)"
    ]
    assert speaking_sources(shown) == ["imf-sdmx", "nbk-data", "cbu-policy"]


def test_the_whole_monitor_ends_with_the_real_rates() -> None:
    lines = monitor_lines(view(), CODES, HELD, width=80)
    assert lines[0] == SHORT
    assert lines[-4:] == [
        "KGZ: real rate +2.15% (policy 9.25% minus CPI 7.1% y/y, Oct 2026)",
        "KAZ: real rate +4.40% (policy 17.00% minus CPI 12.6% y/y, Oct 2026)",
        "TJK: real rate +4.75% (policy 8.25% minus CPI 3.5% y/y, Sep 2026)",
        "UZB: real rate +5.60% (policy 14.00% minus CPI 8.4% y/y, Oct 2026)",
    ]
    # Nothing stored at all: no notes (the command says how to fetch them, on stderr).
    empty = monetary_view([], ASKED, COUNTRIES, CODES)
    assert monitor_lines(empty, CODES, set())[1:] == [
        "Policy rate: KAZ from nbk-data, UZB from cbu-policy, others from imf-sdmx",
        "CPI y/y: from imf-sdmx",
        "Reserves: KAZ from nbk-data",
    ]


def test_records_keep_every_point_and_the_exact_values() -> None:
    (kaz,) = monetary_records(view(("KAZ",)), CODES)
    policy, prices, reserves, remittances = kaz["series"]
    assert policy == {
        "series": "policy-rate",
        "name": "Policy rate",
        "source": "nbk-data",
        "others": ["imf-sdmx"],
        "unit": "% a year",
        "frequency": "day",
        "latest": {"period": "2026-10-10", "value": Decimal("17.00"), "released": "2026-10-10"},
        "last_decision": {
            "period": "2026-10-10",
            "value": Decimal("17.00"),
            "change": Decimal("0.50"),
        },
        "points": [
            {
                "period": "2026-08-29",
                "value": Decimal("16.50"),
                "released": "2026-08-29",
                "previous_value": None,
                "revised_at": None,
            },
            {
                "period": "2026-10-10",
                "value": Decimal("17.00"),
                "released": "2026-10-10",
                "previous_value": None,
                "revised_at": None,
            },
        ],
        "announced": [],
    }
    assert prices["last_decision"] is None and prices["frequency"] == "month"
    assert reserves["latest"] == {
        "period": "2026-10",
        "value": Decimal("45230.1"),
        "released": "2026-11-07",
    }
    assert (remittances["source"], remittances["latest"], remittances["points"]) == (None, None, [])
    assert kaz["real_rate"] == {
        "value": Decimal("4.40"),
        "policy": {"period": "2026-10-10", "value": Decimal("17.00")},
        "inflation": {"period": "2026-10", "value": Decimal("12.6")},
    }
    (tkm,) = monetary_records(view(("TKM",)), CODES)
    assert tkm["series"][0]["source"] == "imf-sdmx" and tkm["series"][0]["latest"] is None
    assert tkm["real_rate"] is None
