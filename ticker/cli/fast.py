"""The one-shot reads' command lines, read without argparse: what a status bar or a shell
prompt pays for on every run is the answer, not a grammar.

:func:`read_fast` reads only the plainest form of the fast commands (``strip``,
``rates``, ``providers``, ``health``, ``convert``, and ``export``, whose start weighs on
a short export): each option written out whole,
``--name value`` or ``--name=value``, a value not starting with ``-``, ``--config``
before or after the command. Anything else (a prefix of an option, ``-h``, a flag given
a value, a word too many or too few, ``--``, another command) is left to the whole
grammar (:mod:`ticker.cli.parser`), which reads it, or words its error, as it always
has. Both read the one table of these commands' options, :mod:`ticker.cli.options`
(the grammar's ``add_argument`` calls are made from it); what is read here is exactly
what argparse would have read (a test compares the two over many command lines), and
the same handler runs.

:func:`quiet_collector` spares a one-shot read the cyclic garbage collector, and
:func:`end` ends its process once it has answered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from ticker.cli.options import (
    ABSENT,
    APPEND,
    COMMANDS,
    CONFIG,
    FLAG,
    POSITIONAL,
    ROOT,
    VALUE,
    Option,
)

if TYPE_CHECKING:
    import argparse

    from ticker.cli.exits import Handler

#: What may come before the command: ``--config`` only (anything else, the grammar's).
_BEFORE = dict.fromkeys(CONFIG.names, CONFIG)


def read_fast(argv: Sequence[str]) -> argparse.Namespace | None:
    """``argv`` read as argparse reads it, with its ``handler``, if it is a fast command
    in its plainest form; None to leave it to the whole grammar."""
    found: dict[str, Any] = {}
    words = list(argv)
    i = 0
    while i < len(words) and words[i] != "" and words[i][0] == "-":  # before the command
        option, value, i = _option(words, i, _BEFORE)
        if option is None:
            return None
        found[option.dest] = value
    command = COMMANDS.get(words[i]) if i < len(words) else None
    if command is None:
        return None
    declared = (CONFIG, *command.options)
    options = {n: o for o in declared if o.how != POSITIONAL for n in o.names}
    positional = [o.dest for o in declared if o.how == POSITIONAL]
    found.update((o.dest, o.default) for o in ROOT if o.default is not ABSENT)
    found["command"] = words[i]
    found.update((o.dest, o.default) for o in options.values() if o.default is not ABSENT)
    given: list[str] = []
    named: set[str] = set()
    i += 1
    while i < len(words):
        word = words[i]
        if word == "" or word[0] != "-":
            given.append(word)
            i += 1
            continue
        option, value, i = _option(words, i, options)
        if option is None:
            return None
        if option.how == APPEND:
            found[option.dest] = [*(found[option.dest] or []), value]
        else:
            found[option.dest] = value
        named.add(option.dest)
    if len(given) != len(positional):
        return None
    if any(o.required and o.dest not in named for o in options.values()):
        return None  # the grammar's to say it is missing
    found.update(zip(positional, given, strict=True))
    found["handler"] = handler(*command.handler)
    return cast("argparse.Namespace", SimpleNamespace(**found))


def _option(
    words: Sequence[str], i: int, options: Mapping[str, Option]
) -> tuple[Option | None, Any, int]:
    """The option at ``words[i]``, its value and where the next word is; None when the
    whole grammar must read it (unknown, a way of reading it not here, or a value it
    might read otherwise)."""
    word = words[i]
    name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
    option = options.get(name)
    if option is None:
        return None, None, i
    if option.how == FLAG:
        return (None, None, i) if equals else (option, True, i + 1)
    if option.how not in (VALUE, APPEND):
        return None, None, i
    if equals:
        return option, value, i + 1
    if i + 1 >= len(words) or words[i + 1].startswith("-"):
        return None, None, i
    return option, words[i + 1], i + 2


def handler(module: str, name: str) -> Handler:
    """The handler ``name`` of ``ticker.cli.<module>``, imported when it runs (the
    grammar's too: :mod:`ticker.cli.grammar`)."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        found: Handler = getattr(importlib.import_module(f"ticker.cli.{module}"), name)
        return found(args)

    return run


def one_shot(args: argparse.Namespace) -> bool:
    """A read that answers once (not ``strip --follow``, which runs until stopped)."""
    return not getattr(args, "follow", False)


def quiet_collector() -> None:
    """No cyclic garbage collection for the rest of a one-shot read (it ends with
    :func:`end`). Its imports build thousands of objects (classes, functions, the
    records' tables), each of which counts towards the collector's next pass: about
    fifteen passes a run, over objects that all live until the process ends, a
    thirtieth of a status bar's run (measured). Reference counting still frees what
    the answer no longer needs; only reference cycles wait, and a one-shot read makes
    few, and ends within milliseconds."""
    import gc

    gc.disable()


def end(code: int) -> None:
    """End the process now with ``code``, its answer written: what is buffered for stdout
    and stderr is flushed, and nothing else is left to do (a one-shot read closes its
    store itself, starts no thread, and registers nothing to run at exit). If the flush
    fails (a reader that went away), this returns and the interpreter's own exit says so,
    as it always has."""
    import os
    import sys

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        return
    os._exit(code)
