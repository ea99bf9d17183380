"""The dashboard's look at the store, headless (``tests/core/test_live_looks.py``,
``tests/core/test_changed_rows.py``): a seeded SQLite store, a session that has shown it
once beside another process's repository writing to it, the look the dashboard's timer
takes, and the statements a look runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from tests.helpers.dashboard import NOW, repo_for
from tests.helpers.seeded import seed, settings_for
from ticker.config import Settings
from ticker.core.session import StoreSession
from ticker.model.pairs import Orientation
from ticker.model.snapshot import Snapshot
from ticker.storage.repository import Repository


def seeded_store(db: Path) -> Settings:
    """The settings of a SQLite store at ``db`` seeded with :func:`seed`."""
    settings = settings_for(db)
    repo = repo_for(settings)
    seed(repo)
    repo.close()
    return settings


class Looking(NamedTuple):
    session: StoreSession
    """The dashboard's session (at ``NOW``)."""
    other: Repository
    """Another process's repository on the same store (a collector, the shell)."""
    shown: Snapshot
    """What the session showed first: the store read whole."""


@contextmanager
def looking(store: Settings, session_settings: Settings | None = None) -> Iterator[Looking]:
    """A session over ``store`` (with ``session_settings``, None: ``store``'s) that has
    shown it once, and another process's repository on it; both closed after."""
    session = StoreSession(session_settings or store, lambda: NOW)
    other = repo_for(store)
    try:
        shown = session.snapshot(Orientation.PER_USD, None)
        assert shown is not None
        yield Looking(session, other, shown)
    finally:
        other.close()
        session.close()


@contextmanager
def statements(session: StoreSession) -> Iterator[list[str]]:
    """Every statement the session's read side runs in the block."""
    reads = session.reads
    seen: list[str] = []
    run = reads._rows

    def counted(text: str, params: dict[str, Any]) -> Any:
        seen.append(text)
        return run(text, params)

    reads._rows = counted  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        del reads._rows


def look(session: StoreSession, shown: Snapshot) -> Snapshot | None:
    """What the dashboard's timer does: the cheap question, then the look."""
    if not session.worth_a_look(shown):
        return None
    return session.snapshot(Orientation.PER_USD, shown.last_event_id, shown, if_changed=True)
