"""Whether the running thread or task is writing for a machine (:func:`ticker.i18n.choice.
machine_words`): English words, Python's numbers and UTC, whatever the user's locale. A
context variable, so that one thread's JSON never switches another thread's screen."""

from __future__ import annotations

from contextvars import ContextVar

MACHINE: ContextVar[bool] = ContextVar("ticker_machine_words", default=False)
