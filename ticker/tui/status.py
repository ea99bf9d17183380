"""The dashboard's status line as a value: what it says, changed by one method per event,
each returning the new value (the app's handlers only call them and draw :meth:`text`).

``new rate 15m ago, checked 0s ago  ·  collecting from 11 sources  ·  14:05 UTC`` while
this dashboard collects: when a new rate last arrived (the newest shown rate's fetch) and
when a source last answered (which may bring nothing new); ``offline since 14:02: no
source reachable  ·  14:05 UTC`` when the last poll of every source it collects from
failed; without a collector, the two ages and a note: what is wrong (the store, the
collector, a bug, the live updates), else the resting note (nothing, the ``--no-collect``
note, the read-only store's, or which collector feeds this one). The clock gives way when
the line is wider than the screen. Pure: no widget, no store, no clock but the ``now``
given. Tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum, auto
from typing import TYPE_CHECKING

from ticker.display.views import relative
from ticker.i18n.dates import day_month
from ticker.i18n.words import N_, _, ngettext
from ticker.i18n.zone import clock, in_zone, zone_name
from ticker.model.health import FAILING, UNSTABLE

if TYPE_CHECKING:
    from ticker.display.monetary_screen import RecentDecision
    from ticker.model.collectors import CollectorRecord
    from ticker.model.snapshot import Snapshot

READING = N_("reading the store…")
NO_COLLECT_NOTE = N_("no collector (--no-collect)")
READ_ONLY_NOTE = N_("read-only store: showing, not collecting")
#: The resting notes that are this module's words (another is a collector's, in words).
OWN_NOTES = frozenset({NO_COLLECT_NOTE, READ_ONLY_NOTE})
#: The work whose failure the status line says (besides a bug in any worker).
SAID_FAILURES = ("store", "collector")
#: How a worker's bug is said (:meth:`ticker.tui.app.TickerApp.on_worker_state_changed`).
BUG = N_("internal error: {reason}")
#: Between the parts of the line.
SEPARATOR = "  ·  "
#: The same, closer: a line that would go without its clock at the normal spacing.
TIGHT_SEPARATOR = " · "


class Note(Enum):
    """What the note says, by kind (its words are :attr:`StatusLine.note_text`)."""

    READING = auto()
    """The store's first read is under way."""
    RESTING = auto()
    """Nothing is wrong: the resting words."""
    FAILED = auto()
    """The store or the collector failed, or a worker hit a bug."""
    LIVE_LOST = auto()
    """The store's announcements were lost; the listener connects again."""


