"""The charts' labels in the user's language and number format: the dates along the
bottom by ``ticker.i18n.dates``, the values up the side written the locale's way. Written
by hand from what a Russian reader should see."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ticker.display.format import format_rate
from ticker.display.plot import plot
from ticker.i18n.choice import use
from ticker.tui.widgets.chart import _date_tick, day_label
from ticker.tui.widgets.indicator_chart import date_ticks, value_ticks
from ticker.tui.widgets.plot_text import plot_text


def test_the_rates_charts_dates_in_russian() -> None:
    use("ru", {})
    assert day_label(date(2026, 11, 5)) == "05 нояб."
    assert day_label(date(2026, 5, 5), with_year=True) == "05 мая 2026"
    assert _date_tick(date(2026, 3, 1).toordinal(), with_year=True) == "март 2026"
    use("en", {})
    assert _date_tick(date(2026, 3, 1).toordinal(), with_year=False) == "01 Mar"


def test_the_indicator_charts_dates_in_russian() -> None:
    use("ru", {})
    first = date(2026, 10, 23).toordinal()
    ticks, labels = date_ticks(first, first + 30, 2)  # a month: by day
    assert labels == ["23 окт.", "22 нояб."]
    ticks, labels = date_ticks(first, first + 400, 2)  # more than half a year: by month
    assert labels == ["окт. 26", "нояб. 27"]


def test_the_value_axis_is_written_the_locales_way() -> None:
    use("en", {})
    assert value_ticks([5.0, 9.4], 12)[1] == ["5.0", "6.1", "7.2", "8.3", "9.4"]
    assert value_ticks([12000.0, 14000.0], 3)[1] == ["12,000", "14,000"]
    use("ru", {})
    levels, labels = value_ticks([5.0, 9.4], 12)
    assert labels == ["5,0", "6,1", "7,2", "8,3", "9,4"]
    assert value_ticks([12000.0, 14000.0], 3)[1] == ["12\u00a0000", "14\u00a0000"]
    use("en", {})


def test_the_charts_value_ticks_in_russian_use_a_comma() -> None:
    """The rates chart's ticks (by the table's rules) and an indicator chart's, drawn:
    ``9,4`` at the top row, ``5,0`` at the bottom, right-aligned before the frame."""
    use("ru", {})
    try:
        levels, labels = value_ticks([5.0, 9.4], 6)  # 6 rows: three levels
        assert labels == ["5,0", "7,2", "9,4"]
        rows = plot(20, 9, [], yticks=list(zip(levels, labels, strict=True)), ylim=(5.0, 9.4))
        text = plot_text(rows).plain.split("\n")
        assert text[1].startswith("9,4┤") and text[6].startswith("5,0┤")
        assert format_rate(Decimal("87.45"), 5) == "87,45"  # the rates chart's labels
    finally:
        use("en", {})
