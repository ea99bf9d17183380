"""The ``ticker`` command.

Data goes to stdout, diagnostics to stderr. Exit codes: 0 success, 1 partial failure
(some providers failed), 2 usage, configuration or database error, 70 internal error.
A user error is one line on stderr, never a traceback. Heavy modules (storage, the
dashboard) are imported inside the commands that need them, so ``--help`` stays instant.

Commands appear here as their features become real.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from ticker import __version__
from ticker.errors import StorageError, TickerError, UsageError

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug, never confused with "some providers failed"

Handler = Callable[[argparse.Namespace], int]


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes: an argument or a file name
    echoed in a message cannot move the cursor or recolour the user's terminal."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and raises, so main() words it)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="read this config file (default: $TICKER_CONFIG, then the platform config dir)",
    )
    parser = _Parser(
        prog="ticker",
        description=(
            "Terminal currency ticker for the Kyrgyz som, Kazakh tenge, Tajik somoni, "
            "Uzbek sum and Turkmen manat against the US dollar. With no command, "
            "opens the live dashboard (press ? in it for the keys)."
        ),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"ticker {__version__}")
    parser.add_argument(
        "--no-collect",
        action="store_true",
        help="open the dashboard without a collector: show what another process collects",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    config = commands.add_parser(
        "config", help="check the configuration or show where things are", parents=[common]
    )
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION")
    check = config_commands.add_parser(
        "check",
        help="validate the configuration and the database it points to",
        parents=[common],
    )
    check.set_defaults(handler=_config_check)
    path = config_commands.add_parser(
        "path", help="print the config file in use and the database location", parents=[common]
    )
    path.set_defaults(handler=_config_path)
    config.set_defaults(handler=lambda _args: _help(config))

    poll = commands.add_parser(
        "poll",
        help="poll each enabled rate provider once (or those named, indicator sources "
        "too), store, print a line per provider",
        parents=[common],
    )
    poll.add_argument(
        "--provider",
        action="append",
        metavar="NAME",
        help="poll only this provider (repeatable; also a disabled one, or worldbank/imf)",
    )
    poll.set_defaults(handler=_poll)

    backfill = commands.add_parser(
        "backfill",
        help="fetch rate history from every source that has it",
        parents=[common],
    )
    backfill.add_argument("--since", required=True, metavar="DATE", help="first date, YYYY-MM-DD")
    backfill.add_argument("--until", metavar="DATE", help="last date, YYYY-MM-DD (default: today)")
    backfill.add_argument(
        "--provider", action="append", metavar="NAME", help="only this provider (repeatable)"
    )
    backfill.add_argument(
        "--pair", action="append", metavar="CODE", help="only this pair, e.g. KZT (repeatable)"
    )
    backfill.set_defaults(handler=_backfill)

    export = commands.add_parser(
        "export",
        help="write stored rate history as CSV (long form, --best, or --wide)",
        parents=[common],
    )
    export.add_argument(
        "--pair", action="append", metavar="CODE", help="only this pair, e.g. KZT (repeatable)"
    )
    export.add_argument(
        "--provider", action="append", metavar="NAME", help="only this provider (repeatable)"
    )
    export.add_argument(
        "--best",
        action="store_true",
        help="per pair and date only the routed source's rate (what the dashboard shows)",
    )
    export.add_argument(
        "--wide",
        action="store_true",
        help="one row per date, one column per pair (the routed source's rate; empty if none)",
    )
    export.add_argument(
        "--orientation",
        metavar="WAY",
        default="per-usd",
        help="per-usd: USD/KZT = 478.77, the published digits (default); "
        "usd-per: KZT/USD = 0.0020886..., 20 significant digits",
    )
    export.add_argument(
        "--indicators",
        action="store_true",
        help="the economic indicators instead (--provider worldbank/imf, --since/--until by year)",
    )
    export.add_argument("--since", metavar="DATE", help="first date, YYYY-MM-DD")
    export.add_argument("--until", metavar="DATE", help="last date, YYYY-MM-DD")
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of stdout ('-' = stdout)"
    )
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export.set_defaults(handler=_export)

    collect = commands.add_parser(
        "collect",
        help="poll every enabled provider on its schedule, headless, until SIGINT/SIGTERM",
        parents=[common],
    )
    collect.set_defaults(handler=_collect)

    rates = commands.add_parser(
        "rates",
        help="the latest rate of each pair from the store (no network)",
        parents=[common],
    )
    rates.add_argument("--json", action="store_true", help="print a JSON array")
    rates.add_argument(
        "--invert", action="store_true", help="flip the display orientation (USD/KGS <-> KGS/USD)"
    )
    rates.set_defaults(handler=_rates)

    strip = commands.add_parser(
        "strip", help="one line like the news sites' ticker strip", parents=[common]
    )
    strip.add_argument(
        "--invert", action="store_true", help="flip the display orientation (USD/KGS <-> KGS/USD)"
    )
    strip.set_defaults(handler=_strip)

    providers = commands.add_parser(
        "providers", help="each provider's health, as recorded by the collector", parents=[common]
    )
    providers.add_argument("--json", action="store_true", help="print a JSON array")
    providers.set_defaults(handler=_providers)

    indicators = commands.add_parser(
        "indicators",
        help="economic indicators of the five countries from the store (no network)",
        parents=[common],
    )
    indicators.add_argument("--json", action="store_true", help="print a JSON array")
    indicators.add_argument(
        "--country",
        action="append",
        metavar="ISO3",
        help="only this country: KGZ, KAZ, TJK, UZB, TKM (repeatable)",
    )
    indicators.add_argument(
        "--indicator", action="append", metavar="CODE", help="only this indicator (repeatable)"
    )
    indicators.set_defaults(handler=_indicators)

    _add_alerts_parser(commands, common)

    parser.set_defaults(handler=_dashboard)
    return parser


def _count(low: int, high: int, what: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``."""
    expected = what or f"a whole number from {low} to {high:,}"

    def parse(text: str) -> int:
        try:
            value = int(text) if text.strip().isascii() else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value

    parse.__name__ = "number"
    return parse


