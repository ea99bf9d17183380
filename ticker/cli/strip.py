"""``ticker strip``: one line for a status bar, a prompt or a terminal; with ``--follow``,
a new line each time the strip changes, for bars that read a long-running command.

A bar that runs the command every few seconds pays the start-up each time (the read side
keeps that small: no ORM is loaded). ``--follow`` pays it once: it keeps its connection
and looks at the store's commit counter every ``--every`` seconds (on PostgreSQL it reads
again instead), reading again only after a commit, and at least once a minute anyway,
since a fixing goes stale with the hour, not with new data. A line is printed only when
it differs from the last one. SIGTERM and SIGHUP end it quietly (exit 0).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from ticker.cli.args import checked_period
from ticker.cli.context import Context
from ticker.cli.exits import EXIT_OK, EXIT_PARTIAL, NOTHING_STORED
from ticker.cli.shown import current_views, shown_pairs
from ticker.errors import StorageError, UsageError
from ticker.i18n.words import _

if TYPE_CHECKING:
    import argparse

    from ticker.config import Settings
    from ticker.display.strip import StripStyle
    from ticker.model.pairs import Pair
    from ticker.model.periods import ChangePeriod

#: Without a commit, the strip is worked out again this often (states age with time).
REREAD = timedelta(minutes=1)
#: ``--every``'s bounds, in seconds, and its default.
EVERY_RANGE = (0.1, 3600.0)
EVERY = "5"


def strip_command(args: argparse.Namespace) -> int:
    if args.every is not None and not args.follow:
        raise UsageError(_("--every: goes with --follow (a strip without it looks once)"))
    ctx = Context.of(args)
    style = _style(args)
    period = checked_period(args.change)
    pairs = shown_pairs(args, ctx.settings)
    clock = ctx.clock
    market = bool(getattr(args, "market", False))
    if args.follow:
        return follow(ctx, style, pairs, _every(args.every or EVERY), period=period, market=market)
    line = read_strip(ctx, style, pairs, clock(), period, market)
    if line is None:
        print("ticker: " + _(NOTHING_STORED), file=sys.stderr)
        return EXIT_PARTIAL
    print(line)
    return EXIT_OK


def read_strip(
    ctx: Context,
    style: StripStyle,
    pairs: Sequence[Pair],
    now: datetime,
    period: ChangePeriod | None = None,
    market: bool = False,
) -> str | None:
    """The strip of ``pairs`` from the store at ``now``, changes over ``period`` (default:
    against the previous fixing); None when none has a rate stored. ``market``: each
    local currency's best current cash buy and sell after it."""
    with ctx.stored_reads() as reads:
        if reads is None:
            return None
        return _line(reads, ctx.settings, style, pairs, now, period, market)


def follow(
    ctx: Context,
    style: StripStyle,
    pairs: Sequence[Pair],
    every: float,
    sleep: Callable[[float], None] | None = None,
    out: TextIO | None = None,
    period: ChangePeriod | None = None,
    market: bool = False,
) -> int:
    """Print the strip, then a new line whenever it changes, until stopped."""
    import signal
    import time

    from ticker.storage.changes import ChangeWatch

    settings, clock = ctx.settings, ctx.clock
    sleep = sleep or time.sleep
    out = out or sys.stdout

    def stop(_signum: int, _frame: Any) -> None:
        raise SystemExit(EXIT_OK)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    reads: Any = None
    watch: ChangeWatch | None = None
    shown: str | None = None
    said: str | None = None  # the last thing said on stderr (said once, not every look)
    read_at: datetime | None = None
    try:
        while True:
            now = clock()
            try:
                if reads is None and ctx.store_exists():
                    reads = ctx.open_reads()
                    watch = ChangeWatch.of(reads)
                changed = watch is not None and watch.changed()
                due = read_at is None or now - read_at >= REREAD
                if reads is not None and (changed or due):
                    line = _line(reads, settings, style, pairs, now, period, market)
                    read_at = now
                    if said is not None and said != NOTHING_STORED:
                        print(_("ticker: the store answers again"), file=sys.stderr, flush=True)
                        said = None
                    if line is not None and line != shown:
                        print(line, file=out, flush=True)
                        shown = line
                if shown is None and said is None:
                    said = NOTHING_STORED
                    print(
                        "ticker: " + _(NOTHING_STORED),
                        file=sys.stderr,
                        flush=True,
                    )
            except StorageError as err:
                if str(err) != said:
                    said = str(err)
                    print(f"ticker: {said}", file=sys.stderr, flush=True)
                if watch is not None:
                    watch.forget()
            sleep(every)
    finally:
        if watch is not None:
            watch.close()
        if reads is not None:
            reads.close()


