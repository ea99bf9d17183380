"""The cells of one sheet of an .xlsx workbook, read with the standard library's zipfile
and defusedxml: no spreadsheet library, and no trust in the archive.

An .xlsx (Office Open XML spreadsheet) is a zip archive of XML parts: ``xl/workbook.xml``
names the sheets and gives each a relationship id, ``xl/_rels/workbook.xml.rels`` maps the
ids to parts (``worksheets/sheet1.xml``) and to the shared-string table
(``sharedStrings.xml``, the text of every text cell, referred to by index), and each sheet
part holds ``<row r="2"><c r="A2" t="s"><v>38</v></c><c r="B2"><v>14</v></c></row>``.

A zip is a compression bomb waiting to happen, so before any member is read the archive
is checked from its central directory: its own size (:data:`MAX_BYTES`), the number of
members, each member's and the total uncompressed size, and the total expansion ratio
(uncompressed against the file's bytes); encrypted members, compression methods other
than stored and deflate, and names given twice are refused. The sizes the directory
declares can lie, so every read is capped as well: zipfile stops a member at its declared
size while decompressing (and checks its CRC at the end), and we never ask for more than
that. XML parts go through :func:`providers.parsing.parse_xml` (no DTD, no entities, a
depth limit); numbers through :func:`providers.parsing.parse_decimal` (exact, no NaN, no
absurd exponent or length). Every failure is a ``ValueError`` naming the part or cell.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from xml.etree.ElementTree import Element

from providers.parsing import parse_decimal, parse_xml

__all__ = ["MAX_BYTES", "Cell", "Sheet", "read_sheet"]

#: The largest workbook read, compressed (a two-column history is tens of kB).
MAX_BYTES = 2 * 1024 * 1024
#: The most members an archive may list (an .xlsx of four sheets has about twenty).
MAX_MEMBERS = 100
#: The largest member, uncompressed, and all of them together.
MAX_MEMBER_BYTES = 4 * 1024 * 1024
MAX_TOTAL_BYTES = 16 * 1024 * 1024
#: The most the members together may expand against the file's own size (office files
#: compress text about 5 to 10 times; a bomb a thousand times and more).
MAX_RATIO = 100
#: The most rows and cells believed in one sheet.
MAX_ROWS = 10_000
MAX_CELLS = 100_000

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SHARED_STRINGS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_REF = re.compile("([A-Z]{1,3})([0-9]{1,7})")
_PART = re.compile("[A-Za-z0-9_./-]{1,200}")

#: A cell's value: text, an exact number, a boolean, or None for an empty cell.
Cell = str | Decimal | bool | None


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet's non-empty cells: row number -> column letters -> value."""

    name: str
    rows: dict[int, dict[str, Cell]]

    def cell(self, row: int, column: str) -> Cell:
        return self.rows.get(row, {}).get(column)


def read_sheet(body: bytes, name: str) -> Sheet:
    """The sheet called ``name`` of the workbook ``body``; ValueError for an archive or
    part that breaks a bound or the format, naming it."""
    with _open(body) as archive:
        sheets = _sheets(archive)
        if name not in sheets:
            known = ", ".join(repr(n) for n in sheets) or "none"
            raise ValueError(f"no sheet {name!r} in the workbook (it has {known})")
        rels = _relationships(archive)
        target = rels.get(sheets[name])
        if target is None:
            raise ValueError(f"sheet {name!r} points at no part ({sheets[name]!r})")
        strings = _shared_strings(archive, rels)
        return Sheet(name, _cells(_xml(archive, target, "worksheet"), strings, target))


def _open(body: bytes) -> zipfile.ZipFile:
    """The archive, its central directory checked against every bound."""
    if len(body) > MAX_BYTES:
        raise ValueError(f"a workbook of {len(body)} bytes (at most {MAX_BYTES})")
    try:
        archive = zipfile.ZipFile(BytesIO(body))
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as err:
        raise ValueError(f"not an xlsx (zip) file: {err}") from None
    try:
        _check_directory(archive.infolist(), len(body))
    except ValueError:
        archive.close()
        raise
    return archive


