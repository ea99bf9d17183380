"""Turning the sources' text into exact numbers, dates and trees.

Every function here raises ``ValueError`` with a short reason on bad input; providers
turn that into ``ProviderResponseError`` naming themselves and the URL (see
:class:`Parser`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, localcontext
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from providers.base import ProviderResponseError

_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_BOM = b"\xef\xbb\xbf"

#: Significant digits kept when dividing two quotes into a cross rate.
CROSS_PRECISION = 20

#: The longest number text read: a rate, a timestamp or a page count is a few dozen
#: characters at most, and converting a megabyte of digits takes minutes.
MAX_NUMBER_CHARS = 64


def parse_decimal(text: str | int | Decimal | None) -> Decimal:
    """``"87,4500"``, ``"478.77"``, ``"5,39256E-05"``, ``"3"`` -> exact Decimal.

    A decimal comma is read as a point; exponent form is accepted. No thousands
    separators, no NaN or infinity.
    """
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int) and not isinstance(text, bool):
        value = Decimal(text)
    elif isinstance(text, str):
        cleaned = text.strip()
        if len(cleaned) > MAX_NUMBER_CHARS:
            raise ValueError(f"a number of {len(cleaned)} characters (at most {MAX_NUMBER_CHARS})")
        if not _NUMBER.fullmatch(cleaned):
            raise ValueError(f"not a number: {text!r}")
        value = Decimal(cleaned.replace(",", "."))
    else:
        raise ValueError(f"not a number: {text!r}")
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    if value and not -40 <= value.adjusted() <= 40:
        raise ValueError(f"not a plausible rate: {text!r}")
    return value


def precision_of(text: str | int | Decimal, decimals: int | None = None) -> Decimal:
    """The relative precision, in percent, of a number as published: half a unit of its
    last digit against its value. ``"0,0073"`` -> about 0.68 (±0.7%); ``"478.77"`` ->
    0.001. ``decimals``: the source always publishes this many (and strips trailing
    zeros, so ``"3.5"`` from such a source is 3.5000). Zero or malformed: 0."""
    try:
        value = parse_decimal(text)
    except ValueError:
        return Decimal(0)
    if not value:
        return Decimal(0)
    raw_exponent = value.as_tuple().exponent
    assert isinstance(raw_exponent, int)  # finite: parse_decimal refuses the rest
    exponent: int = raw_exponent
    if decimals is not None:
        exponent = min(exponent, -decimals)
    with localcontext(prec=4):
        return abs(Decimal(5).scaleb(exponent - 1) / value) * 100


def per_unit(value: Decimal, nominal: Decimal) -> Decimal:
    """A quote for ``nominal`` units turned into a quote for one unit, exactly."""
    if nominal <= 0:
        raise ValueError(f"nominal must be positive, got {nominal}")
    if nominal == 1:
        return value
    with localcontext(prec=CROSS_PRECISION + 10):
        return value / nominal


def cross(local_per_usd: Decimal, local_per_x: Decimal) -> Decimal:
    """``USD/X = (L per USD) / (L per X)``, to :data:`CROSS_PRECISION` digits."""
    if local_per_x <= 0 or local_per_usd <= 0:
        raise ValueError("cross of a non-positive rate")
    with localcontext(prec=CROSS_PRECISION):
        return local_per_usd / local_per_x


def parse_dmy(text: str) -> date:
    """``"01.04.2026"`` -> date."""
    return datetime.strptime(text.strip(), "%d.%m.%Y").date()


def parse_iso_date(text: str) -> date:
    """``"2026-05-18"`` -> date."""
    return date.fromisoformat(text.strip())


def parse_any_date(text: str) -> date:
    """``dd.mm.yyyy`` or ``YYYY-MM-DD``."""
    text = text.strip()
    return parse_dmy(text) if "." in text else parse_iso_date(text)


def parse_xml(body: bytes, root: str) -> Element:
    """Parse XML safely (no entities, no external references) and check the root tag.

    The encoding declaration (windows-1251, UTF-8) is honoured; a UTF-8 BOM is dropped.
    """
    if not body.strip():
        raise ValueError("empty response")
    if body.startswith(_BOM):
        body = body[len(_BOM) :]
    try:
        tree = SafeET.fromstring(body, forbid_dtd=True)
    except DefusedXmlException as err:
        raise ValueError(f"unsafe XML refused ({type(err).__name__})") from None
    except ParseError as err:
        raise ValueError(f"not well-formed XML: {err}") from None
    except (LookupError, UnicodeError) as err:  # an encoding declaration nobody knows
        raise ValueError(f"unreadable XML encoding: {err}") from None
    if len(body) > DEPTH_CHECKED_FROM and _deeper_than(tree, MAX_XML_DEPTH):
        raise ValueError(f"XML nested more than {MAX_XML_DEPTH} levels deep")
    if not isinstance(tree, Element) or tree.tag != root:
        raise ValueError(f"expected XML root <{root}>, got <{getattr(tree, 'tag', '?')}>")
    return tree


#: The deepest XML read: every feed's document is four levels deep.
MAX_XML_DEPTH = 32


#: Bodies from this size on are checked for depth (every real feed is far smaller, and a
#: small body cannot nest deep enough to matter).
DEPTH_CHECKED_FROM = 64 * 1024


def _deeper_than(root: Element, limit: int) -> bool:
    """Whether the tree under ``root`` is more than ``limit`` levels deep (iteratively)."""
    level = [root]
    for _ in range(limit):
        level = [child for element in level for child in element]
        if not level:
            return False
    return True


def parse_json(body: bytes) -> Any:
    """Parse JSON with every number kept exact (floats become Decimal)."""
    if not body.strip():
        raise ValueError("empty response")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("response is not UTF-8 text") from None
    # Numbers become Decimal in C; only a body with a long run of digits somewhere (in a
    # string, perhaps) has each number checked in Python: converting a megabyte of digits
    # later takes minutes, so such a number is refused.
    number = _checked_number if _LONG_DIGITS.search(text) else Decimal
    try:
        return json.loads(text, parse_float=number, parse_int=number)
    except json.JSONDecodeError as err:
        raise ValueError(f"not valid JSON: {err}") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


_LONG_DIGITS = re.compile(f"[0-9]{{{MAX_NUMBER_CHARS + 1}}}")


def _checked_number(text: str) -> Decimal:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(text)} digits in JSON (at most {MAX_NUMBER_CHARS})")
    return Decimal(text)


_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.I | re.S)
_TAGS = re.compile(rb"<[^>]*>")


def markup_message(body: bytes) -> str | None:
    """What a markup answer says where JSON was expected (a maintenance page, an XML
    error), in a few words; None when the body does not look like markup."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(b"<"):
        return None
    is_html = head.startswith((b"<!doctype html", b"<html")) or b"<html" in head
    if is_html:
        match = _TITLE.search(body[:65536])
        said = _plain(match.group(1)) if match else ""
        return "an HTML page where JSON was expected" + (f" ({said!r})" if said else "")
    said = _plain(_TAGS.sub(b" ", body[:65536].split(b"?>", 1)[-1]))
    return "XML where JSON was expected" + (f": the source says {said!r}" if said else "")


def _plain(raw: bytes, limit: int = 200) -> str:
    text = " ".join(raw.decode("utf-8", errors="replace").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_of(element: Element, tag: str) -> str:
    """The text of a required child element."""
    child = element.find(tag)
    if child is None or child.text is None or not child.text.strip():
        raise ValueError(f"<{element.tag}> without <{tag}>")
    return child.text.strip()


@contextmanager
def bad_response(provider: str, url: str) -> Iterator[None]:
    """Turn parse failures (ValueError, KeyError, TypeError...) into ProviderResponseError."""
    try:
        yield
    except ProviderResponseError:
        raise
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        ArithmeticError,  # decimal.InvalidOperation, Overflow; OverflowError
    ) as err:
        reason = str(err) if isinstance(err, ValueError) else f"unexpected shape ({err!r})"
        raise ProviderResponseError(provider, url, reason) from err
