"""``ticker alerts add|list|remove|history|test``: the rules and their firings, from the
command line. Every rule is checked as config.toml's ``[[alerts]]`` are, and nothing is
stored unless it passes."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ticker.cli.alert_market import best_now, is_market, level_words, no_board, split_channels
from ticker.cli.alert_release import far_level_hint, level_said, release_entry
from ticker.cli.typed import canonical, canonical_or_none
from ticker.cli.writing import WriteContext
from ticker.config import Settings, format_duration
from ticker.config.rules import rule_from_entry
from ticker.display.format import format_rate
from ticker.display.rules import condition_text, describe_rule, number, rule_status
from ticker.display.views import exact_json, text_table, utc_text
from ticker.errors import UsageError
from ticker.i18n.numbers import localised
from ticker.i18n.words import _, pgettext
from ticker.i18n.zone import in_zone, zone_name
from ticker.model.records import AlertEvent, StoredRule, same_condition
from ticker.model.rules import THRESHOLD_KEYS, AlertRuleConfig, threshold_entry

if TYPE_CHECKING:
    from ticker.core.alerts.firing import Firing
    from ticker.storage.reads import ReadQueries
    from ticker.storage.repository import Repository

#: config.toml keys as the command line spells them, for error messages.
CLI_NAMES = {
    "pair": "PAIR",
    "country": "COUNTRY",
    "kind": "KIND",
    **dict.fromkeys(THRESHOLD_KEYS, "THRESHOLD"),
    "series": "SERIES",
    "window": "--window",
    "direction": "--direction",
    "cooldown": "--cooldown",
    "hysteresis": "--hysteresis",
    "channels": "--channel",
    "market_channel": "--channel",
    "hook": "--hook",
    "label": "--label",
}


def add(args: argparse.Namespace) -> int:
    ctx = WriteContext.of(args)
    settings = ctx.settings
    kind = args.kind.strip().lower()
    release = release_entry(args)  # COUNTRY SERIES changed|above|below [LEVEL]
    entry: dict[str, object]
    side: str | None = None
    if release is not None:
        entry, kind = release, "release"
    else:
        entry = {"pair": args.pair, "kind": kind}
        side, level = level_words(kind, args.threshold, args.level)
        key, threshold = threshold_entry(kind, canonical(level, "THRESHOLD"))
        entry[key] = threshold
    options = {
        "window": args.window,
        "direction": side if side is not None else args.direction,
        "cooldown": args.cooldown,
        "hysteresis": canonical_or_none(args.hysteresis, "--hysteresis"),
        "label": args.label,
    }
    entry.update({k: v for k, v in options.items() if v is not None})
    channels, market_channel = split_channels(kind, args.channel)
    if channels:
        entry["channels"] = channels
    if market_channel is not None:
        entry["market_channel"] = market_channel
    refuse_command(args)
    if args.hook is not None:
        entry["hook"] = args.hook
    try:
        rule = rule_from_entry(
            entry, settings.display.orientation, settings.webhook.url, settings.pairs.watch
        )
    except UsageError as err:
        names = {**CLI_NAMES, "value": "LEVEL"} if release is not None else CLI_NAMES
        raise UsageError(cli_message(str(err), names)) from None
    from ticker.core.alerts.reach import channel_gaps, first_look, nowhere_words
    from ticker.core.alerts.releases import unsourced_words

    gaps = channel_gaps(rule, settings)
    with ctx.store() as repo:
        same = same_condition(repo.alert_rules(), rule)
        if same is not None:
            raise UsageError(
                _("the same rule is already stored: {rule}").format(rule=describe_rule(same))
            )
        rule_id = repo.add_alert_rule(rule, "cli", ctx.now())
        hint = orientation_hint(repo, settings, rule, ctx.now())
        hint = hint or far_level_hint(repo, settings, rule_id, rule, ctx.now())
        # Judged at once; fired here only when every channel can deliver here (else the
        # collector fires it, through the channels of its own machine).
        look = first_look(repo, settings, rule_id, ctx.now(), fire=not gaps)
        if look.firings:
            deliver_now(ctx, repo, list(look.firings))
    label = f' "{rule.label}"' if rule.label else ""
    state = _("armed")
    if look.holds:
        state = look.words(
            _("the collector fires it at its next poll (a channel of it cannot deliver here)")
        )
        state = state if look.firings else _("armed; {state}").format(state=state)
    elif look.release and look.holds is not None:
        state = _("armed; {state}").format(state=look.words())
    state = "; ".join(filter(None, (level_said(rule), state)))  # a release level's unit
    print(
        _("added alert #{id}: {subject} {condition}{label} ({state})").format(
            id=rule_id,
            subject=rule.subject,
            condition=condition_text(rule),
            label=label,
            state=state,
        )
    )
    if hint:
        print(_("ticker: note: {hint}").format(hint=hint), file=sys.stderr)
    unsourced = unsourced_words(rule, settings)  # stored all the same: the config may change
    if unsourced:
        print(_("ticker: warning: {unsourced}").format(unsourced=unsourced), file=sys.stderr)
    nowhere = nowhere_words(rule, settings) or no_board(rule)
    if nowhere:
        print(_("ticker: warning: {nowhere}").format(nowhere=nowhere), file=sys.stderr)
    else:
        note_undefined_hook(settings, rule)
        if rule.hook in settings.hooks and "command" in gaps:
            print(
                _("ticker: note: {why}: the hook does not run here").format(why=gaps["command"]),
                file=sys.stderr,
            )
    return 0


def deliver_now(ctx: WriteContext, repo: Repository, firings: list[Firing]) -> None:
    """Deliver firings recorded by this command, as ``ticker poll`` does: through each
    channel, the webhook's and Telegram's kept in the store until sent."""
    from ticker.core.alerts.deliver import Dispatcher
    from ticker.core.alerts.outbox import Outbox

    settings = ctx.settings
    timeout = settings.collector.hook_timeout.total_seconds()

    async def run(func: Any, *args: Any) -> Any:
        return await asyncio.to_thread(func, *args)

    async def deliver() -> None:
        dispatcher = Dispatcher(
            timeout, settings.webhook, hooks=settings.hooks, telegram=settings.telegram,
            outbox=Outbox(repo, ctx.now, run),
        )  # fmt: skip
        dispatcher.deliver(firings)
        await dispatcher.drain(timeout + 1)

    asyncio.run(deliver())


def refuse_command(args: argparse.Namespace) -> None:
    """The old ``--command ARGV``: one line saying what took its place."""
    if args.command is not None:
        from ticker.config.hooks import NO_PROGRAM_WITH_A_RULE

        raise UsageError(
            _("--command: {refused} and give --hook NAME").format(refused=NO_PROGRAM_WITH_A_RULE)
        )


def note_undefined_hook(settings: Settings, rule: AlertRuleConfig) -> None:
    """A word when the rule's hook is not defined here (it runs where it is)."""
    if rule.hook and rule.hook not in settings.hooks:
        print(
            _(
                'ticker: note: hook "{hook}" is not defined here (no [hooks.{hook}] in this '
                "machine's config): it runs only on a collector whose config defines it"
            ).format(hook=rule.hook),
            file=sys.stderr,
        )