#: An alert rule's id on the command line.
_rule_id = _count(1, 2**62, "a rule id like 3 (see 'ticker alerts list')")


def _alerts(name: str) -> Handler:
    """The handler ``name`` of :mod:`ticker.cli.alerts`, imported when it runs."""

    def run(args: argparse.Namespace) -> int:
        from ticker.cli import alerts as commands

        handler: Handler = getattr(commands, name)
        return handler(args)

    return run


def _add_alerts_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    alerts = commands.add_parser(
        "alerts",
        help="alert rules: add, list, remove, their history, and a test of the channels",
        parents=[common],
    )
    actions = alerts.add_subparsers(dest="alerts_command", metavar="ACTION", parser_class=_Parser)
    add = actions.add_parser(
        "add",
        help="add a rule, e.g. 'KZT/USD above 0.0021', 'USD/UZS move 2 --window 7d'",
        description=(
            "Add an alert rule. KIND is above|below (THRESHOLD: a level, in PAIR's "
            "orientation), change (percent between consecutive fixings), move (percent "
            "over --window), stale (business days without a new fixing) or divergence "
            "(percent between the shown rate and the other sources' median)."
        ),
        parents=[common],
    )
    add.add_argument("pair", metavar="PAIR", help="KZT (display orientation), KZT/USD or USD/KZT")
    add.add_argument("kind", metavar="KIND", help="above, below, change, move, stale, divergence")
    add.add_argument("threshold", metavar="THRESHOLD", help="a level, a percent, or days")
    add.add_argument("--window", metavar="DURATION", help="move: the window, e.g. 7d or 30d")
    add.add_argument("--direction", metavar="DIR", help="change/move: either (default), up or down")
    add.add_argument("--cooldown", metavar="DURATION", help="least time between firings (1h)")
    add.add_argument(
        "--hysteresis", metavar="PCT", help="above/below: re-arm band in percent (0.1)"
    )
    add.add_argument(
        "--channel",
        action="append",
        metavar="NAME",
        help="toast, bell, desktop or command (repeatable; default toast and bell)",
    )
    add.add_argument(
        "--command",
        metavar="ARGV",
        help="a program to run on firing, split like a shell would but run without one; "
        "placeholders {pair} {rate} {rule} {message} {as_of}",
    )
    add.add_argument("--label", metavar="TEXT", help="free text shown with the rule")
    add.set_defaults(handler=_alerts("add"))
    listing = actions.add_parser("list", help="every rule with its id and state", parents=[common])
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=_alerts("list_rules"))
    remove = actions.add_parser("remove", help="remove a rule by id", parents=[common])
    remove.add_argument("id", metavar="ID", type=_rule_id, help="the rule's id (see 'alerts list')")
    remove.set_defaults(handler=_alerts("remove"))
    history = actions.add_parser("history", help="past firings, newest first", parents=[common])
    history.add_argument("--json", action="store_true", help="print a JSON array")
    history.add_argument(
        "--limit", type=_count(1, 100_000), default=50, metavar="N", help="at most N (50)"
    )
    history.add_argument("--rule", type=_rule_id, metavar="ID", help="only this rule's firings")
    history.set_defaults(handler=_alerts("history"))
    test = actions.add_parser(
        "test",
        help="say which channels work here: send a desktop notification, run the hooks",
        parents=[common],
    )
    test.add_argument("id", metavar="ID", type=_rule_id, nargs="?", help="only this rule's hook")
    test.set_defaults(handler=_alerts("test"))
    alerts.set_defaults(handler=lambda _args: _help(alerts))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_OK


