"""Spans of time as a person reads them (a poll's rhythm, a rule's window)."""

from __future__ import annotations

from datetime import timedelta

from ticker.i18n.words import N_, _

__all__ = ["duration_words"]


def duration_words(value: timedelta) -> str:
    """A span as a person reads it: ``1h30m``, ``3h``, ``7d`` as config.toml writes it in
    English (:func:`ticker.config.format_duration`), ``1 ч 30 мин``, ``3 ч``, ``7 д`` in
    Russian; whole seconds."""
    seconds = int(value.total_seconds())
    parts = []
    for size, unit in ((86400, N_("{n}d")), (3600, N_("{n}h")), (60, N_("{n}m")), (1, N_("{n}s"))):
        if seconds >= size:
            parts.append(_(unit).format(n=seconds // size))
            seconds %= size
    if not parts:
        return _("{n}s").format(n=0)
    return (" " if any(" " in p for p in parts) else "").join(parts)
