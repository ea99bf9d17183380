"""A backfill in words, for the command line and the dashboard: counts with their plural,
an estimate before it starts (``about 1,583 requests, ~6 min``), a source whose history
starts after the first date asked, and the dashboard's progress panel (one cell per
source, as many as fit on a line)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

#: A backfill started from the dashboard (``b``) fetches this far back: ``--since 1y``.
FIRST_RUN_SINCE = "1y"


class SourceProgress(Protocol):
    """What the words read of one source's progress
    (:class:`ticker.core.backfill.ProviderProgress`)."""

    provider: str
    total: int
    done: int
    stored: int
    finished: bool
    note: str

    @property
    def failed(self) -> int: ...


def counted(n: int, one: str, many: str | None = None) -> str:
    """``1 request``, ``2 requests``, ``1,583 requests``."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def about_duration(seconds: float) -> str:
    """A duration as an estimate says it: ``~40 s``, ``~6 min``, ``~1 h 5 min``."""
    if seconds < 60:
        return f"~{max(round(seconds), 1)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"~{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"~{hours} h {rest} min" if rest else f"~{hours} h"


def estimate_text(requests: int, seconds: float) -> str:
    """``about 1,583 requests, ~6 min`` (nothing to ask: ``nothing to fetch``)."""
    if requests == 0:
        return "nothing to fetch"
    return f"about {counted(requests, 'request')}, {about_duration(seconds)}"


def history_clip(start: date, asked: date) -> str:
    """What a source whose history starts after the first date asked says: ``history
    starts 2020-04-17; asked from 2019-01-01``."""
    return f"history starts {start}; asked from {asked}"


def failures_line(provider: str, failures: Sequence[str]) -> str:
    """``cbt: 2 requests failed: 2026-03-02: HTTP 500; ...`` (three shown, the rest
    counted)."""
    shown = "; ".join(failures[:3])
    more = f"; and {len(failures) - 3:,} more" if len(failures) > 3 else ""
    return f"{provider}: {counted(len(failures), 'request')} failed: {shown}{more}"


def _cell(p: SourceProgress) -> str:
    if p.total == 0:
        return f"{p.provider} {p.note or 'waiting'}"
    mark = " done" if p.finished else ""
    failed = f" ({p.failed} failed)" if p.failed else ""
    return f"{p.provider} {p.done:,}/{p.total:,}{mark}{failed}"


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
