"""The collector's watch on the store: whether the store answers the collector's calls,
said once each way in the log (a headless collector stops when it has refused for too
long: :data:`STORE_GIVE_UP`); and whether someone asked the collector holding the lease
to poll now (:class:`PollRequests`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ticker.core.poll_log import log
from ticker.errors import TickerError
from ticker.i18n.words import _

if TYPE_CHECKING:
    from ticker.storage.changes import ChangeWatch
    from ticker.storage.poll_requests import PollRequest
    from ticker.storage.repository import Repository

#: A store that has refused every call for this long stops a headless collector.
STORE_GIVE_UP = timedelta(minutes=10)


class StoreWatch:
    """Whether the store answers, said once each way in the log: ``store unavailable:
    ...`` when a call first fails, ``store recovered`` once every kind of call that failed
    (``call``: the function's name) has succeeded again and a write has. A full disk still
    takes a provider's small health row (written in place) while it refuses the batches:
    that is not a recovery, and the lines do not flap."""

    def __init__(self) -> None:
        self.error: TickerError | None = None
        self.since: datetime | None = None
        """When the store began refusing (None while it answers)."""
        self._failing: set[str] = set()
        """The calls that failed and have not succeeded since."""
        self._wrote = False
        """Whether a write has succeeded since the store began refusing."""

    def failed(self, err: TickerError, when: datetime, call: str = "") -> None:
        if self.error is None:
            log.warning("%s", _("store unavailable: {error}").format(error=err))
            self.since, self._wrote = when, False
        self.error = err
        self._failing.add(call)

    def answered(self, when: datetime, call: str = "", wrote: bool = True) -> None:
        """The call ``call`` succeeded (``wrote``: it wrote to the store)."""
        self._failing.discard(call)
        if self.error is None:
            return
        self._wrote = self._wrote or wrote
        if self._failing or not self._wrote:
            return
        if self.since is not None:
            down = round((when - self.since).total_seconds())
            said = _("store recovered (it had refused for {seconds}s)")
            log.info("%s", said.format(seconds=down))
        self.error, self.since = None, None

    def given_up(self, when: datetime, after: timedelta = STORE_GIVE_UP) -> bool:
        """Whether the store has refused every call for ``after``."""
        return self.since is not None and when - self.since >= after


class PollRequests:
    """The requests to poll now (:mod:`ticker.storage.poll_requests`: a standing-by
    dashboard's ``r``), as the collector holding the lease watches for them. A watch on
    the store's commits (SQLite's counter, PostgreSQL's announcements:
    :mod:`ticker.storage.changes`) says when someone wrote; only then is the table read.
    Requests older than the watch (asked of an earlier holder) are not this collector's.
    :meth:`open`, :meth:`take`, :meth:`answer` and :meth:`close` block (a thread runs
    them); :meth:`maybe` is cheap enough for the event loop."""

    def __init__(self, repo: Repository, heard: Callable[[], None] | None = None) -> None:
        """``heard``: called from the listener's thread when PostgreSQL announces a
        write (a request among them, perhaps)."""
        self.repo = repo
        self._heard = heard
        self._watch: ChangeWatch | None = None
        self._seen = 0
        """The newest request already taken (or older than the watch)."""
        self.opened = False
        """Watching: requests made from now on are this collector's."""

    def open(self) -> None:
        """Start watching: the requests there are now were not made of this collector."""
        from ticker.storage.changes import ChangeWatch

        if self._watch is None:
            name = "ticker collector (listening for requests)"
            self._watch = ChangeWatch.of(self.repo, self._heard, name=name)
            self._watch.changed()
        self._seen = self.repo.last_poll_request()
        self.opened = True

    def maybe(self) -> bool:
        """Whether someone may have asked since the last look (someone committed)."""
        return self._watch is None or self._watch.changed()

    def take(self) -> list[PollRequest]:
        """The requests made since the last look (each taken once); the next look reads
        the table again when the store refused this one."""
        try:
            asked = self.repo.poll_requests_after(self._seen)
        except TickerError:
            if self._watch is not None:
                self._watch.forget()
            raise
        if asked:
            self._seen = asked[-1].id
        return asked

    def answer(self, asked: list[PollRequest], when: datetime) -> None:
        """The sources were polled for ``asked``, at ``when``."""
        self.repo.answer_poll_requests([a.id for a in asked], when)

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
