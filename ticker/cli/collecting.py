"""The commands that fetch: ``poll``, ``backfill`` and ``collect``."""

from __future__ import annotations

import argparse
import signal
import sys
from typing import TYPE_CHECKING

from ticker.cli.args import checked_providers, date_range, parse_listen, split_pairs
from ticker.cli.exits import EXIT_OK, EXIT_PARTIAL
from ticker.cli.writing import WriteContext
from ticker.errors import StorageError, UsageError
from ticker.i18n.numbers import localised
from ticker.i18n.words import _, ngettext

if TYPE_CHECKING:
    from ticker.config import Settings
    from ticker.core.clock import Clock
    from ticker.core.metrics import CollectorMetrics


def poll_command(args: argparse.Namespace) -> int:
    import asyncio

    from ticker.cli.report import poll_line
    from ticker.core.collector import PollOutcome
    from ticker.core.runtime import running
    from ticker.storage.repository import Repository

    ctx = WriteContext.of(args)
    settings, clock = ctx.settings, ctx.clock
    names = checked_providers(args.provider, kind=None)
    if names is None and not settings.enabled_providers("rates"):  # before any store
        raise UsageError(
            _("no rate provider is enabled; enable one in [providers] or use --provider")
        )
    if args.market and names is not None:
        raise UsageError(
            _("--market and --provider: choose one (--provider may name a market source)")
        )
    # The rates by default: a third-party board is opt-in, and its failure is not the
    # official rates' (exit 1); --market asks for the boards too, failures included.
    kinds = ("rates", "market") if args.market else ("rates",)
    firings: list[str] = []

    async def run(repo: Repository) -> list[PollOutcome]:
        async with running(settings, repo, clock, names=names, kinds=kinds) as runtime:
            collector = runtime.collector
            collector.subscribe(lambda done: firings.extend(f.message for f in done.firings))
            # Closing lets hooks and desktop notifications finish within their time limit.
            return await collector.poll_all()

    with ctx.store(writes=True) as repo:
        outcomes = asyncio.run(run(repo))
    for outcome in outcomes:
        print(poll_line(outcome, settings.display))
    for message in firings:
        print(_("alert: {message}").format(message=message))
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_PARTIAL


