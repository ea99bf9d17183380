"""``ticker alerts edit|disable|enable|snooze``: change a stored rule by its id.

A rule from config.toml is edited in its file (``edit`` refuses it), but it can be
disabled, enabled and snoozed here: the file does not say those, and a restart keeps
them. An edited rule is checked exactly as ``alerts add`` checks a new one.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from ticker.cli.alert_market import split_channels
from ticker.cli.alerts import (
    CLI_NAMES,
    cli_message,
    note_undefined_hook,
    orientation_hint,
    refuse_command,
)
from ticker.cli.writing import WriteContext
from ticker.config import format_duration, parse_duration
from ticker.config.reader import shown
from ticker.config.rules import rule_from_entry
from ticker.display.rules import condition_text, describe_rule, local_moment, rule_status
from ticker.errors import UsageError
from ticker.model.records import StoredRule
from ticker.model.rules import (
    KIND_KEYS,
    KINDS,
    RELEASE_KINDS,
    THRESHOLD_KEYS,
    AlertRuleConfig,
    plain,
    threshold_entry,
)

if TYPE_CHECKING:
    from ticker.storage.repository import Repository

#: ``edit`` names every field by its option.
_EDIT_NAMES = {
    **CLI_NAMES,
    "pair": "--pair",
    "kind": "--kind",
    **dict.fromkeys(THRESHOLD_KEYS, "--threshold"),
}
_EDIT_OPTIONS = (
    "pair", "kind", "threshold", "window", "direction", "hysteresis", "cooldown", "channel",
    "hook", "command", "label",
)  # fmt: skip
#: The longest snooze.
SNOOZE_MAX = timedelta(days=365)
_SNOOZE_FORMS = 'a duration like "30m", "2h" or "1d", or "off"'
_UNTIL_FORMS = "a time like 14:30 or a moment like 2026-11-21T09:00 (your local time)"


def _entry(rule: AlertRuleConfig) -> dict[str, object]:
    """A stored rule as a config.toml ``[[alerts]]`` table."""
    entry: dict[str, object] = {
        KINDS[rule.kind].subject: rule.subject,  # the pair, or a release rule's country
        "kind": rule.kind.value,
        "cooldown": format_duration(rule.cooldown),
        "channels": [c.value for c in rule.channels],
        "label": rule.label,
    }
    if rule.hook:
        entry["hook"] = rule.hook
    fields: dict[str, object | None] = {
        "value": None if rule.value is None else plain(rule.value),
        "percent": None if rule.percent is None else plain(rule.percent),
        "days": rule.days,
        "window": None if rule.window is None else format_duration(rule.window),
        "direction": rule.direction.value,
        "hysteresis": plain(rule.hysteresis),
        "market_channel": None if rule.market_channel is None else rule.market_channel.value,
        "series": rule.series,
    }
    for key in KINDS[rule.kind].keys:
        if fields[key] is not None:
            entry[key] = fields[key]
    return entry


def edited_entry(rule: AlertRuleConfig, args: argparse.Namespace) -> dict[str, object]:
    """The stored rule with the options given on the command line applied (only those)."""
    entry = _entry(rule)
    kind = rule.kind.value
    if args.kind is not None:
        kind = args.kind.strip().lower()
        entry["kind"] = kind
        if kind in KINDS:  # an unknown kind is said by the check
            for key in KIND_KEYS:
                if key in entry and key not in KINDS[kind].keys:
                    del entry[key]  # the old kind's, meaningless for the new one
    release = kind in RELEASE_KINDS  # its threshold is its level; its pair, its country
    if args.pair is not None:
        entry["country" if release else "pair"] = args.pair
    if args.threshold is not None:
        for old in ("value",) if release else THRESHOLD_KEYS:
            entry.pop(old, None)
        key, threshold = (
            ("value", args.threshold) if release else threshold_entry(kind, args.threshold)
        )
        entry[key] = threshold
    for option in ("window", "direction", "cooldown", "hysteresis", "label"):
        value = getattr(args, option)
        if value is not None:
            entry[option] = value
    if release and entry.get("direction") == "changed":
        entry.pop("value", None)  # every new value: no level
    channels = [c.value for c in rule.channels]
    refuse_command(args)
    if args.hook is not None:
        channels = [c for c in channels if c != "command"]
        if args.hook:
            entry["hook"] = args.hook
            channels.append("command")  # a hook given is a hook run
        else:  # --hook "": no hook any more
            entry.pop("hook", None)
    delivery, market_channel = split_channels(kind, args.channel)
    entry["channels"] = delivery or channels
    if market_channel is not None:
        entry["market_channel"] = market_channel
    return entry


def _rule(repo: Repository, rule_id: int) -> StoredRule:
    """The live rule ``rule_id``; a UsageError naming the stored ones when there is none."""
    rules = {r.id: r for r in repo.alert_rules()}
    stored = rules.get(rule_id)
    if stored is None:
        raise unknown_rule(rule_id, rules)
    return stored


def unknown_rule(rule_id: int, rules: dict[int, StoredRule]) -> UsageError:
    known = ", ".join(f"#{i}" for i in rules) or "none"
    return UsageError(f"no alert rule #{rule_id} (stored rules: {known})")


def edit(args: argparse.Namespace) -> int:
    if all(getattr(args, option) is None for option in _EDIT_OPTIONS):
        options = ", ".join(f"--{o}" for o in _EDIT_OPTIONS)
        raise UsageError(f"nothing to change: give at least one of {options}")
    ctx = WriteContext.of(args)
    settings = ctx.settings
    with ctx.store() as repo:
        stored = _rule(repo, args.id)
        if stored.origin == "config":
            where = stored.config_file or settings.path or "config.toml"
            raise UsageError(f"alert #{args.id} comes from {where} ([[alerts]]); edit it there")
        try:
            entry = edited_entry(stored.rule, args)
            rule = rule_from_entry(
                entry, settings.display.orientation, settings.webhook.url, settings.pairs.watch
            )
        except UsageError as err:
            raise UsageError(cli_message(str(err), _EDIT_NAMES)) from None
        done = repo.edit_alert_rule(args.id, rule)
        if done is None:  # removed meanwhile, by another process
            raise unknown_rule(args.id, {r.id: r for r in repo.alert_rules()})
        if done.same is not None:
            raise UsageError(f"the same rule is already stored: {describe_rule(done.same)}")
        after = _rule(repo, args.id)
        changed = rule.value != stored.rule.value
        hint = orientation_hint(repo, settings, rule, ctx.now()) if changed else ""
    label = f' "{rule.label}"' if rule.label else ""
    state = rule_status(after, ctx.now()).text
    print(f"edited alert #{args.id}: {rule.subject} {condition_text(rule)}{label} ({state})")
    if hint:
        print(f"ticker: note: {hint}", file=sys.stderr)
    if rule.hook != stored.rule.hook:
        note_undefined_hook(settings, rule)
    return 0


def disable(args: argparse.Namespace) -> int:
    return _switch(args, False)


def enable(args: argparse.Namespace) -> int:
    return _switch(args, True)


def _switch(args: argparse.Namespace, enabled: bool) -> int:
    word = "enabled" if enabled else "disabled"
    with WriteContext.of(args).store() as repo:
        before = repo.set_alert_enabled(args.id, enabled)
        if before is None:
            raise unknown_rule(args.id, {r.id: r for r in repo.alert_rules()})
    if before.enabled == enabled:
        print(f"{describe_rule(before)} was {word} already")
    else:
        print(f"{word} {describe_rule(before)}")
    return 0


def snooze_until(when: str | None, until: str | None, now: datetime) -> datetime | None:
    """The moment a snooze ends: ``when`` a duration from ``now`` (``30m``, ``2h``,
    ``1d``) or ``off`` (None: no snooze); or ``until``, a local time of day (the next one
    to come: today's, or tomorrow's once it has passed) or a date and time (local unless
    it carries an offset)."""
    if (when is None) == (until is None):
        raise UsageError(f"snooze: give how long ({_SNOOZE_FORMS}) or --until, one of the two")
    if when is not None:
        text = when.strip()
        if text.lower() == "off":
            return None
        try:
            length = parse_duration(text) if text.isascii() else None
        except ValueError:
            length = None
        if length is None:
            raise UsageError(f"DURATION: expected {_SNOOZE_FORMS}, got {shown(when)}")
        if not timedelta(minutes=1) <= length <= SNOOZE_MAX:
            raise UsageError(f"DURATION: expected a duration from 1m to 365d, got {shown(when)}")
        return (now + length).replace(microsecond=0)
    assert until is not None
    ends = _moment(until.strip(), now)
    if ends is None:
        raise UsageError(f"--until: expected {_UNTIL_FORMS}, got {shown(until)}")
    if ends <= now:
        said = f"{now.astimezone():%Y-%m-%d %H:%M}"
        raise UsageError(
            f"--until: expected a moment still to come (it is {said}), got {shown(until)}"
        )
    if ends - now > SNOOZE_MAX:
        raise UsageError(f"--until: expected a moment within 365 days, got {shown(until)}")
    return ends


def _moment(text: str, now: datetime) -> datetime | None:
    if not text.isascii():
        return None
    if re.fullmatch(r"\d{1,2}:\d{2}", text):
        hour, minute = (int(n) for n in text.split(":"))
        if hour > 23 or minute > 59:
            return None
        today = now.astimezone().date()
        for day in (today, today + timedelta(days=1)):
            # A naive local time: astimezone() gives it this machine's offset on that day.
            ends = datetime.combine(day, time(hour, minute)).astimezone()
            if ends > now:
                return ends
        return None
    try:  # a moment near year 1 or 9999 has no local time: not one to snooze until
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo is not None else moment.astimezone()
    except (ValueError, OverflowError):
        return None


def snooze(args: argparse.Namespace) -> int:
    ctx = WriteContext.of(args)
    now = ctx.now()
    ends = snooze_until(args.duration, args.until, now)
    with ctx.store() as repo:
        before = repo.snooze_alert_rule(args.id, ends)
        if before is None:
            raise unknown_rule(args.id, {r.id: r for r in repo.alert_rules()})
    if ends is not None:
        print(f"snoozed {describe_rule(before)} until {local_moment(ends, now)}")
    elif before.snoozed(now):
        print(f"{describe_rule(before)} is no longer snoozed")
    else:
        print(f"{describe_rule(before)} was not snoozed")
    return 0