@dataclass(frozen=True, slots=True)
class StatusLine:
    note: Note = Note.READING
    resting: str = ""
    """What the note says when nothing is wrong."""
    failed_what: str = ""
    """Which work failed (``store``, ``collector``, a worker's name), while FAILED."""
    detail: str = ""
    """The failure's words (FAILED) or why the live updates were lost (LIVE_LOST)."""
    snapshot: Snapshot | None = None
    """What the screen shows (the ages, and whether every source is failing)."""
    decisions: tuple[RecentDecision, ...] = ()
    """Each country's newest policy rate: one that takes effect today leads the line."""

    # ------------------------------------------------------------------ events

    def not_collecting(self) -> StatusLine:
        """The dashboard was started with ``--no-collect``: said at rest from now on."""
        return replace(self, note=Note.RESTING, resting=NO_COLLECT_NOTE)

    def shown(self, snapshot: Snapshot) -> StatusLine:
        """A read of the store is on the screen: the first read is over, and a store that
        had failed answers again (:attr:`store_down` before tells the app to say so)."""
        note = self.note
        if note is Note.READING or self.store_down:
            note = Note.RESTING
        return replace(self, note=note, snapshot=snapshot)

    def read_only(self) -> StatusLine:
        """The store cannot be written here: this dashboard shows it and collects
        nothing (:data:`READ_ONLY_NOTE`, said at rest from now on)."""
        return replace(self, resting=READ_ONLY_NOTE)

    def fed_by(self, who: str) -> StatusLine:
        """Another collector feeds this dashboard (``who``, in words: standing by), or
        this one's collector took the lease (``who`` empty): the new resting note, said
        now unless something else is."""
        return replace(self, resting=who)

    def decided(self, decisions: tuple[RecentDecision, ...]) -> StatusLine:
        """The policy rates were read (after the first data, and after each poll of a
        monetary source): on the day one takes effect, the line leads with it."""
        return replace(self, decisions=decisions)

    def live_lost(self, reason: str) -> StatusLine:
        """The store's announcements were lost (the listener connects again meanwhile)."""
        return replace(self, note=Note.LIVE_LOST, detail=reason)

    def live_back(self) -> StatusLine:
        """The announcements are heard again."""
        return replace(self, note=Note.RESTING) if self.note is Note.LIVE_LOST else self

    def failed(self, what: str, message: str) -> StatusLine:
        """A worker could not do its job: said here when it is the store's or the
        collector's, or a bug (``internal error: ...``); any other work's failure is
        only notified (the same value is returned)."""
        if what not in SAID_FAILURES and not is_bug(message):
            return self
        return replace(self, note=Note.FAILED, failed_what=what, detail=message)

    # ------------------------------------------------------------------ words

    @property
    def store_down(self) -> bool:
        """The store's failure is what the note says."""
        return self.note is Note.FAILED and self.failed_what == "store"

    @property
    def note_text(self) -> str:
        if self.note is Note.READING:
            return _(READING)
        if self.note is Note.FAILED:
            from ticker.tui.words import work_word

            return _("{what}: {detail}").format(
                what=work_word(self.failed_what), detail=self.detail
            )
        if self.note is Note.LIVE_LOST:
            return _("live updates lost, reconnecting: {reason}").format(reason=self.detail)
        return _(self.resting) if self.resting in OWN_NOTES else self.resting

    def text(
        self, collecting_from: Sequence[str] | None, now: datetime, width: int | None = None
    ) -> str:
        """The line at ``now``; ``collecting_from``: the sources this dashboard's
        collector polls (None: it has none); ``width``: the columns it has. On the day a
        policy decision takes effect (in the user's zone), it comes first."""
        lead = ""
        if self.decisions:
            from ticker.display.monetary_screen import decisions_today_text

            lead = decisions_today_text(self.decisions, now)
        return status_line(self.snapshot, collecting_from, self.note_text, now, width, lead)


def bug_words(reason: str) -> str:
    """``internal error: ...``: a worker's bug, in the user's words."""
    return _(BUG).format(reason=reason)


def is_bug(message: str) -> bool:
    """Whether ``message`` says a worker's bug (in English or in the user's words)."""
    said = _(BUG).partition("{reason}")[0]
    return message.startswith(("internal", said))


def status_line(
    snapshot: Snapshot | None,
    collecting_from: Sequence[str] | None,
    note: str,
    now: datetime,
    width: int | None = None,
    lead: str = "",
) -> str:
    """``new rate 15m ago, checked 0s ago  ·  collecting from 11 sources  ·  14:05 UTC``;
    when the last poll of every source failed, ``offline since 14:02: no source reachable
    ·  14:05 UTC``; without a collector (``collecting_from`` None) the note instead of the
    sources. The clock is the user's (:mod:`ticker.i18n.zone`), and the one place the
    dashboard names its zone (``15:00 +06``): every other time on it is on the same
    clock. Wider than ``width``, the parts close up (``·`` with one space each side), and
    if that is still too wide the line goes without the clock. ``lead`` (a policy
    decision today) comes first, and stays whole: the parts after it give way, last
    first, when the line is wider than ``width``."""
    time = f"{clock(now)} {zone_name(now)}"
    offline = offline_text(snapshot, collecting_from, now)
    parts = [lead] if lead else []
    if offline is not None:
        parts.append(offline)
    else:
        ages = ages_text(snapshot, now)
        if ages:
            parts.append(ages)
        if collecting_from is not None:
            n = len(collecting_from)
            parts.append(
                ngettext("collecting from {n} source", "collecting from {n} sources", n).format(n=n)
            )
        elif note:
            parts.append(note)
    line = SEPARATOR.join([*parts, time])
    if width is not None and len(line) > width and parts:
        tight = TIGHT_SEPARATOR.join([*parts, time])
        if len(tight) <= width:  # closer together rather than without the clock
            return tight
        line = SEPARATOR.join(parts)
        while lead and len(line) > width and len(parts) > 1:
            parts.pop()
            line = SEPARATOR.join(parts)
    return line


