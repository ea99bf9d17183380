"""Checks of arguments several commands take: dates, providers, pairs."""

from __future__ import annotations

import argparse
from datetime import date

from ticker.errors import UsageError


def parse_date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option}: expected a date like 2026-01-31, got {text!r}") from None


def date_range(args: argparse.Namespace) -> tuple[date | None, date | None]:
    since = parse_date(args.since, "--since")
    until = parse_date(args.until, "--until")
    if since is not None and until is not None and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    return since, until


def checked_providers(names: list[str] | None, kind: str | None = "rates") -> list[str] | None:
    """The ``--provider`` names, checked: of ``kind`` (``rates``, ``indicators``, or
    None for any)."""
    from ticker.config import PROVIDERS

    if not names:
        return None
    allowed = [n for n, spec in PROVIDERS.items() if kind is None or spec.kind == kind]
    if kind != "indicators" and any(name not in PROVIDERS for name in names):
        from providers.registry import registered  # a third-party rate source

        allowed += [n for n in registered() if n not in PROVIDERS]
    chosen: list[str] = []
    for name in names:
        if name not in allowed:
            other = PROVIDERS[name].kind if name in PROVIDERS else ""
            note = f" (an {other} source)" if other == "indicators" else ""
            note = f" (a {other} source)" if other == "rates" else note
            raise UsageError(
                f"--provider: expected one of {', '.join(allowed)}, got {name!r}{note}"
            )
        if name not in chosen:
            chosen.append(name)
    return chosen


def checked_pairs(codes: list[str] | None) -> list[str] | None:
    from ticker.model.pairs import parse_pair

    if not codes:
        return None
    locals_: list[str] = []
    for code in codes:
        try:
            local = parse_pair(code).local
        except ValueError as err:
            raise UsageError(f"--pair: {err}") from None
        if local not in locals_:
            locals_.append(local)
    return locals_
