"""The dashboard's store, for its worker threads: what each worker reads or writes, as a
plain method that raises :class:`~ticker.errors.TickerError` when the store refuses.

Two sides, each opened on first use and shared by every worker:

* the reads (the snapshot, a chart, a pair's detail, the indicators, an export) go through
  the read side (:mod:`ticker.storage.reader`: the driver's own connection, no ORM
  loaded, config.toml's rules brought in first), so the first data is on screen before
  SQLAlchemy has loaded;
* the writes (a rule added or removed here) and the collector use the write side's
  repository, opened only when one of them first needs it.

The store is watched for commits (:mod:`ticker.storage.changes`: SQLite's commit counter,
PostgreSQL's announcements), and after one the store's data mark (one small statement)
tells whether what the screen shows moved: an idle dashboard reads again only when it did,
whatever else is committed (a collector's heartbeat). Testable without a terminal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ticker.config import Settings
from ticker.errors import TickerError
from ticker.i18n.words import _
from ticker.model.export import ExportShape
from ticker.model.pairs import Orientation
from ticker.model.periods import ChangePeriod

if TYPE_CHECKING:
    from decimal import Decimal

    from ticker.core.conversion import Converted
    from ticker.model.collectors import CollectorRecord
    from ticker.model.indicators import IndicatorSeries
    from ticker.model.monetary import MonetaryView
    from ticker.model.pairs import Pair
    from ticker.model.routing import PairView
    from ticker.model.rules import AlertRuleConfig
    from ticker.model.series import Series
    from ticker.model.snapshot import PairDetail, Snapshot
    from ticker.storage.changes import ChangeWatch, Heard, Said
    from ticker.storage.reads import DataMark, ReadQueries
    from ticker.storage.repository import Repository

#: Without new data, the screen is read again this often anyway: a fixing goes stale (or
#: a fallback's turn ends) at an hour of the source's calendar, not when data arrives.
STATE_REREAD = timedelta(minutes=10)
#: While the watch cannot tell (an in-memory store; PostgreSQL's announcements lost until
#: the listener is back), the data mark is asked this often instead.
SLOW_LOOK = timedelta(seconds=10)
#: The monetary series are read this many years back (their sparklines and charts).
MONETARY_YEARS = 5


class StoreSession:
    """Everything the dashboard asks of the store."""

    def __init__(
        self,
        settings: Settings,
        now: Callable[[], datetime],
        heard: Heard | None = None,
        said: Said | None = None,
    ) -> None:
        """``heard`` and ``said`` are the watch's reports from its own thread (a commit
        announced; the announcements lost, with the reason, or back, with None)."""
        self.settings = settings
        self.now = now
        self.heard = heard
        self.said = said
        self.change_period = ChangePeriod.DAY
        """What the snapshot's changes are over (the dashboard's key cycles it)."""
        self.flipped: frozenset[str] = frozenset()
        """The keys (``RUB/TJS``) of the watched pairs beyond the dollar shown turned round
        from ``[pairs] watch`` (the dashboard's ``f`` on such a pair)."""
        self._reads: ReadQueries | None = None
        self._repo: Repository | None = None
        self._watch: ChangeWatch | None = None
        self._fresh = False
        """Someone committed since the last look (seen by :meth:`worth_a_look`)."""
        self._mark: DataMark | None = None
        """The data mark of what is shown (read just before it)."""
        self.rows_only = False
        """The last snapshot read was the one before with the rows of new fixings read
        again (nothing else moved: :func:`ticker.core.snapshot.load_changed`)."""
        self._read: Snapshot | None = None
        """The last snapshot read (at :attr:`_mark`): new fixings alone read its changed
        rows again, not all of it."""
        self._looked_at: datetime | None = None
        """When the data mark was last asked (the slow look's pace)."""
        self._lock = threading.Lock()
        self._reading = threading.Lock()
        """One look or read at a time, whichever worker asks."""

    @property
    def reads(self) -> ReadQueries:
        """The read side, opened on first use (config.toml's rules listed)."""
        with self._lock:
            if self._reads is None:
                from ticker.storage.reader import open_reads

                self._reads = open_reads(self.settings, self.now)
            return self._reads

    @property
    def repo(self) -> Repository:
        """The write side, opened on first use (a write, the collector)."""
        with self._lock:
            if self._repo is None:
                from ticker.core.runtime import open_store

                self._repo = open_store(self.settings, self.now)
            return self._repo

    def snapshot(
        self,
        orientation: Orientation,
        events_after: int | None,
        shown: Snapshot | None = None,
        if_changed: bool = False,
    ) -> Snapshot | None:
        """What the main screen shows. With ``if_changed`` (the dashboard's look): None
        when there is nothing new to show. After someone's commit the data mark is asked
        (one statement) and the snapshot read only when the mark moved; the state is read
        at least every :data:`STATE_REREAD` whatever happened."""
        from ticker.core import snapshot as snapshots

        with self._reading:
            now = self.now()
            reads = self.reads
            watch = self._store_watch(reads)
            looking = if_changed and shown is not None and now - shown.loaded_at < STATE_REREAD
            try:
                if looking and not self._commit_seen(watch, now):
                    return None
                if not looking:
                    watch.changed()  # what is committed now is read now
                    self._fresh = False
                self._looked_at = now
                with reads.reading():  # the mark, then what it marks: one read transaction
                    mark = reads.data_mark()
                    if looking and mark == self._mark:
                        return None
                    snapshot = self._changed(reads, orientation, now, mark) if looking else None
                    fresh_whole = None
                    if snapshot is None:
                        snapshot = fresh_whole = snapshots.load_snapshot(
                            reads,
                            self.settings,
                            orientation,
                            now,
                            events_after,
                            self.change_period,
                            self.shown_others(),
                        )
                self._mark, self._read = mark, snapshot
                self.rows_only = snapshot is not fresh_whole
                return snapshot
            except TickerError:
                watch.forget()  # not shown: the next look reads again
                self._mark = None
                raise

    def _changed(
        self, reads: ReadQueries, orientation: Orientation, now: datetime, mark: DataMark
    ) -> Snapshot | None:
        """The last snapshot read with the rows of the new fixings read again, when new
        fixings are all that moved (:func:`ticker.core.snapshot.load_changed`); None:
        read it all."""
        from ticker.core import snapshot as snapshots

        after = snapshots.only_fixings_moved(self._mark, mark)
        if after is None or self._read is None or self.shown_others():
            return None
        return snapshots.load_changed(
            reads, self.settings, orientation, now, self._read, after, self.change_period
        )

    def worth_a_look(self, shown: Snapshot | None) -> bool:
        """Whether :meth:`snapshot` with ``if_changed`` might find something: someone
        committed (SQLite's commit counter, read on the caller's thread: no I/O wait; a
        PostgreSQL announcement heard), or the state is due. Cheap enough for a timer on
        the UI loop every second; True when the store is not open yet."""
        with self._lock:
            watch, reads = self._watch, self._reads
        if shown is None or watch is None or reads is None:
            return True
        now = self.now()
        if now - shown.loaded_at >= STATE_REREAD:
            return True
        if watch.blind:
            return self._slow_look_due(now)
        self._fresh |= watch.changed()
        return self._fresh

    def _commit_seen(self, watch: ChangeWatch, now: datetime) -> bool:
        """Whether someone committed since the last look (a blind watch: whether the
        slow look is due)."""
        if watch.blind:
            self._fresh = False
            return self._slow_look_due(now)
        fresh = self._fresh or watch.changed()
        self._fresh = False
        return fresh

    def _slow_look_due(self, now: datetime) -> bool:
        return self._looked_at is None or now - self._looked_at >= SLOW_LOOK

    def indicators(self) -> list[IndicatorSeries]:
        """The annual indicators (the monetary series' periods are not years: they are
        :meth:`monetary`'s)."""
        from ticker.config import configured
        from ticker.model.indicators import build_series

        wanted = configured(self.settings)
        sources = list(dict.fromkeys(source for source, _ in wanted))
        reads = self.reads
        with reads.reading():
            points = reads.indicator_points(sources=sources)
            refusals = reads.indicator_refusals()
        return build_series(points, wanted, refusals=refusals)

    def monetary(
        self, series: Sequence[str] | None = None, countries: Sequence[str] | None = None
    ) -> MonetaryView:
        """The monetary monitor (:func:`ticker.model.monetary.monetary_view`) of the
        enabled monetary sources: ``series`` (None: the shown ones) of ``countries``
        (None: the five), in one read bounded to the last :data:`MONETARY_YEARS` years."""
        from providers.records import COUNTRIES
        from ticker.config import monetary_asked
        from ticker.model.monetary import SHOWN_SERIES, monetary_view

        asked = monetary_asked(self.settings)
        enabled = list(asked)
        wanted = tuple(series or SHOWN_SERIES)
        where = tuple(countries or COUNTRIES)
        today = self.now().astimezone().date()
        since = f"{today.year - MONETARY_YEARS}-{today.month:02d}"
        points = self.reads.indicator_points(enabled, wanted, where, since=since)
        return monetary_view(points, asked, where, wanted, today=today)

    def chart(
        self, local: str, range_name: str, orientation: Orientation, providers: list[str]
    ) -> list[Series]:
        """Each of ``providers``' fixings of the pair over ``range_name``, which ends at
        the newest of them (a day-ahead fixing included), not at the clock's date."""
        from ticker.core.series import chart_series

        return chart_series(self.reads, local, range_name, orientation, providers)

    def shown_others(self) -> list[Pair]:
        """The watched pairs beyond the dollar, each the way it is shown."""
        from ticker.core.pair_snapshot import shown_others

        return shown_others(self.settings, self.flipped)

    def pair_chart(self, view: PairView, range_name: str, overlay: bool) -> list[Series]:
        """A pair beyond the dollar's chart: :func:`ticker.core.pair_snapshot.pair_chart`."""
        from ticker.core.pair_snapshot import pair_chart

        return pair_chart(self.reads, self.settings, view, range_name, overlay)

    def pair_detail(self, view: PairView) -> PairDetail:
        """A pair beyond the dollar's sources: :func:`ticker.core.pair_snapshot.pair_detail`."""
        from ticker.core.pair_snapshot import pair_detail

        reads = self.reads
        with reads.reading():
            return pair_detail(reads, self.settings, view, self.now())

    def detail(self, local: str, orientation: Orientation, routed: str) -> PairDetail:
        from ticker.core.snapshot import pair_detail

        return pair_detail(self.reads, self.settings, local, orientation, routed, self.now())

    def convert(self, amount: Decimal, source: str, target: str) -> Converted:
        """``amount`` of ``source`` in ``target`` at the routed official rates now (the
        same reading as ``ticker convert``)."""
        from ticker.core.conversion import convert

        return convert(self.reads, self.settings, amount, source, target, self.now())

    def add_rule(self, rule: AlertRuleConfig) -> int:
        """Store a rule from the dashboard; a condition already watched is refused
        (UsageError, shown on screen), whatever its label."""
        from ticker.display.rules import describe_rule
        from ticker.errors import UsageError
        from ticker.model.records import same_condition

        same = same_condition(self.repo.alert_rules(), rule)
        if same is not None:
            said = _("the same rule is already stored: {rule}")
            raise UsageError(said.format(rule=describe_rule(same)))
        return self.repo.add_alert_rule(rule, "dashboard", self.now())

    def edit_rule(self, rule_id: int, rule: AlertRuleConfig) -> None:
        """Make rule ``rule_id`` say ``rule``; UsageError when it is gone, comes from
        config.toml, or another rule watches the same condition already."""
        from ticker.display.rules import describe_rule
        from ticker.errors import UsageError

        done = self.repo.edit_alert_rule(rule_id, rule)
        if done is None:
            raise UsageError(_("alert #{id} is no longer stored").format(id=rule_id))
        if done.same is not None:
            said = _("the same rule is already stored: {rule}")
            raise UsageError(said.format(rule=describe_rule(done.same)))

    def set_rule_enabled(self, rule_id: int, enabled: bool) -> None:
        if self.repo.set_alert_enabled(rule_id, enabled) is None:
            from ticker.errors import UsageError

            raise UsageError(_("alert #{id} is no longer stored").format(id=rule_id))

    def snooze_rule(self, rule_id: int, length: timedelta | None) -> datetime | None:
        """Snooze rule ``rule_id`` for ``length`` from now (None: end its snooze); the
        moment it ends."""
        until = (self.now() + length).replace(microsecond=0) if length else None
        if self.repo.snooze_alert_rule(rule_id, until) is None:
            from ticker.errors import UsageError

            raise UsageError(_("alert #{id} is no longer stored").format(id=rule_id))
        return until

    def delete_rule(self, rule_id: int) -> bool:
        return self.repo.delete_alert_rule(rule_id)

    def ask_for_poll(self) -> tuple[CollectorRecord | None, bool]:
        """Ask the collector holding the store's lease to poll now (this dashboard does
        not poll): :func:`ticker.core.polling.ask_for_poll`."""
        from ticker.core.polling import ask_for_poll

        return ask_for_poll(self.repo, self.now)

    def export(
        self,
        path: Path,
        local: str | None,
        shape: ExportShape,
        orientation: Orientation,
        force: bool,
        indicators: bool = False,
    ) -> int:
        """Rows written to ``path`` in the export's ``shape`` (long, best or wide), or with
        ``indicators`` every stored economic indicator value (as ``export --indicators``)."""
        from ticker.core.export import ExportOptions, export
        from ticker.storage.reader import opened_reads

        pairs = None
        if local is not None and "/" in local:  # a pair beyond the dollar, as written
            from ticker.model.pairs import parse_pair

            locals_: list[str] | None = []
            pairs = [parse_pair(local, any_pair=True)]
        else:
            locals_ = [local] if local else None
        options = ExportOptions(
            locals_,
            pairs=pairs,
            best=shape is ExportShape.BEST,
            wide=shape is ExportShape.WIDE,
            orientation=orientation,
            indicators=indicators,
        )
        # On a connection of its own: the screen's reads go on while it streams.
        with opened_reads(self.settings) as store:
            return export(store, self.settings, options, str(path), force)

    def close(self) -> None:
        with self._lock:
            if self._watch is not None:
                self._watch.close()
            if self._reads is not None:
                self._reads.close()
            if self._repo is not None:
                self._repo.close()

    def _store_watch(self, reads: ReadQueries) -> ChangeWatch:
        with self._lock:
            if self._watch is None:
                from ticker.storage.changes import ChangeWatch

                self._watch = ChangeWatch.of(reads, self.heard, self.said)
            return self._watch
