"""Alert rules (config.toml's, the command line's, the dashboard's), their state and
their firings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from sqlalchemy import Connection, select

from ticker.model.pairs import USD
from ticker.model.records import NewEvent, RuleState
from ticker.model.rules import AlertRuleConfig, rule_fingerprint
from ticker.storage import sql
from ticker.storage.base import EVENTS, OBS, RULES, StoreBase
from ticker.storage.decode import rule_record
from ticker.storage.rule_sync import plan_sync, rule_attributes
from ticker.storage.sql import for_driver


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
            **rule_attributes(rule),
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
        with self.db.errors():
            if plan_sync(self.config_rule_records(config_file), rules, config_file).empty:
                return  # the usual case: nothing to write
            with self._write() as conn:
                # Planned again under the write lock, on the write connection.
                rows = conn.exec_driver_sql(
                    for_driver(sql.CONFIG_RULES, self.dialect), {"config_file": config_file}
                ).all()
                plan = plan_sync([rule_record(r) for r in rows], rules, config_file)
                for rule_id, values in plan.update:
                    conn.execute(RULES.update().where(RULES.c.id == rule_id).values(values))
                if plan.remove:
                    conn.execute(
                        RULES.update().where(RULES.c.id.in_(plan.remove)).values(removed_at=now)
                    )
                for rule in plan.add:
                    self._insert_rule(conn, rule, "config", now, config_file)

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
