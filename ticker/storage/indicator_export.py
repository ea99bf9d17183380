"""Stored indicator values streamed for ``ticker export --indicators``: every value held
(the annual series and the monetary ones alike), and with ``revisions`` every value a
revision replaced, through one streaming cursor, so memory stays flat whatever the
history's size. Read side: no ORM.

The rows come ordered by source, indicator, country, period and forecast (actual first);
within one period the replaced values come first, oldest first, then the value held now:
the order in which the source published them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from ticker.storage import decode, sql
from ticker.storage.export_stream import fetched_in_batches
from ticker.storage.reads import ReadQueries
from ticker.storage.version import RELEASE_SCHEMA

if TYPE_CHECKING:
    from ticker.model.records import IndicatorPoint


class ExportedValue(NamedTuple):
    """A stored indicator value, or (``replaced_at`` set) one a revision replaced: then
    ``previous_value`` and ``revised_at`` are None (they belong to the value held now)."""

    point: IndicatorPoint
    replaced_at: datetime | None


_HELD = (
    "SELECT source, indicator, country, period, value, is_forecast, fetched_at, "
    "previous_value, revised_at, released, NULL AS replaced_at, 1 AS held, id "
    "FROM indicator_value"
)
_REPLACED = (
    "SELECT source, indicator, country, period, value, is_forecast, fetched_at, "
    "NULL, NULL, released, replaced_at, 0, id FROM indicator_revision"
)
_ORDER = " ORDER BY source, indicator, country, period, is_forecast, held, replaced_at, id"


def _where(sources: Sequence[str] | None) -> tuple[str, dict[str, Any]]:
    if sources is None:
        return "", {}
    if not sources:
        return " WHERE 1 = 0", {}
    params = {f"source{i}": name for i, name in enumerate(sources)}
    return f" WHERE source IN ({', '.join(':' + name for name in params)})", params


def exported_values(
    store: ReadQueries, sources: Sequence[str] | None = None, revisions: bool = False
) -> Iterator[ExportedValue]:
    """Every stored value of ``sources`` (None: every source), and with ``revisions``
    every value a revision replaced (none in a store from before they were kept), in the
    module's order."""
    if store.schema_version < RELEASE_SCHEMA:  # no release dates, no revisions kept
        text, named = sql.indicator_points(sources, None, None, released=False)
        for row in _stream(store, text, named):
            yield ExportedValue(decode.indicator(row), None)
        return
    where, params = _where(sources)
    text = _HELD + where
    if revisions:
        text = f"{text} UNION ALL {_REPLACED}{where}"
    for row in _stream(store, text + _ORDER, params):
        yield ExportedValue(decode.indicator(row[:10]), decode.maybe_moment(row[10]))


def _stream(store: ReadQueries, text: str, params: dict[str, Any]) -> Iterator[Any]:
    with store.errors(), store.driver() as raw:
        yield from fetched_in_batches(raw, sql.for_driver(text, store.dialect), params)
        if store.dialect != "sqlite":
            raw.rollback()
