"""The dashboard's reader of the store's snapshot: one thread for the app's life, fed by
a queue, instead of a Textual worker per read (a worker's objects, its task and its
state-change messages cost more than the read of a few new fixings, once a second).

Asks that come while a read runs are one read after it (a whole read if any asked for
one, a look if all were looks). Stopped when the app unmounts: the read under way ends,
nothing is read after, and nothing read is handed on once stopped (the app's handlers
drop news that lands while it shuts down too: ``tests/tui/test_shutdown_race.py``)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

#: What the thread is named (seen in a debugger's list of threads).
THREAD_NAME = "ticker-snapshot"


class SnapshotReader:
    """Runs ``read(if_changed)`` on its thread for each ask (asks queued meanwhile, one
    read); ``failed(err)`` when a read raised something unexpected (a bug: the read
    itself reports the store's refusals)."""

    def __init__(
        self,
        read: Callable[[bool], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        self._read = read
        self._failed = failed
        self._asks: queue.SimpleQueue[bool | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Condition()
        self._waiting = 0
        """Asks not read yet (0: idle)."""
        self.stopped = False
        """Stopped (the app unmounts): no read starts, and a read's news is dropped."""

    def ask(self, if_changed: bool = False) -> None:
        """Read (``if_changed``: only what is new, see
        :meth:`ticker.core.session.StoreSession.snapshot`) as soon as the thread is free."""
        with self._lock:
            if self.stopped:
                return
            self._waiting += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
                self._thread.start()
        self._asks.put(if_changed)

    def _run(self) -> None:
        while True:
            ask = self._asks.get()
            if ask is None:
                return
            taken, if_changed = 1, ask
            while True:  # the asks that came meanwhile: one read
                try:
                    more = self._asks.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    return
                taken, if_changed = taken + 1, if_changed and more
            try:
                if not self.stopped:
                    self._read(if_changed)
            except Exception as err:  # a bug: named on screen, and the thread reads on
                if not self.stopped:
                    self._failed(err)
            finally:
                with self._lock:
                    self._waiting -= taken
                    self._lock.notify_all()

    def idle(self, timeout: float | None = None) -> bool:
        """Wait until every ask so far is read (tests: no sleep); whether it is."""
        with self._lock:
            return self._lock.wait_for(lambda: self._waiting <= 0 or self.stopped, timeout)

    @property
    def running(self) -> bool:
        """Whether the thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 2.0) -> None:
        """No read after this one; wait up to ``timeout`` seconds for the one under way
        (a read stuck on the store's lock is left to end with the process: a daemon)."""
        with self._lock:
            self.stopped = True
            thread = self._thread
            self._lock.notify_all()
        self._asks.put(None)
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
