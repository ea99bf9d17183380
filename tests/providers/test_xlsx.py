"""providers.xlsx: one sheet's cells from an .xlsx, the zip bounded before it is read.

The workbooks here are built by hand from the Office Open XML parts the recorded CBU
workbook has (tests/fixtures/providers/monetary/cbu-stavka/asosiy_stavka.xlsx); the
recording itself is read in test_monetary_cbu_stavka.py.
"""

from __future__ import annotations

import io
import struct
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from providers import xlsx
from providers.xlsx import read_sheet

RECORDING = (
    Path(__file__).resolve().parents[1]
    / "fixtures/providers/monetary/cbu-stavka/asosiy_stavka.xlsx"
).read_bytes()
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook(
    rows: str,
    strings: str | None = None,
    target: str = "worksheets/sheet1.xml",
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A workbook of one sheet ``S`` with ``rows`` (``<row>`` elements) and ``strings``
    (``<si>`` elements), as Excel lays it out."""
    shared = (
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        if strings is not None
        else ""
    )
    parts = {
        "xl/workbook.xml": f'<workbook {NS} {R}><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" '
        f'Target="{target}"/>{shared}</Relationships>',
        "xl/worksheets/sheet1.xml": f"<worksheet {NS}><sheetData>{rows}</sheetData></worksheet>",
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = f"<sst {NS}>{strings}</sst>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def said(body: bytes, sheet: str = "S") -> str:
    with pytest.raises(ValueError) as info:
        read_sheet(body, sheet)
    return str(info.value)


def test_the_cell_types_excel_writes() -> None:
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="inlineStr"><is><t>inline</t></is></c></row>'
        '<row r="3"><c r="A3"><v>13.5</v></c><c r="B3" t="b"><v>1</v></c>'
        '<c r="C3" t="e"><v>#N/A</v></c><c r="D3" s="2"/><c r="E3" t="str"><v>f</v></c></row>'
    )
    strings = (
        "<si><t>Expire date</t></si>"
        "<si><r><t>rich </t></r><r><t>text</t></r><rPh><t>x</t></rPh></si>"
    )
    sheet = read_sheet(workbook(rows, strings), "S")
    assert sheet.rows == {
        1: {"A": "Expire date", "B": "rich text", "C": "inline"},
        3: {"A": Decimal("13.5"), "B": True, "C": "#N/A", "E": "f"},  # D3: empty, left out
    }
    assert sheet.cell(3, "A") == Decimal("13.5") and sheet.cell(2, "A") is None


def test_a_target_from_the_root_is_read() -> None:
    sheet = read_sheet(
        workbook('<row r="1"><c r="A1"><v>1</v></c></row>', target="/xl/worksheets/sheet1.xml"), "S"
    )
    assert sheet.rows == {1: {"A": Decimal(1)}}


def test_the_bounds_are_checked_from_the_directory_before_anything_is_read() -> None:
    zeros = {"xl/media/big.xml": b"\0" * (xlsx.MAX_MEMBER_BYTES + 1)}
    assert "member 'xl/media/big.xml' expands to 4194305 bytes (at most 4194304)" in said(
        workbook("", extra=zeros)
    )
    five = {f"xl/media/{n}.xml": b"\0" * (4 * 1024 * 1024) for n in range(5)}
    assert "the members expand to" in said(workbook("", extra=five))
    ratio = {"xl/media/bomb.xml": b"\0" * (3 * 1024 * 1024)}
    reason = said(workbook("", extra=ratio))
    assert reason.startswith("the members expand ") and reason.endswith("(at most 100)")
    many = {f"xl/media/{n}.xml": b"<a/>" for n in range(xlsx.MAX_MEMBERS)}
    assert "103 members in the archive (at most 100)" in said(workbook("", extra=many))
    assert "a workbook of" in said(b"PK" + b"\0" * xlsx.MAX_BYTES)


def _patched_size(body: bytes, name: bytes, size: int) -> bytes:
    """``body`` with the central directory's uncompressed size of ``name`` set to ``size``."""
    at = 0
    while True:
        at = body.index(b"PK\x01\x02", at)
        length = struct.unpack_from("<H", body, at + 28)[0]
        if body[at + 46 : at + 46 + length] == name:
            return body[: at + 24] + struct.pack("<I", size) + body[at + 28 :]
        at += 4


def test_a_directory_that_lies_about_sizes_is_caught() -> None:
    body = workbook('<row r="1"><c r="A1"><v>1</v></c></row>')
    # Declared huge: refused before a byte is decompressed.
    huge = _patched_size(body, b"xl/worksheets/sheet1.xml", 2**31)
    assert "member 'xl/worksheets/sheet1.xml' expands to 2147483648 bytes" in said(huge)
    # Declared small: decompression stops at the declared size, and the CRC says so.
    small = _patched_size(body, b"xl/worksheets/sheet1.xml", 10)
    assert "xl/worksheets/sheet1.xml: unreadable member (Bad CRC-32" in said(small)


def test_an_archive_that_is_not_a_plain_workbook_is_refused() -> None:
    assert "not an xlsx (zip) file" in said(b"not a zip at all")
    assert "not an xlsx (zip) file" in said(RECORDING[:-30])  # no end of central directory
    twice = io.BytesIO()
    with zipfile.ZipFile(twice, "w") as archive:
        archive.writestr("xl/workbook.xml", b"<a/>")
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("xl/workbook.xml", b"<b/>")
    assert "member 'xl/workbook.xml' appears twice" in said(twice.getvalue())
    body = bytearray(workbook(""))
    at = body.index(b"PK\x01\x02")
    body[at + 8] |= 0x1  # the central directory's "encrypted" flag
    assert "is encrypted" in said(bytes(body))
    body = bytearray(workbook(""))
    at = body.index(b"PK\x01\x02")
    body[at + 10 : at + 12] = struct.pack("<H", 14)  # LZMA
    assert "uses compression method 14" in said(bytes(body))


def test_a_part_that_is_missing_or_not_xml_is_named() -> None:
    assert "no xl/workbook.xml in the workbook" in said(_without("xl/workbook.xml"))
    assert read_sheet(workbook(""), "S").rows == {}  # no shared strings, no rows: fine
    broken = {"xl/worksheets/sheet1.xml": b"\x00\x01 binary"}
    body = _replace(workbook(""), broken)
    assert "xl/worksheets/sheet1.xml: not well-formed XML" in said(body)
    wrong_root = _replace(workbook(""), {"xl/worksheets/sheet1.xml": b"<html/>"})
    assert "xl/worksheets/sheet1.xml: expected XML root" in said(wrong_root)
    no_data = _replace(workbook(""), {"xl/worksheets/sheet1.xml": f"<worksheet {NS}/>".encode()})
    assert "xl/worksheets/sheet1.xml: no <sheetData>" in said(no_data)
    assert "no sheet 'T' in the workbook (it has 'S')" in said(workbook(""), "T")


def test_a_relationship_outside_the_workbook_is_refused() -> None:
    assert "a target '../../etc/passwd' outside the workbook" in said(
        workbook("", target="../../etc/passwd")
    )


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ('<row r="1"><c r="A1" t="s"><v>5</v></c></row>', "cell A1: shared string '5' of 1"),
        ('<row r="1"><c r="A1" t="s"><v>-1</v></c></row>', "cell A1: shared string '-1' of 1"),
        ('<row r="1"><c r="1A"><v>1</v></c></row>', "a cell reference '1A' that is not A1-style"),
        ('<row r="1"><c><v>1</v></c></row>', "a cell reference '' that is not A1-style"),
        ('<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>', "cell A1 appears twice"),
        ('<row r="1"><c r="A1" t="b"><v>2</v></c></row>', "cell A1: a boolean '2'"),
        ('<row r="1"><c r="A1" t="q"><v>2</v></c></row>', "cell A1: a cell of unknown type 'q'"),
        ('<row r="1"><c r="A1"><v>NaN</v></c></row>', "cell A1: not a number: 'NaN'"),
        ('<row r="1"><c r="A1"><v>1E+999</v></c></row>', "cell A1: not a plausible rate"),
        (f'<row r="1"><c r="A1"><v>{"7" * 80}</v></c></row>', "a number of 80 characters"),
    ],
)
def test_a_bad_cell_is_refused_naming_it(rows: str, reason: str) -> None:
    got = said(workbook(rows, "<si><t>x</t></si>"))
    assert got.startswith("xl/worksheets/sheet1.xml: ") and reason in got


def test_rows_and_cells_are_bounded() -> None:
    rows = "".join(f'<row r="{n}"/>' for n in range(1, xlsx.MAX_ROWS + 2))
    assert f"more than {xlsx.MAX_ROWS} rows" in said(workbook(rows))
    cells = "".join(f'<c r="A{n}"><v>1</v></c>' for n in range(1, xlsx.MAX_CELLS + 2))
    assert f"more than {xlsx.MAX_CELLS} cells" in said(workbook(f'<row r="1">{cells}</row>'))


def _replace(body: bytes, parts: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(body))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, parts.get(info.filename, source.read(info.filename)))
    return out.getvalue()


def _without(name: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(workbook("")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info.filename, source.read(info.filename))
    return out.getvalue()
