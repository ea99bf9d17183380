"""A conversion in words: ``10,000 KZT = 1,688.19 KGS via USD: NBK 01 Dec, NBKR 02 Dec``."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ticker.display.format import format_rate, json_decimal
from ticker.display.names import bank_word
from ticker.display.states import is_ok, state_json, state_text
from ticker.i18n.dates import day_month
from ticker.i18n.numbers import localised
from ticker.i18n.words import _
from ticker.model.conversion import Conversion
from ticker.model.routing import PairView


def amount_text(value: Any) -> str:
    """An amount as given, with thousands separators, no exponent and no trailing zeros:
    ``10,000``, ``1.5`` for ``1.500`` (``10 000``, ``1,5`` in Russian: never ``1,500``,
    which reads two ways there)."""
    if isinstance(value, Decimal) and value.is_finite():
        value = Decimal(json_decimal(value))
    return localised(format(value, ",f"))


def _leg_day(v: PairView) -> str:
    """``NBK KZT/USD 01 Dec`` (``НБК KZT/USD 01 дек.``)."""
    return f"{bank_word(v.provider.upper())} {v.pair} {day_month(v.as_of)}"


def conversion_line(
    conversion: Conversion, legs: Sequence[PairView], significant: int, via: str | None = None
) -> str:
    """The result by significant digits, the sources and dates of each side's rate, and
    the state of any side that is not ok. ``via``: two foreign currencies went through
    this local one (``via KGS: NBKR RUB/KGS 25 Nov, NBKR EUR/KGS 25 Nov``)."""
    c = conversion
    text = f"{amount_text(c.amount)} {c.source} = {format_rate(c.result, significant)} {c.target}"
    if via is not None:
        from ticker.display.views import via_text

        shown = [
            f"{v.pair} {via_text(v)}"
            if v.is_cross
            else _leg_day(v) + ("" if is_ok(v) else f" ({state_text(v)})")
            for v in legs
        ]
        return _("{conversion} via {currency}: {legs}").format(
            conversion=text, currency=via, legs=", ".join(shown)
        )
    if len(legs) == 1 and not legs[0].pair.is_usd:  # the pair's own rate
        v = legs[0]
        if v.is_cross:
            from ticker.display.views import via_text

            return f"{text} {via_text(v)}"
        said = _("{leg}, direct").format(leg=_leg_day(v))
        return f"{text}: {said}" + ("" if is_ok(v) else f" ({state_text(v)})")
    sources = []
    for v in legs:
        name = bank_word(v.provider.upper()) + ("×" if v.derived else "")
        source = f"{name} {day_month(v.as_of)}"
        if not is_ok(v):
            source += f" ({state_text(v)})"
        sources.append(source)
    if len(legs) == 2:
        text = _("{conversion} via USD").format(conversion=text)
    return f"{text}: {', '.join(sources)}" if sources else text


def conversion_record(
    conversion: Conversion, legs: Sequence[PairView], via: str | None = None
) -> dict[str, Any]:
    """The same as JSON values (Decimals stay exact: see ``views.exact_json``); ``via``:
    the local currency two foreign ones went through (only then in the record)."""
    c = conversion
    extra = {} if via is None else {"via": via}
    return {
        "amount": c.amount,
        "from": c.source,
        "to": c.target,
        "result": c.result,
        "rate": c.rate,
        "legs": [
            {
                "pair": str(v.pair),
                "rate": v.rate,
                "as_of": v.as_of.isoformat(),
                "provider": v.provider,
                "derived": v.derived,
                "direct": not v.is_cross,
                "state": state_json(v),
            }
            for v in legs
        ],
        **extra,
    }
