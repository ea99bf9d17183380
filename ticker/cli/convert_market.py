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
from typing import TYPE_CHECKING

from ticker.cli.context import Context
from ticker.cli.exits import EXIT_OK, EXIT_PARTIAL
from ticker.errors import UsageError
from ticker.i18n.numbers import localised
from ticker.i18n.words import _, pgettext
from ticker.i18n.zone import clock, in_zone, zone_name

if TYPE_CHECKING:
    from ticker.model.market_records import ReportedRate

#: The reported rates read to show the newest of a pair without a market source.
REPORTED_READ = 200


def board_pair(source: str, target: str) -> tuple[str, str] | None:
    """The pair a board quotes ``source`` and ``target`` as (base, local): ``USD/TJS``
    for ``100 USD TJS`` and for ``1000 TJS USD``, fx.kg's ``KZT/KGS`` for two local
    currencies; None when no market source quotes the two against each other."""
    from providers.market_records import MARKET_SOURCES

    for base, local in ((source, target), (target, source)):
        if any(s.quoted_in == local and base in s.others for s in MARKET_SOURCES):
            return base, local
    return None


def no_board(source: str, target: str, reads_reported: list[ReportedRate]) -> str:
    """Why ``source`` and ``target`` have no market price: no board quotes the local
    currency (TMT: report a rate heard), or none quotes this pair."""
    from providers.market_records import MARKET_SOURCES
    from ticker.display.market_text import plain
    from ticker.i18n.dates import day_month_year
    from ticker.model.pairs import is_local

    local = target if is_local(target) else source
    others = sorted({c for s in MARKET_SOURCES if s.quoted_in == local for c in s.others})
    if others:
        return _(
            "no market source quotes {source} against {target} (the boards of {local} "
            "quote {others})"
        ).format(source=source, target=target, local=local, others=", ".join(others))
    words = _(
        "{local} has no market source (no bank or exchange-office board is published); "
        "keep a rate heard with 'ticker market report {local} RATE'"
    ).format(local=local)
    if reads_reported:
        r = reads_reported[0]
        moment = r.reported_at
        words += _(
            "; newest reported {pair} {rate} at {when} (reported by hand, not market data)"
        ).format(
            pair=r.pair,
            rate=localised(plain(r.rate)),
            when=f"{day_month_year(in_zone(moment).date())} {clock(moment)} {zone_name(moment)}",
        )
    return words


def market_convert_command(args: argparse.Namespace) -> int:
    from providers.market_quote import Channel, Side
    from ticker.core.market import market_view
    from ticker.display.conversion import amount_text
    from ticker.display.format import format_rate
    from ticker.display.market import channel_word, institution_text, quote_record, who_records
    from ticker.display.market_text import source_text
    from ticker.display.names import bank_word
    from ticker.display.views import exact_json
    from ticker.i18n.dates import day_month
    from ticker.model.conversion import parse_amount
    from ticker.model.market import is_stale, parse_channel, quote_time
    from ticker.model.pairs import KNOWN_CURRENCIES, is_local

    amount = parse_amount(args.amount)
    codes = []
    for text, what in ((args.source, "FROM"), (args.target, "TO")):
        code = text.strip().upper()
        if code not in KNOWN_CURRENCIES:
            raise UsageError(
                _("{what}: expected one of {codes}, got {text}").format(
                    what=what, codes=", ".join(KNOWN_CURRENCIES), text=repr(text)
                )
            )
        codes.append(code)
    source, target = codes
    if not is_local(source) and not is_local(target) or source == target:
        raise UsageError(
            _(
                "--at market: one side is a local currency and the other a foreign one or a "
                "neighbour's (the boards quote USD/TJS, KZT/KGS), got {source} and {target}"
            ).format(source=source, target=target)
        )
    try:
        channel = parse_channel(args.channel) if args.channel is not None else Channel.CASH
    except ValueError as err:
        raise UsageError(f"--channel: {err}") from None
    ctx = Context.of(args)
    now = ctx.now()
    found = board_pair(source, target)
    if found is None:
        reported: list[ReportedRate] = []
        with ctx.stored_reads() as reads:
            if reads is not None:
                reported = [
                    r
                    for r in reads.reported_rates(None, REPORTED_READ)
                    if {r.base, r.quote} == {source, target}
                ]
        print(
            f"ticker: {no_board(source, target, reported)}",
            file=sys.stderr,
        )
        return EXIT_PARTIAL
    foreign, local = found
    side = Side.BUY if source == foreign else Side.SELL  # selling foreign: the bank buys
    pair = f"{foreign}/{local}"
    view = None
    with ctx.stored_reads() as reads:
        if reads is not None:
            view = market_view(reads, now, [(foreign, local)], channel, reported=False)
    best = view.best(pair, side, channel, now) if view is not None else None
    if view is None or best is None:
        print(
            _(
                "ticker: no current {channel} {pair} market quote stored; run 'ticker poll "
                "--market' (or enable a market source for it in config.toml)"
            ).format(channel=channel_word(channel), pair=pair),
            file=sys.stderr,
        )
        return EXIT_PARTIAL
    tied = sorted(  # every institution giving the best price, as 'ticker market' names them
        (
            q
            for q in view.quotes
            if (q.base, q.quote, q.channel) == (foreign, local, channel)
            and q.price(side) == best.price
            and not is_stale(q, now)
        ),
        key=lambda q: (q.institution, q.city, q.source),
    )
    quote = tied[0]
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
            "best_from": who_records(tied),
            "official_rate": official,
            "official_source": official_source,
            "official_result": official_result,
        }
        print(exact_json(record))
        return EXIT_OK
    digits = ctx.settings.display.significant_digits
    moment = quote_time(quote)  # on the user's clock, the zone said
    when = f"{day_month(in_zone(moment).date())} {clock(moment)} {zone_name(moment)}"
    text = _(
        "{amount} {source} = {result} {target} at {institutions}: {channel} {side} {price}, "
        "quoted {when} ({sources})"
    ).format(
        amount=localised(amount_text(amount)),
        source=source,
        result=format_rate(result, digits),
        target=target,
        institutions=", ".join(institution_text(q) for q in tied),
        channel=channel_word(channel),
        side=pgettext("side", "buy") if side is Side.BUY else pgettext("side", "sell"),
        price=format_rate(best.price, digits),
        when=when,
        sources=", ".join(dict.fromkeys(source_text(q.source) for q in tied)),
    )
    if official is not None and official_result is not None:
        bank = bank_word(official_source.upper()) if official_source else _("official")
        text += _(" · official {result} {target} ({bank} {rate})").format(
            result=format_rate(official_result, digits),
            target=target,
            bank=bank,
            rate=format_rate(official, digits),
        )
    print(text)
    return EXIT_OK
