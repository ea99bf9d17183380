"""Economic indicator values, with their revisions, and the indicators a source refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import and_, or_, select

from providers.base import IndicatorValue
from ticker.model.records import IndicatorsStored
from ticker.storage.base import INDICATORS, REFUSALS, REVISIONS, StoreBase
from ticker.storage.decode import maybe_day


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
        differently (a revision, or a period that became missing) is replaced: the old
        value, its release date and when it was fetched go to ``indicator_revision`` with
        the time of the revision (every revision is kept), and the newest previous value
        stays beside the current one. A release date given where none was, or moved, is
        updated in place (the value is the same publication). An unchanged one is left as
        it was.
        """
        if not values:
            return IndicatorsStored(0, 0)
        t = INDICATORS
        keys = {(v.source, v.indicator) for v in values}
        query = select(
            t.c.id, t.c.source, t.c.indicator, t.c.country, t.c.period, t.c.is_forecast,
            t.c.value, t.c.released, t.c.fetched_at,
        ).where(
            or_(*(and_(t.c.source == src, t.c.indicator == code) for src, code in sorted(keys)))
        )  # fmt: skip
        added = revised = 0
        with self.db.errors(), self._write() as conn:
            stored: dict[tuple[str, str, str, str, bool], _Stored] = {
                (r.source, r.indicator, r.country, r.period, bool(r.is_forecast)): _Stored(
                    r.id, r.value, maybe_day(r.released), r.fetched_at
                )
                for r in conn.execute(query)
            }
            new_rows, history = [], []
            for v in values:
                key = (v.source, v.indicator, v.country, v.period, v.is_forecast)
                old = stored.get(key)
                if old is None:
                    # a response listing a point twice adds it once
                    stored[key] = _Stored(0, v.value, v.released, v.fetched_at)
                    new_rows.append(
                        {
                            "source": v.source,
                            "indicator": v.indicator,
                            "country": v.country,
                            "period": v.period,
                            "value": v.value,
                            "is_forecast": v.is_forecast,
                            "fetched_at": v.fetched_at,
                            "released": v.released,
                        }
                    )
                    continue
                if old.id == 0:
                    continue
                if old.value == v.value:
                    if v.released is not None and v.released != old.released:
                        conn.execute(t.update().where(t.c.id == old.id).values(released=v.released))
                        stored[key] = old._replace(released=v.released)
                    continue
                history.append(
                    {
                        "source": v.source,
                        "indicator": v.indicator,
                        "country": v.country,
                        "period": v.period,
                        "is_forecast": v.is_forecast,
                        "value": old.value,
                        "released": old.released,
                        "fetched_at": old.fetched_at,
                        "replaced_at": v.fetched_at,
                    }
                )
                conn.execute(
                    t.update()
                    .where(t.c.id == old.id)
                    .values(
                        value=v.value,
                        previous_value=old.value,
                        revised_at=v.fetched_at,
                        fetched_at=v.fetched_at,
                        released=v.released if v.released is not None else old.released,
                    )
                )
                stored[key] = _Stored(old.id, v.value, v.released, v.fetched_at)
                revised += 1
            if new_rows:
                conn.execute(t.insert(), new_rows)
                added = len(new_rows)
            if history:
                conn.execute(REVISIONS.insert(), history)
            if added or revised:
                self._announce(conn, values[0].source)
        return IndicatorsStored(added, revised)


class _Stored(NamedTuple):
    id: int
    value: Decimal | None
    released: date | None
    fetched_at: datetime
