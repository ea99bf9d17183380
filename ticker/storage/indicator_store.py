"""Economic indicator values, with their revisions, and the indicators a source refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select

from providers.base import IndicatorValue
from ticker.model.records import IndicatorsStored
from ticker.storage.base import INDICATORS, REFUSALS, StoreBase


class IndicatorStore(StoreBase):
    """Indicator values and refusals."""

    def record_refusals(self, source: str, refused: Mapping[str, str], when: datetime) -> None:
        """What one poll of every indicator of ``source`` said: ``refused`` (code -> the
        source's reason) are the indicators it refuses as of ``when``, and no others (one
        it served again is refused no longer). One transaction."""
        t = REFUSALS
        with self.db.errors(), self._write() as conn:
            conn.execute(t.delete().where(t.c.source == source))
            if refused:
                conn.execute(
                    t.insert(),
                    [
                        {"source": source, "indicator": code, "reason": why, "refused_at": when}
                        for code, why in refused.items()
                    ],
                )

    def store_indicators(self, values: Sequence[IndicatorValue]) -> IndicatorsStored:
        """Store one response's indicator values in one transaction.

        A value not stored yet is added. A stored one that the source now publishes
        differently (a revision, or a year that became missing) is replaced, and the old
        value and the time of the revision are kept with it. An unchanged one is left as
        it was.
        """
        if not values:
            return IndicatorsStored(0, 0)
        t = INDICATORS
        keys = {(v.source, v.indicator) for v in values}
        query = select(
            t.c.id, t.c.source, t.c.indicator, t.c.country, t.c.period, t.c.is_forecast, t.c.value
        ).where(
            or_(*(and_(t.c.source == src, t.c.indicator == code) for src, code in sorted(keys)))
        )
        added = revised = 0
        with self.db.errors(), self._write() as conn:
            stored = {
                (r.source, r.indicator, r.country, r.period, bool(r.is_forecast)): (r.id, r.value)
                for r in conn.execute(query)
            }
            new_rows = []
            for v in values:
                key = (v.source, v.indicator, v.country, v.period, v.is_forecast)
                if key not in stored:
                    stored[key] = (0, v.value)  # a response listing a point twice adds it once
                    new_rows.append(
                        {
                            "source": v.source,
                            "indicator": v.indicator,
                            "country": v.country,
                            "period": v.period,
                            "value": v.value,
                            "is_forecast": v.is_forecast,
                            "fetched_at": v.fetched_at,
                        }
                    )
                    continue
                row_id, old = stored[key]
                if old == v.value or row_id == 0:
                    continue
                conn.execute(
                    t.update()
                    .where(t.c.id == row_id)
                    .values(
                        value=v.value,
                        previous_value=old,
                        revised_at=v.fetched_at,
                        fetched_at=v.fetched_at,
                    )
                )
                stored[key] = (row_id, v.value)
                revised += 1
            if new_rows:
                conn.execute(t.insert(), new_rows)
                added = len(new_rows)
            if added or revised:
                self._announce(conn, values[0].source)
        return IndicatorsStored(added, revised)
