"""What a command starts from: its settings (``--config``), the clock (``$TICKER_NOW``)
and, when it reads, the store.

Every command begins the same way, so the beginning is here, once::

    ctx = Context.of(args)              # the settings, read now (exit 2 if bad)
    clock = ctx.clock                   # the clock, set up where it is first asked for
    with ctx.stored_reads() as reads:   # None when no store exists yet: nothing stored
        ...
    with ctx.reads() as reads:          # the store, created if need be (export)
        ...

The clock is set up when a command first asks for it (``ctx.clock``, ``ctx.now()``), so
that a bad ``$TICKER_NOW`` is said at the same point of every command as ever, and not
at all by a command that never looks at the time. The write side (a repository, with
config.toml's rules brought in) is :class:`ticker.cli.writing.WriteContext`: a module of
its own, so that the read-only commands (``strip``, ``convert``) never reach the ORM,
not even through an import.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Self

from ticker.config import Settings, load_settings
from ticker.i18n.choice import use

if TYPE_CHECKING:
    import argparse

    from ticker.core.clock import Clock
    from ticker.storage.reads import ReadQueries


class Context:
    """A command's settings, its clock, and its way to the store (read side)."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        """``clock``: a fixed one (tests); by default the program's, from
        ``$TICKER_NOW`` or the system, set up when first asked for."""
        self.settings = settings
        self._clock = clock

    @classmethod
    def of(cls, args: argparse.Namespace) -> Self:
        """The context of a parsed command line: the settings of ``--config`` (or the
        file found as ``ticker config path`` says, or the built-in defaults)."""
        settings = load_settings(getattr(args, "config", None))
        display = settings.display
        if display.language or display.timezone:  # else as main() set it, from the locale
            use(display.language or None, os.environ, display.timezone)
        return cls(settings)

    def with_settings(self, settings: Settings) -> Self:
        """The same context (and clock) over other settings (``strip --pair``)."""
        return type(self)(settings, self._clock)

    @property
    def clock(self) -> Clock:
        """The program's clock (ConfigError, exit 2, for a bad ``$TICKER_NOW``)."""
        if self._clock is None:
            from ticker.core.clock import clock_from_env

            self._clock = clock_from_env()
        return self._clock

    def now(self) -> datetime:
        """The present moment, by :attr:`clock`."""
        return self.clock()

    # ------------------------------------------------------------------ the store

    def store_exists(self) -> bool:
        """False only for a SQLite file not created yet: nothing stored, nothing to open."""
        from ticker.storage.reader import store_exists

        return store_exists(self.settings)

    @contextmanager
    def reads(self, *, sync_rules: bool = False) -> Iterator[ReadQueries]:
        """The store for reading, for a ``with`` block (created or upgraded first if the
        read side cannot read it as it is). ``sync_rules``: config.toml's alert rules
        are brought into the store first (a listing shows them with their ids)."""
        from ticker.storage.reader import opened_reads

        with opened_reads(self.settings, self.clock if sync_rules else None) as reads:
            yield reads

    @contextmanager
    def stored_reads(self, *, sync_rules: bool = False) -> Iterator[ReadQueries | None]:
        """As :meth:`reads`, but None instead of creating a store that does not exist
        yet (a read of nothing stays a read: no file is made for it)."""
        if not self.store_exists():
            yield None
            return
        with self.reads(sync_rules=sync_rules) as reads:
            yield reads

    def open_reads(self) -> ReadQueries:
        """:meth:`reads` without the ``with`` (a long-running reader closes it itself)."""
        from ticker.storage.reader import open_reads

        return open_reads(self.settings)
