"""A progress line per provider on stderr while a backfill runs.

On a terminal the lines are redrawn in place a few times a second; elsewhere (a log, a
pipe) only the final lines are printed, so logs stay readable.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping
from typing import TextIO

from ticker.core.backfill import ProviderProgress

BAR_WIDTH = 20


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def render(p: ProviderProgress) -> str:
    """One line: bar, percent, units, rate, ETA, rows stored, failures."""
    if p.total == 0:
        return f"{p.provider:<12} {p.note or 'waiting'}"
    fraction = p.done / p.total
    filled = int(fraction * BAR_WIDTH)
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    if p.interrupted:
        eta = "interrupted"
    else:
        eta = "done" if p.finished else f"ETA {_clock(p.eta())}"
    line = (
        f"{p.provider:<12} [{bar}] {fraction:4.0%} {p.done}/{p.total} requests "
        f"{p.rate():5.1f}/s {eta}  {p.fetched} rates fetched, {p.stored} new rows stored"
    )
    extras = []
    if p.no_fixing:
        extras.append(f"{p.no_fixing} days without a fixing")
    if p.failures:
        extras.append(f"{len(p.failures)} failed")
    if p.result.quarantined:
        extras.append(f"{len(p.result.quarantined)} quarantined")
    return line + (f" ({', '.join(extras)})" if extras else "")


class ProgressDisplay:
    def __init__(
        self,
        progress: Mapping[str, ProviderProgress],
        stream: TextIO | None = None,
        interval: float = 0.25,
    ) -> None:
        self.progress = progress
        self.stream = stream or sys.stderr
        self.interval = interval
        self.live = self.stream.isatty()
        self._drawn = 0

    def draw(self) -> None:
        lines = [render(p) for p in self.progress.values()]
        if self.live and self._drawn:
            self.stream.write(f"\x1b[{self._drawn}F")  # back to the first line
        for line in lines:
            self.stream.write(("\x1b[2K" if self.live else "") + line + "\n")
        self.stream.flush()
        self._drawn = len(lines)

    async def run(self) -> None:
        """Redraw until cancelled (terminals only)."""
        if not self.live:
            return
        while True:
            self.draw()
            await asyncio.sleep(self.interval)

    def final(self) -> None:
        self.draw()
