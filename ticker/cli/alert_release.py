"""Release rules on the command line: ``alerts add KZ policy-rate changed``, ``alerts add
UZ cpi above 10``: a country (ISO2 or ISO3) where a rate rule has its pair, a series
(:func:`ticker.model.monetary.parse_series`: a code or a word for one) where it has its
kind, then ``changed`` (every new value), or ``above``/``below`` and a level."""

from __future__ import annotations

import argparse

from ticker.config.reader import shown
from ticker.errors import UsageError
from ticker.model.rules import KINDS, AlertKind

#: How a release rule is written, for messages.
RELEASE_FORM = (
    "COUNTRY SERIES changed, or COUNTRY SERIES above|below LEVEL: "
    "'KZ policy-rate changed', 'UZ cpi above 10'"
)


def release_entry(args: argparse.Namespace) -> dict[str, object] | None:
    """The ``[[alerts]]`` table of ``alerts add COUNTRY SERIES WHEN [LEVEL]``; None when
    KIND is a kind of rule on a rate (or no series: the rule's check names the kinds)."""
    from ticker.model.monetary import parse_series

    word = args.kind.strip().lower()
    if word == AlertKind.RELEASE:
        raise UsageError(f"KIND: a release rule is written {RELEASE_FORM}")
    if word in KINDS:
        return None
    try:
        series = parse_series(word)
    except ValueError:
        return None
    when = args.threshold.strip().lower()
    directions = KINDS[AlertKind.RELEASE].directions
    if when not in directions:
        raise UsageError(
            f"THRESHOLD: expected {', '.join(directions)} after the series, got "
            f"{shown(args.threshold)} ({RELEASE_FORM})"
        )
    if args.direction is not None:
        raise UsageError(f"--direction: a release rule's is the word after the series: {when}")
    entry: dict[str, object] = {
        "country": args.pair,
        "kind": AlertKind.RELEASE.value,
        "series": series,
        "direction": when,
    }
    if when == "changed":
        if args.level is not None:
            raise UsageError(
                f"PRICE: nothing after 'changed' (every new value fires), got {shown(args.level)}"
            )
    elif args.level is None:
        raise UsageError(f"PRICE: expected a level after {when!r} ({RELEASE_FORM})")
    else:
        entry["value"] = args.level.strip()
    return entry
