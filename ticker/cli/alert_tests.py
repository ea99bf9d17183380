"""``ticker alerts test``: which channels work on this machine, by using each: a desktop
notification, each rule's hook run once (what it did: its exit code, the start of its
output, how long it took), a test post to the webhook and a test message from the
Telegram bot."""

from __future__ import annotations

import argparse
import asyncio
import shlex
from datetime import datetime
from pathlib import Path

from ticker.cli.alerts import stored_rules
from ticker.cli.writing import WriteContext
from ticker.config import Settings
from ticker.display.rules import describe_rule
from ticker.errors import UsageError
from ticker.i18n.numbers import localised
from ticker.i18n.words import _, ngettext
from ticker.model.records import StoredRule


def _shown_rates(ctx: WriteContext, rules: list[StoredRule]) -> dict[int, str]:
    """The rate each rule's pair shows now, in the rule's orientation, as a hook gets it
    (``{rate}``); rules whose pair has nothing stored are left out."""
    if not rules:
        return {}
    from ticker.core.pair_rates import pair_rates

    pairs = list(dict.fromkeys(s.rule.pair for s in rules if s.rule.pair is not None))
    if not pairs:  # release rules only: no rate
        return {}
    with ctx.reads() as reads:
        views = {v.pair: v for v in pair_rates(reads, ctx.settings, pairs, ctx.now())}
    return {
        stored.id: format(views[stored.rule.pair].rate, "f")
        for stored in rules
        if stored.rule.pair in views
    }


def test(args: argparse.Namespace) -> int:
    """Say which channels work here: send a desktop notification, run the hooks, post to
    the webhook (when ``[webhook] url`` is set), write with the Telegram bot (when
    ``[telegram]`` is)."""
    from ticker.core.alerts.deliver import desktop_command, notify_desktop

    ctx = WriteContext.of(args)
    settings = ctx.settings
    rules = stored_rules(ctx)
    if args.id is not None:
        rules = [r for r in rules if r.id == args.id]
        if not rules:
            raise UsageError(_("no alert rule #{id} (see 'ticker alerts list')").format(id=args.id))
    failed = False
    print(_("toast, bell: shown by the dashboard while it is open ('ticker')"))
    argv = desktop_command("ticker", "test")
    if argv is None:
        print(
            _(
                "desktop: not available here (no notify-send, and no D-Bus session with "
                "gdbus); desktop alerts are skipped"
            )
        )
    else:
        result = asyncio.run(notify_desktop("ticker: test", "ticker alerts test: desktop works"))
        ok = result is not None and result.ok
        failed |= not ok
        detail = result.detail if result is not None else _("not available")
        if ok:
            print(_("desktop: works ({name})").format(name=Path(argv[0]).name))
        else:
            print(_("desktop: FAILED ({detail})").format(detail=detail))
    failed |= not _test_hooks(ctx, rules)
    if settings.webhook.url:
        failed |= not _test_webhook(settings, rules, ctx.now())
    if settings.telegram.ready:
        failed |= not _test_telegram(settings, rules)
    elif any("telegram" in r.rule.channels for r in rules):
        failed = True
        print(
            _(
                "telegram: FAILED (no [telegram] token and chat_id here, nor "
                "$TICKER_TELEGRAM_TOKEN and $TICKER_TELEGRAM_CHAT_ID)"
            )
        )
    return 1 if failed else 0


#: Lines of a hook's output ``alerts test`` shows.
OUTPUT_LINES = 5