def _config_path(args: argparse.Namespace) -> int:
    from ticker.config import describe_database, find_config, load_settings, locations

    path, why = find_config(getattr(args, "config", None), os.environ)
    settings = load_settings(getattr(args, "config", None))
    if path is None:
        print(f"config: built-in defaults (no file at {locations.config_file()})")
    else:
        print(f"config: {path} (from {why})")
    source = " (from $TICKER_DB_URL)" if settings.db_url_from_env else ""
    print(f"database: {describe_database(settings.database_url)}{source}")
    return EXIT_OK


def _config_check(args: argparse.Namespace) -> int:
    from ticker.config import load_settings
    from ticker.storage.check import describe_store

    settings = load_settings(getattr(args, "config", None))
    origin = str(settings.path) if settings.path is not None else "built-in defaults"
    store = describe_store(settings)
    print(f"OK: {origin}; database {store}")
    return EXIT_OK


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option}: expected a date like 2026-01-31, got {text!r}") from None


def _date_range(args: argparse.Namespace) -> tuple[date | None, date | None]:
    since = _date(args.since, "--since")
    until = _date(args.until, "--until")
    if since is not None and until is not None and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    return since, until


def _rate_providers(names: list[str] | None, kind: str | None = "rates") -> list[str] | None:
    """The ``--provider`` names, checked: of ``kind`` (``rates``, ``indicators``, or
    None for any)."""
    from ticker.config import PROVIDERS

    if not names:
        return None
    allowed = [n for n, spec in PROVIDERS.items() if kind is None or spec.kind == kind]
    chosen: list[str] = []
    for name in names:
        if name not in allowed:
            other = PROVIDERS[name].kind if name in PROVIDERS else ""
            note = f" (an {other} source)" if other == "indicators" else ""
            note = f" (a {other} source)" if other == "rates" else note
            raise UsageError(
                f"--provider: expected one of {', '.join(allowed)}, got {name!r}{note}"
            )
        if name not in chosen:
            chosen.append(name)
    return chosen