def backfill_command(args: argparse.Namespace) -> int:
    import asyncio

    from ticker.cli.progress import ProgressDisplay, clip_lines, outcome_lines, plan_lines
    from ticker.core.backfill import Backfill
    from ticker.core.backfill_progress import total_stored
    from ticker.core.net import make_client
    from ticker.core.registry import build_providers
    from ticker.storage.repository import Repository

    ctx = WriteContext.of(args)
    settings, clock = ctx.settings, ctx.clock
    today = clock().date()
    since, until = date_range(args, today)
    assert since is not None  # required by the parser
    until = until or today
    if since > today:
        raise UsageError(_("--since {since} is in the future").format(since=since))
    if until > today:
        raise UsageError(
            _("--until {until} is in the future (today is {today} UTC)").format(
                until=until, today=today
            )
        )
    if args.indicators:  # the indicator sources' history instead
        from ticker.cli.indicator_history import indicators_backfill

        return indicators_backfill(args, ctx, since, until)
    names = checked_providers(args.provider)
    locals_, others = split_pairs(args.pair)
    if others is not None:  # the sources are asked for the currencies of the pairs named
        import dataclasses

        from ticker.config import PairsSettings

        building = dataclasses.replace(settings, pairs=PairsSettings(watch=tuple(others)))
        providers = build_providers(building, names, now=clock, references=False)
    else:
        providers = build_providers(settings, names, now=clock, references=False)
    if not providers:
        raise UsageError(
            _("no rate provider is enabled; enable one in [providers] or use --provider")
        )
    job: Backfill | None = None
    display: ProgressDisplay | None = None

    stopped_by: list[signal.Signals] = []

    async def run(repo: Repository) -> None:
        nonlocal job, display
        main = asyncio.current_task()
        assert main is not None

        def stop(sig: signal.Signals) -> None:  # as Ctrl-C: store what was fetched, stop
            stopped_by.append(sig)
            main.cancel()

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, stop, sig)
        async with make_client() as client:
            job = Backfill(
                repo, client, settings, providers, since, until, locals_, now=clock, pairs=others
            )
            display = ProgressDisplay(job.progress)
            await job.plan()
            said = plan_lines(job.progress, since, until) if display.live or args.verbose else []
            for line in [*said, *clip_lines(job.progress, since)]:
                print(line, file=sys.stderr)
            drawing = asyncio.create_task(display.run())
            try:
                await job.run()
            finally:
                drawing.cancel()

    interrupted = ""
    store_error: StorageError | None = None
    with ctx.store(writes=True, sync_rules=False) as repo:
        from ticker.storage.backfill_lock import BackfillLock

        lock = BackfillLock(repo)  # one backfill per store (the dashboard's b too)
        lock.take(clock())
        try:
            asyncio.run(run(repo))
        except StorageError as err:  # the store refused a write: every provider stopped
            store_error = err
        except KeyboardInterrupt:
            interrupted = _("interrupted")
        except asyncio.CancelledError:
            if not stopped_by:
                raise
            interrupted = _("stopped by {signal}").format(signal=stopped_by[0].name)
        finally:
            lock.release()
    if display is not None:
        display.final()
    progress = job.progress if job is not None else {}
    stored = total_stored(progress)
    for line in outcome_lines(progress):  # dates, days not out yet, failures
        print(line, file=sys.stderr)
    failed = any(p.failures for p in progress.values())
    count = localised(f"{stored:,}")
    if store_error is not None:
        print(
            ngettext(
                "ticker: {error}; {n} new row was stored before that. Run the same command "
                "to resume.",
                "ticker: {error}; {n} new rows were stored before that. Run the same command "
                "to resume.",
                stored,
            ).format(error=store_error, n=count),
            file=sys.stderr,
        )
        return store_error.exit_code
    if interrupted:
        print(
            ngettext(
                "ticker: {why}; {n} new row stored. Run the same command to resume.",
                "ticker: {why}; {n} new rows stored. Run the same command to resume.",
                stored,
            ).format(why=interrupted, n=count),
            file=sys.stderr,
        )
        return 128 + stopped_by[0].value if stopped_by else 130
    empty = sum(p.no_fixing for p in progress.values())
    # A day a source has no fixing for is a day without data, not a failure (exit 0).
    # The dates as given (--since/--until take ISO dates).
    said = ngettext(
        "{n} new row stored from {since} to {until}",
        "{n} new rows stored from {since} to {until}",
        stored,
    ).format(n=count, since=since, until=until)
    if empty:
        said = ngettext(
            "{stored}; {days} day had no fixing.", "{stored}; {days} days had no fixing.", empty
        ).format(stored=said, days=localised(f"{empty:,}"))
    else:
        said = _("{stored}.").format(stored=said)
    print(said, file=sys.stderr)
    return EXIT_PARTIAL if failed else EXIT_OK


def collect_command(args: argparse.Namespace) -> int:
    import asyncio

    from ticker.cli.logsetup import setup_logging
    from ticker.config import locations
    from ticker.core.daemon import collect

    ctx = WriteContext.of(args)
    settings, clock = ctx.settings, ctx.clock
    if not settings.enabled_providers("rates"):
        raise UsageError(_("no rate provider is enabled; enable one in [providers]"))
    listen = parse_listen(args.metrics) if args.metrics is not None else None
    metrics = start_metrics(listen, settings, clock) if listen is not None else None
    try:
        warning = setup_logging(locations.state_dir() / "collector.log", verbose=args.verbose)
        if warning:
            print(f"ticker: {warning}", file=sys.stderr)
        if metrics is not None:
            log_metrics(metrics)
        asyncio.run(collect(settings, now=clock, started=metrics.attach if metrics else None))
    finally:
        if metrics is not None:
            metrics.close()
    return EXIT_OK


def start_metrics(listen: tuple[str, int], settings: Settings, clock: Clock) -> CollectorMetrics:
    """The metrics endpoint, listening before the first poll (``--metrics``): only then
    is prometheus-client imported."""
    try:
        from ticker.core.metrics import start_metrics as start
    except ImportError as err:
        if (err.name or "").split(".")[0] != "prometheus_client":
            raise
        raise UsageError(
            _(
                "--metrics needs prometheus-client, which is not installed: "
                "pip install 'ticker[metrics]'"
            )
        ) from None
    host, port = listen
    return start(host, port, settings, clock)


def log_metrics(metrics: CollectorMetrics) -> None:
    import logging

    assert metrics.server is not None
    logging.getLogger("ticker.collect").info(
        "metrics at %s (no authentication)", metrics.server.url
    )
