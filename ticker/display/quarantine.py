"""A quarantined value and why, in the orientation the user looks at.

``TMT/USD 0.41979: +46.93% off the official peg of 1/3.50 = 0.28571``: the value, the
percentage and the reference are all in the pair as shown; the peg, which is published
per dollar, keeps its published form beside its inverse. The facts come from
:mod:`ticker.model.quarantine`; a reason with no facts (a migration's note) is shown as
stored.
"""

from __future__ import annotations

from decimal import Decimal

from ticker.display.format import format_percent, format_rate
from ticker.i18n.numbers import localised
from ticker.i18n.words import _
from ticker.model.pairs import Pair, convert, percent_change
from ticker.model.quarantine import HeldKind, HeldReason, decode
from ticker.model.records import Quarantined


def _allowed(reason: HeldReason) -> str:
    if reason.allowed is None:
        return ""
    allowed = localised(f"{format(reason.allowed, 'f')}%")
    return " " + _("(more than the {allowed} allowed)").format(allowed=allowed)


def held_value(held: Quarantined, pair: Pair, digits: int) -> str:
    """The held value in ``pair``: ``0.41979``."""
    return format_rate(convert(held.observation.rate, pair), digits)


def held_reason(held: Quarantined, pair: Pair, digits: int) -> str:
    """Why ``held`` was quarantined, in ``pair``'s orientation (the pair of its currency
    as shown: ``TMT/USD`` or ``USD/TMT``)."""
    reason = decode(held.reason)
    if reason is None:
        return held.reason
    if reason.kind is HeldKind.IMPLAUSIBLE:
        if reason.band is None:
            return held.reason
        lo, hi = sorted(convert(edge, pair) for edge in reason.band)
        return _("outside the plausible {low} to {high} for {pair}").format(
            low=format_rate(lo, 2, 0), high=format_rate(hi, 2, 0), pair=pair
        )
    canonical = held.previous_rate if held.previous_rate is not None else reason.reference
    if canonical is None or canonical == 0:
        return held.reason
    value, reference = convert(held.observation.rate, pair), convert(canonical, pair)
    off = format_percent(percent_change(reference, value))
    shown = _reference(canonical, reference, pair, digits, reason.kind is HeldKind.PEG)
    if reason.kind is HeldKind.PEG:
        said = _("{off} off the official peg of {reference}").format(off=off, reference=shown)
    elif reason.kind is HeldKind.MOVE:
        said = _("moved {off} from {reference}").format(off=off, reference=shown)
    elif reason.source:
        said = _("{off} from {source}'s {reference} at first sight").format(
            off=off, source=reason.source, reference=shown
        )
    else:
        said = _("{off} from another source's {reference} at first sight").format(
            off=off, reference=shown
        )
    return said + _allowed(reason)


def _reference(canonical: Decimal, reference: Decimal, pair: Pair, digits: int, peg: bool) -> str:
    """The reference in ``pair``; a peg turned around also says its published form."""
    shown = format_rate(reference, digits)
    if pair.base == pair.canonical.base:
        return shown
    return f"1/{localised(format(canonical, 'f'))} = {shown}" if peg else shown


def held_line(held: Quarantined, pair: Pair, digits: int) -> str:
    """``TMT/USD 0.41979: +46.93% off the official peg of 1/3.50 = 0.28571 ...``"""
    return f"{pair} {held_value(held, pair, digits)}: {held_reason(held, pair, digits)}"
