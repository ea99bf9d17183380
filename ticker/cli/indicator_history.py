"""``ticker backfill --indicators``: the indicator sources' history from a date (the
monetary series and the annual ones), through :mod:`ticker.core.indicator_backfill`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from ticker.cli.args import checked_providers
from ticker.cli.exits import EXIT_OK, EXIT_PARTIAL
from ticker.errors import StorageError, UsageError
from ticker.i18n.words import _, ngettext

if TYPE_CHECKING:
    from ticker.cli.writing import WriteContext
    from ticker.core.backfill_progress import ProviderProgress


def indicators_backfill(
    args: argparse.Namespace, ctx: WriteContext, since: date, until: date
) -> int:
    import asyncio

    from providers.indicator_source import IndicatorProvider
    from ticker.cli.progress import ProgressDisplay, outcome_lines, plan_lines
    from ticker.core.indicator_backfill import IndicatorBackfill
    from ticker.core.net import make_client
    from ticker.core.registry import build_providers
    from ticker.storage.backfill_lock import BackfillLock
    from ticker.storage.repository import Repository

    if args.pair:
        raise UsageError(_("--indicators: --pair is for rates, not indicators"))
    settings, clock = ctx.settings, ctx.clock
    names = checked_providers(args.provider, "indicators")
    built = build_providers(settings, names, now=clock, kinds=("indicators",), references=False)
    providers = [p for p in built if isinstance(p, IndicatorProvider)]
    if not providers:
        raise UsageError(
            _("no indicators source is enabled; enable one in [providers] or use --provider")
        )
    job: IndicatorBackfill | None = None
    display: ProgressDisplay | None = None

    async def run(repo: Repository) -> None:
        nonlocal job, display
        async with make_client() as client:
            job = IndicatorBackfill(
                repo, client, settings, providers, since, until, now=clock,
                cut_after=args.until is not None,
            )  # fmt: skip
            display = ProgressDisplay(job.progress)
            await job.plan()
            if display.live or args.verbose:
                for line in plan_lines(job.progress, since, until):
                    print(line, file=sys.stderr)
            drawing = asyncio.create_task(display.run())
            try:
                await job.run()
            finally:
                drawing.cancel()

    store_error: StorageError | None = None
    interrupted = False
    with ctx.store(writes=True, sync_rules=False) as repo:
        lock = BackfillLock(repo)  # one backfill per store, of rates or indicators
        lock.take(clock())
        try:
            asyncio.run(run(repo))
        except StorageError as err:
            store_error = err
        except KeyboardInterrupt:
            interrupted = True
        finally:
            lock.release()
    if display is not None:
        display.final()
    progress: dict[str, ProviderProgress] = job.progress if job is not None else {}
    for line in outcome_lines(progress):  # what the sources said, and their failures
        print(line, file=sys.stderr)
    print(_stored_line(progress, since, until, store_error, interrupted), file=sys.stderr)
    if store_error is not None:
        return store_error.exit_code
    if interrupted:
        return 130
    return EXIT_PARTIAL if any(p.failures for p in progress.values()) else EXIT_OK


def _stored_line(
    progress: dict[str, ProviderProgress],
    since: date,
    until: date,
    store_error: StorageError | None,
    interrupted: bool,
) -> str:
    """``52 new values stored from 2021-09-05 to 2026-09-05; 1 revised.`` (or why it
    stopped, and what was stored before)."""
    from ticker.i18n.numbers import localised

    added = sum(p.result.indicators_added for p in progress.values())
    revised = sum(p.result.indicators_revised for p in progress.values())
    n = localised(f"{added:,}")
    if store_error is not None:
        return ngettext(
            "ticker: {error}; {n} new value stored before that. Run the same command to resume.",
            "ticker: {error}; {n} new values stored before that. Run the same command to resume.",
            added,
        ).format(error=store_error, n=n)
    if interrupted:
        return ngettext(
            "ticker: interrupted; {n} new value stored. Run the same command to resume.",
            "ticker: interrupted; {n} new values stored. Run the same command to resume.",
            added,
        ).format(n=n)
    said = ngettext(
        "{n} new value stored from {since} to {until}",
        "{n} new values stored from {since} to {until}",
        added,
    ).format(n=n, since=since, until=until)
    if revised:
        return _("{stored}; {revised} revised.").format(
            stored=said, revised=localised(f"{revised:,}")
        )
    return _("{stored}.").format(stored=said)