def _pairs(codes: list[str] | None) -> list[str] | None:
    from ticker.model.pairs import parse_pair

    if not codes:
        return None
    locals_: list[str] = []
    for code in codes:
        try:
            local = parse_pair(code).local
        except ValueError as err:
            raise UsageError(f"--pair: {err}") from None
        if local not in locals_:
            locals_.append(local)
    return locals_


def _poll(args: argparse.Namespace) -> int:
    import asyncio

    from ticker.cli.report import poll_line
    from ticker.config import load_settings
    from ticker.core.clock import clock_from_env
    from ticker.core.collector import PollOutcome
    from ticker.core.runtime import opened, running
    from ticker.storage.repository import Repository

    settings = load_settings(getattr(args, "config", None))
    clock = clock_from_env()
    names = _rate_providers(args.provider, kind=None)
    if names is None and not settings.enabled_providers("rates"):  # before any store
        raise UsageError("no rate provider is enabled; enable one in [providers] or use --provider")
    firings: list[str] = []

    async def run(repo: Repository) -> list[PollOutcome]:
        async with running(settings, repo, clock, names=names) as runtime:
            collector = runtime.collector
            collector.subscribe(lambda done: firings.extend(f.message for f in done.firings))
            # Closing lets hooks and desktop notifications finish within their time limit.
            return await collector.poll_all()

    with opened(settings, clock, writes=True) as repo:
        outcomes = asyncio.run(run(repo))
    for outcome in outcomes:
        print(poll_line(outcome))
    for message in firings:
        print(f"alert: {message}")
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_PARTIAL


def _backfill(args: argparse.Namespace) -> int:
    import asyncio

    from ticker.cli.progress import ProgressDisplay
    from ticker.config import load_settings
    from ticker.core.backfill import Backfill, total_stored
    from ticker.core.clock import clock_from_env
    from ticker.core.net import make_client
    from ticker.core.registry import build_providers
    from ticker.storage.repository import Repository, opened_repository

    settings = load_settings(getattr(args, "config", None))
    since, until = _date_range(args)
    assert since is not None  # required by the parser
    clock = clock_from_env()
    today = clock().date()
    until = until or today
    if since > today:
        raise UsageError(f"--since {since} is in the future")
    if until > today:
        raise UsageError(f"--until {until} is in the future (today is {today} UTC)")
    names = _rate_providers(args.provider)
    locals_ = _pairs(args.pair)
    providers = build_providers(settings, names, now=clock)
    if not providers:
        raise UsageError("no rate provider is enabled; enable one in [providers] or use --provider")
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
            job = Backfill(repo, client, settings, providers, since, until, locals_, now=clock)
            display = ProgressDisplay(job.progress)
            drawing = asyncio.create_task(display.run())
            try:
                await job.run()
            finally:
                drawing.cancel()

    interrupted = ""
    store_error: StorageError | None = None
    with opened_repository(settings, writes=True) as repo:
        try:
            asyncio.run(run(repo))
        except StorageError as err:  # the store refused a write: every provider stopped
            store_error = err
        except KeyboardInterrupt:
            interrupted = "interrupted"
        except asyncio.CancelledError:
            if not stopped_by:
                raise
            interrupted = f"stopped by {stopped_by[0].name}"
    if display is not None:
        display.final()
    progress = job.progress if job is not None else {}
    stored = total_stored(progress)
    failed = {name: p.failures for name, p in progress.items() if p.failures}
    for name, failures in failed.items():
        shown = "; ".join(failures[:3]) + (
            f"; and {len(failures) - 3} more" if len(failures) > 3 else ""
        )
        print(f"ticker: {name}: {len(failures)} requests failed: {shown}", file=sys.stderr)
    if store_error is not None:
        print(
            f"ticker: {store_error}; {stored} new rows were stored before that. "
            "Run the same command to resume.",
            file=sys.stderr,
        )
        return store_error.exit_code
    if interrupted:
        print(
            f"ticker: {interrupted}; {stored} new rows stored. Run the same command to resume.",
            file=sys.stderr,
        )
        return 128 + stopped_by[0].value if stopped_by else 130
    empty = sum(p.no_fixing for p in progress.values())
    # A day a source has no fixing for is a day without data, not a failure (exit 0).
    note = f"; {empty} day{'s' if empty != 1 else ''} had no fixing" if empty else ""
    print(f"{stored} new rows stored from {since} to {until}{note}.", file=sys.stderr)
    return EXIT_PARTIAL if failed else EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from ticker.config import load_settings
    from ticker.core.export import ExportOptions, export
    from ticker.core.export.target import check_target, is_stdout
    from ticker.model.pairs import Orientation
    from ticker.storage.db import opened_store

    settings = load_settings(getattr(args, "config", None))
    since, until = _date_range(args)
    try:
        orientation = Orientation(args.orientation.strip().lower())
    except ValueError:
        raise UsageError(
            f"--orientation: expected per-usd or usd-per, got {args.orientation!r}"
        ) from None
    if args.best and args.wide:
        raise UsageError("--best and --wide: choose one (the wide form shows the best rate)")
    if args.indicators:
        rates_only = [
            option
            for option, given in (
                ("--pair", args.pair),
                ("--best", args.best),
                ("--wide", args.wide),
                ("--orientation", args.orientation != "per-usd"),
            )
            if given
        ]
        if rates_only:
            raise UsageError(f"--indicators: {rates_only[0]} is for rates, not indicators")
    options = ExportOptions(
        _pairs(args.pair),
        _rate_providers(args.provider, "indicators" if args.indicators else "rates"),
        since,
        until,
        best=args.best,
        wide=args.wide,
        orientation=orientation,
        indicators=args.indicators,
    )
    if not is_stdout(args.output):
        check_target(Path(args.output), args.force)  # before opening the database
    with opened_store(settings) as db:
        count = export(db, settings, options, args.output, args.force)
    if not is_stdout(args.output):
        print(f"{count} row{'' if count == 1 else 's'} written to {args.output}", file=sys.stderr)
    return EXIT_OK


