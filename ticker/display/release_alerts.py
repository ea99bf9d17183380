"""A release rule in words (a new value of a country's monetary series: the ``release``
kind, :mod:`ticker.core.alerts.releases`): its condition (``policy-rate changed``,
``cpi-yoy above 10``) and what a new value says (``NBK policy rate 17.00% from 10 Oct
2026 (+0.50 pp)``, ``NBK policy rate held at 16.50% on 10 Oct 2026``, ``IMF CPI y/y 12.6%
in Oct 2026 (+0.30 pp)``). The values and periods are said by :mod:`ticker.display.monetary`.
"""

from __future__ import annotations

from decimal import Decimal

from providers.monetary_records import SERIES
from ticker.display.format import format_change
from ticker.display.monetary import change_text, period_text, usd_millions, value_text
from ticker.display.names import bank_word, series_name
from ticker.i18n.numbers import localised
from ticker.i18n.words import N_, _
from ticker.model.monetary import Frequency, MonetaryPoint, frequency
from ticker.model.rules import AlertRuleConfig, Direction

#: The series' units (:data:`providers.monetary_records.SERIES`), as a person reads them.
UNIT_WORDS: dict[str, str] = {
    "% a year": N_("% a year"),
    "% y/y": N_("% y/y"),
    "% m/m": N_("% m/m"),
    "USD m": N_("USD m"),
    "index": N_("index"),
}


def unit_word(unit: str) -> str:
    """A series' unit in the user's language (``% г/г``); one not known as given."""
    said = UNIT_WORDS.get(unit)
    return _(said) if said is not None else unit


def release_condition(rule: AlertRuleConfig, english: bool = False) -> str:
    """``changed`` (every new value), ``above 10``, ``below -0.5``: what the rule waits
    for, as the command line writes it; ``english``: whatever the language (JSON)."""
    if rule.direction in (Direction.ABOVE, Direction.BELOW) and rule.value is not None:
        level = format(rule.value.normalize(), "f")
        if english:
            return f"{rule.direction} {level}"
        phrase = N_("above {value}") if rule.direction == Direction.ABOVE else N_("below {value}")
        return _(phrase).format(value=localised(level))
    return "changed" if english else _("changed")


def source_word(source: str) -> str:
    """The publisher's short name: ``nbk-data`` -> ``NBK`` (``НБК``), ``imf-sdmx`` ->
    ``IMF``."""
    return bank_word(source.split("-", 1)[0].upper())


def series_words(series: str) -> str:
    """The series' name inside a sentence: ``policy rate``, ``CPI y/y``, ``reserves``."""
    name = series_name(series)
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def difference_text(series: str, change: Decimal) -> str:
    """A change between two values in the series' unit: ``+0.50 pp``, ``-$1.2bn``,
    ``+0.4`` (an index)."""
    unit = SERIES[series]
    if unit.startswith("%"):
        return change_text(change)
    if unit == "USD m":
        return ("+" if change > 0 else "") + usd_millions(change)
    return format_change(change, 1)


def release_text(
    series: str, source: str, latest: MonetaryPoint, previous: MonetaryPoint | None
) -> str:
    """What a new value says: ``NBK policy rate 17.00% from 10 Oct 2026 (+0.50 pp)``;
    a decision that held, ``NBK policy rate held at 16.50% on 10 Oct 2026``; a month's
    value, ``IMF CPI y/y 12.6% in Oct 2026 (+0.30 pp)`` (``(unchanged)`` when equal)."""
    assert latest.value is not None
    said_by = {"source": source_word(source), "series": series_words(series)}
    value = value_text(series, SERIES[series], latest.value)
    when = period_text(latest.period)
    before = previous.value if previous is not None else None
    change = None if before is None else latest.value - before
    if frequency(latest.period) is Frequency.DAY:
        if change == 0:
            return _("{source} {series} held at {value} on {day}").format(
                **said_by, value=value, day=when
            )
        said = _("{source} {series} {value} from {day}").format(**said_by, value=value, day=when)
    else:
        said = _("{source} {series} {value} in {period}").format(
            **said_by, value=value, period=when
        )
    if change is None:
        return said
    change_said = _("unchanged") if change == 0 else difference_text(series, change)
    return _("{release} ({change})").format(release=said, change=change_said)


def level_text(series: str, value: Decimal) -> str:
    """A level in the series' unit, said: ``reserves in USD m: 50 = $50m``, ``cpi-yoy in
    % y/y: 10 = 10.0%`` (a level is never scaled: 50 of reserves is $50m)."""
    unit = SERIES[series]
    return _("{series} in {unit}: {level} = {value}").format(
        series=series,
        unit=unit_word(unit),
        level=localised(format(value, "f")),
        value=value_text(series, unit, value),
    )


def unsourced_text(country: str, series: str, routed: tuple[str, ...] = ()) -> str:
    """A release rule no enabled source feeds: ``no enabled source gives KAZ's CPI m/m:
    this rule fires only once one does``; ``routed``: the sources that would, when
    enabled and asked for the series (``indicators`` of ``[providers.NAME]``)."""
    if routed:
        return _(
            "no enabled source gives {country}'s {series} ({sources} does, enabled with "
            "{code} in its indicators): this rule fires only once one does"
        ).format(
            country=country,
            series=series_words(series),
            sources=_(" or ").join(routed),
            code=series,
        )
    return _(
        "no enabled source gives {country}'s {series}: this rule fires only once one does"
    ).format(country=country, series=series_words(series))


def far_level_text(country: str, series: str, latest: Decimal, level: Decimal) -> str:
    """A level far (10x or more) from the series' latest value, most likely written in
    another unit: ``KAZ's reserves: $61.8bn now (61800 in USD m), far from 50 ($50m); a
    level is in the series' unit, USD m``."""
    unit = SERIES[series]
    now = value_text(series, unit, latest)
    return _(
        "{country}'s {series}: {now} now ({latest} in {unit}), far from {level} ({said}); "
        "a level is in the series' unit, {unit}"
    ).format(
        country=country,
        series=series_words(series),
        now=now,
        latest=localised(format(latest, "f")),
        unit=unit_word(unit),
        level=localised(format(level, "f")),
        said=value_text(series, unit, level),
    )
