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
from ticker.display.format import format_change, format_percent, own_decimals
from ticker.i18n.dates import day_month_year, month_year
from ticker.i18n.numbers import localised
from ticker.i18n.words import N_, _
from ticker.model.monetary import (
    Decision,
    Frequency,
    MonetarySeries,
    RealRate,
    frequency,
    last_decision,
    period_start,
)

#: A value the source publishes as missing, or nothing stored yet (said through ``_()``).
NOT_AVAILABLE = N_("n/a")
#: No enabled source gives the series for the country (said through ``_()``).
NO_SOURCE = N_("no source")

_RATES = (POLICY_RATE, POLICY_CORRIDOR_LOW, POLICY_CORRIDOR_HIGH)


def _decimals(series: str, value: Decimal) -> int:
    if series in _RATES:
        return 2
    return min(max(own_decimals(value), 1), 2)


def value_text(series: str, unit: str, value: Decimal | None) -> str:
    """``16.50%``, ``12.6%``, ``-0.3%``, ``$45.2bn``, ``$312m``, ``102.4`` (an index);
    ``n/a`` for None."""
    if value is None:
        return _(NOT_AVAILABLE)
    if unit.startswith("%"):
        return localised(f"{value:.{_decimals(series, value)}f}%")
    if unit == "USD m":
        return usd_millions(value)
    return localised(f"{value:,.1f}")


def usd_millions(value: Decimal) -> str:
    """Millions of dollars, compact: ``$45.2bn``, ``$312m``, ``$1.5m``, ``-$40m``
    (Russian ``45,2 млрд $``)."""
    sign = localised("-0")[:-1] if value < 0 else ""
    size = abs(value)
    if size >= 1000:
        return _("{sign}${amount}bn").format(sign=sign, amount=localised(f"{size / 1000:.1f}"))
    if size >= 10:
        return _("{sign}${amount}m").format(sign=sign, amount=localised(f"{size:.0f}"))
    return _("{sign}${amount}m").format(sign=sign, amount=localised(f"{size:.1f}"))


def change_text(change: Decimal | None) -> str:
    """A change of a percentage in points: ``+0.50 pp``, ``-1.00 pp``, ``0.00 pp``; empty
    when there is nothing to compare with."""
    return "" if change is None else _("{change} pp").format(change=format_change(change, 2))


def period_text(period: str, short: bool = False) -> str:
    """A period at its own frequency: ``10 Oct 2026`` (a decision day; ``10 Oct 26``
    short: a decision can be years old, and a month's short form has its year too),
    ``Oct 2026`` (a month; ``Oct 26`` short), ``Q3 2026``, ``2026``."""
    kind = frequency(period)
    start = period_start(period)
    if kind is Frequency.DAY:
        return day_month_year(start, short=short)
    if kind is Frequency.MONTH:
        return month_year(start, short=short)
    if kind is Frequency.QUARTER:
        year = f"{start:%y}" if short else str(start.year)
        return _("Q{quarter} {year}").format(quarter=period[6], year=year)
    return period


def latest_text(series: MonetarySeries, short: bool = False) -> str:
    """The latest value with its period: ``12.6% Oct 2026``; ``n/a`` or ``no source``."""
    if not series.covered:
        return _(NO_SOURCE)
    latest = series.latest
    if latest is None:
        return _(NOT_AVAILABLE)
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
        return _(NO_SOURCE)
    decision = last_decision(series)
    if decision is None and not series.announced:
        return _(NOT_AVAILABLE)
    text = decision_words(series.series, decision, short) if decision else _(NOT_AVAILABLE)
    if series.announced and not short:
        text += "; " + announced_text(series)
    return text


def announced_text(series: MonetarySeries) -> str:
    """The newest decision announced ahead: ``15.50% from 07 Dec 2026``; empty for none."""
    if not series.announced:
        return ""
    ahead = series.announced[-1]
    value = value_text(series.series, "%", ahead.value)
    return _("{value} from {day}").format(value=value, day=period_text(ahead.period))


def decision_words(series: str, decision: Decision, short: bool = False) -> str:
    value = value_text(series, "%", decision.value)
    when = period_text(decision.period, short)
    if short:
        change = "" if decision.change is None else f" {format_change(decision.change, 2)}"
        return f"{value} {when}{change}"
    change = change_text(decision.change)
    if change:
        return _("{value} since {day}, {change}").format(value=value, day=when, change=change)
    return _("{value} since {day}").format(value=value, day=when)


def real_rate_text(real: RealRate) -> str:
    """``real rate 4.40% (policy 17.00% minus CPI 12.6% y/y, Oct 2026)``."""
    policy = value_text(POLICY_RATE, "%", real.policy.value)
    prices = value_text("cpi-yoy", "%", real.inflation.value)
    value = format_percent(real.value)
    return _("real rate {value} (policy {policy} minus CPI {inflation} y/y, {period})").format(
        value=value, policy=policy, inflation=prices, period=period_text(real.inflation.period)
    )
