"""Fitting the rates table to a width: the steps in their order, and the short forms."""

from __future__ import annotations

from ticker.display.columns import COLUMNS, WITH_MARKET, fit, source_label

# Widest contents per column (labels included), as the table measures them.
FULL = {
    "Pair": 7,
    "Rate": 11,
    "Chg": 9,
    "Chg%": 6,
    "Fixings": 7,
    "As of": 6,
    "Source": 11,
    "State": 24,
}
SHORT = {**FULL, "Source": 6, "State": 10}
# Each column takes its content plus one cell of padding either side.
OTHERS = sum(w + 2 for c, w in FULL.items() if c != "Fixings")  # 88


def test_a_wide_terminal_gets_every_column_and_the_longest_sparkline() -> None:
    layout = fit(200, FULL, SHORT)
    assert layout.columns == COLUMNS
    assert layout.spark == 30
    assert not layout.short_sources and not layout.short_states


def test_the_sparkline_takes_what_the_other_columns_leave() -> None:
    layout = fit(OTHERS + 2 + 12, FULL, SHORT)
    assert layout.columns == COLUMNS and layout.spark == 12


def test_the_absolute_change_goes_first_then_names_then_states_then_the_sparkline() -> None:
    no_change = OTHERS - (9 + 2)  # 77
    layout = fit(OTHERS + 2 + 6, FULL, SHORT)  # the sparkline would be shorter than its label
    assert "Chg" not in layout.columns and layout.spark == 6 + 11
    assert not layout.short_sources
    layout = fit(no_change + 2 + 6, FULL, SHORT)
    assert layout.short_sources and not layout.short_states
    assert layout.spark == 6 + 5  # the five cells the short names free
    layout = fit(no_change - 5 + 2 + 6, FULL, SHORT)
    assert layout.short_sources and layout.short_states and layout.spark == 6 + 14
    layout = fit(no_change - 5 - 14 + 2 + 6, FULL, SHORT)
    assert "Fixings" not in layout.columns and layout.spark == 0
    assert sum(SHORT[c] + 2 for c in layout.columns) <= no_change - 5 - 14 + 2 + 6


def test_nothing_fits_gives_the_narrowest_layout() -> None:
    layout = fit(20, FULL, SHORT)
    assert layout.columns == ("Pair", "Rate", "Chg%", "As of", "Source", "State")
    assert layout.short_sources and layout.short_states


def test_each_long_source_name_has_one_abbreviation_and_the_rest_stay_whole() -> None:
    assert source_label("frankfurter", False) == "FRANKFURTER"
    assert source_label("frankfurter", False, short=True) == "FRKF"
    assert source_label("currencyapi", True, short=True) == "CURAPI×"
    assert source_label("nbkr", False, short=True) == "NBKR"
    assert source_label("cbr", True) == "CBR×"


def test_the_market_outranks_the_absolute_change_and_the_long_source_names() -> None:
    """The market gives way to every other column at its least (the sparkline at 7, the
    states in full), but the absolute change and the long names give way to it first."""
    full = {**FULL, "Market": 17}
    short = {**SHORT, "Market": 17}
    wide = fit(OTHERS + 19 + 2 + 12, full, short, market=True)
    assert wide.columns == WITH_MARKET and wide.spark == 12
    market_no_change = tuple(c for c in WITH_MARKET if c != "Chg")
    no_change = fit(OTHERS + 19 + 2 + 6, full, short, market=True)  # the sparkline too short
    assert no_change.columns == market_no_change and no_change.spark == 6 + 11
    assert not no_change.short_sources
    short_names = fit(OTHERS + 2 + 12, full, short, market=True)
    assert short_names.columns == market_no_change and short_names.short_sources
    assert short_names.spark == 12 - 19 + 11 + 5  # 9
    # One cell less than the market needs at the least: it folds, and the rest is laid
    # out as without a market (the absolute change and the long names back).
    folded = OTHERS + 19 + 2 - 11 - 2 - 5 + 2 + 7 - 1
    assert fit(folded, full, short, market=True) == fit(folded, FULL, SHORT)
    assert fit(folded, FULL, SHORT).columns == COLUMNS


def test_without_a_market_cell_the_column_is_never_shown() -> None:
    assert fit(400, {**FULL, "Market": 0}, {**SHORT, "Market": 0}).columns == COLUMNS
