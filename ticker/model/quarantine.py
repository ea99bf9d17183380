"""Why a value was quarantined, as facts rather than a sentence.

A sentence is worded in one orientation, and the user may look at the pair in the other:
``-31.94% off the official peg of 3.50`` is USD/TMT's way of saying TMT/USD's ``+46.9%``
from ``0.285714``. So the store keeps the facts (the kind of check, the percentage it
allowed, the other source, the plausible band) as a small JSON object in the ``reason``
column, beside the reference value it already keeps in ``previous_rate`` (canonical
``USD/local``, like every stored rate); the words are made at display time, in the
orientation shown (:mod:`ticker.display.quarantine`).

Reasons stored by older versions are sentences in ``USD/local``: :func:`decode` reads
the ones it recognises back into facts, and anything else is shown as it was stored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum


class HeldKind(StrEnum):
    """Which sanity check held the value."""

    IMPLAUSIBLE = "implausible"
    """Outside the currency's plausible band (``band``)."""
    PEG = "peg"
    """Too far from the official peg (the reference)."""
    MOVE = "move"
    """Moved too far from the same provider's previous value (the reference)."""
    FIRST_SIGHT = "first-sight"
    """A provider's first value, too far from every other source's (``source``'s is the
    reference)."""
    OFFICIAL = "official"
    """A market quote too far from the official rate (the held quote's reference)."""


@dataclass(frozen=True, slots=True)
class HeldReason:
    kind: HeldKind
    allowed: Decimal | None = None
    """The percentage the check allows (``[sanity] max_move`` or ``peg_tolerance``)."""
    source: str | None = None
    """``first-sight``: the other source the value was compared with."""
    band: tuple[Decimal, Decimal] | None = None
    """``implausible``: the band, in units of local currency per USD."""
    reference: Decimal | None = None
    """Only for a sentence of an older version that names its reference while the row
    keeps none; otherwise the reference is the row's ``previous_rate``."""


def encode(reason: HeldReason) -> str:
    """The reason as the store keeps it: ``{"kind": "peg", "allowed": "2"}``."""
    facts: dict[str, object] = {"kind": str(reason.kind)}
    if reason.allowed is not None:
        facts["allowed"] = format(reason.allowed, "f")
    if reason.source is not None:
        facts["source"] = reason.source
    if reason.band is not None:
        facts["band"] = [format(reason.band[0], "f"), format(reason.band[1], "f")]
    return json.dumps(facts, separators=(",", ":"))


def _number(text: object) -> Decimal | None:
    if not isinstance(text, str):
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _from_json(text: str) -> HeldReason | None:
    try:
        facts = json.loads(text)
    except ValueError:
        return None
    if not isinstance(facts, dict) or facts.get("kind") not in set(HeldKind):
        return None
    band = facts.get("band")
    lo_hi = None
    if isinstance(band, list) and len(band) == 2:
        lo, hi = _number(band[0]), _number(band[1])
        lo_hi = (lo, hi) if lo is not None and hi is not None else None
    source = facts.get("source")
    return HeldReason(
        HeldKind(facts["kind"]),
        _number(facts.get("allowed")),
        source if isinstance(source, str) else None,
        lo_hi,
    )


_ALLOWED = r"(?: \(more than the (?P<allowed>[0-9.]+)% allowed\))?"
_NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)?"
#: The sentences older versions stored, all in ``USD/local``.
_LEGACY: list[tuple[HeldKind, re.Pattern[str]]] = [
    (HeldKind.PEG, re.compile(rf"[+-]?{_NUMBER}% off the official peg of (?P<ref>{_NUMBER})"
                              rf"{_ALLOWED}")),
    (HeldKind.MOVE, re.compile(rf"moved [+-]?{_NUMBER}% from (?P<ref>{_NUMBER}){_ALLOWED}")),
    (HeldKind.FIRST_SIGHT, re.compile(rf"[+-]?{_NUMBER}% from (?P<source>[a-z0-9_-]+)'s "
                                      rf"(?P<ref>{_NUMBER}) at first sight{_ALLOWED}")),
    (HeldKind.IMPLAUSIBLE, re.compile(rf"\S+ [A-Z]{{3}} per USD is outside the plausible "
                                      rf"(?P<lo>{_NUMBER})-(?P<hi>{_NUMBER}) for [A-Z]{{3}}")),
]  # fmt: skip


def _from_sentence(text: str) -> HeldReason | None:
    for kind, pattern in _LEGACY:
        match = pattern.fullmatch(text.strip())
        if match is None:
            continue
        found = match.groupdict()
        band = None
        if kind is HeldKind.IMPLAUSIBLE:
            lo, hi = _number(found["lo"]), _number(found["hi"])
            if lo is None or hi is None:
                return None
            band = (lo, hi)
        return HeldReason(
            kind, _number(found.get("allowed")), found.get("source"), band,
            _number(found.get("ref")),
        )  # fmt: skip
    return None


def decode(text: str) -> HeldReason | None:
    """The facts of a stored reason; None for a reason that is only words (a migration's
    note, a sentence this version does not recognise): it is shown as stored."""
    return _from_json(text) if text.startswith("{") else _from_sentence(text)
