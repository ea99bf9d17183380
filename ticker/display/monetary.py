"""The monetary series in words, shared by the CLI and the dashboard: a policy rate or an
inflation print as a percentage, reserves and remittances as dollar amounts, periods at
their own frequency, the last decision and its change, the real rate.

A percentage keeps the digits its source published, with at least one decimal and at most
two (NBK's ``16.5`` is ``16.50%``: a policy rate is said to the basis point; a CPI print of
``12.6`` stays ``12.6%``). A change of a percentage is in percentage points (``+0.50 pp``;
a decision that held is ``0.00 pp``). Missing is ``n/a``, a series no enabled source gives
for a country is ``no source``.
"""

from __future__ import annotations

from decimal import Decimal

from providers.monetary_records import POLICY_CORRIDOR_HIGH, POLICY_CORRIDOR_LOW, POLICY_RATE
from ticker.display.format import format_change, own_decimals
from ticker.model.monetary import (
    Decision,
    Frequency,
    MonetarySeries,
    RealRate,
    frequency,
    last_decision,
    period_start,
)

#: A value the source publishes as missing, or nothing stored yet.
NOT_AVAILABLE = "n/a"
#: No enabled source gives the series for the country.
NO_SOURCE = "no source"

_RATES = (POLICY_RATE, POLICY_CORRIDOR_LOW, POLICY_CORRIDOR_HIGH)


def _decimals(series: str, value: Decimal) -> int:
    if series in _RATES:
        return 2
    return min(max(own_decimals(value), 1), 2)


def value_text(series: str, unit: str, value: Decimal | None) -> str:
    """``16.50%``, ``12.6%``, ``-0.3%``, ``$45.2bn``, ``$312m``, ``102.4`` (an index);
    ``n/a`` for None."""
    if value is None:
        return NOT_AVAILABLE
    if unit.startswith("%"):
        return f"{value:.{_decimals(series, value)}f}%"
    if unit == "USD m":
        return usd_millions(value)
    return f"{value:,.1f}"


def usd_millions(value: Decimal) -> str:
    """Millions of dollars, compact: ``$45.2bn``, ``$312m``, ``$1.5m``, ``-$40m``."""
    sign = "-" if value < 0 else ""
    size = abs(value)
    if size >= 1000:
        return f"{sign}${size / 1000:.1f}bn"
    if size >= 10:
        return f"{sign}${size:.0f}m"
    return f"{sign}${size:.1f}m"


def change_text(change: Decimal | None) -> str:
    """A change of a percentage in points: ``+0.50 pp``, ``-1.00 pp``, ``0.00 pp``; empty
    when there is nothing to compare with."""
    return "" if change is None else f"{format_change(change, 2)} pp"


def period_text(period: str, short: bool = False) -> str:
    """A period at its own frequency: ``10 Oct 2026`` (a decision day; ``10 Oct 26``
    short: a decision can be years old, and a month's short form has its year too),
    ``Oct 2026`` (a month; ``Oct 26`` short), ``Q3 2026``, ``2026``."""
    kind = frequency(period)
    start = period_start(period)
    if kind is Frequency.DAY:
        return start.strftime("%d %b %y" if short else "%d %b %Y")
    if kind is Frequency.MONTH:
        return start.strftime("%b %y" if short else "%b %Y")
    if kind is Frequency.QUARTER:
        return f"Q{period[6]} {start:%y}" if short else f"Q{period[6]} {start.year}"
    return period


def latest_text(series: MonetarySeries, short: bool = False) -> str:
    """The latest value with its period: ``12.6% Oct 2026``; ``n/a`` or ``no source``."""
    if not series.covered:
        return NO_SOURCE
    latest = series.latest
    if latest is None:
        return NOT_AVAILABLE
    value = value_text(series.series, series.unit, latest.value)
    return f"{value} {period_text(latest.period, short)}"


#: The series whose cell says the last decision (the level, when it took effect, the
#: change); every other series says its latest value and period.
DECIDED = _RATES


def cell_text(series: MonetarySeries, short: bool = False) -> str:
    """One cell of the monitor (the CLI's table, the dashboard's panel): a decided series
    its last decision (``17.00% since 10 Oct 2026, +0.50 pp``; ``17.00% 10 Oct 26 +0.50``
    short), any other its latest value and period (``12.6% Oct 2026``); ``n/a`` or ``no
    source``."""
    if series.series in DECIDED:
        return decision_text(series, short)
    return latest_text(series, short)


def decision_text(series: MonetarySeries, short: bool = False) -> str:
    """A policy rate with its last decision: ``17.00% since 10 Oct 2026, +0.50 pp``
    (``17.00% 10 Oct 26 +0.50`` short); a monthly series says the month the level began.
    A decision announced ahead is said after the rate in force (long form only:
    ``16.00% since 07 Sep 2026, -0.50 pp; 15.50% from 07 Dec 2026``)."""
    if not series.covered:
        return NO_SOURCE
    decision = last_decision(series)
    if decision is None and not series.announced:
        return NOT_AVAILABLE
    text = decision_words(series.series, decision, short) if decision else NOT_AVAILABLE
    if series.announced and not short:
        text += "; " + announced_text(series)
    return text


def announced_text(series: MonetarySeries) -> str:
    """The newest decision announced ahead: ``15.50% from 07 Dec 2026``; empty for none."""
    if not series.announced:
        return ""
    ahead = series.announced[-1]
    value = value_text(series.series, "%", ahead.value)
    return f"{value} from {period_text(ahead.period)}"


def decision_words(series: str, decision: Decision, short: bool = False) -> str:
    value = value_text(series, "%", decision.value)
    when = period_text(decision.period, short)
    if short:
        change = "" if decision.change is None else f" {format_change(decision.change, 2)}"
        return f"{value} {when}{change}"
    change = change_text(decision.change)
    return f"{value} since {when}" + (f", {change}" if change else "")


def real_rate_text(real: RealRate) -> str:
    """``real rate 4.40% (policy 17.00% minus CPI 12.6% y/y, Oct 2026)``."""
    policy = value_text(POLICY_RATE, "%", real.policy.value)
    prices = value_text("cpi-yoy", "%", real.inflation.value)
    value = format_change(real.value, 2) if real.value else "0.00"
    return (
        f"real rate {value}% (policy {policy} minus CPI {prices} y/y, "
        f"{period_text(real.inflation.period)})"
    )
