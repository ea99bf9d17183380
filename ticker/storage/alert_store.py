"""Alert rules (config.toml's, the command line's, the dashboard's), their state and
their firings."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, or_, select

from ticker.model.pairs import USD, parse_pair
from ticker.model.records import (
    AlertEvent,
    NewEvent,
    RuleState,
    StoredRule,
)
from ticker.model.rules import AlertKind, AlertRuleConfig, Channel, Direction, rule_fingerprint
from ticker.storage.base import EVENTS, OBS, RULES, StoreBase


class AlertStore(StoreBase):
    """Alert rules, state and events."""

    def add_alert_rule(self, rule: AlertRuleConfig, origin: str, now: datetime) -> int:
        """Store a rule; returns its id (stable for the life of the store, never reused)."""
        with self.db.errors(), self._write() as conn:
            return self._insert_rule(conn, rule, origin, now)

    def _insert_rule(
        self,
        conn: Connection,
        rule: AlertRuleConfig,
        origin: str,
        now: datetime,
        config_file: str | None = None,
    ) -> int:
        values = {
            **_rule_attributes(rule),
            "pair": str(rule.pair),
            "kind": rule.kind,
            "value": rule.value,
            "percent": rule.percent,
            "direction": rule.direction,
            "window_seconds": int(rule.window.total_seconds()) if rule.window else None,
            "days": rule.days,
            "hysteresis": rule.hysteresis,
            "origin": origin,
            "enabled": True,
            "created_at": now,
            "fingerprint": rule_fingerprint(rule) if origin == "config" else None,
            "config_file": config_file,
            "armed": True,
        }
        return int(conn.execute(RULES.insert().values(values).returning(RULES.c.id)).scalar_one())

    def sync_config_rules(
        self, rules: Sequence[AlertRuleConfig], config_file: str, now: datetime
    ) -> None:
        """Make the stored rules of ``config_file`` exactly its ``[[alerts]]``.

        A rule is found again by its condition (pair, kind, thresholds): it keeps its id
        and its state (a restart never re-fires it), and a changed label, cooldown,
        channel list or command is updated in place. A new condition is added; one no
        longer in the file is removed (its firings stay in the history). Rules of other
        config files (another process sharing the store) are left alone.
        """
        wanted: dict[str, AlertRuleConfig] = {}
        for rule in rules:
            wanted.setdefault(rule_fingerprint(rule), rule)
        query = select(RULES).where(
            RULES.c.origin == "config",
            RULES.c.removed_at.is_(None),
            or_(RULES.c.config_file == config_file, RULES.c.config_file.is_(None)),
        )

        def plan(conn: Connection) -> tuple[list[Any], list[tuple[int, dict[str, Any]]], list[int]]:
            add, update, remove = dict(wanted), [], []
            for row in conn.execute(query):
                stored = _stored_rule(row)
                # A row stored before fingerprints existed (schema v1) is fingerprinted here.
                fp = row.fingerprint or rule_fingerprint(stored.rule)
                rule = add.pop(fp, None)
                if rule is None:
                    if row.config_file == config_file:
                        remove.append(row.id)
                    continue
                attributes = _rule_attributes(rule)
                if any(getattr(row, k) != v for k, v in attributes.items()) or (
                    row.config_file != config_file or row.fingerprint != fp
                ):
                    update.append(
                        (row.id, {**attributes, "config_file": config_file, "fingerprint": fp})
                    )
            return list(add.values()), update, remove

        with self.db.errors():
            with self._read() as conn:
                if plan(conn) == ([], [], []):
                    return  # the usual case: nothing to write
            with self._write() as conn:
                add, update, remove = plan(conn)  # again, under the lock
                for rule_id, values in update:
                    conn.execute(RULES.update().where(RULES.c.id == rule_id).values(values))
                if remove:
                    conn.execute(
                        RULES.update().where(RULES.c.id.in_(remove)).values(removed_at=now)
                    )
                for rule in add:
                    self._insert_rule(conn, rule, "config", now, config_file)

    def alert_rules(self) -> list[StoredRule]:
        """Every rule not removed, oldest first."""
        query = select(RULES).where(RULES.c.removed_at.is_(None)).order_by(RULES.c.id)
        with self.db.errors(), self._read() as conn:
            rows = conn.execute(query).all()
        return [_stored_rule(r) for r in rows]

    def delete_alert_rule(self, rule_id: int, now: datetime | None = None) -> bool:
        """Remove a rule (kept hidden, so its id is never reused); False if none."""
        when = now or datetime.now(UTC)
        with self.db.errors(), self._write() as conn:
            result = conn.execute(
                RULES.update()
                .where(RULES.c.id == rule_id, RULES.c.removed_at.is_(None))
                .values(removed_at=when)
            )
            return bool(result.rowcount)

    def observation_id(self, local: str, provider: str, as_of: date) -> int | None:
        """The id of ``provider``'s stored fixing of ``USD/local`` on ``as_of``."""
        query = select(OBS.c.id).where(
            OBS.c.provider == provider,
            OBS.c.base == USD,
            OBS.c.quote == local,
            OBS.c.as_of == as_of,
        )
        with self.db.errors(), self._read() as conn:
            return conn.execute(query).scalar()

    def apply_alert(
        self,
        rule_id: int,
        decide: Callable[[RuleState], tuple[RuleState, NewEvent | None]],
        now: datetime,
    ) -> int | None:
        """Move one rule's state under the write lock; returns the new event's id if it fired.

        ``decide`` sees the state as stored at this instant, so two processes evaluating
        the same rule (a dashboard and a headless collector) never both fire it.
        """
        query = select(
            RULES.c.armed, RULES.c.last_fired_at, RULES.c.last_observation_id, RULES.c.enabled
        ).where(RULES.c.id == rule_id, RULES.c.removed_at.is_(None))
        if self._engine.dialect.name == "postgresql":
            query = query.with_for_update()
        with self.db.errors(), self._write() as conn:
            row = conn.execute(query).first()
            if row is None or not row.enabled:
                return None  # removed or disabled meanwhile
            state = RuleState(bool(row.armed), row.last_fired_at, row.last_observation_id)
            new_state, event = decide(state)
            if new_state != state:
                conn.execute(
                    RULES.update()
                    .where(RULES.c.id == rule_id)
                    .values(
                        armed=new_state.armed,
                        last_fired_at=new_state.last_fired_at,
                        last_observation_id=new_state.last_observation_id,
                    )
                )
            if event is None:
                return None
            insert = EVENTS.insert().values(
                rule_id=rule_id,
                observation_id=event.observation_id,
                fired_at=now,
                pair=event.pair,
                rate=event.rate,
                message=event.message,
            )
            return int(conn.execute(insert.returning(EVENTS.c.id)).scalar_one())

    def alert_events(
        self, limit: int | None = 50, rule_id: int | None = None, after_id: int | None = None
    ) -> list[AlertEvent]:
        """Firings, newest first, with the causing observation's source and date."""
        e = EVENTS
        query = (
            select(
                e.c.id,
                e.c.rule_id,
                e.c.fired_at,
                e.c.pair,
                e.c.rate,
                e.c.message,
                OBS.c.provider,
                OBS.c.as_of,
            )
            .select_from(e.outerjoin(OBS, OBS.c.id == e.c.observation_id))
            .order_by(e.c.id.desc())
        )
        if rule_id is not None:
            query = query.where(e.c.rule_id == rule_id)
        if after_id is not None:
            query = query.where(e.c.id > after_id)
        if limit is not None:
            query = query.limit(limit)
        with self.db.errors(), self._read() as conn:
            return [AlertEvent(*r) for r in conn.execute(query)]

    def last_event_id(self) -> int:
        """The newest firing's id (0 when nothing ever fired)."""
        with self.db.errors(), self._read() as conn:
            return int(conn.execute(select(func.max(EVENTS.c.id))).scalar() or 0)


def _rule_attributes(rule: AlertRuleConfig) -> dict[str, Any]:
    """The columns of a rule that are not its condition (updated in place)."""
    return {
        "cooldown_seconds": int(rule.cooldown.total_seconds()),
        "channels": json.dumps(list(rule.channels)),
        "command": json.dumps(list(rule.command)),
        "label": rule.label,
    }


def _stored_rule(r: Any) -> StoredRule:
    rule = AlertRuleConfig(
        pair=parse_pair(r.pair),
        kind=AlertKind(r.kind),
        value=r.value,
        percent=r.percent,
        direction=Direction(r.direction),
        window=timedelta(seconds=r.window_seconds) if r.window_seconds else None,
        days=r.days,
        cooldown=timedelta(seconds=r.cooldown_seconds),
        hysteresis=r.hysteresis,
        channels=tuple(Channel(c) for c in json.loads(r.channels)),
        command=tuple(json.loads(r.command)),
        label=r.label,
    )
    state = RuleState(bool(r.armed), r.last_fired_at, r.last_observation_id)
    return StoredRule(r.id, rule, r.origin, bool(r.enabled), r.created_at, state)
