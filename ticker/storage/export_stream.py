"""Stored observations streamed for CSV export, at the speed of the database's own dump.

The database formats every field (ISO dates, ``true``/``false``, UTC times ending in
``Z``; the rate is its stored exact text), so Python moves text, not objects:

* :func:`write_lines`: the long form's lines, written to a binary stream. SQLite builds
  each line in SQL and hands over one string per row; PostgreSQL streams ``COPY ... TO
  STDOUT``.
* :func:`field_rows`: the same fields as tuples, for exports that reshape the rows
  (another orientation, the routed source only, the wide form).

Both read through one streaming cursor (or COPY), so memory stays flat whatever the
number of rows. Every field is a date, a currency code, a number, a provider name or a
timestamp: none can contain a comma, a quote or a line break, so no field needs quoting.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from ticker.model.pairs import USD
from ticker.storage.reads import ReadQueries

#: Rows moved from the database per fetch (measured: larger batches are slower here, and
#: hold more memory).
BATCH = 2_000
#: Bytes of COPY output gathered per write.
_CHUNK_BYTES = 1 << 20

COLUMNS = ("as_of", "base", "quote", "rate", "provider", "derived", "fetched_at")

_SQLITE_FIELDS = (
    "as_of",
    "base",
    "quote",
    "rate",
    "provider",
    "iif(derived, 'true', 'false')",
    "replace(fetched_at, ' ', 'T') || 'Z'",
)
_PG_FIELDS = (
    "to_char(as_of, 'YYYY-MM-DD')",
    "base",
    "quote",
    "rate",
    "provider",
    "CASE WHEN derived THEN 'true' ELSE 'false' END",
    """to_char(fetched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""",
)
_ORDER = {
    "pair": "base, quote, as_of, provider",
    "date": "as_of, base, quote, provider",
}


@dataclass(frozen=True, slots=True)
class Selection:
    """Which stored observations to export."""

    locals_: Sequence[str] | None = None
    providers: Sequence[str] | None = None
    since: date | None = None
    until: date | None = None
    series: Sequence[tuple[str, str]] | None = None
    """Stored series ``(base, quote)`` as published (``("RUB", "TJS")``, ``("USD",
    "KZT")``) instead of ``locals_``' dollar pairs."""

    def where(self, mark: str) -> tuple[str, list[Any]]:
        """The WHERE clause with ``mark`` placeholders, and its parameters."""
        clauses, params = ["base = " + mark], [USD]
        locals_ = self.locals_
        if self.series is not None:
            either = " OR ".join([f"(base = {mark} AND quote = {mark})"] * len(self.series))
            clauses = [f"({either})" if either else "0 = 1"]
            params = [code for pair in self.series for code in pair]
            locals_ = None
        for column, values in (("quote", locals_), ("provider", self.providers)):
            if values is not None:
                clauses.append(
                    f"{column} IN ({', '.join([mark] * len(values))})" if values else "0 = 1"
                )
                params.extend(values)
        if self.since is not None:
            clauses.append(f"as_of >= {mark}")
            params.append(self.since.isoformat())
        if self.until is not None:
            clauses.append(f"as_of <= {mark}")
            params.append(self.until.isoformat())
        return " AND ".join(clauses), params


def _sql(store: ReadQueries, selection: Selection, order: str) -> tuple[str, list[Any]]:
    sqlite = store.dialect == "sqlite"
    mark = "?" if sqlite else "%s"
    where, params = selection.where(mark)
    select = ", ".join(_SQLITE_FIELDS if sqlite else _PG_FIELDS)
    return f"SELECT {select} FROM observation WHERE {where} ORDER BY {_ORDER[order]}", params


def write_lines(store: ReadQueries, selection: Selection, out: BinaryIO) -> int:
    """Write the long form's data lines (CRLF-terminated, no header) to ``out``, ordered
    by pair then date then provider, about :data:`BATCH` lines a write; returns how many."""
    with store.errors(), store.driver() as raw:
        if store.dialect == "sqlite":
            return _sqlite_lines(raw, selection, out)
        sql, params = _sql(store, selection, "pair")
        count = 0
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
        ):
            # psycopg hands over about a row per chunk: gather them into larger writes.
            # No field can hold a line break: every LF ends a row; RFC 4180 wants CRLF.
            pending: list[bytes] = []
            size = 0
            for chunk in copy:
                pending.append(bytes(chunk))
                size += len(chunk)
                if size >= _CHUNK_BYTES:
                    count += _write_crlf(out, pending)
                    pending, size = [], 0
            count += _write_crlf(out, pending)
        raw.rollback()
        return count