def ages_text(snapshot: Snapshot | None, now: datetime) -> str:
    """``new rate 15m ago, checked 0s ago``: when the newest rate shown was fetched (a
    poll that brings nothing new adds no row), and when a source last answered a poll
    (whoever polled it); either is left out while unknown."""
    if snapshot is None:
        return ""
    parts = []
    if snapshot.views:
        newest = max(v.fetched_at for v in snapshot.views)
        parts.append(_("new rate {age}").format(age=relative(newest, now)))
    answered = [h.last_success for h in snapshot.health.values() if h.last_success]
    if answered:
        parts.append(_("checked {age}").format(age=relative(max(answered), now)))
    return ", ".join(parts)


def poll_asked_words(
    holder: CollectorRecord | None,
    asked: bool,
    collect: bool,
    snapshot: Snapshot | None,
    now: datetime,
) -> str:
    """What ``r`` says on a dashboard that does not poll: whom it asked to poll now
    (through the store), or why nobody was asked, and what to run."""
    if holder is not None and asked:
        return _("Asked the collector ({who}) to poll now; new rates show as they arrive.").format(
            who=holder.who
        )
    if holder is not None:  # this process holds the lease, and its collector did not start
        return _(
            "This dashboard holds the store's lease but its collector is not running "
            "(see the status line): nothing polls this store."
        )
    answered = [h.last_success for h in snapshot.health.values()] if snapshot else []
    last = max((t for t in answered if t is not None), default=None)
    if collect and last:
        return _(
            "No collector holds the store's lease right now (a source last answered {age}); "
            "this dashboard takes it as soon as it can, and polls then."
        ).format(age=relative(last, now))
    if collect:
        return _(
            "No collector holds the store's lease right now; this dashboard takes it "
            "as soon as it can, and polls then."
        )
    if last:
        return _(
            "Nobody polls this store: no collector is running (a source last answered {age}). "
            "Run `ticker collect` (or `ticker poll` once), or start the dashboard without "
            "--no-collect."
        ).format(age=relative(last, now))
    return _(
        "Nobody polls this store: no collector is running. Run `ticker collect` "
        "(or `ticker poll` once), or start the dashboard without --no-collect."
    )


def offline_text(
    snapshot: Snapshot | None, sources: Sequence[str] | None, now: datetime
) -> str | None:
    """``offline since 14:02: no source reachable`` when the last poll of every source
    this dashboard collects from failed (since: the last time one answered, on the
    user's clock, with the day when it was not today there); None otherwise, and while
    a source has not been polled yet."""
    if snapshot is None or not sources:
        return None
    health = [snapshot.health.get(name) for name in sources]
    if any(h is None or h.state not in (UNSTABLE, FAILING) for h in health):
        return None
    reached = [h.last_success for h in health if h is not None and h.last_success is not None]
    if not reached:
        return _("offline: no source reachable")
    since = max(reached)
    day = in_zone(since).date()
    shown = clock(since) if day == in_zone(now).date() else f"{day_month(day)} {clock(since)}"
    return _("offline since {time}: no source reachable").format(time=shown)
