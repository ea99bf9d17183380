"""What the store hands back besides observations: quarantined values, alert rules with
their state, firings, indicator values. Plain values, shared by every layer above."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from providers.market_quote import MarketQuote
from providers.observation import Observation
from ticker.model.rules import AlertRuleConfig, rule_fingerprint

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple


class Quarantined(NamedTuple):
    """A rejected observation, the reason, and the value it was compared with."""

    observation: Observation
    reason: str
    previous_rate: Decimal | None


class RuleState(NamedTuple):
    """Where an edge-triggered rule stands, as persisted (shared by every process)."""

    armed: bool = True
    last_fired_at: datetime | None = None
    last_observation_id: int | None = None


class StoredRule(NamedTuple):
    """An alert rule as kept in the store, with its stable id and its state."""

    id: int
    rule: AlertRuleConfig
    origin: str
    enabled: bool
    created_at: datetime
    state: RuleState = RuleState()
    snoozed_until: datetime | None = None
    """Fires nothing before this moment (a past moment: not snoozed)."""
    config_file: str | None = None
    """The config file a ``config`` rule comes from."""
    stored_argv: tuple[str, ...] = ()
    """A program an older ticker stored with the rule: never run (only said)."""

    def snoozed(self, now: datetime) -> bool:
        """Snoozed at ``now``."""
        return self.snoozed_until is not None and now < self.snoozed_until

    def muted(self, now: datetime) -> bool:
        """Disabled or snoozed: it fires nothing now, while its state follows the rate."""
        return rule_muted(self.enabled, self.snoozed_until, now)


def rule_muted(enabled: bool, snoozed_until: datetime | None, now: datetime) -> bool:
    """Whether a rule (disabled, or snoozed past ``now``) must not fire now."""
    return not enabled or (snoozed_until is not None and now < snoozed_until)


def same_condition(stored: Iterable[StoredRule], rule: AlertRuleConfig) -> StoredRule | None:
    """The stored rule watching the same condition as ``rule`` (pair, kind, thresholds),
    whatever its label, channels or cooldown: a condition is watched once."""
    wanted = rule_fingerprint(rule)
    return next((s for s in stored if rule_fingerprint(s.rule) == wanted), None)


class IndicatorPoint(NamedTuple):
    """One stored indicator value, with its last revision (previous value, when)."""

    source: str
    indicator: str
    country: str
    period: str
    value: Decimal | None
    is_forecast: bool
    fetched_at: datetime
    previous_value: Decimal | None
    revised_at: datetime | None
    released: date | None = None
    """The release or effective date the source gave (a decision's day, a CPI print's
    publication); None where it gives none, or in a store from before they were kept."""


class IndicatorRevision(NamedTuple):
    """A value a revision replaced: what the source had published for the period, its
    release date, when it was fetched, and when the revision replaced it."""

    period: str
    is_forecast: bool
    value: Decimal | None
    released: date | None
    fetched_at: datetime
    replaced_at: datetime


class IndicatorRefusal(NamedTuple):
    """An indicator its source refused when last asked (World Bank error 175: archived or
    deleted), with the source's words; gone once the source serves it again."""

    source: str
    indicator: str
    reason: str
    refused_at: datetime


class IndicatorsStored(NamedTuple):
    added: int
    revised: int


class QuotesStored(NamedTuple):
    """What storing one batch of market quotes did."""

    received: int
    added: int
    """New rows: a key's first price, or a price other than its newest row's."""
    confirmed: int
    """Quotes whose prices the key's newest row already had (no row added)."""
    quarantined: list[tuple[MarketQuote, str]]
    """The quotes held as implausible, each with its reason (facts, as
    :mod:`ticker.model.quarantine` stores them)."""


class AlertEvent(NamedTuple):
    """One firing, with the observation that caused it (when it is still stored)."""

    id: int
    rule_id: int | None
    fired_at: datetime
    pair: str
    rate: Decimal | None
    message: str
    provider: str | None
    as_of: date | None


class NewEvent(NamedTuple):
    """What a firing records: the observation that caused it and the message."""

    observation_id: int | None
    pair: str
    rate: Decimal | None
    message: str
