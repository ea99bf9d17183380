"""The monetary monitor on the dashboard, in words and widths: the indicators screen's
panel (a row per country, a column per shown series, each cell the latest value with its
date and a sparkline of its recent history), laid out from the screen's width without
ever cutting a number; the pair detail's lines (the local policy rate, inflation and the
real rate); and the status line's lead on the day a policy decision takes effect.

The words of a value, a period, a decision and the real rate are
:mod:`ticker.display.monetary`'s; this module only places them. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from providers.monetary_records import CPI_YOY, MONETARY, POLICY_RATE
from ticker.display.decisions import bank_name, next_decision_at
from ticker.display.indicators import CELL_PADDING, SCROLLBAR
from ticker.display.monetary import (
    NO_SOURCE,
    NOT_AVAILABLE,
    cell_text,
    change_text,
    decision_text,
    latest_text,
    real_rate_text,
    value_text,
)
from ticker.display.monetary_text import speaking_sources
from ticker.display.names import country_name, series_name
from ticker.display.sparkline import sparkline
from ticker.i18n.dates import day_month
from ticker.i18n.words import N_, _
from ticker.model.release_calendar import local_today

if TYPE_CHECKING:
    from ticker.model.release_calendar import DecisionCalendar

from ticker.model.monetary import (
    SHOWN_SERIES,
    Frequency,
    MonetarySeries,
    MonetaryView,
    frequency,
    real_rate,
)

#: A sparkline's bars in the panel: as many as the width leaves, within these (a year of
#: months to two; a policy rate's bars are its decisions).
SPARK_MAX = 24
SPARK_MIN = 5
#: The panel's first column's header (said through ``_()``).
COUNTRY_HEADER = N_("Country")
#: The two series the panel never drops (at 80 columns every country's policy rate and
#: inflation are whole on the screen).
KEPT_SERIES: tuple[str, ...] = (POLICY_RATE, CPI_YOY)


def spark_values(series: MonetarySeries, count: int) -> list[Decimal]:
    """The last ``count`` values with a value (a missing month is left out), oldest
    first."""
    valued = [p.value for p in series.points if p.value is not None]
    return valued[-count:] if count > 0 else []


def spark_text(series: MonetarySeries, count: int) -> str:
    """The series' recent history as the house sparkline (``count`` bars at most)."""
    return sparkline(spark_values(series, count), count) if count > 0 else ""


def is_missing(text: str) -> bool:
    """A cell that says nothing is there (shown dim)."""
    return text in (_(NOT_AVAILABLE), _(NO_SOURCE), NOT_AVAILABLE, NO_SOURCE)


@dataclass(frozen=True, slots=True)
class PanelLayout:
    """The panel's columns at one width."""

    named: bool
    """Countries by name (``Kazakhstan``), else by code (``KAZ``)."""
    columns: tuple[str, ...]
    """The series shown, in order (always the policy rate and CPI)."""
    sparked: tuple[str, ...]
    """Those with a sparkline after their value."""
    spark: int
    """The bars of a sparkline (0: none)."""
    text_widths: tuple[int, ...]
    """Each shown series' widest words (a sparkline starts after them)."""
    widths: tuple[int, ...]
    """The country column's width, then each shown series' (without the padding)."""

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(series_name(code) for code in self.columns)

    @property
    def total(self) -> int:
        """The columns the panel takes, padding and a scrollbar's room included."""
        return sum(w + 2 * CELL_PADDING for w in self.widths) + SCROLLBAR


def panel_layout(width: int, view: MonetaryView) -> PanelLayout:
    """The richest layout of the panel within ``width`` columns: every series with a
    sparkline; then sparklines on the policy rate and CPI only; then none; then without
    remittances, then without reserves (each again with sparklines first); then the
    countries by code. Numbers are never cut: the narrowest layout is returned when even
    it does not fit."""
    texts = {
        code: [cell_text(view.get(country, code), short=True) for country in view.countries]
        for code in SHOWN_SERIES
    }
    counts = {
        code: max(len(spark_values(view.get(c, code), SPARK_MAX)) for c in view.countries)
        for code in SHOWN_SERIES
    }
    shapes: list[tuple[bool, tuple[str, ...], tuple[str, ...]]] = []
    for columns in (SHOWN_SERIES, SHOWN_SERIES[:3], KEPT_SERIES):
        for sparked in (columns, KEPT_SERIES, ()):
            if (True, columns, sparked) not in shapes:
                shapes.append((True, columns, sparked))
    shapes.append((False, KEPT_SERIES, ()))
    layout = None
    for named, columns, sparked in shapes:
        for spark in range(SPARK_MAX, SPARK_MIN - 1, -1) if sparked else (0,):
            layout = _layout(view, texts, counts, named, columns, sparked, spark)
            if layout.total <= width:
                return layout
    assert layout is not None
    return layout