def _test_hooks(ctx: WriteContext, rules: list[StoredRule]) -> bool:
    """Run each rule's hook that this machine defines (only those) and say what it did:
    its exit code, the start of its output, how long it took. Say what the others are.
    False when one failed, or a rule still has a program stored with it."""
    from ticker.core.alerts.deliver import expand, run_command, stored_program_words
    from ticker.core.alerts.firing import market_values, release_test_values
    from ticker.core.alerts.hookrun import missing_program

    hooks = ctx.settings.hooks
    hooked = [r for r in rules if r.rule.hook or r.stored_argv]
    if not hooked:
        print(_("command: no rule has a command hook"))
        return True
    ok = True
    timeout = ctx.settings.collector.hook_timeout.total_seconds()
    shown = _shown_rates(ctx, [r for r in hooked if r.rule.hook in hooks])
    for stored in hooked:
        name = stored.rule.hook
        who = _("hook {name} of #{id}").format(name=name, id=stored.id)
        if stored.stored_argv:
            ok = False
            print(
                _("command of #{id}: not run: {why}").format(
                    id=stored.id, why=stored_program_words(stored.id)
                )
            )
            continue
        if name not in hooks:
            print(
                _("{who}: not defined here (no [hooks.{name}] in this machine's config)").format(
                    who=who, name=name
                )
            )
            continue
        lacking = missing_program(hooks[name])
        if lacking:
            ok = False
            print(
                _("{who}: FAILED: {lacking}; the rule's other channels fire").format(
                    who=who, lacking=lacking
                )
            )
            continue
        values = {
            "pair": stored.rule.subject,
            "rate": shown.get(stored.id, "n/a"),
            "rule": describe_rule(stored, english=True),  # machine words, as a firing's
            "message": f"test: {describe_rule(stored, english=True)}",
            "as_of": ctx.now().date().isoformat(),
            **market_values(stored.rule),  # a market rule: its channel (no institution: none fired)
            **release_test_values(stored.rule),  # a release rule: its country and series
        }
        argv = expand(hooks[name], values)
        result = asyncio.run(run_command(argv, timeout, values, keep_output=True))
        ok &= result.ok
        took = _("{seconds}s").format(seconds=localised(f"{result.seconds:.2f}"))
        lines = result.output.splitlines()
        if result.code is None:
            what = f"{result.detail}, {took}"
        elif lines:
            what = _("exit {code} in {took}").format(code=result.code, took=took)
        else:
            what = _("exit {code} in {took}, no output").format(code=result.code, took=took)
        said = (
            _("{who}: works: {command} ({what})")
            if result.ok
            else _("{who}: FAILED: {command} ({what})")
        )
        print(said.format(who=who, command=shlex.join(argv), what=what))
        for line in lines[:OUTPUT_LINES]:
            print(f"    {line}")
        if len(lines) > OUTPUT_LINES:
            more = len(lines) - OUTPUT_LINES
            print(
                ngettext("    ... ({n} more line)", "    ... ({n} more lines)", more).format(n=more)
            )
    return ok


def _test_webhook(settings: Settings, rules: list[StoredRule], now: datetime) -> bool:
    """POST a test event to ``[webhook] url`` in its format, as a firing would be
    (retries included)."""
    from ticker.core.alerts import bodies, webhook

    hooked = next((r for r in rules if "webhook" in r.rule.channels), None)
    event = webhook.test_event(hooked, now)
    conf = settings.webhook
    # Machine words whatever the language, as a firing's webhook carries them.
    rule = describe_rule(hooked, english=True) if hooked is not None else "ticker alerts test"
    delivery = bodies.webhook_delivery(event, rule, conf)

    async def post() -> tuple[bool, str]:
        async with webhook.make_webhook_client() as client:
            return await webhook.post_event(
                client, conf.url, delivery.body.encode(), conf.timeout.total_seconds(),
                conf.attempts, content_type=delivery.content_type,
            )  # fmt: skip

    ok, detail = asyncio.run(post())
    to = webhook.receiver(conf.url)
    said = _("webhook: works ({to}, {detail})") if ok else _("webhook: FAILED ({to}: {detail})")
    print(said.format(to=to, detail=detail))
    return ok


def _test_telegram(settings: Settings, rules: list[StoredRule]) -> bool:
    """Send a test message with ``[telegram]``'s bot (its token never shown)."""
    from ticker.core.alerts import bodies, webhook

    conf = settings.telegram
    hooked = next((r for r in rules if "telegram" in r.rule.channels), None)
    # A person reads it: the user's language, as a firing's Telegram message.
    what = describe_rule(hooked) if hooked is not None else _("the telegram channel")
    url, body = bodies.telegram_request(conf, _("ticker alerts test: {what}").format(what=what))

    async def post() -> tuple[bool, str]:
        async with webhook.make_webhook_client() as client:
            return await webhook.post_event(
                client, url, body, conf.timeout.total_seconds(), conf.attempts
            )

    ok, detail = asyncio.run(post())
    detail = detail.replace(conf.token, "***")
    to = webhook.receiver(url)
    said = _("telegram: works ({to}, {detail})") if ok else _("telegram: FAILED ({to}: {detail})")
    print(said.format(to=to, detail=detail))
    return ok
