"""A backfill in words, for the command line and the dashboard: counts with their plural,
an estimate before it starts (``about 1,583 requests, ~6 min``), a source whose history
starts after the first date asked, and the dashboard's progress panel (one cell per
source, as many as fit on a line)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Protocol

from ticker.i18n.numbers import localised
from ticker.i18n.words import _, ngettext

#: A backfill started from the dashboard (``b``) fetches this far back: ``--since 1y``.
FIRST_RUN_SINCE = "1y"


class SourceProgress(Protocol):
    """What the words read of one source's progress
    (:class:`ticker.core.backfill_progress.ProviderProgress`)."""

    provider: str
    total: int
    done: int
    stored: int
    finished: bool
    note: str

    @property
    def failed(self) -> int: ...


def _requests(n: int) -> str:
    return ngettext("{n} request", "{n} requests", n)


def _rows(n: int) -> str:
    return ngettext("{n} row", "{n} rows", n)


def _new_rows(n: int) -> str:
    return ngettext("{n} new row", "{n} new rows", n)


def _new_values(n: int) -> str:
    return ngettext("{n} new value", "{n} new values", n)


def _more_dates(n: int) -> str:
    return ngettext("{n} more date", "{n} more dates", n)


#: The nouns :func:`counted` knows the plural forms of, in every language.
_NOUNS: dict[str, Callable[[int], str]] = {
    "request": _requests,
    "row": _rows,
    "new row": _new_rows,
    "new value": _new_values,
    "more date": _more_dates,
}


def counted(n: int, one: str, many: str | None = None) -> str:
    """``1 request``, ``2 requests``, ``1,583 requests`` (``1 583 запроса``): the nouns of
    :data:`_NOUNS` in the user's language with its plural forms, any other in English."""
    number = localised(f"{n:,}")
    said = _NOUNS.get(one)
    if said is not None:
        return said(n).format(n=number)
    return f"{number} {one if n == 1 else many or one + 's'}"


def about_duration(seconds: float) -> str:
    """A duration as an estimate says it: ``~40 s``, ``~6 min``, ``~1 h 5 min``."""
    if seconds < 60:
        return _("~{seconds} s").format(seconds=max(round(seconds), 1))
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("~{minutes} min").format(minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if rest:
        return _("~{hours} h {minutes} min").format(hours=hours, minutes=rest)
    return _("~{hours} h").format(hours=hours)


def estimate_text(requests: int, seconds: float) -> str:
    """``about 1,583 requests, ~6 min`` (nothing to ask: ``nothing to fetch``)."""
    if requests == 0:
        return _("nothing to fetch")
    return _("about {requests}, {duration}").format(
        requests=counted(requests, "request"), duration=about_duration(seconds)
    )


def history_clip(start: date, asked: date) -> str:
    """What a source whose history starts after the first date asked says: ``history
    starts 2020-04-17; asked from 2019-01-01``."""
    return _("history starts {start}; asked from {asked}").format(start=start, asked=asked)


def failures_line(provider: str, failures: Sequence[str]) -> str:
    """``cbt: 2 requests failed: 2026-03-02: HTTP 500; ...`` (three shown, the rest
    counted)."""
    shown = "; ".join(failures[:3])
    if len(failures) > 3:
        more = len(failures) - 3
        shown += "; " + _("and {n} more").format(n=localised(f"{more:,}"))
    return ngettext(
        "{provider}: {n} request failed: {failures}",
        "{provider}: {n} requests failed: {failures}",
        len(failures),
    ).format(provider=provider, n=localised(f"{len(failures):,}"), failures=shown)


def _cell(p: SourceProgress) -> str:
    if p.total == 0:
        note = p.note or _("waiting")
        return f"{p.provider} {note}"
    done, total = localised(f"{p.done:,}"), localised(f"{p.total:,}")
    if p.finished and p.failed:
        return _("{provider} {done}/{total} done ({failed} failed)").format(
            provider=p.provider, done=done, total=total, failed=p.failed
        )
    if p.finished:
        return _("{provider} {done}/{total} done").format(
            provider=p.provider, done=done, total=total
        )
    if p.failed:
        return _("{provider} {done}/{total} ({failed} failed)").format(
            provider=p.provider, done=done, total=total, failed=p.failed
        )
    return f"{p.provider} {done}/{total}"


def _pack(parts: Iterable[str], width: int, between: str) -> list[str]:
    """``parts`` joined by ``between``, as many to a line as fit in ``width``; a part is
    never split (one wider than the line is cut at its end)."""
    lines: list[str] = []
    line = ""
    for part in parts:
        if len(part) > width:
            part = part[: width - 1] + "\u2026"
        if line and len(line) + len(between) + len(part) > width:
            lines.append(line)
            line = ""
        line = f"{line}{between}{part}" if line else part
    if line:
        lines.append(line)
    return lines


def panel_lines(header: Sequence[str], progress: Iterable[SourceProgress], width: int) -> list[str]:
    """The dashboard's progress panel: the ``header``'s parts, then one cell per source
    (``nbk 120/365``: requests done of those planned), each packed into lines of
    ``width``; nothing is cut inside a part or a cell unless it alone is wider."""
    width = max(width, 10)
    return _pack(header, width, " \u00b7 ") + _pack(map(_cell, progress), width, "   ")
