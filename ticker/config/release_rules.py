"""A release rule's own keys in ``[[alerts]]`` (the kind ``release``: a new value of a
country's monetary series, :mod:`ticker.model.monetary`):

* ``country``: ISO2 or ISO3 (``KZ``, ``KAZ``), in the place of a rate rule's ``pair``;
* ``series``: a series' code or a word for it (``policy-rate``, ``cpi``, ``reserves``);
* ``direction``: ``changed`` (the default: every new value), ``above`` or ``below``;
* ``value``: the level of an ``above``/``below`` rule, in the series' unit (any number: a
  CPI month on month may be negative); required with those, refused with ``changed``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ticker.config.reader import MISSING, Reader
from ticker.i18n.words import _
from ticker.model.rules import KINDS, AlertKind, Direction
from ticker.model.text import Unexpected

#: The largest level a release rule may have, either way from zero.
LEVEL_MAX = Decimal(10**9)


def release_fields(r: Reader, t: dict[str, Any], path: str) -> dict[str, Any]:
    """A release rule's country, series, direction and level, checked."""
    from ticker.model.monetary import parse_country, parse_series

    country_text = r.string(t["country"], f"{path}.country")
    try:
        country = parse_country(country_text)
    except Unexpected as err:
        r.fail(f"{path}.country", err.expected, country_text)
    series_text = r.string(t["series"], f"{path}.series")
    try:
        series = parse_series(series_text)
    except Unexpected as err:
        r.fail(f"{path}.series", err.expected, series_text)
    directions = KINDS[AlertKind.RELEASE].directions
    direction = Direction.CHANGED
    if "direction" in t:
        direction = Direction(r.choice(t["direction"], f"{path}.direction", directions))
    fields: dict[str, Any] = {"country": country, "series": series, "direction": direction}
    if direction is Direction.CHANGED:
        if "value" in t:
            expected = _("no level for a release rule on every new value (direction changed)")
            r.fail(f"{path}.value", expected, t["value"])
        return fields
    if "value" not in t:
        expected = _("a level (required for a release rule {direction})").format(
            direction=direction
        )
        r.fail(f"{path}.value", expected, MISSING)
    fields["value"] = r.decimal(t["value"], f"{path}.value", -LEVEL_MAX, LEVEL_MAX)
    return fields
