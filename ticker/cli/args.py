"""Checks of arguments several commands take: dates, providers, pairs."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from ticker.errors import UsageError
from ticker.i18n.words import N_, _
from ticker.model.periods import ChangePeriod, months_before, parse_period

if TYPE_CHECKING:
    import argparse

    from ticker.model.pairs import Orientation, Pair

_SPAN_UNITS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}
_DATE_FORMS = N_(
    "a date like 2026-01-31, a month like 2026-01, a year like 2024, "
    "or a span back from today like 30d, 8w, 6m or 2y"
)


def parse_date(
    text: str | None, option: str, today: date | None = None, end: bool = False
) -> date | None:
    """A ``--since``/``--until`` value: an ISO date; a month or a year (its first day,
    or with ``end`` its last); or a span back from ``today`` (``30d``, ``8w``, ``6m``,
    ``2y``: the same day of the month that many months back, or the month's last day)."""
    if text is None:
        return None
    plain = text.strip()
    found = _parse_date(plain, today, end) if plain.isascii() else None
    if found is None:
        raise UsageError(
            _("{option}: expected {date_forms}, got {text}").format(
                option=option, date_forms=_(_DATE_FORMS), text=repr(text)
            )
        )
    return found


def _parse_date(text: str, today: date | None, end: bool) -> date | None:
    try:
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            return date.fromisoformat(text)
        return _other(text, today, end)
    except ValueError:  # a month 13, a day 32, a year 0
        return None


def _other(text: str, today: date | None, end: bool) -> date | None:
    if len(text) == 4 and text.isdigit():  # a year
        return date(int(text), 12, 31) if end else date(int(text), 1, 1)
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        year, month = int(text[:4]), int(text[5:])
        return _month_end(year, month) if end else date(year, month, 1)
    count, unit = text[:-1], text[-1:].lower()
    if unit not in _SPAN_UNITS or not count.isdigit() or today is None or len(count) > 4:
        return None
    n = int(count)
    if unit == "d":
        return today - timedelta(days=n)
    if unit == "w":
        return today - timedelta(weeks=n)
    return months_before(today, n if unit == "m" else 12 * n)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def date_range(
    args: argparse.Namespace, today: date | None = None
) -> tuple[date | None, date | None]:
    since = parse_date(args.since, "--since", today)
    until = parse_date(args.until, "--until", today, end=True)
    if since is not None and until is not None and since > until:
        raise UsageError(
            _("--since {since} is after --until {until}").format(since=since, until=until)
        )
    return since, until


def checked_providers(names: list[str] | None, kind: str | None = "rates") -> list[str] | None:
    """The ``--provider`` names, checked: of ``kind`` (``rates``, ``indicators``, or
    None for any)."""
    from ticker.config import PROVIDERS

    if not names:
        return None
    allowed = [n for n, spec in PROVIDERS.items() if kind is None or spec.kind == kind]
    if kind != "indicators" and any(name not in PROVIDERS for name in names):
        from providers.registry import registered  # a third-party rate source

        allowed += [n for n in registered() if n not in PROVIDERS]
    chosen: list[str] = []
    for name in names:
        if name not in allowed:
            other = PROVIDERS[name].kind if name in PROVIDERS else ""
            said = {
                "indicators": _(
                    "--provider: expected one of {names}, got {text} (an indicators source)"
                ),
                "rates": _("--provider: expected one of {names}, got {text} (a rates source)"),
                "market": _("--provider: expected one of {names}, got {text} (a market source)"),
            }.get(other, _("--provider: expected one of {names}, got {text}"))
            raise UsageError(said.format(names=", ".join(allowed), text=repr(name)))
        if name not in chosen:
            chosen.append(name)
    return chosen


def checked_countries(codes: list[str] | None) -> list[str] | None:
    """The ``--country`` values (``KAZ`` or ``KZ``, any case) as ISO3 codes, once each, in
    the order given; None when none was given."""
    from ticker.model.monetary import parse_country

    if not codes:
        return None
    chosen: list[str] = []
    for code in codes:
        try:
            country = parse_country(code)
        except ValueError as err:
            raise UsageError(f"--country: {err}") from None
        if country not in chosen:
            chosen.append(country)
    return chosen


def checked_series(values: list[str] | None) -> list[str] | None:
    """The ``--series`` values (each a comma list, or repeated; codes or their aliases:
    ``cpi``) as series codes, once each, in the order given; None when none was given."""
    from ticker.model.monetary import parse_series

    if not values:
        return None
    chosen: list[str] = []
    for value in values:
        for part in value.split(","):
            try:
                code = parse_series(part)
            except ValueError as err:
                raise UsageError(f"--series: {err}") from None
            if code not in chosen:
                chosen.append(code)
    return chosen


def checked_pairs(codes: list[str] | None) -> list[str] | None:
    from ticker.model.pairs import parse_pair

    if not codes:
        return None
    locals_: list[str] = []
    for code in codes:
        try:
            local = parse_pair(code).local
        except ValueError as err:
            raise UsageError(f"--pair: {err}") from None
        if local not in locals_:
            locals_.append(local)
    return locals_


def split_pairs(codes: list[str] | None) -> tuple[list[str] | None, list[Pair] | None]:
    """``export``'s and ``backfill``'s ``--pair`` values: the dollar pairs' local codes
    (``KZT``, ``KZT/USD``, ``USD/KZT``) and the other pairs as written (``RUB/TJS``);
    ``(None, None)`` when none was given."""
    from ticker.model.pairs import Orientation

    pairs = written_pairs(codes, Orientation.USD_PER)
    if pairs is None:
        return None, None
    locals_ = list(dict.fromkeys(p.local for p in pairs if p.is_usd))
    return locals_, [p for p in pairs if not p.is_usd]


def written_pairs(codes: list[str] | None, orientation: Orientation) -> list[Pair] | None:
    """The ``--pair`` values of ``rates`` and ``strip``: each in the orientation written
    (``USD/KZT``, ``KZT/USD``, ``RUB/TJS``: any pair with a local side), a bare code
    (``KZT``) in ``orientation``; once each, in the order given. None when none was
    given."""
    from ticker.model.pairs import parse_pair

    if not codes:
        return None
    pairs: list[Pair] = []
    for code in codes:
        try:
            pair = parse_pair(code, orientation, any_pair=True)
        except ValueError as err:
            raise UsageError(f"--pair: {err}") from None
        if pair not in pairs:
            pairs.append(pair)
    return pairs


def parse_listen(text: str, option: str = "--metrics") -> tuple[str, int]:
    """A ``HOST:PORT`` to listen on: ``127.0.0.1:9464``, ``[::1]:9464`` or
    ``0.0.0.0:9464`` (every interface, said explicitly); port 0 takes any free one."""
    plain = text.strip()
    if plain.startswith("["):
        host, bracket, port = plain[1:].partition("]")
        ok = bool(bracket) and port.startswith(":")
        port = port[1:]
    else:
        host, colon, port = plain.rpartition(":")
        ok = bool(colon) and ":" not in host  # an IPv6 address goes in brackets
    valid = (
        ok
        and bool(host)
        and host.isascii()
        and host.isprintable()
        and " " not in host
        and port.isascii()
        and port.isdigit()
        and len(port) <= 5
        and int(port) <= 65535
    )
    if not valid:
        raise UsageError(
            _("{option}: expected HOST:PORT like 127.0.0.1:9464 or [::1]:9464, got {text}").format(
                option=option, text=repr(text)
            )
        )
    return host, int(port)


def checked_period(text: str, option: str = "--change") -> ChangePeriod:
    """A ``--change`` value: ``1d`` (the previous fixing), ``1w``, ``1m``, ``ytd``, ``1y``."""
    period = parse_period(text)
    if period is None:
        expected = ", ".join(p.value for p in ChangePeriod)
        raise UsageError(
            _("{option}: expected one of {expected}, got {text}").format(
                option=option, expected=expected, text=repr(text)
            )
        )
    return period
