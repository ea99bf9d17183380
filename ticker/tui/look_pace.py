"""The pace of the dashboard's reads of the store under a steady stream of commits.

Every :data:`ticker.tui.app.STORE_LOOK` seconds the dashboard looks at the store (a
commit counter, no I/O); a look that finds a commit reads what moved. Under a stream of
commits (a collector storing one observation a second) the reads are coalesced: after a
read that found something new, the next read starts no sooner than :data:`REFRESH_GAP`
seconds after that one started; a look meanwhile leaves one read waiting for its time,
which then reads everything committed since at once. So every commit is on the screen
within :data:`REFRESH_GAP` seconds of being made, and the first commit after a quiet
spell still at the next look. Pure: the clock is an input (tests pass their own).
"""

from __future__ import annotations

from collections.abc import Callable

#: After a read that found something new, the next read starts no sooner than this many
#: seconds after it started (one read, and one redraw, for all that came meanwhile). At
#: one commit a second, 3 s rather than 2 s took the dashboard from 0.45-0.50% of a core
#: to 0.37-0.42% (``make bench``); a burst of commits (a poll round) is still on screen
#: at the next look.
REFRESH_GAP = 3.0


class LookPace:
    """When a look at the store reads it: now, later (one read waits for its time), or
    not at all."""

    def __init__(self, clock: Callable[[], float], gap: float = REFRESH_GAP) -> None:
        self.clock = clock
        self.gap = gap
        self.waiting = False
        """A read waits for its time (the caller set a timer that calls :meth:`due`)."""
        self._refreshed = float("-inf")
        """When the last read that found something new started (the clock's time)."""

    def look(self, worth: Callable[[], bool]) -> float | None:
        """What a look does: None, nothing (a read already waits for its time, or
        ``worth()`` says nothing was committed); 0.0, read now; a number of seconds, read
        then (the caller sets a timer that calls :meth:`due`, then looks again)."""
        if self.waiting or not worth():
            return None
        wait = self._refreshed + self.gap - self.clock()
        if wait <= 0:
            return 0.0
        self.waiting = True
        return wait

    def due(self) -> None:
        """The waiting read's time has come (its timer fired): the next look reads."""
        self.waiting = False

    def started(self) -> float:
        """A read starts now: its start, for :meth:`refreshed` once it found something."""
        return self.clock()

    def refreshed(self, started: float) -> None:
        """The read that started at ``started`` found something new (it is shown)."""
        self._refreshed = max(self._refreshed, started)
