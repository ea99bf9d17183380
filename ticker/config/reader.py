"""Validation primitives: durations, and the reader that checks one value at a time and
names the key path, the bad value and what was expected in its one-line error."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn, TypeVar

from ticker.errors import ConfigError
from ticker.i18n.words import _, ngettext

T = TypeVar("T")


#: A duration and its parts (compiled by :mod:`re` when first used: a status bar's config
#: often has no duration, and a compile is a tenth of a millisecond of its run).
_DURATION_PART = r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)"
_DURATION = r"(?:[0-9]+(?:\.[0-9]+)?(?:ms|s|m|h|d))+"
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """``"30m"``, ``"1h30m"``, ``"45s"``, ``"500ms"``, ``"7d"`` -> timedelta.

    Raises ``ValueError`` for anything else.
    """
    compact = text.strip().replace(" ", "")
    if not re.fullmatch(_DURATION, compact):
        raise ValueError(f"not a duration: {text!r}")
    seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in re.findall(_DURATION_PART, compact))
    if seconds > 100 * 365 * 86400:
        raise ValueError(f"duration too long: {text!r}")
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    """The inverse of :func:`parse_duration` for whole seconds: ``1h30m``."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


class Key(str):
    """Marks a key name (not a value) in messages."""


MISSING = object()


#: The longest value echoed in a message whole (a longer one is cut, its length said).
SHOWN_MAX = 100
#: The bidirectional controls (a label with one could show other text than it holds).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def shown(value: object) -> str:
    """``value`` as a message echoes it: a string quoted, a key named, a table or an
    array said in words (in the user's language), a long string cut."""
    if isinstance(value, str) and len(value) > SHOWN_MAX and not isinstance(value, Key):
        return ngettext(
            "{start}... ({n} character)", "{start}... ({n} characters)", len(value)
        ).format(start=shown(value[:SHOWN_MAX]), n=len(value))
    if value is MISSING:
        return _("nothing")
    if isinstance(value, Key):
        import json  # only to word an error

        return _("unknown key {key}").format(key=json.dumps(str(value), ensure_ascii=False))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        import json  # only to word an error

        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return _("a table")
    if isinstance(value, list):
        if not value:
            return _("an empty array")
        return _("an array")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return type(value).__name__


def expected_got(where: str, expected: str, got: str) -> str:
    """The one line of a value that is not what was expected: ``where``, then what was
    expected and what was found (both already worded in the user's language)."""
    if not where:
        return _("expected {expected}, got {got}").format(expected=expected, got=got)
    return _("{where}: expected {expected}, got {got}").format(
        where=where, expected=expected, got=got
    )


class Reader:
    """Type checks that fail with one line naming the file, key path, value and expectation."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, path: str, expected: str, got: object) -> NoReturn:
        where = f"{self.origin}: {path}" if path else self.origin
        raise ConfigError(expected_got(where, expected, shown(got)))

    def table(self, value: object, path: str, allowed: Sequence[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, _("a table"), value)
        for key in value:
            if key not in allowed:
                key_path = f"{path}.{key}" if path else key
                expected = _("one of the keys {keys}").format(keys=", ".join(allowed))
                self.fail(key_path, expected, Key(key))
        return value

    def string(self, value: object, path: str) -> str:
        if not isinstance(value, str):
            self.fail(path, _("a string"), value)
        return value

    def boolean(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, _("true or false"), value)
        return value

    def integer(self, value: object, path: str, minimum: int, maximum: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
            expected = _("a whole number from {minimum} to {maximum}").format(
                minimum=minimum, maximum=maximum
            )
            self.fail(path, expected, value)
        return value

    def choice(self, value: object, path: str, options: Sequence[str]) -> str:
        if not isinstance(value, str) or value not in options:
            self.fail(path, _("one of {options}").format(options=", ".join(options)), value)
        return value

    def unique_list(
        self,
        value: object,
        path: str,
        item: Callable[[object, str], T],
        unique: bool = True,
    ) -> tuple[T, ...]:
        if not isinstance(value, list):
            self.fail(path, _("an array"), value)
        items = tuple(item(v, f"{path}[{i}]") for i, v in enumerate(value))
        if unique:
            for i, v in enumerate(items):
                if v in items[:i]:
                    self.fail(f"{path}[{i}]", _("each entry once"), v)
        return items

    def indicator_code(self, value: object, path: str) -> str:
        code = self.string(value, path)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._]{0,63}", code):
            expected = _('an indicator code like "FP.CPI.TOTL.ZG" or "NGDP_RPCH"')
            self.fail(path, expected, code)
        return code

    def label(self, value: object, path: str) -> str:
        import unicodedata  # a rule's label only: not on a read's path

        from ticker.model.rules import LABEL_MAX  # a rule's: not on a read's path

        text = self.string(value, path)
        if len(text) > LABEL_MAX or any(
            unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS for c in text
        ):
            expected = ngettext(
                "one line of at most {n} character, without control characters",
                "one line of at most {n} characters, without control characters",
                LABEL_MAX,
            ).format(n=LABEL_MAX)
            self.fail(path, expected, text)
        return text

    def duration(
        self, value: object, path: str, minimum: timedelta, maximum: timedelta
    ) -> timedelta:
        expected = _('a duration like "30m"')
        if not isinstance(value, str):
            self.fail(path, expected, value)
        try:
            parsed = parse_duration(value)
        except ValueError:
            self.fail(path, expected, value)
        if not minimum <= parsed <= maximum:
            self.fail(
                path,
                _("a duration from {minimum} to {maximum}").format(
                    minimum=format_duration(minimum), maximum=format_duration(maximum)
                ),
                value,
            )
        return parsed

    def decimal(
        self, value: object, path: str, minimum: Decimal, maximum: Decimal = Decimal("1e9")
    ) -> Decimal:
        expected = _("a number from {minimum} to {maximum}").format(
            minimum=minimum, maximum=f"{maximum:f}"
        )
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(path, expected, value)
        text = str(value).strip()
        # Decimal reads "３０" as 30 and "1_000" as 1000: a typo, not a number
        if not text.isascii() or "_" in text:
            self.fail(path, expected, value)
        try:
            number = Decimal(text)
        except InvalidOperation:
            self.fail(path, expected, value)
        if not number.is_finite() or not minimum <= number <= maximum:
            self.fail(path, expected, value)
        return number

    def positive_decimal(
        self, value: object, path: str, maximum: Decimal = Decimal("1e9")
    ) -> Decimal:
        number = self.decimal(value, path, Decimal(0), maximum)
        if number == 0:
            self.fail(path, _("a number greater than 0"), value)
        return number

    def base_url(self, value: object, path: str, template: bool = False) -> str:
        expected = _(
            'an http(s) URL of scheme, host and optional path prefix, like "https://www.nbkr.kg"'
        )
        host = r"([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])"
        if template:  # "{date}" may stand anywhere in the host or path
            host = r"([A-Za-z0-9.\-{}]+|\[[0-9A-Fa-f:.]+\])"
        if not isinstance(value, str) or not re.fullmatch(
            rf"https?://{host}(:\d{{1,5}})?(/[^\s?#]*)?", value
        ):
            self.fail(path, expected, value)
        authority = value.split("://", 1)[1].split("/", 1)[0]
        port = authority.rsplit(":", 1)[1] if re.search(r":\d+$", authority) else None
        hostname = authority[: -len(port) - 1] if port else authority
        if (port is not None and not 0 < int(port) < 65536) or not hostname.strip("."):
            self.fail(path, expected, value)
        return value.rstrip("/")