def orientation_hint(
    repo: ReadQueries, settings: Settings, rule: AlertRuleConfig, now: datetime
) -> str:
    """A word when a level is far (10x or more) from the pair's rate: most likely written
    for the other orientation (KZT/USD 476 instead of USD/KZT 476)."""
    pair = rule.pair  # None: a release rule (a series' level is never turned round)
    if pair is None or rule.value is None or is_market(rule.kind):  # nor a board's price
        return ""
    from ticker.core.pair_rates import pair_rates

    views = pair_rates(repo, settings, [pair], now, repo.load_health())
    view = views[0] if views else None
    if view is None or Decimal("0.1") < rule.value / view.rate < 10:
        return ""
    other = pair.oriented(pair.orientation.flipped())
    shown = format_rate(view.rate, settings.display.significant_digits)
    return _(
        "{pair} is {rate} now, far from {level}; "
        "for a level in {other}, remove this rule and write the pair as {other}"
    ).format(pair=pair, rate=shown, level=localised(number(rule.value)), other=other)


def cli_message(message: str, names: dict[str, str] = CLI_NAMES) -> str:
    """``value: expected ...`` -> ``THRESHOLD: expected ...`` (the name the user typed)."""
    match = re.match(r"(\w+)(\[\d+\])?: ", message)
    if match is None or match.group(1) not in names:
        return message
    return names[match.group(1)] + ": " + message[match.end() :]


def list_rules(args: argparse.Namespace) -> int:
    ctx = WriteContext.of(args)
    rules = stored_rules(ctx)
    now = ctx.now()
    prices = market_prices(ctx, rules, now)
    if args.json:
        print(exact_json([_rule_record(r) for r in rules]))
        return 0
    if not rules:
        print(
            _(
                "no alert rules yet: add one with 'ticker alerts add KZT above 0.0021', "
                "in the dashboard (a), or as [[alerts]] in config.toml"
            )
        )
        return 0
    # "Pair" while every rule watches one; "Subject" once a release rule lists a country.
    subject = _("Pair") if all(r.rule.pair is not None for r in rules) else _("Subject")
    rows = [(_("ID"), subject, _("Condition"), _("State"), _("Channels"), _("From"), _("Label"))]
    for r in rules:
        rows.append(
            (
                str(r.id),
                r.rule.subject,
                condition_text(r.rule),
                "; ".join(filter(None, (rule_status(r, now).text, prices.get(r.id)))),
                ",".join(r.rule.channels),
                origin_word(r.origin),
                r.rule.label or "-",
            )
        )
    print(text_table(rows, right={0}))
    return 0


