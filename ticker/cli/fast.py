"""The one-shot reads' command lines, read without argparse: what a status bar or a shell
prompt pays for on every run is the answer, not a grammar.

:func:`read_fast` reads only the plainest form of the fast commands (``strip``,
``rates``, ``providers``, ``health``, ``convert``, and ``export``, whose start weighs on
a short export): each option written out whole,
``--name value`` or ``--name=value``, a value not starting with ``-``, ``--config``
before or after the command. Anything else (a prefix of an option, ``-h``, a flag given
a value, a word too many or too few, ``--``, another command) is left to the whole
grammar (:mod:`ticker.cli.parser`), which reads it, or words its error, as it always
has. What is read here is exactly what argparse would have read (a test compares the
two over many command lines), and the same handler runs.

:func:`command_of` finds the command a line names, for the grammar built for that one
command only; :func:`quiet_collector` spares a one-shot read the cyclic garbage
collector, and :func:`end` ends its process once it has answered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import argparse

#: Every command's name, in the order ``--help`` lists them (the grammar in
#: :data:`ticker.cli.parser.COMMANDS` has a parser for each: a test holds them equal).
COMMAND_NAMES = (
    "config", "poll", "backfill", "export", "collect", "rates", "strip", "convert",
    "providers", "health", "indicators", "alerts", "market",
)  # fmt: skip

#: How an option is read: a flag (``store_true``), a value (``store``), a repeatable
#: value (``append``).
FLAG, VALUE, APPEND = "flag", "value", "append"


class _Grammar:
    """One fast command: its handler, options (``--name`` -> (dest, how)), defaults (as
    its argparse parser's), and positional arguments' dests."""

    def __init__(
        self,
        handler: tuple[str, str],
        options: Mapping[str, tuple[str, str]],
        defaults: Mapping[str, Any],
        positionals: Sequence[str] = (),
    ) -> None:
        self.handler = handler
        self.options = {**options, "--config": ("config", VALUE)}
        self.defaults = defaults
        self.positionals = tuple(positionals)


_SHOWN = {
    "--pair": ("pair", APPEND),
    "--invert": ("invert", FLAG),
    "--change": ("change", VALUE),
}
_SHOWN_DEFAULTS = {"pair": None, "invert": False, "change": "1d"}

#: The fast commands, each as :mod:`ticker.cli.parser` declares it.
GRAMMARS: dict[str, _Grammar] = {
    "rates": _Grammar(
        ("reading", "rates_command"),
        {"--json": ("json", FLAG), **_SHOWN},
        {"json": False, **_SHOWN_DEFAULTS},
    ),
    "strip": _Grammar(
        ("strip", "strip_command"),
        {
            **_SHOWN,
            "--compact": ("compact", FLAG),
            "--format": ("format", VALUE),
            "--separator": ("separator", VALUE),
            "--color": ("color", VALUE),
            "--market": ("market", FLAG),
            "--follow": ("follow", FLAG),
            "--every": ("every", VALUE),
        },
        {
            **_SHOWN_DEFAULTS,
            "compact": False,
            "format": None,
            "separator": None,
            "color": "never",
            "market": False,
            "follow": False,
            "every": None,
        },
    ),
    "convert": _Grammar(
        ("convert", "convert_command"),
        {"--json": ("json", FLAG), "--at": ("at", VALUE), "--channel": ("channel", VALUE)},
        {"json": False, "at": "official", "channel": None},
        ("amount", "source", "target"),
    ),
    "providers": _Grammar(
        ("reading", "providers_command"),
        {"--json": ("json", FLAG), "--verbose": ("verbose", FLAG), "-v": ("verbose", FLAG)},
        {"json": False, "verbose": False},
    ),
    "export": _Grammar(
        ("reading", "export_command"),
        {
            "-o": ("output", VALUE),
            "--output": ("output", VALUE),
            "--force": ("force", FLAG),
            "--pair": ("pair", APPEND),
            "--provider": ("provider", APPEND),
            "--since": ("since", VALUE),
            "--until": ("until", VALUE),
            "--best": ("best", FLAG),
            "--wide": ("wide", FLAG),
            "--sources": ("sources", FLAG),
            "--orientation": ("orientation", VALUE),
            "--indicators": ("indicators", FLAG),
            "--revisions": ("revisions", FLAG),
            "--market": ("market", FLAG),
        },
        {
            "output": None,
            "force": False,
            "pair": None,
            "provider": None,
            "since": None,
            "until": None,
            "best": False,
            "wide": False,
            "sources": False,
            "orientation": "per-usd",
            "indicators": False,
            "revisions": False,
            "market": False,
        },
    ),
    "health": _Grammar(
        ("reading", "health_command"),
        {"--json": ("json", FLAG)},
        {"json": False},
    ),
}


def command_of(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names (``strip`` in ``--config x.toml strip --invert``); None
    for the dashboard, ``--help`` and anything unclear (the full grammar decides)."""
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word == "--config":
            if not rest:
                return None
            rest.pop(0)
        elif word.startswith("--config="):
            continue
        elif word.startswith("-"):
            return None
        else:
            return word if word in COMMAND_NAMES else None
    return None


def read_fast(argv: Sequence[str]) -> argparse.Namespace | None:
    """``argv`` read as argparse reads it, with its ``handler``, if it is a fast command
    in its plainest form; None to leave it to the whole grammar."""
    found: dict[str, Any] = {}
    words = list(argv)
    i = 0
    while i < len(words) and words[i] != "" and words[i][0] == "-":  # before the command
        name, value, i = _option(words, i, {"--config": ("config", VALUE)})
        if name is None:
            return None
        found["config"] = value
    grammar = GRAMMARS.get(words[i]) if i < len(words) else None
    if grammar is None:
        return None
    command = words[i]
    found.update(no_collect=False, command=command, **grammar.defaults)
    positionals: list[str] = []
    i += 1
    while i < len(words):
        word = words[i]
        if word == "" or word[0] != "-":
            positionals.append(word)
            i += 1
            continue
        name, value, i = _option(words, i, grammar.options)
        if name is None:
            return None
        dest, how = grammar.options[name]
        if how == APPEND:
            found[dest] = [*(found[dest] or []), value]
        else:
            found[dest] = value
    if len(positionals) != len(grammar.positionals):
        return None
    found.update(zip(grammar.positionals, positionals, strict=True))
    module, function = grammar.handler
    found["handler"] = _handler(module, function)
    return cast("argparse.Namespace", SimpleNamespace(**found))


def _option(
    words: Sequence[str], i: int, options: Mapping[str, tuple[str, str]]
) -> tuple[str | None, Any, int]:
    """The option at ``words[i]``, its value and where the next word is; a None name when
    the whole grammar must read it (unknown, or a value it might read otherwise)."""
    word = words[i]
    name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
    known = options.get(name)
    if known is None:
        return None, None, i
    if known[1] == FLAG:
        return (None, None, i) if equals else (name, True, i + 1)
    if equals:
        return name, value, i + 1
    if i + 1 >= len(words) or words[i + 1].startswith("-"):
        return None, None, i
    return name, words[i + 1], i + 2


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


def _handler(module: str, function: str) -> Any:
    def run(args: argparse.Namespace) -> int:
        import importlib

        found: Any = getattr(importlib.import_module(f"ticker.cli.{module}"), function)
        return int(found(args))

    return run
