"""What the command line's grammar is built from: a parser whose usage errors are one
line, help laid out to the terminal's width, handlers imported when they run, and the
argument types several commands share. :mod:`ticker.cli.parser` puts the commands
together; each family's grammar is its own module (:mod:`ticker.cli.alerts_grammar`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

from ticker.cli.exits import EXIT_USAGE
from ticker.cli.width import columns
from ticker.errors import UsageError
from ticker.i18n.words import _

if TYPE_CHECKING:
    from ticker.cli.exits import Handler

__all__ = ["Formatter", "Parser", "columns", "count_type", "handler", "show_help"]


class Formatter(argparse.HelpFormatter):
    """argparse's help layout, with the terminal's width found as ``shutil`` finds it
    (``$COLUMNS``, then the terminal, then 80) but without loading ``shutil``: argparse
    makes a formatter for every option it adds, and shutil brings the compression
    modules along."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = (columns() or 80) - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and raises, so main() words it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from ticker.cli.argparse_words import speak

        speak()  # argparse's own words (usage:, options, ...) in the user's language
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(
            _("{message} (see '{prog} --help')").format(message=message, prog=self.prog)
        )


def handler(module: str, name: str) -> Handler:
    """The handler ``name`` of ``ticker.cli.<module>``, imported when it runs."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        found: Handler = getattr(importlib.import_module(f"ticker.cli.{module}"), name)
        return found(args)

    return run


def count_type(low: int, high: int, what: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text) if text.strip().isascii() and "_" not in text else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            from ticker.i18n.numbers import localised

            expected = (
                _(what)
                if what
                else _("a whole number from {low} to {high}").format(
                    low=low, high=localised(f"{high:,}")
                )
            )
            raise argparse.ArgumentTypeError(
                _("expected {what}, got {text}").format(what=expected, text=repr(text))
            )
        return value

    parse.__name__ = "number"
    return parse


def show_help(parser: argparse.ArgumentParser) -> int:
    """What a group given without its action does (``ticker alerts``, ``ticker config``):
    its help, with the actions to choose from, on stderr, and exit 2 (a usage error: a
    script that forgot the action must not read as a success)."""
    import sys

    parser.print_help(sys.stderr)
    return EXIT_USAGE
