"""Alert rules (config.toml's, the command line's, the dashboard's), their state and
their firings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, select, update

from ticker.errors import UsageError
from ticker.i18n.words import _
from ticker.model.pairs import USD
from ticker.model.records import NewEvent, RuleState, StoredRule, rule_muted, same_condition
from ticker.model.rules import AlertRuleConfig, rule_fingerprint
from ticker.storage import sql
from ticker.storage.base import EVENTS, OBS, RULES, WEBHOOK_DELIVERIES, StoreBase
from ticker.storage.decode import direction_column, rule_record
from ticker.storage.rule_sync import plan_sync, rule_attributes
from ticker.storage.sql import for_driver

#: A webhook delivery's states (``webhook_delivery.state``).
PENDING, DELIVERED, GIVEN_UP = "pending", "delivered", "given up"


class PendingWebhook(NamedTuple):
    """A firing's webhook delivery not yet done: its event, the JSON, when it was queued."""

    event_id: int
    body: str
    queued_at: datetime


class RuleEdit(NamedTuple):
    """What :meth:`AlertStore.edit_alert_rule` did."""

    before: StoredRule
    """The rule as it was."""
    same: StoredRule | None
    """The live rule already watching the edited condition: nothing was written."""


def _condition_columns(rule: AlertRuleConfig) -> dict[str, Any]:
    """The columns of a rule's condition (pair, kind, thresholds)."""
    return {
        "pair": rule.subject,
        "kind": rule.kind,
        "value": rule.value,
        "percent": rule.percent,
        "direction": direction_column(rule.direction, rule.market_channel, rule.series),
        "window_seconds": int(rule.window.total_seconds()) if rule.window else None,
        "days": rule.days,
        "hysteresis": rule.hysteresis,
    }