def _layout(
    view: MonetaryView,
    texts: dict[str, list[str]],
    counts: dict[str, int],
    named: bool,
    columns: tuple[str, ...],
    sparked: tuple[str, ...],
    spark: int,
) -> PanelLayout:
    names = [country_name(c) if named else c for c in view.countries]
    widths = [max(len(_(COUNTRY_HEADER)), *(len(n) for n in names))]
    text_widths = []
    for code in columns:
        words = max(len(t) for t in texts[code])
        text_widths.append(words)
        bars = min(spark, counts[code]) if code in sparked else 0
        widths.append(max(len(series_name(code)), words + (1 + bars if bars else 0)))
    return PanelLayout(named, columns, sparked, spark, tuple(text_widths), tuple(widths))


#: The panel's title, said before its legend (said through ``_()``).
PANEL_TITLE = N_("Monetary")


def panel_legend(layout: PanelLayout | None, width: int) -> str:
    """What the panel's header line says after its title, within ``width`` with it: the
    legend, and which series a wider terminal shows too, when it has room."""
    said = _("policy rate: last decision, change in pp")
    if layout is not None and len(layout.columns) < len(SHOWN_SERIES):
        left = [_lower(series_name(c)) for c in SHOWN_SERIES if c not in layout.columns]
        more = _("{legend} · wider: {series}").format(legend=said, series=", ".join(left))
        if len(_(PANEL_TITLE)) + 2 + len(more) <= width:
            return more
    return said


def _lower(name: str) -> str:
    """A series' name inside a line: ``reserves``, but ``CPI y/y`` as it is."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def empty_note(view: MonetaryView) -> str:
    """What the panel says under itself when nothing monetary is stored yet."""
    if any(s.points for s in view.series.values()):
        return ""
    speaking = speaking_sources(view)
    if not speaking:
        return _("No monetary source is enabled ([providers] {sources}).").format(
            sources=", ".join(MONETARY)
        )
    known = list(MONETARY)  # the built-in ones in the catalogue's order, then the others
    ordered = sorted(speaking, key=lambda n: known.index(n) if n in known else len(known))
    polls = " ".join(f"--provider {name}" for name in ordered)
    return _(
        "No monetary series stored yet: the collector polls them (or run: ticker poll {options})"
    ).format(options=polls)


def calendar_notes(
    calendar: DecisionCalendar | None, countries: Sequence[str], now: datetime
) -> list[str]:
    """The decision calendar's words for the panel, one per country whose bank has a
    next decision known (``next NBK decision 12 Jan``, ``NBK decision today``), each
    country's day taken in its bank's zone; none without a calendar."""
    if calendar is None:
        return []
    notes = (next_decision_at(calendar, country, now) for country in countries)
    return [note for note in notes if note]


# ---------------------------------------------------------------------- the pair detail


def detail_lines(view: MonetaryView) -> list[str]:
    """The pair detail's lines for each country of ``view``: its name, then its policy
    rate with the last decision, its latest inflation year on year, and the real rate
    (policy minus inflation, said as such: ``real rate +4.40% (policy 17.00% minus CPI
    12.6% y/y, Oct 2026)``), each with the source it is from; one line when neither is
    stored."""
    lines = []
    for country in view.countries:
        policy, prices = view.get(country, POLICY_RATE), view.get(country, CPI_YOY)
        name = _("{country} ({bank})").format(
            country=country_name(country), bank=bank_name(country)
        )
        if not policy.points and not prices.points:  # one line, not three of n/a
            covered = policy.covered or prices.covered
            said = _("policy rate and inflation not stored yet") if covered else _(NO_SOURCE)
            lines.append(f"{name}: {said}")
            continue
        lines.append(f"{name}:")
        lines.append(
            "  "
            + _("policy rate {decision}").format(decision=decision_text(policy))
            + _from(policy)
        )
        lines.append(
            "  "
            + _("inflation (CPI y/y) {latest}").format(latest=latest_text(prices))
            + _from(prices)
        )
        real = real_rate(policy, prices)
        if real is None:
            lines.append(
                "  " + _("real rate (policy minus inflation): {none}").format(none=_(NOT_AVAILABLE))
            )
        else:
            lines.append(f"  {real_rate_text(real)}")
    return lines


def _from(series: MonetarySeries) -> str:
    return f" ({series.source})" if series.points and series.source else ""


# ---------------------------------------------------------------------- the status line


@dataclass(frozen=True, slots=True)
class RecentDecision:
    """A country's newest policy-rate value as the status line weighs it (announced
    ahead of its day, or in force): the day it takes effect (a decision day; None for a
    month), the day its source released it, the level and the change from the value
    before; and the days its bank's calendar says it decides (``[decisions]``)."""

    country: str
    day: date | None
    released: date | None
    value: Decimal
    change: Decimal | None
    scheduled: tuple[date, ...] = ()


