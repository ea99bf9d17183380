"""What the command line's grammar is built from: a parser whose usage errors are one
line, help laid out to the terminal's width, handlers imported when they run, the
``add_argument`` calls of the options declared as data (:mod:`ticker.cli.options`, which
the fast reader reads too), and the argument types several commands share.
:mod:`ticker.cli.parser` puts the commands together; each family's grammar is its own
module (:mod:`ticker.cli.alerts_grammar`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from ticker import __version__
from ticker.cli.exits import EXIT_USAGE
from ticker.cli.fast import handler
from ticker.cli.options import (
    ABSENT,
    APPEND,
    COMMANDS,
    FLAG,
    POSITIONAL,
    VALUE,
    VERSION,
    Option,
)
from ticker.cli.width import columns
from ticker.errors import UsageError
from ticker.i18n.words import _

__all__ = [
    "Formatter",
    "Parser",
    "add_options",
    "columns",
    "count_type",
    "declared_command",
    "handler",
    "show_help",
]


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


#: argparse's action for each way an option is read (:data:`ticker.cli.options.FLAG`, ...).
_ACTIONS = {FLAG: "store_true", VALUE: "store", APPEND: "append", VERSION: "version"}


def add_options(parser: argparse.ArgumentParser, options: Iterable[Option]) -> None:
    """``parser.add_argument`` for each of ``options``, in their order, its help said in
    the user's language: every field of an :class:`~ticker.cli.options.Option` given to
    argparse, so that argparse reads only what the fast reader reads."""
    for option in options:
        said = _(option.help)
        if option.fields:
            said = said.format(**{name: _(word) for name, word in option.fields})
        if option.how == POSITIONAL:
            parser.add_argument(option.dest, metavar=option.metavar, help=said)
            continue
        kwargs: dict[str, Any] = {"action": _ACTIONS[option.how], "help": said}
        if option.how == VERSION:
            kwargs["version"] = f"ticker {__version__}"
        else:
            kwargs["dest"] = option.dest
            kwargs["required"] = option.required
            kwargs["default"] = argparse.SUPPRESS if option.default is ABSENT else option.default
        if option.how in (VALUE, APPEND):
            kwargs["metavar"] = option.metavar
        parser.add_argument(*option.names, **kwargs)


def declared_command(name: str) -> Callable[[Any, argparse.ArgumentParser], None]:
    """What adds the parser of a command declared in :data:`ticker.cli.options.COMMANDS`
    (its help, options and handler) to ``commands``, with ``common``'s options first."""
    command = COMMANDS[name]

    def add(commands: Any, common: argparse.ArgumentParser) -> None:
        description = _(command.description) if command.description else None
        parser = commands.add_parser(
            name, help=_(command.help), description=description, parents=[common]
        )
        add_options(parser, command.options)
        parser.set_defaults(handler=handler(*command.handler))

    return add


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