def _line(
    reads: Any,
    settings: Settings,
    style: StripStyle,
    pairs: Sequence[Pair],
    now: datetime,
    period: ChangePeriod | None = None,
    market: bool = False,
) -> str | None:
    from ticker.display.strip import strip_line

    views = current_views(reads, settings, now, pairs, period)
    line = strip_line(views, settings.display.significant_digits, style) if views else None
    if line is None or not market:
        return line
    said = _market_part(reads, pairs, now, settings.display.significant_digits)
    return f"{line} | {said}" if said else line


def _market_part(reads: Any, pairs: Sequence[Pair], now: datetime, significant: int) -> str:
    """``market TJS 10.85/10.92 KGS 87.20/87.50* (* third party)``: each shown local
    currency's best current cash buy and sell against the dollar, marked as the rates
    table's market column marks a third party's board, the mark said once at the end (one
    bounded read of the newest quotes; a currency without a current quote is left out)."""
    from providers.market_quote import Channel, Side
    from ticker.display.format import format_rate
    from ticker.display.market import THIRD_PARTY_MARK, origin_word
    from ticker.model.market import Origin, best_market, origin_of
    from ticker.model.pairs import USD, is_local

    locals_ = list(
        dict.fromkeys(code for p in pairs for code in (p.base, p.quote) if is_local(code))
    )
    if not locals_:
        return ""
    quotes = reads.latest_quotes([(USD, code) for code in locals_], Channel.CASH.value, None, 2000)
    parts = []
    for code in locals_:
        buy = best_market(quotes, f"{USD}/{code}", Side.BUY, Channel.CASH, now=now)
        sell = best_market(quotes, f"{USD}/{code}", Side.SELL, Channel.CASH, now=now)
        if buy is None and sell is None:
            continue
        texts = [format_rate(p.price, significant) if p is not None else "-" for p in (buy, sell)]
        third = any(p and origin_of(p.source) is Origin.THIRD_PARTY for p in (buy, sell))
        parts.append(f"{code} {texts[0]}/{texts[1]}{THIRD_PARTY_MARK if third else ''}")
    if any(part.endswith(THIRD_PARTY_MARK) for part in parts):
        parts.append(f"({THIRD_PARTY_MARK} {origin_word(Origin.THIRD_PARTY)})")
    return _("market {quotes}").format(quotes=" ".join(parts)) if parts else ""


def _style(args: argparse.Namespace) -> StripStyle:
    from ticker.display.strip import COMPACT_TEMPLATE, Color, StripStyle, check_template

    if args.compact and args.format is not None:
        raise UsageError(_("--compact and --format: choose one (--compact is a format)"))
    template = COMPACT_TEMPLATE if args.compact else args.format
    if template is not None:
        problem = check_template(template)
        if problem is not None:
            raise UsageError(f"--format: {problem}")
    try:
        color = Color(args.color.strip().lower())
    except ValueError:
        expected = ", ".join(c.value for c in Color)
        raise UsageError(
            _("--color: expected one of {expected}, got {color}").format(
                expected=expected, color=repr(args.color)
            )
        ) from None
    style = StripStyle(color=color)
    if template is not None:
        style = style._replace(template=template)
    if args.separator is not None:
        style = style._replace(separator=args.separator)
    return style


def _every(text: str) -> float:
    low, high = EVERY_RANGE
    try:
        plain = text.strip()
        seconds = float(plain) if plain.isascii() and plain.replace(".", "", 1).isdigit() else None
    except ValueError:
        seconds = None
    if seconds is None or not low <= seconds <= high:
        from ticker.i18n.numbers import localised

        raise UsageError(
            _("--every: expected seconds from {low} to {high}, got {text}").format(
                low=localised(f"{low:g}"), high=localised(f"{high:g}"), text=repr(text)
            )
        )
    return seconds
