"""Provider health, as every process shares it."""

from __future__ import annotations

from ticker.model.health import ProviderHealth
from ticker.storage.base import STATUS, StoreBase


class HealthStore(StoreBase):
    """Provider health."""

    def save_health(self, health: ProviderHealth, schedule: bool = True) -> None:
        """Insert or replace one provider's health row: the last write of a round, which
        announces it (on PostgreSQL). ``schedule=False`` (a one-off poll, which schedules
        nothing): a stored next run is left as it is, the running collector's plan."""
        values = {
            "provider": health.provider,
            "state": health.state,
            "last_attempt": health.last_attempt,
            "last_success": health.last_success,
            "last_error": health.last_error,
            "consecutive_failures": health.consecutive_failures,
            "next_run": health.next_run,
        }
        stmt = self._dialect().insert(STATUS).values(values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["provider"],
            set_={
                k: stmt.excluded[k]
                for k in values
                if k != "provider" and (schedule or k != "next_run")
            },
        )
        with self.db.errors(), self._write() as conn:
            conn.execute(stmt)
            self._announce(conn, health.provider)