def _check_directory(members: list[zipfile.ZipInfo], size: int) -> None:
    if len(members) > MAX_MEMBERS:
        raise ValueError(f"{len(members)} members in the archive (at most {MAX_MEMBERS})")
    names: set[str] = set()
    total = 0
    for info in members:
        shown = info.filename[:80]
        if info.filename in names:
            raise ValueError(f"member {shown!r} appears twice in the archive")
        names.add(info.filename)
        if info.flag_bits & 0x1:
            raise ValueError(f"member {shown!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ValueError(f"member {shown!r} uses compression method {info.compress_type}")
        if info.file_size > MAX_MEMBER_BYTES:
            raise ValueError(
                f"member {shown!r} expands to {info.file_size} bytes (at most {MAX_MEMBER_BYTES})"
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise ValueError(f"the members expand to {total} bytes (at most {MAX_TOTAL_BYTES})")
    if total > MAX_RATIO * max(size, 1):
        raise ValueError(
            f"the members expand {total // max(size, 1)} times the file's {size} bytes "
            f"(at most {MAX_RATIO})"
        )


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, never more than its checked declared size."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ValueError(f"no {name} in the workbook") from None
    try:
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as err:
        raise ValueError(f"{name}: unreadable member ({err})") from None
    if len(data) > info.file_size:  # zipfile stops at the declared size; never trust it
        raise ValueError(f"{name}: larger than the archive declares")
    return data


def _xml(archive: zipfile.ZipFile, name: str, root: str, namespace: str = MAIN) -> Element:
    try:
        return parse_xml(_read(archive, name), namespace + root)
    except ValueError as err:
        if str(err).startswith(name):
            raise
        raise ValueError(f"{name}: {err}") from None


def _sheets(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and relationship id, from ``xl/workbook.xml``."""
    found: dict[str, str] = {}
    listed = _xml(archive, _WORKBOOK, "workbook").find(MAIN + "sheets")
    for sheet in [] if listed is None else listed.findall(MAIN + "sheet"):
        name, rid = sheet.get("name"), sheet.get(_DOC_REL + "id")
        if name is None or rid is None:
            raise ValueError(f"{_WORKBOOK}: a sheet without a name or relationship id")
        found[name] = rid
    return found


def _relationships(archive: zipfile.ZipFile) -> dict[str, str]:
    """Relationship id -> the member it points at (``worksheets/sheet1.xml`` is under
    ``xl/``; a target starting with ``/`` is from the archive's root). Relationships
    of a type other than a sheet's or the shared strings' are kept as they are."""
    rels: dict[str, str] = {}
    tree = _xml(archive, _WORKBOOK_RELS, "Relationships", _PKG_REL)
    for rel in tree.findall(_PKG_REL + "Relationship"):
        rid, target = rel.get("Id"), rel.get("Target", "")
        if rid is None or rel.get("TargetMode") == "External":
            continue
        part = target[1:] if target.startswith("/") else "xl/" + target
        if not _PART.fullmatch(part) or ".." in part.split("/"):
            raise ValueError(f"{_WORKBOOK_RELS}: a target {target[:80]!r} outside the workbook")
        rels[rid] = part
        if rel.get("Type") == _SHARED_STRINGS:
            rels[_SHARED_STRINGS] = part
    return rels


def _shared_strings(archive: zipfile.ZipFile, rels: dict[str, str]) -> list[str]:
    """The shared-string table (none in a workbook without text cells)."""
    part = rels.get(_SHARED_STRINGS)
    if part is None:
        return []
    strings: list[str] = []
    for item in _xml(archive, part, "sst").findall(MAIN + "si"):
        # Plain text, or rich-text runs; phonetic hints (rPh) are not the cell's text.
        texts = [item.find(MAIN + "t"), *(r.find(MAIN + "t") for r in item.findall(MAIN + "r"))]
        strings.append("".join(t.text or "" for t in texts if t is not None))
    return strings


def _cells(tree: Element, strings: list[str], part: str) -> dict[int, dict[str, Cell]]:
    data = tree.find(MAIN + "sheetData")
    if data is None:
        raise ValueError(f"{part}: no <sheetData>")
    rows: dict[int, dict[str, Cell]] = {}
    count = 0
    listed = data.findall(MAIN + "row")
    if len(listed) > MAX_ROWS:
        raise ValueError(f"{part}: more than {MAX_ROWS} rows")
    for row in listed:
        for cell in row.findall(MAIN + "c"):
            count += 1
            if count > MAX_CELLS:
                raise ValueError(f"{part}: more than {MAX_CELLS} cells")
            ref = cell.get("r", "")
            match = _REF.fullmatch(ref)
            if match is None:
                raise ValueError(f"{part}: a cell reference {ref[:20]!r} that is not A1-style")
            try:
                value = _value(cell, strings)
            except ValueError as err:
                raise ValueError(f"{part}: cell {ref}: {err}") from None
            if value is not None and value != "":
                number = int(match[2])
                if number in rows and match[1] in rows[number]:
                    raise ValueError(f"{part}: cell {ref} appears twice")
                rows.setdefault(number, {})[match[1]] = value
    return rows


def _value(cell: Element, strings: list[str]) -> Cell:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(MAIN + "is")
        return "" if inline is None else "".join(inline.itertext())
    raw = cell.findtext(MAIN + "v")
    if raw is None:
        return None
    if kind == "s":
        if not raw.strip().isdigit() or int(raw) >= len(strings):
            raise ValueError(f"shared string {raw[:20]!r} of {len(strings)}")
        return strings[int(raw)]
    if kind in ("str", "e", "d"):  # a formula's text, an error (#N/A), an ISO date
        return raw
    if kind == "b":
        if raw not in ("0", "1"):
            raise ValueError(f"a boolean {raw[:20]!r}")
        return raw == "1"
    if kind == "n":
        return parse_decimal(raw)
    raise ValueError(f"a cell of unknown type {kind[:20]!r}")
