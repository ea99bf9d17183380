"""Which channels of a rule can deliver on this machine, and a new rule's first look.

A rule lives in a store every machine sharing it reads, so a channel this machine cannot
deliver (``desktop`` on a server without a notifier, a hook it does not define, no
``[telegram]`` here) is no error; but a rule none of whose channels can deliver here is
said when it is added (``ticker alerts add``, the dashboard's ``a``). ``toast`` and
``bell`` deliver wherever a dashboard is open.

A new rule is judged at once against the latest stored rates (:func:`first_look`), not
at the next poll, which may be hours away: it fires now where it can (the collector
holding the store, or the command line when every channel of the rule can deliver
here), or the user is told it would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from ticker.config import Settings
from ticker.core.alerts.bundle import ReleaseReadings
from ticker.core.alerts.evaluate import evaluate_rules, read
from ticker.core.alerts.firing import Firing
from ticker.i18n.words import N_, _
from ticker.model.rules import AlertRuleConfig
from ticker.storage.repository import Repository

#: Why a channel cannot deliver here, said where there is no dashboard.
NO_DESKTOP = N_("no notify-send, and no D-Bus session with gdbus")


def channel_gaps(
    rule: AlertRuleConfig, settings: Settings, env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Each channel of ``rule`` that cannot deliver on this machine, and why."""
    from ticker.core.alerts.deliver import desktop_command, undefined_hook_words
    from ticker.core.alerts.hookrun import missing_program

    gaps: dict[str, str] = {}
    for channel in rule.channels:
        if channel == "desktop" and desktop_command("ticker", "test", env) is None:
            gaps[channel] = _(NO_DESKTOP)
        elif channel == "command":
            if rule.hook not in settings.hooks:
                gaps[channel] = undefined_hook_words(rule.hook or "?")
            elif lacking := missing_program(settings.hooks[rule.hook], env):
                gaps[channel] = _("hook {name}: {lacking}").format(name=rule.hook, lacking=lacking)
        elif channel == "webhook" and not settings.webhook.url:
            gaps[channel] = _("no [webhook] url here")
        elif channel == "telegram" and not settings.telegram.ready:
            gaps[channel] = _(
                "no [telegram] token and chat_id here (nor $TICKER_TELEGRAM_TOKEN and "
                "$TICKER_TELEGRAM_CHAT_ID)"
            )
    return gaps


def nowhere_words(
    rule: AlertRuleConfig, settings: Settings, env: Mapping[str, str] | None = None
) -> str:
    """A warning when no channel of ``rule`` can deliver on this machine; "" otherwise."""
    gaps = channel_gaps(rule, settings, env)
    if not gaps or len(gaps) < len(rule.channels):
        return ""
    why = "; ".join(f"{channel}: {reason}" for channel, reason in gaps.items())
    return _(
        "no channel of this rule can deliver on this machine ({why}); it fires all the "
        "same, and reaches you only through a machine where one can"
    ).format(why=why)


@dataclass(frozen=True, slots=True)
class FirstLook:
    """A new rule judged against the latest stored rates."""

    holds: bool | None
    """The condition holds now (None: it cannot be judged yet: nothing stored, no
    previous fixing, no fixing a window ago)."""
    detail: str
    """What the rate did (the firing message's words)."""
    firings: tuple[Firing, ...] = ()
    """The firing recorded now (deliver it), when one was."""
    release: bool = False
    """A release rule: it waits for a new value (the newest one stored is ``detail``)."""

    def words(self, fired_where: str = "") -> str:
        """``fired now: ...``, ``would fire now: ...; ...``, or what it waits for."""
        if self.holds is None:
            return _("watched from the next poll (nothing to judge it on yet)")
        if not self.holds and self.release:
            return _("waits for the next value; the latest: {detail}").format(detail=self.detail)
        if not self.holds:
            return _("not true now: {detail}").format(detail=self.detail)
        if self.firings:
            return _("fired now: {detail}").format(detail=self.detail)
        return _("would fire now: {detail}; {where}").format(
            detail=self.detail, where=fired_where or _("fires at the next poll")
        )


def first_look(
    repo: Repository, settings: Settings, rule_id: int, now: datetime, fire: bool
) -> FirstLook:
    """Judge rule ``rule_id`` now; with ``fire``, record its firing if it fires (the
    caller delivers it), as the collector would at its next poll."""
    from ticker.core.alerts.bundle import read_all

    rounds, releases = read_all(repo, settings, now, only=rule_id)
    if releases.rules:
        return _release_look(repo, releases, now, fire)
    for pair_rules, readings in rounds:
        for stored in pair_rules:
            reading = read(stored.rule, readings, now.date())
            if reading is None:
                return FirstLook(None, "")
            if not reading.holds or not fire:
                return FirstLook(reading.holds, reading.detail)
            firings = evaluate_rules(repo, settings, now, only=rule_id)
            return FirstLook(True, reading.detail, tuple(firings))
    return FirstLook(None, "")


def _release_look(
    repo: Repository, releases: ReleaseReadings, now: datetime, fire: bool
) -> FirstLook:
    """A new release rule's first look: the newest value stored becomes the one it has
    seen (a value released before the rule was made never fires); one released since
    fires now, with ``fire`` (:mod:`ticker.core.alerts.releases`)."""
    from ticker.core.alerts.releases import decide_release, judge_releases, release_reading

    stored = releases.rules[0]
    rule = stored.rule
    if releases.view is None or rule.country is None or rule.series is None:
        return FirstLook(None, "")
    found = release_reading(rule, releases.view.get(rule.country, rule.series))
    if found is None:
        return FirstLook(None, "")
    reading, mark = found
    args = (reading, mark, stored.created_at, now, rule.cooldown, stored.muted(now))
    _state, fires = decide_release(stored.state, *args)
    if fires and not fire:
        return FirstLook(True, reading.detail, release=True)
    firings = judge_releases(repo, releases, now)  # what it has seen, or its firing
    return FirstLook(bool(firings), reading.detail, tuple(firings), release=True)