class AlertStore(StoreBase):
    """Alert rules, state and events."""

    def add_alert_rule(self, rule: AlertRuleConfig, origin: str, now: datetime) -> int:
        """Store a rule; returns its id (stable for the life of the store, never reused)."""
        with self.db.errors(), self._write() as conn:
            self._announce(conn, "rules")
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
            **_condition_columns(rule),
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
                if not plan.empty:
                    self._announce(conn, "rules")

    def edit_alert_rule(self, rule_id: int, rule: AlertRuleConfig) -> RuleEdit | None:
        """Make rule ``rule_id`` say ``rule`` (every field: pair, kind, thresholds,
        cooldown, channels, command, label); None when there is no such rule.

        Refused, with nothing written: a rule from config.toml (:class:`UsageError`: its
        file is where it is edited), and a condition another live rule watches already
        (returned as :attr:`RuleEdit.same`). A changed condition starts armed (its last
        firing was about another condition; the cooldown still counts from it); a rule
        whose condition stays keeps its state.
        """
        with self.db.errors(), self._write() as conn:
            # Read again under the write lock: two edits never make one condition twice.
            rows = conn.exec_driver_sql(for_driver(sql.RULES, self.dialect)).all()
            stored = {r.id: r for r in (rule_record(row).stored for row in rows)}
            before = stored.pop(rule_id, None)
            if before is None:
                return None
            if before.origin == "config":
                where = before.config_file or "config.toml"
                raise UsageError(
                    _("alert #{id} comes from {file} ([[alerts]]); edit it there").format(
                        id=rule_id, file=where
                    )
                )
            same = same_condition(stored.values(), rule)
            if same is not None:
                return RuleEdit(before, same)
            values = {**rule_attributes(rule), **_condition_columns(rule)}
            if rule_fingerprint(rule) != rule_fingerprint(before.rule):
                values.update(armed=True, last_observation_id=None)
            conn.execute(RULES.update().where(RULES.c.id == rule_id).values(values))
            self._announce(conn, "rules")
            return RuleEdit(before, None)

    def set_alert_enabled(self, rule_id: int, enabled: bool) -> StoredRule | None:
        """Disable or enable a rule (a config.toml rule too: its file does not say, and
        a restart keeps it); returns the rule as it was, None when there is none. A
        disabled rule fires nothing; its state goes on following the rate meanwhile."""
        return self._set_rule(rule_id, enabled=enabled)

    def snooze_alert_rule(self, rule_id: int, until: datetime | None) -> StoredRule | None:
        """Snooze a rule until ``until`` (None: no longer); returns the rule as it was,
        None when there is none."""
        return self._set_rule(rule_id, snoozed_until=until)

    def _set_rule(self, rule_id: int, **values: Any) -> StoredRule | None:
        with self.db.errors(), self._write() as conn:
            rows = conn.exec_driver_sql(for_driver(sql.RULES, self.dialect)).all()
            before = next(
                (s for s in (rule_record(r).stored for r in rows) if s.id == rule_id), None
            )
            if before is not None:
                conn.execute(RULES.update().where(RULES.c.id == rule_id).values(values))
                self._announce(conn, "rules")
            return before

    def delete_alert_rule(self, rule_id: int, now: datetime | None = None) -> bool:
        """Remove a rule (kept hidden, so its id is never reused); False if none."""
        when = now or datetime.now(UTC)
        with self.db.errors(), self._write() as conn:
            result = conn.execute(
                RULES.update()
                .where(RULES.c.id == rule_id, RULES.c.removed_at.is_(None))
                .values(removed_at=when)
            )
            if result.rowcount:
                self._announce(conn, "rules")
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
        decide: Callable[[RuleState, bool], tuple[RuleState, NewEvent | None]],
        now: datetime,
    ) -> int | None:
        """Move one rule's state under the write lock; returns the new event's id if it fired.

        ``decide`` sees the state as stored at this instant, and whether the rule is
        muted (disabled or snoozed) at ``now``, so two processes evaluating the same rule
        (a dashboard and a headless collector) never both fire it, and a rule disabled
        meanwhile does not fire.
        """
        query = select(
            RULES.c.armed,
            RULES.c.last_fired_at,
            RULES.c.last_observation_id,
            RULES.c.enabled,
            RULES.c.snoozed_until,
        ).where(RULES.c.id == rule_id, RULES.c.removed_at.is_(None))
        if self._engine.dialect.name == "postgresql":
            query = query.with_for_update()
        with self.db.errors(), self._write() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None  # removed meanwhile
            state = RuleState(bool(row.armed), row.last_fired_at, row.last_observation_id)
            # Disabled or snoozed as stored now (perhaps meanwhile, by another process).
            new_state, event = decide(state, rule_muted(bool(row.enabled), row.snoozed_until, now))
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
            if new_state != state or event is not None:
                self._announce(conn, "rules" if event is None else "events")
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

    # ------------------------------------------------------------------ webhook deliveries

    def queue_webhook(self, event_id: int, body: str, now: datetime) -> None:
        """Keep event ``event_id``'s webhook delivery (the JSON ``body``) as pending until
        :meth:`settle_webhook` (queued twice: kept once, as first queued)."""
        values = {"event_id": event_id, "body": body, "queued_at": now, "state": PENDING}
        insert = self._insert_ignoring_duplicates(WEBHOOK_DELIVERIES, ["event_id"])
        with self.db.errors(), self._write() as conn:
            conn.execute(insert.values(values))

    def settle_webhook(self, event_id: int, delivered: bool, detail: str, now: datetime) -> None:
        """Event ``event_id``'s delivery is done: the receiver took it, or it was given
        up. Never sent again."""
        state = DELIVERED if delivered else GIVEN_UP
        self._settle(WEBHOOK_DELIVERIES.c.event_id == event_id, state, detail, now)

    def give_up_webhooks(self, queued_before: datetime, detail: str, now: datetime) -> int:
        """Give up every delivery still pending that was queued before ``queued_before``;
        returns how many."""
        return self._settle(WEBHOOK_DELIVERIES.c.queued_at < queued_before, GIVEN_UP, detail, now)

    def _settle(self, where: Any, state: str, detail: str, now: datetime) -> int:
        statement = (
            update(WEBHOOK_DELIVERIES)
            .where(where, WEBHOOK_DELIVERIES.c.state == PENDING)
            .values(state=state, settled_at=now, detail=detail)
        )
        with self.db.errors(), self._write() as conn:
            return int(conn.execute(statement).rowcount)

    def pending_webhooks(self) -> list[PendingWebhook]:
        """The deliveries not done yet, oldest event first."""
        table = WEBHOOK_DELIVERIES
        query = (
            select(table.c.event_id, table.c.body, table.c.queued_at)
            .where(table.c.state == PENDING)
            .order_by(table.c.event_id)
        )
        with self.db.errors(), self._read() as conn:
            return [PendingWebhook(int(r[0]), str(r[1]), r[2]) for r in conn.execute(query)]
