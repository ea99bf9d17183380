"""Rows as the drivers return them, turned into the program's types.

SQLite hands back text for dates, times and numbers (as :mod:`ticker.storage.types`
wrote them: ``2026-11-20``, ``2026-11-20 09:30:15.123456`` in UTC, ``478.77``) and 0/1 for
booleans; psycopg hands back dates, aware times (in the session's zone) and booleans, and
text for the exact numbers. Both come out the same: exact ``Decimal``\\ s, ``date``\\ s and
times aware in UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from providers.observation import Observation
from ticker.model.health import HealthState, ProviderHealth
from ticker.model.pairs import parse_pair

if TYPE_CHECKING:  # the rows of these are decoded where they are read: not the strip's
    from typing import NamedTuple

    from ticker.model.collectors import CollectorRecord
    from ticker.model.market_records import HeldQuote, ReportedRate, StoredQuote
    from ticker.model.records import (
        AlertEvent,
        IndicatorPoint,
        IndicatorRefusal,
        IndicatorRevision,
        Quarantined,
        StoredRule,
    )
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple

Row = Sequence[Any]


def day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(value)


def maybe_day(value: Any) -> date | None:
    return None if value is None else day(value)


def moment(value: Any) -> datetime:
    """An aware UTC time (SQLite's text is naive UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
    return value.astimezone(UTC)  # type: ignore[no-any-return]


def maybe_moment(value: Any) -> datetime | None:
    return None if value is None else moment(value)


def number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def observation(row: Row) -> Observation:
    """Columns: :data:`ticker.storage.sql.OBSERVATION` (quarantined values, the first
    seven: they keep no precision)."""
    provider, base, quote, as_of, rate, derived, fetched_at = row[:7]
    precision = number(row[7]) if len(row) > 7 else None
    return Observation(
        provider, base, quote, day(as_of), Decimal(rate), bool(derived), moment(fetched_at),
        precision,
    )  # fmt: skip


def quarantined(row: Row) -> Quarantined:
    from ticker.model.records import Quarantined

    return Quarantined(observation(row[:7]), row[7], number(row[8]))


def health(row: Row) -> ProviderHealth:
    provider, state, attempt, success, error, failures, next_run = row
    return ProviderHealth(
        provider, HealthState(state), maybe_moment(attempt), maybe_moment(success), error,
        int(failures), maybe_moment(next_run),
    )  # fmt: skip


class RuleRecord(NamedTuple):
    """A stored rule with what the store keeps beside it: how config.toml's rules are
    found again (:mod:`ticker.storage.rule_sync`)."""

    stored: StoredRule
    fingerprint: str | None
    config_file: str | None
    attributes: dict[str, Any]
    """The columns a config.toml rule may change in place (label, cooldown, ...), as
    stored."""


def direction_column(direction: str, market_channel: str | None, series: str | None = None) -> str:
    """A rule's ``direction`` column: its direction, and a market rule's channel after a
    colon (``below:cash``), or a release rule's series (``changed:policy-rate``,
    ``above:cpi-yoy``): the rule record's one free parameter field holds both, so market
    and release rules need no column of their own (a release rule's ``pair`` column holds
    its country, ``KAZ``)."""
    extra = market_channel if market_channel is not None else series
    return direction if extra is None else f"{direction}:{extra}"


def rule_record(row: Row) -> RuleRecord:
    """Columns: :data:`ticker.storage.sql.RULE`."""
    import json  # only where rules are read (not the strip, not an export)

    from providers.market_quote import Channel as MarketChannel
    from ticker.model.records import RuleState, StoredRule
    from ticker.model.rules import AlertKind, AlertRuleConfig, Channel, Direction

    (
        rule_id, pair, kind, value, percent, direction, window_seconds, days, cooldown_seconds,
        hysteresis, channels, command, label, origin, enabled, created_at, armed, last_fired_at,
        last_observation_id, fingerprint, config_file, snoozed_until,
    ) = row  # fmt: skip
    hook, argv = rule_hook(command)
    direction, _, extra = direction.partition(":")  # see direction_column
    release = kind == AlertKind.RELEASE
    market_channel = "" if release else extra
    rule = AlertRuleConfig(
        pair=None if release else parse_pair(pair, any_pair=True),
        kind=AlertKind(kind),
        value=number(value),
        percent=number(percent),
        direction=Direction(direction),
        window=timedelta(seconds=window_seconds) if window_seconds else None,
        days=days,
        cooldown=timedelta(seconds=cooldown_seconds),
        hysteresis=Decimal(hysteresis),
        channels=tuple(Channel(c) for c in json.loads(channels)),
        hook=hook,
        label=label,
        market_channel=MarketChannel(market_channel) if market_channel else None,
        country=pair if release else None,
        series=extra if release else None,
    )
    state = RuleState(bool(armed), maybe_moment(last_fired_at), last_observation_id)
    stored = StoredRule(
        rule_id, rule, origin, bool(enabled), moment(created_at), state,
        maybe_moment(snoozed_until), config_file, argv,
    )  # fmt: skip
    attributes = {
        "cooldown_seconds": cooldown_seconds,
        "channels": channels,
        "command": command,
        "label": label,
    }
    return RuleRecord(stored, fingerprint, config_file, attributes)


def rule_hook(column: str) -> tuple[str, tuple[str, ...]]:
    """``alert_rule.command`` as (the name of the rule's hook, a program an older ticker
    stored with the rule): a JSON string names a hook; a JSON array is that program, which
    is never run (see :class:`ticker.model.records.StoredRule`)."""
    import json  # only where rules are read

    try:
        value = json.loads(column)
    except ValueError:
        return "", (column,)
    if isinstance(value, str):
        return value, ()
    if isinstance(value, list):
        return "", tuple(str(arg) for arg in value)
    return "", (column,)


def event(row: Row) -> AlertEvent:
    from ticker.model.records import AlertEvent

    event_id, rule_id, fired_at, pair, rate, message, provider, as_of = row
    return AlertEvent(
        event_id, rule_id, moment(fired_at), pair, number(rate), message, provider,
        None if as_of is None else day(as_of),
    )  # fmt: skip


def refusal(row: Row) -> IndicatorRefusal:
    from ticker.model.records import IndicatorRefusal

    source, code, reason, refused_at = row
    return IndicatorRefusal(source, code, reason, moment(refused_at))


def indicator(row: Row) -> IndicatorPoint:
    from ticker.model.records import IndicatorPoint

    (
        source,
        code,
        country,
        period,
        value,
        is_forecast,
        fetched_at,
        previous,
        revised_at,
        released,
    ) = row
    return IndicatorPoint(
        source, code, country, period, number(value), bool(is_forecast), moment(fetched_at),
        number(previous), maybe_moment(revised_at), maybe_day(released),
    )  # fmt: skip


def revision(row: Row) -> IndicatorRevision:
    """Columns: :data:`ticker.storage.sql.INDICATOR_REVISIONS`."""
    from ticker.model.records import IndicatorRevision

    period, is_forecast, value, released, fetched_at, replaced_at = row
    return IndicatorRevision(
        period, bool(is_forecast), number(value), maybe_day(released),
        moment(fetched_at), moment(replaced_at),
    )  # fmt: skip


def collector(row: Row) -> CollectorRecord:
    """Columns: :data:`ticker.storage.sql.COLLECTORS`."""
    from ticker.model.collectors import CollectorRecord, Role

    host, pid, role, started_at, active_since, heartbeat_at = row
    return CollectorRecord(
        str(host), int(pid), Role(role), moment(started_at), maybe_moment(active_since),
        moment(heartbeat_at),
    )  # fmt: skip


def market_quote(row: Row) -> StoredQuote:
    """Columns: :data:`ticker.storage.sql.MARKET_QUOTE`, then ``replaced_at`` (a held
    quote's row has none)."""
    from providers.market_quote import Channel
    from ticker.model.market_records import StoredQuote

    (
        row_id, source, institution, city, base, quote, channel, buy, sell, quoted_at,
        seen_quoted_at, first_fetched_at, last_fetched_at,
    ) = row[:13]  # fmt: skip
    replaced_at = row[13] if len(row) > 13 else None
    return StoredQuote(
        int(row_id), str(source), str(institution), str(city), str(base), str(quote),
        Channel(channel), number(buy), number(sell), maybe_moment(quoted_at),
        maybe_moment(seen_quoted_at), moment(first_fetched_at), moment(last_fetched_at),
        maybe_moment(replaced_at),
    )  # fmt: skip


def held_quote(row: Row) -> HeldQuote:
    """Columns: :data:`ticker.storage.sql.MARKET_QUOTE`, then reason and official."""
    from ticker.model.market_records import HeldQuote

    return HeldQuote(market_quote(row[:13]), str(row[13]), number(row[14]))


def reported(row: Row) -> ReportedRate:
    from ticker.model.market_records import ReportedRate

    row_id, base, quote, rate, note, reported_at = row
    return ReportedRate(
        int(row_id), str(base), str(quote), Decimal(rate), str(note), moment(reported_at)
    )