def origin_word(origin: str) -> str:
    """Where a rule was made, as the list's "From" column says it: the id in English
    (``cli``, ``dashboard``, ``config``, as the JSON has it), words in another language."""
    words = {
        "cli": pgettext("rule origin", "cli"),
        "dashboard": pgettext("rule origin", "dashboard"),
        "config": pgettext("rule origin", "config"),
    }
    return words.get(origin, origin)


def market_prices(ctx: WriteContext, rules: list[StoredRule], now: datetime) -> dict[int, str]:
    """Each market rule's best current price (:func:`best_now`), by rule id."""
    if not any(is_market(r.rule.kind) for r in rules):
        return {}
    with ctx.stored_reads() as reads:
        return best_now(reads, rules, now) if reads is not None else {}


def stored_rules(ctx: WriteContext) -> list[StoredRule]:
    """Every rule, config.toml's included (synced first, so they have their ids)."""
    if not ctx.settings.alerts and not ctx.store_exists():
        return []  # nothing stored and nothing to store: do not create the database
    with ctx.reads(sync_rules=True) as reads:
        return reads.alert_rules()


def _rule_record(r: StoredRule) -> dict[str, Any]:
    rule = r.rule
    return {
        "id": r.id,
        "pair": rule.subject,
        **({"country": rule.country, "series": rule.series} if rule.pair is None else {}),
        "kind": rule.kind,
        "value": rule.value,
        "percent": rule.percent,
        "direction": rule.direction,
        "market_channel": rule.market_channel,
        "window": format_duration(rule.window) if rule.window else None,
        "days": rule.days,
        "cooldown": format_duration(rule.cooldown),
        "hysteresis": rule.hysteresis,
        "channels": list(rule.channels),
        "hook": rule.hook,
        "label": rule.label,
        "origin": r.origin,
        "enabled": r.enabled,
        "armed": r.state.armed,
        "last_fired_at": utc_text(r.state.last_fired_at) if r.state.last_fired_at else None,
        "snoozed_until": utc_text(r.snoozed_until) if r.snoozed_until else None,
        "created_at": utc_text(r.created_at),
    }


def remove(args: argparse.Namespace) -> int:
    ctx = WriteContext.of(args)
    settings = ctx.settings
    with ctx.store() as repo:
        rules = {r.id: r for r in repo.alert_rules()}
        stored = rules.get(args.id)
        if stored is None:
            known = ", ".join(f"#{i}" for i in rules) or _("none")
            raise UsageError(
                _("no alert rule #{id} (stored rules: {known})").format(id=args.id, known=known)
            )
        if stored.origin == "config":
            where = settings.path or "config.toml"
            raise UsageError(
                _("alert #{id} comes from {where} ([[alerts]]); remove it there").format(
                    id=args.id, where=where
                )
            )
        repo.delete_alert_rule(args.id)
    print(_("removed {rule}").format(rule=describe_rule(stored)))
    return 0


def history(args: argparse.Namespace) -> int:
    ctx = WriteContext.of(args)
    events: list[AlertEvent] = []
    known: dict[int, bool] = {}
    with ctx.stored_reads() as reads:
        if reads is not None:
            if args.rule is not None:
                known = reads.rule_ids()
            events = reads.alert_events(args.limit, rule_id=args.rule)
    if args.rule is not None and args.rule not in known:
        listed = ", ".join(f"#{i}" for i, removed in known.items() if not removed) or _("none")
        raise UsageError(
            _("no alert rule #{id} (stored rules: {known})").format(id=args.rule, known=listed)
        )
    if args.json:
        print(exact_json([_event_record(e) for e in events]))
        return 0
    if not events:
        if args.rule is not None:
            said = (
                _("alert #{id} (removed) has not fired yet")
                if known[args.rule]
                else _("alert #{id} has not fired yet")
            )
            print(said.format(id=args.rule))
        else:
            print(_("no alert has fired yet"))
        return 0
    # The times on the user's clock, the zone said once in the heading (that of the
    # newest firing; a zone's name can change with daylight saving).
    heading = _("Fired ({zone})").format(zone=zone_name(events[0].fired_at))
    rows = [(heading, _("Rule"), _("Message"))]
    for e in events:
        fired = f"{in_zone(e.fired_at):%Y-%m-%d %H:%M}"
        rule = f"#{e.rule_id}" if e.rule_id is not None else "-"
        rows.append((fired, rule, e.message))
    print(text_table(rows, right=set()))
    return 0


def _event_record(e: AlertEvent) -> dict[str, Any]:
    return {
        "id": e.id,
        "rule_id": e.rule_id,
        "fired_at": utc_text(e.fired_at),
        "pair": e.pair,
        "rate": e.rate,
        "message": e.message,
        "provider": e.provider,
        "as_of": e.as_of.isoformat() if e.as_of else None,
    }
