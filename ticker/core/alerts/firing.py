"""What a rule's firing is, whatever its kind: the reading that made the condition true
(a rate, or a released value of a monetary series) and the firing's words and fields, as
every channel (the toast, the desktop, the webhook, a hook) receives them. The kinds'
judges (:mod:`ticker.core.alerts.evaluate`, :mod:`ticker.core.alerts.releases`) build them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ticker.display.rules import describe_rule
from ticker.model.records import StoredRule
from ticker.model.rules import AlertRuleConfig

__all__ = [
    "Firing",
    "Reading",
    "Release",
    "firing_message",
    "market_values",
    "release_test_values",
]


@dataclass(frozen=True, slots=True)
class Reading:
    """A rule's condition against the pair as shown now."""

    holds: bool
    """The condition is true."""
    clear: bool
    """The condition is false beyond the hysteresis band: the rule may re-arm."""
    each_fixing: bool
    """The condition is about one fixing (``change``): every new fixing is a new
    condition, so the rule re-arms for it."""
    local: str
    provider: str
    as_of: date
    rate: Decimal
    """The shown rate, in the rule's orientation."""
    detail: str
    """What the rate did, for the message: ``0.0021034 (NBK, 2026-11-20)``."""
    institution: str = ""
    """A market rule: the bank or office whose price is the best (``rate``)."""
    release: Release | None = None
    """A release rule: the new value that made it fire (:mod:`ticker.core.alerts.releases`)."""


@dataclass(frozen=True, slots=True)
class Release:
    """A new value of a country's series, as a release rule's firing says it."""

    country: str
    series: str
    period: str
    value: Decimal
    previous: Decimal | None
    """The value of the period before (None: the first stored)."""
    released: date | None
    """The release or effective date the source gave (None: it gives none)."""

    def values(self) -> dict[str, str]:
        """Its fields (:data:`~ticker.model.rules.RELEASE_FIELDS`) as a hook gets them:
        exact digits, ISO dates, empty when unknown."""
        return {
            "country": self.country,
            "series": self.series,
            "period": self.period,
            "value": format(self.value, "f"),
            "previous": "" if self.previous is None else format(self.previous, "f"),
            "released": "" if self.released is None else self.released.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Firing:
    """One rule firing, recorded as event ``event_id``."""

    event_id: int
    stored: StoredRule
    reading: Reading
    fired_at: datetime
    machine_detail: str | None = None
    """The reading's detail in machine words (:func:`ticker.i18n.choice.machine_words`);
    None: the reading's own (already English)."""

    @property
    def message(self) -> str:
        """The firing for a person, in the user's language: ``alerts history``, the
        desktop notification, Telegram."""
        return firing_message(self.stored, self.reading)

    @property
    def machine_message(self) -> str:
        """The firing for a program, the same whatever the language (English words,
        Python's numbers): a hook's ``{message}``, the webhook's ``message``."""
        detail = self.reading.detail if self.machine_detail is None else self.machine_detail
        return f"{describe_rule(self.stored, english=True)}: {detail}"

    def placeholders(self) -> dict[str, str]:
        """What a command hook's ``{pair}``, ``{rate}``, ... stand for (a market rule's,
        also ``{market_channel}`` and ``{institution}``): a machine interface, so
        ``{rule}`` and ``{message}`` are in machine words whatever the language, as the
        README documents them (``#3 KZT/USD above 0.0021``)."""
        release = self.reading.release
        return {
            "pair": self.stored.rule.subject,
            "rate": format(self.reading.rate, "f"),
            "rule": describe_rule(self.stored, english=True),
            "message": self.machine_message,
            "as_of": self.reading.as_of.isoformat(),
            **market_values(self.stored.rule, self.reading.institution),
            **(release.values() if release is not None else {}),
        }


def market_values(rule: AlertRuleConfig, institution: str = "") -> dict[str, str]:
    """A market rule's firing's own fields (:data:`~ticker.model.rules.MARKET_FIELDS`):
    the channel it watches and the institution whose price fired it; none for a rule of
    another kind (its webhook JSON stays as it was, its hook gets no such variable)."""
    if rule.market_channel is None:
        return {}
    return {"market_channel": rule.market_channel.value, "institution": institution}


def release_test_values(rule: AlertRuleConfig) -> dict[str, str]:
    """What ``ticker alerts test`` gives a release rule's hook: its country and series
    (no value: none was released)."""
    if rule.pair is not None:
        return {}
    return {"country": rule.country or "", "series": rule.series or ""}


def firing_message(stored: StoredRule, reading: Reading) -> str:
    return f"{describe_rule(stored)}: {reading.detail}"
