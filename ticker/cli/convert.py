"""``ticker convert AMOUNT FROM TO``: an amount through each side's official rate against
the dollar, from the store (no network)."""

from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal, InvalidOperation

from ticker.cli.exits import EXIT_OK, EXIT_PARTIAL
from ticker.errors import UsageError

#: ``10000``, ``10,000``, ``0.5``, ``12,194.21``: ASCII digits, commas only between groups.
_AMOUNT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
#: The largest amount converted (a bigger one is a typing slip, not an amount of money).
LARGEST = Decimal("1e15")


def convert_command(args: argparse.Namespace) -> int:
    from ticker.config import load_settings
    from ticker.core.clock import clock_from_env
    from ticker.core.conversion import convert
    from ticker.display.conversion import conversion_line, conversion_record
    from ticker.display.views import exact_json
    from ticker.storage.reader import opened_reads, store_exists

    settings = load_settings(getattr(args, "config", None))
    amount = parse_amount(args.amount)
    source, target = currency(args.source, "FROM"), currency(args.target, "TO")
    if source == target:
        raise UsageError(f"FROM and TO are the same currency ({source})")
    clock = clock_from_env()
    done = None
    if store_exists(settings):
        with opened_reads(settings) as reads:
            done = convert(reads, settings, amount, source, target, clock())
    if done is None or done.conversion is None:
        wanted = done.missing if done is not None else [c for c in (source, target) if c != "USD"]
        print(
            f"ticker: no {' or '.join(wanted)} rate stored yet; run 'ticker poll' "
            "(or 'ticker collect') first",
            file=sys.stderr,
        )
        return EXIT_PARTIAL
    if args.json:
        print(exact_json(conversion_record(done.conversion, done.legs)))
    else:
        digits = settings.display.significant_digits
        print(conversion_line(done.conversion, done.legs, digits))
    return EXIT_OK


def parse_amount(text: str) -> Decimal:
    plain = text.strip()
    if not plain.isascii() or len(plain) > 40 or not _AMOUNT.fullmatch(plain):
        raise UsageError(f"AMOUNT: expected a number like 10000, 10,000 or 0.5, got {text!r}")
    try:
        amount = Decimal(plain.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise UsageError(f"AMOUNT: expected a number, got {text!r}") from None
    if not 0 < amount <= LARGEST:
        raise UsageError(f"AMOUNT: expected more than 0 and at most 10^15, got {text!r}")
    return amount


def currency(text: str, what: str) -> str:
    from ticker.model.conversion import CURRENCIES

    code = text.strip().upper()
    if code not in CURRENCIES:
        raise UsageError(f"{what}: expected one of {', '.join(CURRENCIES)}, got {text!r}")
    return code
