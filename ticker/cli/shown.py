"""The pairs ``rates`` and ``strip`` show, and their rates: the configured dollar pairs in
the display orientation (``--invert`` flips it), then the other ``[pairs] watch`` pairs as
written (``--invert`` turns them too), or the pairs of ``--pair``, each in the orientation
written (``--pair USD/KZT --pair KGS`` shows ``USD/KZT`` beside ``KGS/USD``; ``--pair
RUB/TJS`` any watched or unwatched pair with a local side).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ticker.cli.args import written_pairs

if TYPE_CHECKING:
    import argparse

    from ticker.config import Settings
    from ticker.model.pairs import Pair
    from ticker.model.periods import ChangePeriod
    from ticker.model.routing import PairView
    from ticker.storage.reads import ReadQueries


def shown_pairs(args: argparse.Namespace, settings: Settings) -> list[Pair]:
    """The pairs to show, in their order and orientation (``--pair``, ``--invert``)."""
    from ticker.model.pairs import pair_for

    orientation = settings.display.orientation
    if args.invert:
        orientation = orientation.flipped()
    written = written_pairs(args.pair, orientation)
    if written:
        return written
    others = [p.inverse if args.invert else p for p in settings.pairs.others]
    return [pair_for(local, orientation) for local in settings.display.pairs] + others


def current_views(
    reads: ReadQueries,
    settings: Settings,
    now: datetime,
    pairs: Sequence[Pair],
    period: ChangePeriod | None = None,
) -> list[PairView]:
    """The routed view of each of ``pairs`` that has a fixing stored, in their order and
    orientation, with its change over ``period`` (default: against the previous fixing):
    one reading of the rates per orientation among them."""
    from ticker.core.rates import current_rates
    from ticker.model.periods import ChangePeriod

    if any(not p.is_usd for p in pairs):  # all of them in one reading (the dollar's too)
        from ticker.core.pair_rates import pair_rates

        return pair_rates(reads, settings, pairs, now, period=period or ChangePeriod.DAY)
    found: dict[Pair, PairView] = {}
    for orientation in dict.fromkeys(p.orientation for p in pairs if p.is_usd):
        locals_ = tuple(
            dict.fromkeys(p.local for p in pairs if p.is_usd and p.orientation is orientation)
        )
        narrowed = settings
        if locals_ != settings.display.pairs:
            display = dataclasses.replace(settings.display, pairs=locals_)
            narrowed = dataclasses.replace(settings, display=display)
        for view in current_rates(
            reads, narrowed, now, orientation, period=period or ChangePeriod.DAY
        ):
            found[view.pair] = view
    return [found[p] for p in pairs if p in found]
