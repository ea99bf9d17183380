"""Fitting the rates table to a terminal width: which columns, how long a sparkline, and
whether source names and state words take their short forms (a state's short words are
:mod:`ticker.display.states`').

Everything here is worked out from the width and the current contents alone, so a running
dashboard and a fresh start at the same size and data lay the table out the same way. The
steps, tried in order until the table fits: every column in full (the sparkline takes what is
left, 5 to 30 cells), then the market without the absolute change, then also with the short
source names; then without the market: every other column, then without the absolute
change, then with the short source names, then with the short state words, then without
the sparkline. The market column (the banks' best cash buy/sell beside the official rate)
is there only while some row has a market price or a reported rate (it is read after the
first frame). Its priority: it outranks the absolute change (the per cent says the move)
and the long source names, and gives way, before anything else goes, to the sparkline
at its least width, the state words in full and the rest (at 100 columns the five pairs
show it, inverted numbers and all; at 80 it folds).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ticker.display.names import bank_word
from ticker.i18n.words import N_, _

#: The columns, by their English titles (the keys of the fitter's widths; a title is shown
#: through :func:`column_title`).
COLUMNS = (
    N_("Pair"),
    N_("Rate"),
    N_("Chg"),
    N_("Chg%"),
    N_("Fixings"),
    N_("As of"),
    N_("Source"),
    N_("State"),
)
SPARK = "Fixings"
MARKET = N_("Market")
#: Every column with the market's, beside the rate (:data:`COLUMNS` are the rest).
WITH_MARKET = (*COLUMNS[:2], MARKET, *COLUMNS[2:])
#: The cell padding the table puts on each side of every column.
PADDING = 1
SPARK_MIN = 5
SPARK_MAX = 30

#: The one abbreviation each long source name has (every other name is always whole).
SHORT_SOURCE = {"frankfurter": "FRKF", "currencyapi": "CURAPI"}


def column_title(name: str) -> str:
    """A column's title in the user's language (``Pair``: ``Пара``)."""
    return _(name)


def source_label(provider: str, derived: bool, short: bool = False) -> str:
    """``NBKR``, ``CBR×`` for a cross (``НБКР``, ``Банк России×`` in Russian); ``FRKF``
    for frankfurter when ``short``."""
    if short and provider in SHORT_SOURCE:
        name = SHORT_SOURCE[provider]
    else:
        name = bank_word(provider.upper(), short)
    return name + ("×" if derived else "")


@dataclass(frozen=True, slots=True)
class Layout:
    columns: tuple[str, ...]
    spark: int
    """The sparkline's length in cells (0 when the column is left out)."""
    short_sources: bool = False
    short_states: bool = False


def _steps(market: bool) -> list[tuple[tuple[str, ...], bool, bool]]:
    no_change = tuple(c for c in COLUMNS if c != "Chg")
    market_no_change = tuple(c for c in WITH_MARKET if c != "Chg")
    with_market = [
        (WITH_MARKET, False, False),
        (market_no_change, False, False),
        (market_no_change, True, False),
    ]
    return [
        *(with_market if market else []),
        (COLUMNS, False, False),
        (no_change, False, False),
        (no_change, True, False),
        (no_change, True, True),
        (tuple(c for c in no_change if c != SPARK), True, True),
    ]


def fit(
    width: int,
    full: Mapping[str, int],
    short: Mapping[str, int],
    market: bool = False,
) -> Layout:
    """The first layout that fits ``width``.

    ``full`` and ``short`` give each column's widest content (its label included), with the
    names and states in full and in their short forms; the sparkline's column is sized here.
    ``market``: some row has a market cell (else the market column is never shown). When
    nothing fits, the narrowest layout (the table then scrolls sideways).
    """
    label = len(column_title(SPARK))
    steps = _steps(market)
    layout = Layout(steps[0][0], SPARK_MAX)
    for columns, short_sources, short_states in steps:

        def wide(name: str, ss: bool = short_sources, st: bool = short_states) -> int:
            shorter = (name == "Source" and ss) or (name == "State" and st)
            return (short if shorter else full)[name]

        used = sum(wide(c) + 2 * PADDING for c in columns if c != SPARK)
        if SPARK not in columns:
            layout = Layout(columns, 0, short_sources, short_states)
            if used <= width:
                return layout
            continue
        room = width - used - 2 * PADDING
        spark = min(SPARK_MAX, room)
        layout = Layout(columns, max(SPARK_MIN, spark), short_sources, short_states)
        if spark >= max(SPARK_MIN, label):
            return layout
    return layout
