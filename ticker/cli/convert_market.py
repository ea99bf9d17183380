"""``ticker convert AMOUNT FROM TO --at market [--channel NAME]``: what the best current
bank or exchange office gives, from the store (no network), naming it, its channel and the
time it quoted, with the official conversion beside it.

Who meets which price: a customer changing the foreign currency into the local one
(``100 USD TJS``) *sells* it, and gets the institution's **buy** price (the best is the
highest); one changing the local currency into the foreign one (``1000 TJS USD``) *buys*
it and pays the **sell** price (the best is the lowest). A stale quote is never acted on.
No current quote: one line and exit 1, as a conversion without a stored rate (data not
there yet, not a mistake in the command).
"""

from __future__ import annotations

import argparse
import sys

from ticker.cli.context import Context
from ticker.cli.exits import EXIT_OK, EXIT_PARTIAL
from ticker.errors import UsageError


def market_convert_command(args: argparse.Namespace) -> int:
    from providers.market_quote import Channel, Side
    from ticker.core.market import market_view
    from ticker.display.conversion import amount_text
    from ticker.display.format import format_rate
    from ticker.display.market import channel_word, institution_text, quote_record
    from ticker.display.market_text import source_text
    from ticker.display.views import exact_json
    from ticker.model.conversion import parse_amount
    from ticker.model.market import local_time, parse_channel
    from ticker.model.pairs import KNOWN_CURRENCIES, is_local

    amount = parse_amount(args.amount)
    codes = []
    for text, what in ((args.source, "FROM"), (args.target, "TO")):
        code = text.strip().upper()
        if code not in KNOWN_CURRENCIES:
            raise UsageError(f"{what}: expected one of {', '.join(KNOWN_CURRENCIES)}, got {text!r}")
        codes.append(code)
    source, target = codes
    if is_local(source) == is_local(target):
        raise UsageError(
            f"--at market: one side is a local currency and the other a foreign one "
            f"(the boards quote USD/TJS), got {source} and {target}"
        )
    try:
        channel = parse_channel(args.channel) if args.channel is not None else Channel.CASH
    except ValueError as err:
        raise UsageError(f"--channel: {err}") from None
    foreign, local = (source, target) if is_local(target) else (target, source)
    side = Side.BUY if source == foreign else Side.SELL  # selling foreign: the bank buys
    pair = f"{foreign}/{local}"
    ctx = Context.of(args)
    now = ctx.now()
    view = None
    with ctx.stored_reads() as reads:
        if reads is not None:
            view = market_view(reads, now, [(foreign, local)], channel, reported=False)
    best = view.best(pair, side, channel, now) if view is not None else None
    if view is None or best is None:
        print(
            f"ticker: no current {channel_word(channel)} {pair} market quote stored; run "
            "'ticker poll --market' (or enable a market source for it in config.toml)",
            file=sys.stderr,
        )
        return EXIT_PARTIAL
    quote = next(
        q
        for q in view.quotes
        if (q.source, q.institution, q.base, q.quote, q.channel)
        == (best.source, best.institution, foreign, local, channel)
        and q.price(side) == best.price
    )
    result = amount * best.price if side is Side.BUY else amount / best.price
    official = view.official.get(pair)
    official_result = None
    if official is not None:
        official_result = amount * official if side is Side.BUY else amount / official
    official_source = view.official_sources.get(pair)
    if args.json:
        record = {
            "amount": amount,
            "from": source,
            "to": target,
            "at": "market",
            "side": side.value,
            "price": best.price,
            "result": result,
            **{k: v for k, v in quote_record(quote).items() if k not in ("buy", "sell")},
            "official_rate": official,
            "official_source": official_source,
            "official_result": official_result,
        }
        print(exact_json(record))
        return EXIT_OK
    digits = ctx.settings.display.significant_digits
    when = local_time(quote).strftime("%Y-%m-%d %H:%M %z")
    text = (
        f"{amount_text(amount)} {source} = {format_rate(result, digits)} {target} at "
        f"{institution_text(quote)}: {channel_word(channel)} {side.value} "
        f"{format_rate(best.price, digits)}, quoted {when} ({source_text(quote.source)})"
    )
    if official is not None and official_result is not None:
        bank = (official_source or "official").upper()
        text += (
            f" · official {format_rate(official_result, digits)} {target} "
            f"({bank} {format_rate(official, digits)})"
        )
    print(text)
    return EXIT_OK
