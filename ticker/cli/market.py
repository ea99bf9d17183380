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
from typing import TYPE_CHECKING

from ticker.cli.context import Context
from ticker.cli.exits import EXIT_OK, EXIT_PARTIAL
from ticker.errors import UsageError
from ticker.i18n.words import N_, _, ngettext

if TYPE_CHECKING:
    from ticker.model.market import MarketSummary
    from ticker.model.market_records import HeldQuote, StoredQuote

#: What a read of a store without market quotes says, with exit 1.
NO_QUOTES = N_(
    "no market quotes stored yet; run 'ticker poll --market' (or 'ticker collect'), or "
    "enable a market source in config.toml (ticker config check lists them)"
)

#: The reported rates ``ticker market reported`` reads (the newest first).
REPORTED_READ = 1000

#: The held quotes read to say why a board is empty (the newest held first).
HELD_READ = 200

#: A filter of (base, quote) pairs.
Wanted = Callable[[str, str], bool]


def market_codes() -> tuple[str, ...]:
    """What ``ticker market`` takes as a code: the local currencies, then the foreign
    ones a board quotes them against (USD, EUR, RUB)."""
    from providers.market_records import MARKET_SOURCES
    from ticker.model.pairs import FOREIGN_CURRENCIES, LOCAL_CURRENCIES

    others = {c for s in MARKET_SOURCES for c in s.others}
    return (*LOCAL_CURRENCIES, *(c for c in FOREIGN_CURRENCIES if c in others))


def _code(text: str, known: Sequence[str]) -> str:
    from ticker.model.pairs import LOCAL_CURRENCIES

    code = text.strip().upper()
    if code not in known:
        local = ", ".join(LOCAL_CURRENCIES)
        others = ", ".join(c for c in known if c not in LOCAL_CURRENCIES)
        raise UsageError(
            _(
                "CODE: expected a currency like TJS or a pair like USD/TJS (local: {local}; "
                "against them: {others}), got {text}"
            ).format(local=local, others=others, text=repr(text))
        )
    return code


def parse_words(
    words: Sequence[str], known: Sequence[str] | None = None
) -> tuple[Wanted, list[tuple[str, str]] | None]:
    """What ``words`` ask for: a filter of (base, quote), and the pairs to read (both
    ways round) when every word is a pair (None: read every pair, then filter). A code
    not among ``known`` (default :func:`market_codes`) is a UsageError."""
    known = market_codes() if known is None else known
    codes: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for word in words:
        if "/" in word:
            left, _, right = word.partition("/")
            a, b = _code(left, known), _code(right, known)
            pairs |= {(a, b), (b, a)}
        else:
            codes.add(_code(word, known))
    if not codes and not pairs:
        return (lambda _b, _q: True), None

    def wanted(base: str, quote: str) -> bool:
        return (base, quote) in pairs or base in codes or quote in codes

    return wanted, (sorted(pairs) if not codes else None)


