"""``ticker export --indicators``: every stored indicator value, the annual series (World
Bank, IMF WEO) and the monetary ones (policy rates, monthly CPI, reserves) alike, one row
per value, and with ``revisions`` one more per value a revision replaced.

Columns: :data:`INDICATOR_COLUMNS` (the first nine as before the monetary series came;
``frequency`` and ``released`` appended), and with ``revisions``
:data:`REVISION_COLUMN` after them. A value as stored: the digits the source published
(``16.50`` stays ``16.50``), in plain notation (never an exponent); a missing value, a
release date the source does not give, an empty cell. ``frequency`` is the period's
(``day`` for a decision, ``month``, ``quarter``, ``year``). A replaced value's row has
``replaced_at`` (when the revision replaced it) and no ``previous_value``/``revised_at``
(those belong to the value held now, whose ``replaced_at`` is empty); a period's rows come
in the order published, the value held now last.

``since``/``until`` keep the periods that overlap those days: a year from any of its days
(``--since 2024-06-01`` keeps 2024), a month likewise, a decision day within them.
Streamed (:mod:`ticker.storage.indicator_export`): memory stays flat.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import BinaryIO

from ticker.core.export.shapes import write_rows
from ticker.model.monetary import frequency, period_end, period_start
from ticker.storage.indicator_export import exported_values
from ticker.storage.reads import ReadQueries

INDICATOR_COLUMNS = (
    "source",
    "indicator",
    "country",
    "period",
    "value",
    "is_forecast",
    "fetched_at",
    "previous_value",
    "revised_at",
    "frequency",
    "released",
)
#: The column ``revisions`` adds: when a revision replaced the row's value (empty for
#: the value held now).
REVISION_COLUMN = "replaced_at"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _within(period: str, since: date | None, until: date | None) -> bool:
    """Whether ``period`` overlaps ``since`` to ``until`` (a period of no known form only
    without bounds)."""
    if since is None and until is None:
        return True
    try:
        first, last = period_start(period), period_end(period)
    except ValueError:
        return False
    return (since is None or last >= since) and (until is None or first <= until)


def _frequency(period: str) -> str:
    try:
        return frequency(period).value
    except ValueError:
        return ""


def indicator_rows(
    store: ReadQueries,
    sources: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    revisions: bool = False,
) -> Iterator[tuple[str, ...]]:
    """The rows of :func:`write_indicators`, streamed."""
    for value in exported_values(store, sources, revisions):
        p = value.point
        if not _within(p.period, since, until):
            continue
        row = (
            p.source, p.indicator, p.country, p.period, _text(p.value),
            "true" if p.is_forecast else "false", _text(p.fetched_at),
            _text(p.previous_value), _text(p.revised_at), _frequency(p.period),
            _text(p.released),
        )  # fmt: skip
        yield (*row, _text(value.replaced_at)) if revisions else row


def write_indicators(
    store: ReadQueries,
    out: BinaryIO,
    sources: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    revisions: bool = False,
) -> int:
    """The header and every row to ``out``; the number of data rows."""
    header = (*INDICATOR_COLUMNS, REVISION_COLUMN) if revisions else INDICATOR_COLUMNS
    return write_rows(out, header, indicator_rows(store, sources, since, until, revisions))