def _indicators(args: argparse.Namespace) -> int:
    from ticker.config import configured, load_settings
    from ticker.display.indicators import indicators_json, indicators_table
    from ticker.model.indicators import COUNTRIES, build_series
    from ticker.storage.db import store_exists
    from ticker.storage.repository import opened_repository

    settings = load_settings(getattr(args, "config", None))
    countries = list(COUNTRIES)
    if args.country:
        countries = []
        for code in args.country:
            iso3 = code.strip().upper()
            if iso3 not in COUNTRIES:
                raise UsageError(f"--country: expected one of {', '.join(COUNTRIES)}, got {code!r}")
            if iso3 not in countries:
                countries.append(iso3)
    wanted = configured(settings)
    if args.indicator:
        codes = [c.strip() for c in args.indicator]
        known = {code for _source, code in wanted}
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise UsageError(
                f"--indicator: expected one of the configured indicators "
                f"({', '.join(sorted(known))}), got {unknown[0]!r}"
            )
        wanted = [(s, c) for s, c in wanted if c in codes]
    points = []
    if store_exists(settings.database_url, settings.database_url_origin):
        with opened_repository(settings) as repo:
            points = repo.indicator_points(countries=countries)
    series = build_series(points, wanted, countries)
    if args.json:
        print(indicators_json(series))
    else:
        print(indicators_table(series, countries))
    if not points:
        print(
            "ticker: no indicators stored yet; run 'ticker poll --provider worldbank "
            "--provider imf' (the collector fetches them daily)",
            file=sys.stderr,
        )
        return EXIT_PARTIAL
    return EXIT_OK


