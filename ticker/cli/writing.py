"""The write side of a command's context: :class:`WriteContext` opens the store's
repository, for the commands that write (``poll``, ``backfill``, ``alerts add`` ...).

Kept apart from :mod:`ticker.cli.context` so that the read-only commands, which import
that module, never import the ORM's side of the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ticker.cli.context import Context

if TYPE_CHECKING:
    from ticker.storage.repository import Repository


class WriteContext(Context):
    """:class:`~ticker.cli.context.Context`, and the store's repository."""

    @contextmanager
    def store(self, *, writes: bool = False, sync_rules: bool = True) -> Iterator[Repository]:
        """The store's repository for a ``with`` block, its connections closed after.
        ``writes``: the command is about to write (a damaged or read-only store is
        refused now, before any work is done for it). ``sync_rules``: config.toml's alert
        rules are brought in first (:func:`ticker.core.runtime.open_store`); a backfill,
        which stores rates only, leaves them as they are."""
        if sync_rules:
            from ticker.core.runtime import opened

            with opened(self.settings, self.clock, writes=writes) as repo:
                yield repo
            return
        from ticker.storage.repository import opened_repository

        with opened_repository(self.settings, writes=writes) as repo:
            yield repo