def recent_decisions(
    view: MonetaryView, calendar: DecisionCalendar | None = None
) -> tuple[RecentDecision, ...]:
    """Each country's newest policy-rate value (one announced ahead first) and its
    change from the one before (a held decision: 0), with its bank's decision days."""
    found = []
    for country in view.countries:
        series = view.get(country, POLICY_RATE)
        valued = [p for p in (*series.points, *series.announced) if p.value is not None]
        if not valued:
            continue
        newest = valued[-1]
        assert newest.value is not None
        before = valued[-2].value if len(valued) > 1 else None
        day = (
            date.fromisoformat(newest.period) if frequency(newest.period) is Frequency.DAY else None
        )
        change = None if before is None else newest.value - before
        scheduled = tuple(calendar.get(country, ())) if calendar is not None else ()
        found.append(RecentDecision(country, day, newest.released, newest.value, change, scheduled))
    return tuple(found)


#: How far ahead of its effective day a decision is announced (NBK: the Friday before).
ANNOUNCED_AHEAD = timedelta(days=7)


def decisions_today_text(decisions: Sequence[RecentDecision], now: datetime) -> str:
    """What leads the status line on a decision day, each country's day taken in its
    bank's zone. On a day its calendar says the bank decides: ``NBK decision today:
    15.50% from 07 Dec, -0.50 pp`` once the decision is published (a decision taking
    effect within :data:`ANNOUNCED_AHEAD`; ``NBK decision today: 15.50%, -0.50 pp`` when
    it takes effect the same day), ``NBK decision today: not published yet`` before. On
    the day a decision takes effect without a calendar day: ``NBK rate 15.50% from today,
    -0.50 pp``. Several: joined by `` · ``; empty on a day without any."""
    said = []
    for d in decisions:
        today = local_today(d.country, now)
        bank = bank_name(d.country)
        fresh = d.day is not None and today <= d.day <= today + ANNOUNCED_AHEAD
        if today in d.scheduled:
            if not fresh:
                said.append(_("{bank} decision today: not published yet").format(bank=bank))
            elif d.day == today:
                said.append(
                    _("{bank} decision today: {decision}").format(
                        bank=bank, decision=_decision_words(d)
                    )
                )
            else:
                assert d.day is not None
                value = _("{value} from {day}").format(
                    value=value_text(POLICY_RATE, "%", d.value), day=day_month(d.day)
                )
                said.append(
                    _("{bank} decision today: {decision}").format(
                        bank=bank, decision=_decision_words(d, value)
                    )
                )
        elif d.day == today:
            value = _("{value} from today").format(value=value_text(POLICY_RATE, "%", d.value))
            said.append(
                _("{bank} rate {decision}").format(bank=bank, decision=_decision_words(d, value))
            )
    return " · ".join(said)


def _decision_words(d: RecentDecision, value: str = "") -> str:
    """``15.50%, -0.50 pp`` (``value``: the level as said, with its day)."""
    change = change_text(d.change)
    value = value or value_text(POLICY_RATE, "%", d.value)
    return f"{value}, {change}" if change else value
