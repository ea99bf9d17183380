"""A progress line per provider on stderr while a backfill runs.

On a terminal the lines are redrawn in place a few times a second, each one shortened to
the terminal's width as it is at that redraw (a line that wrapped would leave a copy of
itself behind at every redraw). Elsewhere (a log, a pipe) each provider's line is printed
once, plainly, when it is done: no carriage returns, no escape sequences.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Mapping
from datetime import date
from typing import TextIO

from ticker.core.backfill_progress import ProviderProgress
from ticker.display.backfill import estimate_text, failures_line, history_clip
from ticker.i18n.numbers import localised
from ticker.i18n.words import _, ngettext

BAR_WIDTH = 20
#: A bar narrower than this says nothing: the line goes without one.
MIN_BAR = 8
#: What a shortened word ends with.
ELLIPSIS = "\u2026"


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def plan_lines(progress: Mapping[str, ProviderProgress], since: date, until: date) -> list[str]:
    """Before a run (on a terminal, and with ``-v``): the requests planned and how long
    they should take, in all (the sources are asked at once: the longest) and for each
    source that has something to fetch."""
    planned = [p for p in progress.values() if p.total]
    requests = sum(p.requests for p in planned)
    longest = max((p.estimate for p in planned), default=0.0)
    width = max((len(p.provider) for p in planned), default=0)
    lines = [
        _("ticker: backfill from {since} to {until}: {estimate}").format(
            since=since, until=until, estimate=estimate_text(requests, longest)
        )
    ]
    lines.extend(
        f"ticker:   {p.provider.ljust(width)}  {estimate_text(p.requests, p.estimate)}"
        for p in planned
    )
    return lines


def clip_lines(progress: Mapping[str, ProviderProgress], since: date) -> list[str]:
    """A line for each source whose history starts after ``since`` (said before a run)."""
    return [
        f"ticker: {p.provider}: {history_clip(p.clipped_from, since)}"
        for p in progress.values()
        if p.clipped_from is not None
    ]


def outcome_lines(progress: Mapping[str, ProviderProgress]) -> list[str]:
    """After a run: what each source said about dates, the days not out yet, and the
    requests that failed (one line each, the first cases in full, the others counted)."""
    lines: list[str] = []
    for p in progress.values():
        if p.notes and p.what != "rates":  # an indicators source's, each: a few at most
            lines.extend(f"ticker: {note}" for note in p.notes)
        elif p.notes:
            others = len(p.notes) - 1
            said = (
                ngettext(
                    "ticker: {note} (and {n} more date like it)",
                    "ticker: {note} (and {n} more dates like it)",
                    others,
                )
                if others
                else "ticker: {note}"
            )
            lines.append(said.format(note=p.notes[0], n=localised(f"{others:,}")))
    for p in progress.values():
        if p.unpublished:
            days = ", ".join(p.unpublished[:3]) + (" ..." if len(p.unpublished) > 3 else "")
            lines.append(
                _(
                    "ticker: {provider}: {days} not published yet (not a failure); "
                    "the next backfill asks again"
                ).format(provider=p.provider, days=days)
            )
    lines.extend(
        f"ticker: {failures_line(n, p.failures)}" for n, p in progress.items() if p.failures
    )
    return lines


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the cut marked."""
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + ELLIPSIS if width > 0 else ""


def render(
    p: ProviderProgress,
    width: int | None = None,
    name_width: int = 12,
    now: float | None = None,
) -> str:
    """One provider's line, at most ``width`` characters (None: the whole line).

    The whole line has the bar, percent, requests, rate, time left, rows fetched and
    stored, and what went wrong. A narrower one drops, in turn: the words, the rate, the
    request counts, the bar (first narrowed), the days without a fixing and the
    quarantined count, the fetched count, the time left; what is left after that is cut.
    ``now``: the monotonic time to measure the rate at.
    """
    name = p.provider.ljust(name_width)
    if p.total == 0:
        return _cut(f"{name} {p.note or _('waiting')}", width)
    fraction = p.done / p.total
    percent = localised(f"{fraction:4.0%}")
    if p.interrupted:
        eta = _("interrupted")
    else:
        eta = _("done") if p.finished else _("ETA {clock}").format(clock=_clock(p.eta(now)))
    quarantined = len(p.result.quarantined)
    failed = len(p.failures)
    long_extras = [
        ngettext("{n} day without a fixing", "{n} days without a fixing", p.no_fixing)
        if p.no_fixing
        else "",
        ngettext("{n} failed", "{n} failed", failed) if failed else "",
        ngettext("{n} quarantined", "{n} quarantined", quarantined) if quarantined else "",
    ]
    short_extras = [
        ngettext("{n} no fixing", "{n} no fixing", p.no_fixing) if p.no_fixing else "",
        long_extras[1],
        long_extras[2],
    ]
    counts_of = {"fixing": p.no_fixing, "failed": failed, "quarantined": quarantined}
    long_extras = [
        x.format(n=localised(f"{n:,}"))
        for x, n in zip(long_extras, counts_of.values(), strict=True)
    ]
    short_extras = [
        x.format(n=localised(f"{n:,}"))
        for x, n in zip(short_extras, counts_of.values(), strict=True)
    ]
    long_tail = _extras(long_extras, brackets=True)
    short_tail = _extras(short_extras, brackets=True)
    failed_tail = _extras(short_extras[1:2], brackets=False)
    # A span of a range source may cost several requests (NBT, NBKR, CBR: one a currency).
    per = p.requests // p.total if p.total and p.requests > p.total else 1
    requests = f"{p.done * per}/{p.total * per}"
    words = (
        _("{fetched} rates fetched, {stored} new rows stored")
        if p.what == "rates"
        else _("{fetched} values fetched, {stored} new values stored")
    ).format(fetched=p.fetched, stored=p.stored)
    counts = _("{fetched} fetched, {stored} stored").format(fetched=p.fetched, stored=p.stored)
    stored = _("{stored} stored").format(stored=p.stored)
    speed = _("{rate}/s").format(rate=localised(f"{p.rate(now):5.1f}"))
    said_requests = _("{requests} requests").format(requests=requests)
    # Most to least said; "{bar}" is a bar as wide as the room left (BAR_WIDTH at most).
    candidates = [
        f"{name} {{bar}} {percent} {said_requests} {speed} {eta}  {words}{long_tail}",
        f"{name} {{bar}} {percent} {requests} {eta}  {counts}{short_tail}",
        f"{name} {{bar}} {percent} {eta} {counts}{short_tail}",
        f"{name} {percent} {requests} {eta} {counts}{short_tail}",
        f"{name} {percent} {eta} {counts}{short_tail}",
        f"{name} {percent} {eta} {counts}{failed_tail}",
        f"{name} {percent} {eta} {stored}{failed_tail}",
        f"{name} {percent} {stored}{failed_tail}",
    ]
    if width is None:
        return candidates[0].replace("{bar}", _bar(fraction, BAR_WIDTH))
    for candidate in candidates:
        if "{bar}" in candidate:
            room = width - (len(candidate) - len("{bar}")) - 2  # the brackets
            if room < MIN_BAR:
                continue
            return candidate.replace("{bar}", _bar(fraction, min(room, BAR_WIDTH)))
        if len(candidate) <= width:
            return candidate
    return _cut(candidates[-1], width)