def _write_crlf(out: BinaryIO, chunks: list[bytes]) -> int:
    text = b"".join(chunks)
    out.write(text.replace(b"\n", b"\r\n"))
    return text.count(b"\n")


def _sqlite_lines(raw: Any, selection: Selection, out: BinaryIO) -> int:
    """The long form's lines, each made whole by SQLite's printf (the fastest way
    measured): one string per row crosses into Python, a batch is joined and written.

    Two shortcuts, the bytes the same: the time's date/time separator, when only times
    can hold a space (:func:`_spaces_only_in_times`), is turned into ``T`` on the whole
    batch, not by ``replace()`` on every row (measured: a seventh of the statement's
    time); and the base, when the selection fixes it (the dollar's pairs), is part of
    the format, not a column read per row (a little more).
    """
    where, params = selection.where("?")
    base = USD if selection.series is None else None
    fields = ["as_of", "quote", "rate", "provider", "iif(derived, 'true', 'false')"]
    if base is None:
        fields.insert(1, "base")
    in_python = _spaces_only_in_times(raw)
    fields.append("fetched_at" if in_python else "replace(fetched_at, ' ', 'T')")
    assert base is None or base.isalpha()  # a code: no printf directive
    line = f"%s,{base},%s" if base is not None else "%s,%s,%s"
    line += ",%s,%s,%s,%sZ\r\n"
    sql = (
        f"SELECT printf(?, {', '.join(fields)}) FROM observation WHERE {where} "
        f"ORDER BY {_ORDER['pair']}"
    )
    count = 0
    cursor = raw.cursor()
    try:
        cursor.execute(sql, [line, *params])
        while rows := cursor.fetchmany(BATCH):
            text = "".join([r[0] for r in rows]).encode()
            out.write(text.replace(b" ", b"T") if in_python else text)
            count += len(rows)
    finally:
        cursor.close()
    return count


#: Every stored provider name (a handful of index lookups, however many rows).
_PROVIDERS = (
    "WITH RECURSIVE p(name) AS (SELECT min(provider) FROM observation UNION ALL "
    "SELECT (SELECT min(provider) FROM observation WHERE provider > name) FROM p "
    "WHERE name IS NOT NULL) SELECT name FROM p WHERE name IS NOT NULL"
)


def _spaces_only_in_times(raw: Any) -> bool:
    """Whether no field of a long-form line but the time can hold a space. Dates are ISO,
    codes three capital letters, rates positional decimal text, ``derived`` a word; a
    provider name is a plain word since the store refuses others
    (:func:`ticker.storage.rate_store._check_names`), and a store written before that
    is looked at here: its provider names, skipped through the unique index."""
    cursor = raw.cursor()
    try:
        return not any(" " in name for (name,) in cursor.execute(_PROVIDERS))
    finally:
        cursor.close()


def field_rows(
    store: ReadQueries, selection: Selection, order: str = "pair"
) -> Iterator[tuple[str, ...]]:
    """The fields of :data:`COLUMNS` as text, ordered by ``pair`` or by ``date`` (then pair,
    then provider), streamed."""
    with store.errors(), store.driver() as raw:
        sql, params = _sql(store, selection, order)
        if store.dialect == "sqlite":
            yield from fetched_in_batches(raw, sql, params)
        else:
            with raw.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT", params) as copy:
                # Text format: tab-separated, no field holds a tab or a backslash.
                yield from copy.rows()
            raw.rollback()


def last_date(store: ReadQueries, selection: Selection) -> date | None:
    """The newest effective date among the selected observations (None: none)."""
    with store.errors(), store.driver() as raw:
        mark = "?" if store.dialect == "sqlite" else "%s"
        where, params = selection.where(mark)
        cursor = raw.cursor()
        try:
            cursor.execute(f"SELECT max(as_of) FROM observation WHERE {where}", params)
            (value,) = cursor.fetchone()
        finally:
            cursor.close()
        if store.dialect != "sqlite":
            raw.rollback()
    if value is None:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def fetched_in_batches(raw: Any, sql: str, params: Any) -> Iterator[Any]:
    """The rows of ``sql`` on the driver's own connection ``raw``, :data:`BATCH` at a time
    (memory flat whatever the count); the cursor closed however the reading ends."""
    cursor = raw.cursor()
    try:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(BATCH):
            yield from rows
    finally:
        cursor.close()
