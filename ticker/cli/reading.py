"""The commands that read the store: ``rates``, ``strip``, ``providers``, ``export``,
``indicators``, and ``config check`` / ``config path``."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ticker.cli.args import (
    checked_countries,
    checked_period,
    checked_providers,
    checked_series,
    date_range,
    split_pairs,
)
from ticker.cli.context import Context
from ticker.cli.exits import EXIT_OK, EXIT_PARTIAL, NOTHING_STORED
from ticker.errors import UsageError
from ticker.i18n.numbers import localised
from ticker.i18n.words import _, ngettext

if TYPE_CHECKING:
    import argparse

    from ticker.config import Settings
    from ticker.display.market_sources import MarketState
    from ticker.storage.reads import ReadQueries


def export_command(args: argparse.Namespace) -> int:
    from ticker.core.export import ExportOptions, export
    from ticker.model.pairs import Orientation

    ctx = Context.of(args)
    since, until = date_range(args, ctx.now().date())
    try:
        orientation = Orientation(args.orientation.strip().lower())
    except ValueError:
        raise UsageError(
            _("--orientation: expected per-usd or usd-per, got {orientation}").format(
                orientation=repr(args.orientation)
            )
        ) from None
    if args.best and args.wide:
        raise UsageError(_("--best and --wide: choose one (the wide form shows the best rate)"))
    if args.sources and not args.wide:
        raise UsageError(_("--sources: goes with --wide (the other forms have a provider column)"))
    if args.revisions and not args.indicators:
        raise UsageError(_("--revisions: goes with --indicators"))
    if args.market or args.indicators:
        rates_only = [
            option
            for option, given in (
                ("--pair", args.pair),
                ("--best", args.best),
                ("--wide", args.wide),
                ("--sources", args.sources),
                ("--orientation", args.orientation != "per-usd"),
            )
            if given
        ]
        if args.market and args.indicators:
            rates_only.insert(0, "--indicators")
        if args.market and args.provider:
            rates_only.append("--provider")
        if rates_only:
            what = "--market" if args.market else "--indicators"
            raise UsageError(
                (
                    _("{what}: {option} is for rates, not the market")
                    if args.market
                    else _("{what}: {option} is for rates, not indicators")
                ).format(what=what, option=rates_only[0])
            )
    if args.market:
        return _export_market(args, ctx, since, until)
    locals_, others = split_pairs(args.pair)
    options = ExportOptions(
        locals_,
        checked_providers(args.provider, "indicators" if args.indicators else "rates"),
        since,
        until,
        best=args.best,
        wide=args.wide,
        sources=args.sources,
        orientation=orientation,
        indicators=args.indicators,
        revisions=args.revisions,
        pairs=others,
    )
    return _run_export(
        args, ctx, lambda store: export(store, ctx.settings, options, args.output, args.force)
    )


def _export_market(args: argparse.Namespace, ctx: Context, since: Any, until: Any) -> int:
    from ticker.core.export.market import export_market

    return _run_export(
        args, ctx, lambda store: export_market(store, since, until, args.output, args.force)
    )


def _run_export(args: argparse.Namespace, ctx: Context, write: Callable[[ReadQueries], int]) -> int:
    """Write an export to ``args.output``: the target checked before the store is opened,
    SIGTERM and SIGHUP as Ctrl-C (the temporary file removed), the rows counted on stderr."""
    from ticker.core.export.target import check_target, is_stdout

    if not is_stdout(args.output):
        check_target(Path(args.output), args.force)  # before opening the database
    import signal  # an export's: not on the path of the other reads

    stopped: list[signal.Signals] = []

    def stop(signum: int, _frame: object) -> None:
        """SIGTERM (a service manager, ``timeout``) or SIGHUP (the terminal closed): as
        Ctrl-C, the temporary file is removed and the target left as it was."""
        if not stopped:
            stopped.append(signal.Signals(signum))
            raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        with ctx.reads() as store:
            count = write(store)
    except KeyboardInterrupt:
        if not stopped:
            raise
        print(_("ticker: stopped by {name}").format(name=stopped[0].name), file=sys.stderr)
        return 128 + stopped[0].value
    finally:
        for sig, handler in previous.items():
            if handler is not None:  # None: not set from Python, nothing to put back
                signal.signal(sig, handler)
    if not is_stdout(args.output):
        print(
            ngettext(
                "{count} row written to {output}", "{count} rows written to {output}", count
            ).format(count=localised(f"{count:,}"), output=args.output),
            file=sys.stderr,
        )
    return EXIT_OK


def indicators_command(args: argparse.Namespace) -> int:
    """The monetary monitor (unless only ``--indicator`` is given), then the annual
    indicators (unless only ``--series`` is given)."""
    from ticker.cli.width import columns
    from ticker.config import configured, monetary_asked, monetary_sources
    from ticker.display.indicators import annual_off, indicators_json, indicators_table
    from ticker.display.monetary_screen import calendar_notes
    from ticker.display.monetary_text import (
        monetary_records,
        monitor_lines,
        next_decisions,
        speaking_sources,
    )
    from ticker.display.views import exact_json
    from ticker.model.indicators import COUNTRIES, build_series
    from ticker.model.monetary import SHOWN_SERIES, monetary_view

    ctx = Context.of(args)
    countries = checked_countries(args.country) or list(COUNTRIES)
    asked_series = checked_series(args.series)
    codes = asked_series or list(SHOWN_SERIES)
    show_monitor = bool(asked_series) or not args.indicator
    show_annual = bool(args.indicator) or not asked_series
    wanted = configured(ctx.settings)
    if args.indicator and not wanted:
        raise UsageError(
            _("--indicator: no annual indicator source is enabled: {annual_off}").format(
                annual_off=annual_off()
            )
        )
    if args.indicator:
        chosen = [c.strip() for c in args.indicator]
        known = {code for _source, code in wanted}
        unknown = [c for c in chosen if c not in known]
        if unknown:
            raise UsageError(
                _(
                    "--indicator: expected one of the configured indicators ({known}), got {text}"
                ).format(known=", ".join(sorted(known)), text=repr(unknown[0]))
            )
        wanted = [(s, c) for s, c in wanted if c in chosen]
    monetary = monetary_sources(ctx.settings)
    annual = list(dict.fromkeys(source for source, _code in wanted))
    points, refusals, values = [], [], []
    with ctx.stored_reads() as reads:
        if reads is not None:
            with reads.reading():
                if show_annual:
                    points = reads.indicator_points(sources=annual, countries=countries)
                    refusals = reads.indicator_refusals()
                if show_monitor:  # every country's: whether a source has a series at all
                    values = reads.indicator_points(sources=monetary, indicators=codes)
    today = ctx.clock().date()
    view = monetary_view(values, monetary_asked(ctx.settings), countries, codes, today)
    held = {(p.source, p.indicator) for p in values if p.value is not None}
    series = build_series(points, wanted, countries, refusals) if show_annual else []
    if args.json:
        document: dict[str, Any] = {}
        if show_monitor:
            document["monetary"] = monetary_records(view, codes)
            document["next_decisions"] = next_decisions(
                ctx.settings.decisions, countries, ctx.clock()
            )
        if show_annual:
            import json  # the --json forms only

            document["annual"] = json.loads(indicators_json(series))
        print(exact_json(document))
    else:
        notes = calendar_notes(ctx.settings.decisions, countries, ctx.clock())
        lines = monitor_lines(view, codes, held, columns(), notes)
        parts = ["\n".join(lines)] if show_monitor else []
        if show_annual:
            parts.append(
                indicators_table(series, countries)
                if wanted
                else _("annual indicators: {why}").format(why=annual_off())
            )
        print("\n\n".join(parts))
    empty = [
        *(annual if show_annual and not points else []),
        *(speaking_sources(view) if show_monitor and not values else []),
    ]
    if empty:
        nothing = (not show_annual or not points) and (not show_monitor or not values)
        command = "ticker poll " + " ".join(f"--provider {name}" for name in empty)
        if args.country:
            said = (
                _(
                    "ticker: no indicators stored yet from {sources} for {countries}; run "
                    "'{command}' (the collector fetches them on its schedule)"
                )
                if nothing
                else _(
                    "ticker: nothing stored yet from {sources} for {countries}; run "
                    "'{command}' (the collector fetches them on its schedule)"
                )
            )
        else:
            said = (
                _(
                    "ticker: no indicators stored yet from {sources}; run '{command}' (the "
                    "collector fetches them on its schedule)"
                )
                if nothing
                else _(
                    "ticker: nothing stored yet from {sources}; run '{command}' (the "
                    "collector fetches them on its schedule)"
                )
            )
        print(
            said.format(
                sources=", ".join(empty), countries=", ".join(countries or ()), command=command
            ),
            file=sys.stderr,
        )
        if nothing:
            return EXIT_PARTIAL
    return EXIT_OK


def read_views(args: argparse.Namespace) -> tuple[Any, list[Any]]:
    """Settings and the routed rates of the pairs shown, from the store only."""
    from ticker.cli.shown import current_views, shown_pairs

    period = checked_period(args.change)
    ctx = Context.of(args)
    clock = ctx.clock
    settings = ctx.settings
    pairs = shown_pairs(args, settings)
    with ctx.stored_reads() as reads:
        if reads is None:
            return settings, []
        views = current_views(reads, settings, clock(), pairs, period)
    return settings, views


def rates_command(args: argparse.Namespace) -> int:
    from ticker.display.views import rates_json, rates_table

    settings, views = read_views(args)
    if args.json:
        print(rates_json(views))
    elif views:
        print(rates_table(views, settings.display.significant_digits))
    if not views:
        print("ticker: " + _(NOTHING_STORED), file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


def providers_command(args: argparse.Namespace) -> int:
    from ticker.cli.width import columns
    from ticker.config import POLLED_KINDS, PROVIDERS, configured, monetary_sources
    from ticker.core.watch import store_collectors
    from ticker.display.collectors import collector_json, collectors_lines
    from ticker.display.market_sources import market_json, market_lines, market_states
    from ticker.display.views import exact_json, providers_json, providers_table

    ctx = Context.of(args)
    settings = ctx.settings
    now = ctx.now()
    health = {}
    refusals = []
    collectors = []
    with ctx.stored_reads() as reads:
        if reads is not None:
            health = reads.load_health()
            wanted = set(configured(settings))  # an indicator no longer asked for is not said
            wanted |= {
                (source, code)
                for source in monetary_sources(settings)
                for code in settings.providers[source].indicators
            }
            refusals = [r for r in reads.indicator_refusals() if (r.source, r.indicator) in wanted]
            collectors = store_collectors(reads, now)
    names = list(PROVIDERS)
    enabled = {name for kind in POLLED_KINDS for name in settings.enabled_providers(kind)}
    market = market_states(settings)
    if args.json:
        import json  # the --json form only: a status bar's text form never loads it

        records = json.loads(providers_json(names, health, enabled, refusals))
        active = [collector_json(c) for c in collectors if c.role == "active"]
        document = {
            "providers": records,
            "collector": active[0] if active else None,
            "standbys": [collector_json(c) for c in collectors if c.role != "active"],
        }
        if market:
            document["market"] = market_json(market)
        print(exact_json(document))
    else:
        width = None if args.verbose else columns()  # a pipe: every refusal, by reason
        print(providers_table(names, health, enabled, now, refusals, width, args.verbose))
        print()
        if market:
            print("\n".join([*market_lines(_said(market, settings)), ""]))
        print("\n".join(collectors_lines(collectors, now)))
    return EXIT_OK


def health_command(args: argparse.Namespace) -> int:
    from ticker.core.watch import Verdict, judge
    from ticker.display.collectors import health_json, health_text
    from ticker.errors import StorageError
    from ticker.i18n.choice import machine_words

    ctx = Context.of(args)
    now = ctx.now()
    # --json's reasons are the same bytes in every language: judged in English.
    with machine_words() if args.json else contextlib.nullcontext():
        try:
            with ctx.stored_reads() as reads:
                verdict = judge(reads, ctx.settings, now)
        except StorageError as err:  # a store that does not answer: degraded, said why
            verdict = Verdict([], [], [f"store: {err}"])
    print(health_json(verdict) if args.json else health_text(verdict, now))
    return EXIT_OK if verdict.ok else EXIT_PARTIAL


def config_path_command(args: argparse.Namespace) -> int:
    from ticker.config import describe_database, find_config, locations

    path, why = find_config(getattr(args, "config", None), os.environ)
    settings = Context.of(args).settings
    if path is None:
        print(
            _("config: built-in defaults (no file at {config_file})").format(
                config_file=locations.config_file()
            )
        )
    else:
        print(_("config: {path} (from {why})").format(path=path, why=why))
    said = (
        _("database: {database} (from $TICKER_DB_URL)")
        if settings.db_url_from_env
        else _("database: {database}")
    )
    print(said.format(database=describe_database(settings.database_url)))
    return EXIT_OK


def _said(states: list[MarketState], settings: Settings) -> list[MarketState]:
    """The market sources with why each is off in the user's language (``off`` itself
    is the English of the JSON outputs: :func:`ticker.config.sources.off_reason_said`)."""
    import dataclasses

    from ticker.config.sources import off_reason_said

    return [
        dataclasses.replace(s, off=off_reason_said(s.provider, settings.providers[s.provider]))
        for s in states
    ]


def config_check_command(args: argparse.Namespace) -> int:
    from ticker.display.market_sources import market_lines, market_states
    from ticker.storage.check import describe_store

    settings = Context.of(args).settings
    origin = str(settings.path) if settings.path is not None else _("built-in defaults")
    store = describe_store(settings)
    print(_("OK: {origin}; database {store}").format(origin=origin, store=store))
    # On, or why not (never a token), in the user's words.
    for line in market_lines(_said(market_states(settings), settings)):
        print(line)
    return EXIT_OK
