"""Whether anything was written to the store since the last look, for next to nothing.

A dashboard that does not collect learns of another process's writes (a headless
collector's round, a rule added from the shell) from a watch on the store:

* SQLite counts commits (:class:`CommitCounter`): reading the counter costs nothing, so
  the dashboard looks at it every second;
* on PostgreSQL every write that moves what a screen shows announces itself with a
  NOTIFY on :data:`CHANNEL`, in its own transaction (so only a commit is announced:
  :meth:`ticker.storage.base.StoreBase._announce`), and :class:`Listener` hears it on a
  connection of its own, in a thread. Anyone who may connect can NOTIFY too: payloads
  that are not the store's are ignored, and a flood is coalesced into one report every
  :data:`NOTE_GAP` (the dashboard's periodic look goes on regardless);
* a store that can do neither (an in-memory SQLite database allows no second
  connection) has a blind watch: every look says "perhaps changed".

A commit is not yet a change of what is shown (a collector's heartbeat commits every
few seconds): the reader then asks the store's data mark
(:meth:`~ticker.storage.reads.ReadQueries.data_mark`) before reading anything more.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from ticker.config import PROVIDERS
from ticker.storage.reads import ReadQueries
from ticker.storage.sqlite_file import file_uri

log = logging.getLogger(__name__)

#: The channel PostgreSQL writers announce on and dashboards listen to.
CHANNEL = "ticker_store"

Heard = Callable[[], None]
"""Called (on the listener's thread) when a commit was announced."""
Said = Callable[[str | None], None]
"""Called (on the listener's thread) once when the announcements are lost, with the
reason, and once with None when they are heard again."""


class ChangeWatch:
    """Whether anything may have been committed to the store since the last look (not
    whether the store answers: the collector's :class:`~ticker.core.store_watch.StoreWatch`
    says that). This base is the blind watch: it cannot tell, so every look says "perhaps
    changed"."""

    @property
    def blind(self) -> bool:
        """The watch cannot tell now (no counter; the listener is away): the reader
        looks at the store at a slow pace of its own instead."""
        return True

    @classmethod
    def of(
        cls,
        store: ReadQueries,
        heard: Heard | None = None,
        said: Said | None = None,
        *,
        name: str = "ticker dashboard (listening)",
    ) -> ChangeWatch:
        """A watch on the store ``store`` reads: SQLite's counter, PostgreSQL's
        announcements (``heard`` and ``said`` then report from the listener's thread;
        ``name``: the listening session's ``application_name``), or a blind one."""
        if store.sqlite_path is not None:
            return CommitCounter(store.sqlite_path, store.busy_timeout)
        conninfo = store.listen_conninfo
        if conninfo is not None:
            return Listener(conninfo, heard, said, name=name)
        return cls()

    def changed(self) -> bool:
        """True when something may have been committed since the previous call (and on
        the first)."""
        return True

    def forget(self) -> None:
        """The next look says "changed" (after a read that failed, say)."""

    def close(self) -> None:
        pass


class CommitCounter(ChangeWatch):
    """SQLite keeps a counter for this: ``PRAGMA data_version`` on a connection changes
    whenever any *other* connection commits, in this process or another. The watch keeps
    a read-only connection of its own, so every write anyone makes counts."""

    def __init__(self, path: Path, busy_timeout: timedelta) -> None:
        self._lock = threading.Lock()
        self._seen: int | None = None
        self._conn: sqlite3.Connection | None = None
        try:
            self._conn = sqlite3.connect(
                file_uri(path),
                uri=True,
                check_same_thread=False,
                timeout=busy_timeout.total_seconds(),
            )
        except sqlite3.Error:
            self._conn = None  # never worse than no watch: every look says changed

    @property
    def blind(self) -> bool:
        return self._conn is None

    def changed(self) -> bool:
        if self._conn is None:
            return True
        with self._lock:
            try:
                version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                return True
            changed = version != self._seen
            self._seen = version
            return changed

    def forget(self) -> None:
        with self._lock:
            self._seen = None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


#: How long the listener waits for the next announcement before it looks whether it is
#: being closed: what closing a dashboard may wait for it.
LISTEN_TICK = 0.5
#: Announcements arriving this soon after one are heard with it (a round's observations
#: and its health are two commits a few milliseconds apart): one look for both.
GATHER = 0.1
#: Announcements are reported at most this often, however many arrive (a flood of them,
#: from a busy writer or from anyone who may connect, is one look every NOTE_GAP).
NOTE_GAP = 0.5
#: What the store's writers announce besides a provider's name
#: (:meth:`ticker.storage.base.StoreBase._announce`): a write without new rows, the
#: alert rules, their events, a request to poll now (which the collector holding the
#: lease listens for: :mod:`ticker.storage.poll_requests`), the market's quotes and
#: reported rates (:mod:`ticker.storage.market_store`). Any other payload on the
#: channel is not ours: ignored.
ANNOUNCED = frozenset({"held", "rules", "events", "poll", "market"})
#: The first wait before connecting again after the server went away; it doubles at
#: every failed attempt, up to :data:`LONGEST_WAIT`.
FIRST_WAIT = 0.5
LONGEST_WAIT = 8.0


class Listener(ChangeWatch):
    """PostgreSQL's announcements, heard on a connection of the watch's own (LISTEN, in
    a daemon thread). Away from the server (it restarted, the network is cut), the
    watch is blind and the thread connects again with a growing wait; once back, the
    first look says "changed" (announcements were missed meanwhile)."""

    def __init__(
        self,
        conninfo: str,
        heard: Heard | None = None,
        said: Said | None = None,
        *,
        first_wait: float = FIRST_WAIT,
        longest_wait: float = LONGEST_WAIT,
        name: str = "ticker dashboard (listening)",
    ) -> None:
        self._conninfo = conninfo
        self._name = name
        self._heard = heard
        self._said = said
        self._first_wait = first_wait
        self._longest_wait = longest_wait
        self._lock = threading.Lock()
        self._pending = True
        self._listening = False
        self._lost: str | None = None
        """The reason the announcements were lost, while they are (said once)."""
        self._stop = threading.Event()
        self.connections = 0
        """How many times the listener connected (for tests and diagnostics)."""
        self._thread = threading.Thread(target=self._run, name="ticker-store-listener")
        self._thread.daemon = True
        self._thread.start()

    @property
    def blind(self) -> bool:
        return not self._listening

    @property
    def listening(self) -> bool:
        """Connected, and LISTENing."""
        return self._listening

    def changed(self) -> bool:
        with self._lock:
            pending, self._pending = self._pending, False
        return pending or not self._listening

    def forget(self) -> None:
        with self._lock:
            self._pending = True

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=2 * LISTEN_TICK + 1.0)

    # ------------------------------------------------------------------ the thread

    def _run(self) -> None:
        wait = self._first_wait
        while not self._stop.is_set():
            conn = self._connect()
            if conn is not None:
                try:
                    self._listen(conn)
                    wait = self._first_wait  # it was heard: the next loss starts afresh
                except Exception as err:  # psycopg's errors: the server went away
                    self._listening = False
                    self._went_away(err)
                    wait = self._first_wait
                finally:
                    self._listening = False
                    _close_quietly(conn)
            if self._stop.wait(wait):
                return
            wait = min(wait * 2, self._longest_wait)

    def _connect(self) -> Any:
        import psycopg

        try:
            # Keepalives: a machine that lost power is noticed within about 20 s, as a
            # server that restarted is at once.
            conn = psycopg.connect(
                self._conninfo,
                autocommit=True,
                connect_timeout=5,
                keepalives=1,
                keepalives_idle=10,
                keepalives_interval=5,
                keepalives_count=2,
                application_name=self._name,
            )
            conn.execute(f"LISTEN {CHANNEL}")
        except Exception as err:  # refused, unknown host, bad password: try again later
            self._went_away(err)
            return None
        self.connections += 1
        return conn

    def _listen(self, conn: Any) -> None:
        """Hear announcements until closed: the store's own are reported :data:`GATHER`
        after the first of a burst (one look for all of it), and never sooner than
        :data:`NOTE_GAP` after the previous report, however many keep arriving."""
        self._listening = True
        self._back()
        noted = time.monotonic()
        due: float | None = None  # when what was heard is reported
        while not self._stop.is_set():
            now = time.monotonic()
            if due is not None and now >= due:
                self._note()
                noted, due = time.monotonic(), None
                continue
            window = LISTEN_TICK if due is None else due - now
            for notify in conn.notifies(timeout=window, stop_after=1):
                if due is None and is_ours(notify.payload):
                    due = max(time.monotonic() + GATHER, noted + NOTE_GAP)

    def _note(self) -> None:
        with self._lock:
            self._pending = True
        if self._heard is not None and not self._stop.is_set():
            _report(self._heard)

    def _back(self) -> None:
        """Listening (again): what was missed meanwhile is looked at."""
        was_lost, self._lost = self._lost, None
        if was_lost is not None and self._said is not None and not self._stop.is_set():
            _report(self._said, None)
        self._note()

    def _went_away(self, err: BaseException) -> None:
        if self._stop.is_set():
            return
        reason = _reason(err)
        if self._lost is None:
            self._lost = reason
            if self._said is not None:
                _report(self._said, reason)


def is_ours(payload: str) -> bool:
    """Whether an announcement's payload is one the store's writers send (a provider's
    name, or one of :data:`ANNOUNCED`)."""
    return payload in ANNOUNCED or payload in PROVIDERS


def _reason(err: BaseException) -> str:
    """The driver's last words, short: ``connection failed: connection to server at
    "10.0.0.5", port 5432 failed: Connection refused`` says ``Connection refused``."""
    lines = str(err).strip().splitlines()
    last = lines[0].rsplit(": ", 1)[-1].strip() if lines else ""
    return " ".join(last.split())[:80] or type(err).__name__


def _report(callback: Callable[..., None], *args: Any) -> None:
    """A report to whoever listens; its failure (an app already closing) never stops the
    listener."""
    try:
        callback(*args)
    except Exception:
        log.debug("a store watch report failed", exc_info=True)


def _close_quietly(conn: Any) -> None:
    try:
        conn.close()
    except Exception:  # a connection already gone closes as well as it can
        pass
