"""Exported rows in another orientation, the digits a computed rate is written with, and
rows written as RFC 4180 CSV.

Rows are tuples of text in the order of :data:`~ticker.storage.export_stream.COLUMNS`
(stored canonically, ``USD/local``). Every function here consumes and yields lazily, so
memory stays flat. The rate in force (``--best``, ``--wide``) is
:mod:`ticker.core.export.in_force`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal, localcontext
from itertools import islice
from typing import BinaryIO

from ticker.model.pairs import Orientation, convert, pair_for

Row = tuple[str, ...]

_AS_OF, _BASE, _QUOTE, _RATE, _PROVIDER = range(5)

#: Rows encoded and written at a time by :func:`write_rows`.
_WRITE_BATCH = 5_000


#: Significant digits of a rate the export computes (a cross, an inverse): DESIGN.md's
#: floor, and more than any quote a cross is made of publishes (seven at most: CBU's
#: ``12194.21``), so no digit the inputs justify is lost, and no 20-digit noise added.
COMPUTED_DIGITS = 10


def rate_in(rate: str, local: str, orientation: Orientation, cross: bool = False) -> str:
    """A stored ``USD/local`` rate's text in ``orientation``: a direct quote's stored
    digits as they are (``478.77``); a cross (``cross``) or an inverse at
    :data:`COMPUTED_DIGITS` significant digits, trailing zeros dropped."""
    if orientation is Orientation.PER_USD:
        if not cross:
            return rate
        value = Decimal(rate)
    else:
        value = convert(Decimal(rate), pair_for(local, orientation))
    return significant(value, COMPUTED_DIGITS)


def significant(value: Decimal, digits: int) -> str:
    """``value`` rounded to ``digits`` significant digits, in plain notation, without
    trailing zeros (``3.4999811242402506701`` -> ``3.499981124``)."""
    with localcontext(prec=digits):
        rounded = (+value).normalize()
    return format(rounded, "f")


def oriented(rows: Iterable[Row], orientation: Orientation) -> Iterator[Row]:
    """Long-form rows with base, quote and rate in ``orientation``."""
    if orientation is Orientation.PER_USD:
        yield from rows
        return
    for row in rows:
        local = row[_QUOTE]
        yield (row[_AS_OF], local, row[_BASE], rate_in(row[_RATE], local, orientation), *row[4:])


def write_rows(out: BinaryIO, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """``header`` and ``rows`` as CSV (RFC 4180: CRLF, a field with a comma or a quote
    quoted; UTF-8), a batch at a time (memory flat); the number of data rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    iterator = iter(rows)
    while True:
        batch = list(islice(iterator, _WRITE_BATCH))
        writer.writerows(batch)
        count += len(batch)
        out.write(buffer.getvalue().encode())
        buffer.seek(0)
        buffer.truncate()
        if not batch:
            return count