def _dashboard(args: argparse.Namespace) -> int:
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
        from ticker.config import load_settings
        from ticker.core.clock import clock_from_env

        settings = load_settings(getattr(args, "config", None))
        clock = clock_from_env()
        if not sys.stdout.isatty() or not sys.stdin.isatty():
            raise UsageError("the dashboard needs a terminal; see 'ticker --help' for commands")
        from ticker.tui.app import TickerApp  # imported only here: the rest stays headless

        TickerApp(
            settings,
            collect=not args.no_collect,
            now=clock,
            after_first_frame=gc.enable,
            after_first_data=_set_aside_startup_objects,
        ).run()
    finally:
        gc.enable()
    return EXIT_OK


def _set_aside_startup_objects() -> None:
    import gc

    gc.collect()
    gc.freeze()


def _collect(args: argparse.Namespace) -> int:
    import asyncio

    from ticker.cli.logsetup import setup_logging
    from ticker.config import load_settings, locations
    from ticker.core.clock import clock_from_env
    from ticker.core.daemon import collect

    settings = load_settings(getattr(args, "config", None))
    clock = clock_from_env()
    if not settings.enabled_providers("rates"):
        raise UsageError("no rate provider is enabled; enable one in [providers]")
    warning = setup_logging(locations.state_dir() / "collector.log")
    if warning:
        print(f"ticker: {warning}", file=sys.stderr)
    asyncio.run(collect(settings, now=clock))
    return EXIT_OK


def _read_views(args: argparse.Namespace) -> tuple[Any, list[Any]]:
    """Settings and the routed rates, from the store only."""
    from ticker.config import load_settings
    from ticker.core.clock import clock_from_env
    from ticker.core.rates import current_rates
    from ticker.storage.db import store_exists
    from ticker.storage.repository import opened_repository

    settings = load_settings(getattr(args, "config", None))
    clock = clock_from_env()
    orientation = settings.display.orientation
    if args.invert:
        orientation = orientation.flipped()
    if not store_exists(settings.database_url, settings.database_url_origin):
        return settings, []
    with opened_repository(settings) as repo:
        views = current_rates(repo, settings, clock(), orientation)
    return settings, views


_EMPTY = "no rates stored yet; run 'ticker poll' (or 'ticker collect') first"


def _rates(args: argparse.Namespace) -> int:
    from ticker.display.views import rates_json, rates_table

    settings, views = _read_views(args)
    if args.json:
        print(rates_json(views))
    elif views:
        print(rates_table(views, settings.display.significant_digits))
    if not views:
        print(f"ticker: {_EMPTY}", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


def _strip(args: argparse.Namespace) -> int:
    from ticker.display.strip import strip_line

    settings, views = _read_views(args)
    if not views:
        print(f"ticker: {_EMPTY}", file=sys.stderr)
        return EXIT_PARTIAL
    print(strip_line(views, settings.display.significant_digits))
    return EXIT_OK


def _providers(args: argparse.Namespace) -> int:
    from ticker.config import PROVIDERS, load_settings
    from ticker.core.clock import clock_from_env
    from ticker.display.views import providers_json, providers_table
    from ticker.storage.db import store_exists
    from ticker.storage.repository import opened_repository

    settings = load_settings(getattr(args, "config", None))
    health = {}
    if store_exists(settings.database_url, settings.database_url_origin):
        with opened_repository(settings) as repo:
            health = repo.load_health()
    names = list(PROVIDERS)
    enabled = set(settings.enabled_providers("rates") + settings.enabled_providers("indicators"))
    if args.json:
        print(providers_json(names, health, enabled))
    else:
        print(providers_table(names, health, enabled, clock_from_env()()))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handler: Handler = args.handler
        return handler(args)
    except TickerError as err:
        print(f"ticker: {printable(str(err))}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("ticker: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # stdout closed early (``ticker ... | head``): not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as err:  # the environment refused: disk full, permissions, ...
        where = f"{err.filename}: " if err.filename else ""
        print(f"ticker: {printable(where + str(err.strerror or err))}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as err:  # a bug: say so in one line, traceback only on request
        if os.environ.get("TICKER_DEBUG"):
            raise
        print(
            f"ticker: unexpected internal error: {type(err).__name__}: {printable(str(err))} "
            "(run with TICKER_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