def _bar(fraction: float, width: int) -> str:
    filled = int(fraction * width)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def _extras(parts: list[str], brackets: bool) -> str:
    said = ", ".join(part for part in parts if part)
    if not said:
        return ""
    return f" ({said})" if brackets else f", {said}"


def _cut(text: str, width: int | None) -> str:
    return text if width is None else fit(text, width)


def terminal_size(stream: TextIO) -> tuple[int, int]:
    """``(columns, lines)`` of the terminal ``stream`` writes to, as it is now
    (``$COLUMNS``/``$LINES``, then 80x24, when it cannot be asked)."""
    try:
        size = os.get_terminal_size(stream.fileno())
        if size.columns > 0:
            return size.columns, size.lines
    except (AttributeError, ValueError, OSError):
        pass
    import shutil

    size = shutil.get_terminal_size((80, 24))
    return size.columns, size.lines


class ProgressDisplay:
    """The lines of a running backfill, on ``stream`` (stderr).

    ``size`` gives the terminal's ``(columns, lines)`` at each redraw (the real terminal's
    by default; a test passes its own).
    """

    def __init__(
        self,
        progress: Mapping[str, ProviderProgress],
        stream: TextIO | None = None,
        interval: float = 0.25,
        size: Callable[[], tuple[int, int]] | None = None,
        live: bool | None = None,
    ) -> None:
        self.progress = progress
        self.stream = stream or sys.stderr
        self.interval = interval
        self.live = self.stream.isatty() if live is None else live
        self.size = size or (lambda: terminal_size(self.stream))
        self.name_width = max((len(name) for name in progress), default=0)
        self._drawn: list[str] = []
        """The lines on screen now (live), to go back over at the next redraw."""
        self._drawn_width = 0
        self._printed: set[str] = set()
        """Providers whose plain line is printed (not live)."""

    def lines(self, columns: int, rows: int | None = None) -> list[str]:
        """One line per provider, each at most ``columns - 1`` characters (the last
        column is left free: some terminals wrap on reaching it). With ``rows``, a
        terminal too short for every line shows the running ones first and says how
        many more there are."""
        width = max(columns - 1, 1)
        progress = list(self.progress.values())
        if rows is not None and len(progress) > max(rows - 1, 1):
            room = max(rows - 2, 1)  # the last row for the cursor, one for the summary
            shown = {id(p) for p in sorted(progress, key=lambda p: p.finished)[:room]}
            hidden = len(progress) - len(shown)
            kept = [p for p in progress if id(p) in shown]
            more = fit(
                ngettext("... and {n} provider more", "... and {n} providers more", hidden).format(
                    n=hidden
                ),
                width,
            )
            return [render(p, width, self.name_width) for p in kept] + [more]
        return [render(p, width, self.name_width) for p in progress]

    def draw(self) -> None:
        if not self.live:
            self._print_finished()
            return
        columns, rows = self.size()
        lines = self.lines(columns, rows)
        out = []
        if self._drawn:
            # Back to the first of the lines drawn last time. A terminal that got narrower
            # since has wrapped them again: each now takes as many rows as it needs.
            back = sum(max(-(-len(line) // columns), 1) for line in self._drawn)
            if columns >= self._drawn_width:
                back = len(self._drawn)
            out.append(f"\x1b[{back}F\x1b[J")
        out.extend(line + "\n" for line in lines)
        self.stream.write("".join(out))
        self.stream.flush()
        self._drawn, self._drawn_width = lines, columns

    def _print_finished(self, everyone: bool = False) -> None:
        """Plain lines, once each: the providers that are done (or, at the end, all)."""
        for name, p in self.progress.items():
            if name not in self._printed and (everyone or p.finished):
                self._printed.add(name)
                self.stream.write(render(p, None, self.name_width) + "\n")
        self.stream.flush()

    async def run(self) -> None:
        """Redraw (a terminal) or print what finished (elsewhere) until cancelled."""
        while True:
            self.draw()
            await asyncio.sleep(self.interval)

    def final(self) -> None:
        if self.live:
            self.draw()
        else:
            self._print_finished(everyone=True)
