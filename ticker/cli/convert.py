"""``ticker convert AMOUNT FROM TO``: an amount at the pair's direct official rate where a
central bank publishes it (``100 RUB KGS``: NBKR's rouble rate), else through each side's
official rate against the dollar, from the store (no network). Any watched currency; two
foreign ones (``100 RUB EUR``) through a local bank that publishes both. ``--at market``:
what the best bank or office gives (:mod:`ticker.cli.convert_market`)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ticker.cli.context import Context
from ticker.cli.exits import EXIT_OK, EXIT_PARTIAL
from ticker.errors import UsageError
from ticker.i18n.words import _

if TYPE_CHECKING:
    import argparse


def convert_command(args: argparse.Namespace) -> int:
    from ticker.core.conversion import convert
    from ticker.display.conversion import conversion_line, conversion_record
    from ticker.display.views import exact_json
    from ticker.model.conversion import parse_amount, parse_currency, watched_currencies

    at = args.at.strip().lower()
    if at not in ("official", "market"):
        raise UsageError(_("--at: expected official or market, got {at}").format(at=repr(args.at)))
    if at == "market":
        from ticker.cli.convert_market import market_convert_command

        return market_convert_command(args)
    if args.channel is not None:
        raise UsageError(_("--channel: goes with --at market (the official rate has no channel)"))
    ctx = Context.of(args)
    settings = ctx.settings
    amount = parse_amount(args.amount)
    known = watched_currencies(settings.pairs.watch)
    source = parse_currency(args.source, "FROM", known)
    target = parse_currency(args.target, "TO", known)
    if source == target:
        raise UsageError(_("FROM and TO are the same currency ({source})").format(source=source))
    clock = ctx.clock
    done = None
    with ctx.stored_reads() as reads:
        if reads is not None:
            done = convert(reads, settings, amount, source, target, clock())
    if done is None or done.conversion is None:
        wanted = done.missing if done is not None else [c for c in (source, target) if c != "USD"]
        said = (
            _(
                "ticker: no {code} or {other} rate stored yet; run 'ticker poll' (or 'ticker "
                "collect') first"
            )
            if len(wanted) > 1
            else _(
                "ticker: no {code} rate stored yet; run 'ticker poll' (or 'ticker collect') first"
            )
        )
        print(said.format(code=wanted[0], other=", ".join(wanted[1:])), file=sys.stderr)
        return EXIT_PARTIAL
    if args.json:
        print(exact_json(conversion_record(done.conversion, done.legs, done.via)))
    else:
        digits = settings.display.significant_digits
        print(conversion_line(done.conversion, done.legs, digits, done.via))
    return EXIT_OK
