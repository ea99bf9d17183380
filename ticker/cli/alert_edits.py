"""``ticker alerts edit|disable|enable|snooze``: change a stored rule by its id.

A rule from config.toml is edited in its file (``edit`` refuses it), but it can be
disabled, enabled and snoozed here: the file does not say those, and a restart keeps
them. An edited rule is checked exactly as ``alerts add`` checks a new one.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from ticker.cli.alert_market import split_channels
from ticker.cli.alerts import (
    CLI_NAMES,
    cli_message,
    note_undefined_hook,
    orientation_hint,
    refuse_command,
)
from ticker.cli.typed import canonical, canonical_or_none
from ticker.cli.writing import WriteContext
from ticker.config import format_duration, parse_duration
from ticker.config.reader import shown
from ticker.config.rules import rule_from_entry
from ticker.display.rules import condition_text, describe_rule, local_moment, rule_status
from ticker.errors import UsageError
from ticker.i18n.words import N_, _
from ticker.i18n.zone import in_zone
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
_SNOOZE_FORMS = N_('a duration like "30m", "2h" or "1d", or "off"')
_UNTIL_FORMS = N_("a time like 14:30 or a moment like 2026-11-21T09:00 (your local time)")


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
        typed = canonical(args.threshold, "--threshold")
        key, threshold = ("value", typed) if release else threshold_entry(kind, typed)
        entry[key] = threshold
    for option in ("window", "direction", "cooldown", "hysteresis", "label"):
        value = getattr(args, option)
        if option == "hysteresis":
            value = canonical_or_none(value, "--hysteresis")
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
    known = ", ".join(f"#{i}" for i in rules) or _("none")
    return UsageError(
        _("no alert rule #{id} (stored rules: {known})").format(id=rule_id, known=known)
    )


def edit(args: argparse.Namespace) -> int:
    if all(getattr(args, option) is None for option in _EDIT_OPTIONS):
        options = ", ".join(f"--{o}" for o in _EDIT_OPTIONS)
        raise UsageError(
            _("nothing to change: give at least one of {options}").format(options=options)
        )
    ctx = WriteContext.of(args)
    settings = ctx.settings
    with ctx.store() as repo:
        stored = _rule(repo, args.id)
        if stored.origin == "config":
            where = stored.config_file or settings.path or "config.toml"
            raise UsageError(
                _("alert #{id} comes from {where} ([[alerts]]); edit it there").format(
                    id=args.id, where=where
                )
            )
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
            raise UsageError(
                _("the same rule is already stored: {rule}").format(rule=describe_rule(done.same))
            )
        after = _rule(repo, args.id)
        changed = rule.value != stored.rule.value
        hint = orientation_hint(repo, settings, rule, ctx.now()) if changed else ""
    label = f' "{rule.label}"' if rule.label else ""
    state = rule_status(after, ctx.now()).text
    print(
        _("edited alert #{id}: {subject} {condition}{label} ({state})").format(
            id=args.id,
            subject=rule.subject,
            condition=condition_text(rule),
            label=label,
            state=state,
        )
    )
    if hint:
        print(_("ticker: note: {hint}").format(hint=hint), file=sys.stderr)
    if rule.hook != stored.rule.hook:
        note_undefined_hook(settings, rule)
    return 0


def disable(args: argparse.Namespace) -> int:
    return _switch(args, False)


def enable(args: argparse.Namespace) -> int:
    return _switch(args, True)


def _switch(args: argparse.Namespace, enabled: bool) -> int:
    with WriteContext.of(args).store() as repo:
        before = repo.set_alert_enabled(args.id, enabled)
        if before is None:
            raise unknown_rule(args.id, {r.id: r for r in repo.alert_rules()})
    if before.enabled == enabled:
        said = _("{rule} was enabled already") if enabled else _("{rule} was disabled already")
    else:
        said = _("enabled {rule}") if enabled else _("disabled {rule}")
    print(said.format(rule=describe_rule(before)))
    return 0


def snooze_until(when: str | None, until: str | None, now: datetime) -> datetime | None:
    """The moment a snooze ends: ``when`` a duration from ``now`` (``30m``, ``2h``,
    ``1d``) or ``off`` (None: no snooze); or ``until``, a local time of day (the next one
    to come: today's, or tomorrow's once it has passed) or a date and time (local unless
    it carries an offset)."""
    if (when is None) == (until is None):
        raise UsageError(
            _("snooze: give how long ({snooze_forms}) or --until, one of the two").format(
                snooze_forms=_(_SNOOZE_FORMS)
            )
        )
    if when is not None:
        text = when.strip()
        if text.lower() == "off":
            return None
        try:
            length = parse_duration(text) if text.isascii() else None
        except ValueError:
            length = None
        if length is None:
            raise UsageError(
                _("DURATION: expected {snooze_forms}, got {shown}").format(
                    snooze_forms=_(_SNOOZE_FORMS), shown=shown(when)
                )
            )
        if not timedelta(minutes=1) <= length <= SNOOZE_MAX:
            raise UsageError(
                _("DURATION: expected a duration from 1m to 365d, got {shown}").format(
                    shown=shown(when)
                )
            )
        return (now + length).replace(microsecond=0)
    assert until is not None
    ends = _moment(until.strip(), now)
    if ends is None:
        raise UsageError(
            _("--until: expected {until_forms}, got {shown}").format(
                until_forms=_(_UNTIL_FORMS), shown=shown(until)
            )
        )
    if ends <= now:
        said = f"{in_zone(now):%Y-%m-%d %H:%M}"
        raise UsageError(
            _("--until: expected a moment still to come (it is {said}), got {shown}").format(
                said=said, shown=shown(until)
            )
        )
    if ends - now > SNOOZE_MAX:
        raise UsageError(
            _("--until: expected a moment within 365 days, got {shown}").format(shown=shown(until))
        )
    return ends


def _moment(text: str, now: datetime) -> datetime | None:
    if not text.isascii():
        return None
    if re.fullmatch(r"\d{1,2}:\d{2}", text):
        hour, minute = (int(n) for n in text.split(":"))
        if hour > 23 or minute > 59:
            return None
        today = in_zone(now).date()
        for day in (today, today + timedelta(days=1)):
            ends = _local(datetime.combine(day, time(hour, minute)), now)
            if ends > now:
                return ends
        return None
    try:  # a moment near year 1 or 9999 has no local time: not one to snooze until
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo is not None else _local(moment, now)
    except (ValueError, OverflowError):
        return None


def _local(naive: datetime, now: datetime) -> datetime:
    """A naive time on the user's clock (``[display] timezone``, else this machine's),
    with that zone's offset on that day."""
    zone = in_zone(now).tzinfo
    if isinstance(zone, timezone):  # the machine's: astimezone() knows its rules
        return naive.astimezone()
    return naive.replace(tzinfo=zone)


def snooze(args: argparse.Namespace) -> int:
    ctx = WriteContext.of(args)
    now = ctx.now()
    ends = snooze_until(args.duration, args.until, now)
    with ctx.store() as repo:
        before = repo.snooze_alert_rule(args.id, ends)
        if before is None:
            raise unknown_rule(args.id, {r.id: r for r in repo.alert_rules()})
    if ends is not None:
        print(
            _("snoozed {rule} until {moment}").format(
                rule=describe_rule(before), moment=local_moment(ends, now, in_zone(ends).tzinfo)
            )
        )
    elif before.snoozed(now):
        print(_("{rule} is no longer snoozed").format(rule=describe_rule(before)))
    else:
        print(_("{rule} was not snoozed").format(rule=describe_rule(before)))
    return 0