def parse_source(text: str | None, words: Sequence[str] = ()) -> str | None:
    """``--source``: one of the market sources' names (None: every source), quoting
    some currency of ``words`` (checked words) when any is given."""
    from providers.market_records import MARKET
    from ticker.model.pairs import is_local

    if text is None:
        return None
    name = text.strip().lower()
    if name not in MARKET:
        raise UsageError(
            _("--source: expected one of {names}, got {text}").format(
                names=", ".join(MARKET), text=repr(text)
            )
        )
    record = MARKET[name]
    codes = {c.strip().upper() for word in words for c in word.split("/")}
    codes = {c for c in codes if is_local(c)}  # USD/TJS: the somoni's sources
    if codes and not codes & (record.currencies | record.others):
        local = ", ".join(sorted(record.currencies))
        others = ", ".join(sorted(record.others))
        raise UsageError(
            _("--source: {name} quotes {local} (against {others}), not {codes}").format(
                name=name, local=local, others=others, codes=", ".join(sorted(codes))
            )
        )
    return name


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
            raise UsageError(
                _("{option}: does not go with 'ticker {name}'").format(
                    option=option, name=_name(what)
                )
            )


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
            raise UsageError(
                _("--side: expected buy or sell, got {side}").format(side=repr(args.side))
            ) from None
    source = parse_source(args.source, words)
    ctx = Context.of(args)
    now = ctx.now()
    view = None
    summaries: list[MarketSummary[StoredQuote]] = []
    held: list[HeldQuote] = []
    with ctx.stored_reads() as reads:
        if reads is not None:
            view = market_view(reads, now, pairs, channel, source)
            summaries = [s for s in view.summaries if wanted(s.base, s.quote)]
            if not summaries:  # why: the quotes that came may all have been held
                held = [
                    h
                    for h in reads.quarantined_quotes(HELD_READ)
                    if wanted(h.quote.base, h.quote.quote)
                    and source in (None, h.quote.source)
                    and channel in (None, h.quote.channel)
                ]
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
            lines += ["", _("Reported by hand (not official, not market data):")]
            lines += [reported_line(r) for r in said]
        print("\n".join(lines).lstrip("\n"))
    if not summaries:
        if said and not args.json:
            return EXIT_OK
        digits = ctx.settings.display.significant_digits
        print(
            f"ticker: {_nothing(words, source, held, ctx, digits)}",
            file=sys.stderr,
        )
        return EXIT_PARTIAL
    return EXIT_OK


def _nothing(
    words: Sequence[str], source: str | None, held: list[HeldQuote], ctx: Context, digits: int
) -> str:
    """Why there is no market to show: the quotes that came were held as implausible,
    the currency asked has no market source (TMT), the source asked is off (and why)
    or has none stored yet, or nothing is stored at all."""
    from ticker.config import off_reason
    from ticker.display.market_text import held_words
    from ticker.model.pairs import is_local

    if held:
        return _("no market quote to show: {why}").format(why=held_words(held, digits))
    from providers.market_records import MARKET_SOURCES

    codes = {c.strip().upper() for word in words for c in word.split("/")}
    locals_ = sorted(c for c in codes if is_local(c))
    boarded = {c for s in MARKET_SOURCES for c in s.currencies}
    if locals_ and not boarded & set(locals_):
        local = locals_[0]
        return _(
            "no market source quotes {code} (no bank or exchange-office board is "
            "published); keep a rate heard with 'ticker market report {code} RATE'"
        ).format(code=local)
    if source is None:
        return _(NO_QUOTES)
    conf = ctx.settings.providers.get(source)
    off = off_reason(source, conf) if conf is not None else _("off: not configured")
    if off is not None:
        return _("no market quotes from {source} stored; {source} is {off}").format(
            source=source, off=off
        )
    return _(
        "no market quotes from {source} stored yet; it is on, polled in its banking "
        "hours ('ticker poll --market' polls it now)"
    ).format(source=source)


def reported_command(args: argparse.Namespace, words: list[str]) -> int:
    from ticker.display.market_text import reported_json, reported_line
    from ticker.model.pairs import KNOWN_CURRENCIES

    wanted, _pairs = parse_words(words, KNOWN_CURRENCIES)  # a rate of any pair is reported
    ctx = Context.of(args)
    stored = []
    with ctx.stored_reads() as reads:
        if reads is not None:
            stored = reads.reported_rates(None, REPORTED_READ)
    rates = [r for r in stored if wanted(r.base, r.quote)]
    rates.sort(key=lambda r: (r.reported_at, r.id), reverse=True)  # the newest first
    if args.json:
        print(reported_json(rates))
    elif rates:
        print("\n".join(reported_line(r) for r in rates))
    elif stored:
        asked = " ".join(w.strip().upper() for w in words)
        print(ngettext(
                "ticker: no reported rate of {asked} ({n} of another currency)",
                "ticker: no reported rate of {asked} ({n} of other currencies)",
                len(stored),
            ).format(asked=asked, n=len(stored)),
              file=sys.stderr)  # fmt: skip
    else:
        print(
            _(
                "ticker: no reported rates stored; add one with 'ticker market report TMT 19.5 "
                '--note "where, when"\''
            ),
            file=sys.stderr,
        )
    return EXIT_OK
