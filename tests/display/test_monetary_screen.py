"""The monetary monitor on the dashboard in words and widths: the panel's layout never
cuts a number (sparklines and the reserves and remittances columns give way first), the
pair detail's lines, and the status line's lead on a decision day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from ticker.display.decisions import bank_name
from ticker.display.monetary import cell_text
from ticker.display.monetary_screen import (
    SPARK_MIN,
    decisions_today_text,
    detail_lines,
    panel_layout,
    panel_legend,
    recent_decisions,
)
from ticker.model.monetary import monetary_view
from ticker.model.records import IndicatorPoint

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
D = Decimal


def point(
    source: str,
    code: str,
    country: str,
    period: str,
    value: str | None,
    released: date | None = None,
) -> IndicatorPoint:
    number = None if value is None else D(value)
    return IndicatorPoint(source, code, country, period, number, False, AT, None, None, released)


def months(last: str, count: int) -> list[str]:
    year, month = int(last[:4]), int(last[5:])
    found = []
    for _ in range(count):
        found.append(f"{year}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found[::-1]


def longest() -> list[IndicatorPoint]:
    """Every country with the longest values the panel shows (two years of history)."""
    points = [
        point("nbk-data", "policy-rate", "KAZ", "2026-07-10", "14.00"),
        point("nbk-data", "policy-rate", "KAZ", "2026-10-23", "13.50"),
    ]
    for country, source in (("UZB", "cbu-policy"), ("KGZ", "imf-sdmx"), ("TJK", "imf-sdmx")):
        for at, period in enumerate(months("2026-10", 24)):
            points.append(
                point(source, "policy-rate", country, period, "13.50" if at == 23 else "14.00")
            )
    for country in ("KAZ", "UZB", "KGZ", "TJK", "TKM"):
        for at, period in enumerate(months("2026-10", 24)):
            points.append(point("imf-sdmx", "cpi-yoy", country, period, f"1{at % 10}.6"))
    for at, period in enumerate(months("2026-10", 24)):
        points.append(point("nbk-data", "reserves", "KAZ", period, str(40000 + 200 * at)))
        points.append(point("nbk-data", "remittances-in", "KAZ", period, str(300 + at)))
    return points


def test_a_cell_says_the_decision_or_the_latest_value() -> None:
    view = monetary_view(longest())
    assert cell_text(view.get("KAZ", "policy-rate"), short=True) == "13.50% 23 Oct 26 -0.50"
    assert cell_text(view.get("UZB", "policy-rate"), short=True) == "13.50% Oct 26 -0.50"
    assert cell_text(view.get("KAZ", "cpi-yoy"), short=True) == "13.6% Oct 26"
    assert cell_text(view.get("KAZ", "reserves"), short=True) == "$44.6bn Oct 26"
    assert cell_text(view.get("KAZ", "remittances-in"), short=True) == "$323m Oct 26"
    assert cell_text(view.get("UZB", "reserves")) == "no source"  # no route
    assert cell_text(view.get("TKM", "policy-rate")) == "n/a"  # a route, nothing stored
    assert bank_name("KAZ") == "NBK" and bank_name("UZB") == "CBU" and bank_name("KGZ") == "NBKR"


@pytest.mark.parametrize("width", range(50, 161))
def test_the_layout_never_cuts_the_policy_rate_nor_inflation(width: int) -> None:
    view = monetary_view(longest())
    layout = panel_layout(width, view)
    assert layout.columns[:2] == ("policy-rate", "cpi-yoy")
    assert layout.total <= width or width < 55  # the narrowest layout fits in 55 columns
    texts = {
        code: [cell_text(view.get(c, code), short=True) for c in view.countries]
        for code in layout.columns
    }
    for at, code in enumerate(layout.columns):
        assert layout.widths[at + 1] >= max(len(t) for t in texts[code])
    if layout.spark:
        assert layout.spark >= SPARK_MIN


def test_sparklines_then_columns_give_way_as_the_terminal_narrows() -> None:
    view = monetary_view(longest())
    wide = panel_layout(160, view)
    assert wide.columns == ("policy-rate", "cpi-yoy", "reserves", "remittances-in")
    assert wide.sparked == wide.columns and wide.spark > SPARK_MIN
    at_100 = panel_layout(100, view)
    assert at_100.columns == wide.columns and at_100.sparked == ("policy-rate", "cpi-yoy")
    at_80 = panel_layout(80, view)
    assert at_80.columns == ("policy-rate", "cpi-yoy", "reserves") and at_80.named
    assert panel_legend(at_80, 80) == (
        "policy rate: last decision, change in pp · wider: remittances in"
    )
    assert "wider" not in panel_legend(at_80, 70)  # only when the line has room
    narrow = panel_layout(56, view)
    assert narrow.columns == ("policy-rate", "cpi-yoy") and not narrow.sparked


def test_the_detail_says_the_policy_rate_inflation_and_the_real_rate() -> None:
    view = monetary_view(longest(), countries=["KAZ"], series=["policy-rate", "cpi-yoy"])
    assert detail_lines(view) == [
        "Kazakhstan (NBK):",
        "  policy rate 13.50% since 23 Oct 2026, -0.50 pp (nbk-data)",
        "  inflation (CPI y/y) 13.6% Oct 2026 (imf-sdmx)",
        "  real rate -0.10% (policy 13.50% minus CPI 13.6% y/y, Oct 2026)",
    ]
    empty = monetary_view([], countries=["TKM"], series=["policy-rate", "cpi-yoy"])
    assert detail_lines(empty) == ["Turkmenistan (CBT): policy rate and inflation not stored yet"]
    off = monetary_view([], enabled=[], countries=["TKM"], series=["policy-rate", "cpi-yoy"])
    assert detail_lines(off) == ["Turkmenistan (CBT): no source"]
    # inflation alone: the policy rate says n/a, and so does the real rate
    cpi = [p for p in longest() if p.indicator == "cpi-yoy" and p.country == "TKM"]
    alone = monetary_view(cpi, countries=["TKM"], series=["policy-rate", "cpi-yoy"])
    assert detail_lines(alone) == [
        "Turkmenistan (CBT):",
        "  policy rate n/a",
        "  inflation (CPI y/y) 13.6% Oct 2026 (imf-sdmx)",
        "  real rate (policy minus inflation): n/a",
    ]


def test_a_decision_leads_on_its_calendar_day_and_on_the_day_it_takes_effect() -> None:
    """NBK decides on Friday 20 Nov 2026 (a calendar day, as [decisions] would say) and
    publishes the decision effective Monday 23 Nov: on Friday the status line says the
    decision and when it takes effect, before publication that it is awaited; a decision
    taking effect today without a calendar day is said as the rate from today."""
    calendar = {"KAZ": (date(2026, 11, 20),)}
    history = [
        point("nbk-data", "policy-rate", "KAZ", "2026-10-10", "16.50", date(2026, 10, 10)),
        point("imf-sdmx", "policy-rate", "KGZ", "2026-10", "9.25"),
    ]
    new = point("nbk-data", "policy-rate", "KAZ", "2026-11-23", "17.00", date(2026, 11, 23))
    friday = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)  # 12:00 in Almaty
    awaited = recent_decisions(
        monetary_view(history, series=["policy-rate"], today=friday.date()), calendar
    )
    assert [d.country for d in awaited] == ["KGZ", "KAZ"]
    assert decisions_today_text(awaited, friday) == "NBK decision today: not published yet"
    view = monetary_view([*history, new], series=["policy-rate"], today=friday.date())
    rate_now = view.get("KAZ", "policy-rate").latest
    assert rate_now is not None and rate_now.value == Decimal("16.50")  # 17.00 not yet
    published = recent_decisions(view, calendar)
    assert decisions_today_text(published, friday) == (
        "NBK decision today: 17.00% from 23 Nov, +0.50 pp"
    )
    # just after midnight in Almaty on Friday (still Thursday in UTC): already the day
    assert decisions_today_text(published, datetime(2026, 11, 19, 19, 30, tzinfo=UTC)) == (
        "NBK decision today: 17.00% from 23 Nov, +0.50 pp"
    )
    saturday = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)
    assert decisions_today_text(published, saturday) == ""
    monday = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    in_force = recent_decisions(
        monetary_view([*history, new], series=["policy-rate"], today=monday.date()), calendar
    )
    assert decisions_today_text(in_force, monday) == "NBK rate 17.00% from today, +0.50 pp"
    assert decisions_today_text(in_force, monday + timedelta(days=1)) == ""
    # two banks on one day are said together; the first decision stored has no change
    both_calendar = {**calendar, "UZB": (date(2026, 11, 20),)}
    cbu = point("cbu-stavka", "policy-rate", "UZB", "2026-11-20", "13.50", date(2026, 11, 20))
    both = recent_decisions(
        monetary_view([*history, new, cbu], series=["policy-rate"], today=friday.date()),
        both_calendar,
    )
    assert decisions_today_text(both, friday) == (
        "NBK decision today: 17.00% from 23 Nov, +0.50 pp · CBU decision today: 13.50%"
    )


def test_the_empty_notes_name_only_the_enabled_sources() -> None:
    from ticker.display.indicators import annual_empty_note
    from ticker.display.monetary_screen import empty_note

    assert empty_note(monetary_view([], enabled=["imf-sdmx", "nbk-data"])) == (
        "No monetary series stored yet: the collector polls them "
        "(or run: ticker poll --provider nbk-data --provider imf-sdmx)"
    )
    assert empty_note(monetary_view([], enabled=[])) == (
        "No monetary source is enabled ([providers] nbk-data, imf-sdmx, cbu-stavka, "
        "cbu-policy, siat)."
    )
    assert annual_empty_note(["imf"]) == (
        "No indicators stored yet: the collector fetches them daily "
        "(or run: ticker poll --provider imf)"
    )
    assert annual_empty_note([]) == (
        "Annual indicators: worldbank and imf are off "
        "(enabled = true in [providers.worldbank] or [providers.imf])"
    )
