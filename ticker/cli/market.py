"""``ticker market``: the banks' and exchange offices' prices beside the official rate,
from the store (no network), and the rates reported by hand (``reported``). The writes
(``report``, ``forget``) are in :mod:`ticker.cli.market_writes`: this module is on the
read side and never reaches the ORM.

Words: a local currency (``TJS``: every foreign currency against it), a foreign one
(``USD``: against every local currency) or a pair either way round (``USD/TJS``).
Nothing stored says so in one line on stderr with exit 1, as ``ticker rates`` does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from ticker.cli.context import Context
from ticker.cli.exits import EXIT_OK, EXIT_PARTIAL
from ticker.errors import UsageError

#: What a read of a store without market quotes says, with exit 1.
NO_QUOTES = (
    "no market quotes stored yet; run 'ticker poll --market' (or 'ticker collect'), or "
    "enable a market source in config.toml (ticker config check lists them)"
)

#: A filter of (base, quote) pairs.
Wanted = Callable[[str, str], bool]


def _code(text: str) -> str:
    code = text.strip().upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise UsageError(f"CODE: expected a currency like TJS or a pair like USD/TJS, got {text!r}")
    return code


def parse_words(words: Sequence[str]) -> tuple[Wanted, list[tuple[str, str]] | None]:
    """What ``words`` ask for: a filter of (base, quote), and the pairs to read (both
    ways round) when every word is a pair (None: read every pair, then filter)."""
    codes: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for word in words:
        if "/" in word:
            left, _, right = word.partition("/")
            a, b = _code(left), _code(right)
            pairs |= {(a, b), (b, a)}
        else:
            codes.add(_code(word))
    if not codes and not pairs:
        return (lambda _b, _q: True), None

    def wanted(base: str, quote: str) -> bool:
        return (base, quote) in pairs or base in codes or quote in codes

    return wanted, (sorted(pairs) if not codes else None)


def market_command(args: argparse.Namespace) -> int:
    words = list(args.words)
    action = words[0] if words else ""
    if action in ("report", "forget"):  # the write side, imported only to write
        from ticker.cli.grammar import handler

        return handler("market_writes", "market_write_command")(args)
    if action == "reported":
        only_options(args, "reported", "--json")
        return reported_command(args, words[1:])
    only_options(args, "market", "--channel", "--side", "--source", "--json")
    return view_command(args, words)


def only_options(args: argparse.Namespace, what: str, *allowed: str) -> None:
    """Refuse an option given to an action it does not go with."""
    given = {
        "--channel": args.channel is not None,
        "--side": args.side is not None,
        "--source": args.source is not None,
        "--json": args.json,
        "--note": args.note is not None,
    }
    for option, there in given.items():
        if there and option not in allowed:
            raise UsageError(f"{option}: does not go with 'ticker {_name(what)}'")


def _name(what: str) -> str:
    return "market" if what == "market" else f"market {what}"


def view_command(args: argparse.Namespace, words: list[str]) -> int:
    from providers.market_quote import Side
    from ticker.core.market import market_view
    from ticker.display.market import market_json, summary_text
    from ticker.display.market_text import board_text, reported_line
    from ticker.model.market import board, parse_channel

    wanted, pairs = parse_words(words)
    channel = None
    if args.channel is not None:
        try:
            channel = parse_channel(args.channel)
        except ValueError as err:
            raise UsageError(f"--channel: {err}") from None
    side = None
    if args.side is not None:
        try:
            side = Side(args.side.strip().lower())
        except ValueError:
            raise UsageError(f"--side: expected buy or sell, got {args.side!r}") from None
    ctx = Context.of(args)
    now = ctx.now()
    source = args.source.strip() if args.source is not None else None
    view = None
    with ctx.stored_reads() as reads:
        if reads is not None:
            view = market_view(reads, now, pairs, channel, source)
    summaries = [s for s in view.summaries if wanted(s.base, s.quote)] if view else []
    said = [r for r in view.reported if wanted(r.base, r.quote)] if view else []
    said.sort(key=lambda r: (r.reported_at, r.id), reverse=True)
    if args.json:
        print(market_json(summaries, view.official_sources if view else None))
    elif summaries or said:
        assert view is not None
        digits = ctx.settings.display.significant_digits
        lines = [summary_text(s, view.official_sources.get(s.pair, ""), digits) for s in summaries]
        if side is not None or len(summaries) == 1:
            for s in summaries:
                lines.append("")
                chosen = side or Side.SELL
                board_lines = board(
                    view.quotes,
                    s.pair,
                    s.channel,
                    chosen,
                    now,
                    official=s.official,
                )
                lines.append(
                    board_text(
                        s.pair,
                        s.channel,
                        chosen,
                        board_lines,
                        now,
                        view.official_sources.get(s.pair, ""),
                        digits,
                    )
                )
        if said:
            lines += ["", "Reported by hand (not official, not market data):"]
            lines += [reported_line(r) for r in said]
        print("\n".join(lines).lstrip("\n"))
    if not summaries:
        if said and not args.json:
            return EXIT_OK
        print(f"ticker: {NO_QUOTES}", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


def reported_command(args: argparse.Namespace, words: list[str]) -> int:
    from ticker.display.market_text import reported_json, reported_line

    wanted, _pairs = parse_words(words)
    ctx = Context.of(args)
    rates = []
    with ctx.stored_reads() as reads:
        if reads is not None:
            rates = [r for r in reads.reported_rates(None, 1000) if wanted(r.base, r.quote)]
    rates.sort(key=lambda r: (r.reported_at, r.id), reverse=True)  # the newest first
    if args.json:
        print(reported_json(rates))
    elif rates:
        print("\n".join(reported_line(r) for r in rates))
    else:
        print(
            "ticker: no reported rates stored; add one with 'ticker market report TMT 19.5 "
            '--note "where, when"\'',
            file=sys.stderr,
        )
    return EXIT_OK
