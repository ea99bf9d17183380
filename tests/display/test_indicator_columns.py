"""The indicators screen's columns: every country on the screen, the names wrapped beside."""

from __future__ import annotations

from ticker.display.indicators import (
    LABEL_MIN,
    IndicatorColumns,
    indicator_columns,
    indicator_label,
    wrap,
)
from ticker.model.indicators import COUNTRIES

NAMES = tuple(COUNTRIES.values())


def test_the_countries_keep_their_names_from_80_columns_and_the_label_takes_the_rest() -> None:
    # 5 countries (10 cells each, Turkmenistan 12) and their padding take 62; the label's
    # padding 2, the scrollbar 1.
    assert indicator_columns(80, COUNTRIES, 10, 38) == IndicatorColumns(NAMES, 15)
    assert indicator_columns(100, COUNTRIES, 10, 38) == IndicatorColumns(NAMES, 35)
    assert indicator_columns(160, COUNTRIES, 10, 24) == IndicatorColumns(NAMES, 24)
    # Narrower than the dashboard is drawn at (80): the codes, the label at its least.
    assert indicator_columns(76, COUNTRIES, 10, 38) == IndicatorColumns(tuple(COUNTRIES), 13)
    assert indicator_columns(70, COUNTRIES, 10, 38) == IndicatorColumns(tuple(COUNTRIES), LABEL_MIN)


def test_a_label_wraps_between_words_and_a_code_after_its_dots() -> None:
    assert wrap("Inflation, CPI %", 15) == ["Inflation,", "CPI %"]  # no lone "%"
    assert wrap("Remittances % of GDP", 15) == ["Remittances %", "of GDP"]
    assert wrap("worldbank BX.TRF.PWKR.DT.GD.ZS", 15) == ["worldbank", "BX.TRF.PWKR.DT.", "GD.ZS"]
    assert indicator_label("GDP growth %", "worldbank", "NY.GDP.MKTP.KD.ZG", 30) == (
        ["GDP growth %"],
        ["worldbank NY.GDP.MKTP.KD.ZG"],
    )
    # Source and code not on one line: the source alone (the chart's title has the code).
    assert indicator_label("GDP growth %", "worldbank", "NY.GDP.MKTP.KD.ZG", 15) == (
        ["GDP growth %"],
        ["worldbank"],
    )
