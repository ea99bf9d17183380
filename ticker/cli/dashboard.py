"""``ticker`` without a command: the dashboard."""

from __future__ import annotations

import argparse
import sys

from ticker.cli.exits import EXIT_OK
from ticker.errors import UsageError
from ticker.i18n.words import _


def dashboard_command(args: argparse.Namespace) -> int:
    import gc

    # The start-up creates a few hundred thousand objects that live as long as the
    # dashboard (modules, classes, widgets, styles; SQLAlchemy once the store is read),
    # and few that die. The cycle collector would scan them all, in full, once before the
    # first frame (about 30 ms of a 0.3 s start), and again every time a full collection
    # comes round (about 40 ms, which an idle dashboard feels). So it waits until the
    # first frame is on the screen, and once the first data is, the survivors are
    # collected once and set aside (gc.freeze) from later collections.
    gc.disable()
    try:
        from ticker.cli.context import Context

        ctx = Context.of(args)
        settings, clock = ctx.settings, ctx.clock
        if not sys.stdout.isatty() or not sys.stdin.isatty():
            raise UsageError(_("the dashboard needs a terminal; see 'ticker --help' for commands"))
        from ticker.tui.app import TickerApp  # imported only here: the rest stays headless

        TickerApp(
            settings,
            collect=not args.no_collect,
            now=clock,
            after_first_frame=gc.enable,
            after_first_data=set_aside_startup_objects,
        ).run()
    finally:
        gc.enable()
    return EXIT_OK


def set_aside_startup_objects() -> None:
    import gc

    gc.collect()
    gc.freeze()
