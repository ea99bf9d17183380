"""The ``ticker`` command.

Data goes to stdout, diagnostics to stderr. Exit codes: 0 success, 1 partial failure
(some providers failed), 2 usage, configuration or database error, 70 internal error.
A user error is one line on stderr, never a traceback. Heavy modules (storage, the
dashboard) are imported inside the commands that need them, so ``--help`` stays instant.

The grammar is in :mod:`ticker.cli.parser`, built only when a command line needs it (the
one-shot reads' plainest forms are read by :mod:`ticker.cli.fast`, without argparse); the
commands in :mod:`ticker.cli.collecting` (poll, backfill, collect),
:mod:`ticker.cli.reading` (rates, providers, health, export, indicators, config),
:mod:`ticker.cli.strip`, :mod:`ticker.cli.convert` and :mod:`ticker.cli.alerts`; the
dashboard in :mod:`ticker.cli.dashboard`. Each command starts from a
:class:`ticker.cli.context.Context` (settings, clock, store).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ticker.cli.deferred import defer_inspect
from ticker.cli.exits import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from ticker.cli.fast import end, one_shot, quiet_collector, read_fast
from ticker.errors import TickerError, UsageError
from ticker.i18n.choice import use
from ticker.i18n.words import _
from ticker.model.text import printable

if TYPE_CHECKING:
    import argparse

    from ticker.cli.exits import Handler


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it).

    Run as the program (no ``argv``), a one-shot read (:mod:`ticker.cli.fast`) ends the
    process as soon as its answer is written (:func:`ticker.cli.fast.end`): it holds
    nothing that needs the interpreter's own teardown, which would cost a status bar a
    tenth of each run; nor the cyclic garbage collector's passes over what its imports
    built (:func:`ticker.cli.fast.quiet_collector`)."""
    defer_inspect()  # before anything loads dataclasses: a one-shot read never uses it
    words = list(sys.argv[1:] if argv is None else argv)
    use(None, os.environ)  # the locale's words and numbers; [display] may say otherwise
    fast = read_fast(words)
    ending = argv is None and fast is not None and one_shot(fast)
    if ending:
        quiet_collector()
    code = _run(fast, words)
    if ending:
        end(code)
    return code


def _run(fast: argparse.Namespace | None, words: Sequence[str]) -> int:
    """The command's exit code: its handler's, or what its error says (one line)."""
    try:
        args = fast or _parsed(words)
        handler: Handler = args.handler
        return handler(args)
    except TickerError as err:
        # One line per mistake (a config with several says each on a line of its own); any
        # control character inside a line is still shown escaped.
        for line in str(err).split("\n"):
            print(f"ticker: {printable(line)}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(_("ticker: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # stdout closed early (``ticker ... | head``): not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as err:  # the environment refused: disk full, permissions, ...
        where = f"{err.filename}: " if err.filename else ""
        print(f"ticker: {printable(where + str(err.strerror or err))}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as err:  # a bug: say so in one line, traceback only on request
        if os.environ.get("TICKER_DEBUG"):
            raise
        print(
            _(
                "ticker: unexpected internal error: {kind}: {error} "
                "(run with TICKER_DEBUG=1 for the traceback, and please report it)"
            ).format(kind=type(err).__name__, error=printable(str(err))),
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _parsed(words: Sequence[str]) -> argparse.Namespace:
    """``words`` read by the grammar: the command's own (a status bar's strip), or the
    whole one for ``--help`` and to word a usage error."""
    from ticker.cli.parser import build_parser, command_of

    if "-h" in words or "--help" in words:
        _speak_as_configured(words)
    try:
        return build_parser(command_of(words)).parse_args(words)
    except UsageError:
        _speak_as_configured(words)
        return build_parser().parse_args(words)  # the whole grammar words the error


def _speak_as_configured(words: Sequence[str]) -> None:
    """``[display] language`` (and ``timezone``) for what the grammar says, ``--help`` or a
    usage error: the config file is read for it only then (a command that runs reads it
    in :meth:`ticker.cli.context.Context.of`). A file that cannot be read leaves the
    environment's language: the command itself says what is wrong with it."""
    from ticker.config import load_settings

    path = None
    for i, word in enumerate(words):
        if word == "--config" and i + 1 < len(words):
            path = words[i + 1]
        elif word.startswith("--config="):
            path = word.partition("=")[2]
    try:
        display = load_settings(path).display
    except (TickerError, OSError, ValueError):
        return
    if display.language or display.timezone:
        use(display.language or None, os.environ, display.timezone)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
