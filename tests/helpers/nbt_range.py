"""NBT's range export (``export_xml_dynamic.php``) built from its recorded daily
snapshots, for tests and the backfill bench: the only recorded range answer is one
currency over twelve days (``nbt/export_xml_dynamic_KZT_2026-09-20_2026-10-01.xml``), so a
range over the days whose snapshots are recorded is written in that recording's shape
(windows-1251, ``DateRange1``/``DateRange2`` as ``dd/mm/yyyy``, one ``Record`` a day with
``CharCode``, ``Nominal`` and ``Value``) from the snapshots' own rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from xml.etree.ElementTree import fromstring


def snapshot_rows(body: bytes) -> tuple[date, dict[str, tuple[str, str, str]]]:
    """A snapshot's date and its ``code -> (ID, nominal, value)`` texts."""
    root = fromstring(body)
    rows = {
        v.findtext("CharCode", "").strip(): (
            v.attrib.get("ID", ""),
            v.findtext("Nominal", "").strip(),
            v.findtext("Value", "").strip(),
        )
        for v in root.iter("Valute")
    }
    return date.fromisoformat(root.attrib["Date"]), rows


def range_answer(
    code: str, first: date, last: date, snapshot: Callable[[date], bytes | None]
) -> bytes:
    """The range export of ``code`` from ``first`` to ``last``: a record for each day
    whose snapshot (``snapshot(day)``, None: not recorded) is dated that day and has the
    currency."""
    records = []
    ident = ""
    day = first
    while day <= last:
        body = snapshot(day)
        if body is not None:
            dated, rows = snapshot_rows(body)
            if dated == day and code in rows:
                ident, nominal, value = rows[code]
                records.append(
                    f'<Record Date="{day:%d.%m.%Y}" Id="{ident}">\n'
                    f"  <CharCode>{code}</CharCode>\n"
                    f"     <Nominal>{nominal}</Nominal>\n"
                    f"   <Value>{value}</Value>\n</Record>\n"
                )
        day += timedelta(days=1)
    head = (
        '<?xml version="1.0" encoding="windows-1251" ?>\n'
        f'<ValCurs ID="{ident}"  DateRange1="{first:%d/%m/%Y}" DateRange2="{last:%d/%m/%Y}"'
        f'  Name="{code}">\n'
    )
    return (head + "".join(records) + "</ValCurs>").encode("cp1251")


def range_dates(query: dict[str, str]) -> tuple[date, date]:
    """The window a range request asks (``d1``, ``d2``)."""
    return date.fromisoformat(query["d1"]), date.fromisoformat(query["d2"])
