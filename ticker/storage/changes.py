"""Whether anything was written to the store since the last look, for next to nothing.

A dashboard that does not collect re-reads the store every 30 s in case another process
stored something. Most of those reads find nothing new; this lets them be skipped.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

from ticker.storage.reads import ReadQueries
from ticker.storage.sqlite_file import file_uri


class StoreWatch:
    """SQLite keeps a counter for this: ``PRAGMA data_version`` on a connection changes
    whenever any *other* connection commits, in this process or another. The watch keeps
    a read-only connection of its own, so every write anyone makes counts.

    Other databases have no such counter (and an in-memory SQLite database allows no
    second connection): there, every look says "changed".
    """

    def __init__(self, path: Path | None, busy_timeout: timedelta) -> None:
        """``path``: the SQLite file (None: a store without a counter)."""
        self._lock = threading.Lock()
        self._seen: int | None = None
        self._conn: sqlite3.Connection | None = None
        if path is not None:
            try:
                self._conn = sqlite3.connect(
                    file_uri(path),
                    uri=True,
                    check_same_thread=False,
                    timeout=busy_timeout.total_seconds(),
                )
            except sqlite3.Error:
                self._conn = None  # never worse than no watch: every look says changed

    @classmethod
    def of(cls, store: ReadQueries) -> StoreWatch:
        """A watch on the store ``store`` reads."""
        return cls(store.sqlite_path, store.busy_timeout)

    def changed(self) -> bool:
        """True when something was committed since the previous call (and on the first)."""
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
        """The next look says "changed" (after a read that failed, say)."""
        with self._lock:
            self._seen = None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
