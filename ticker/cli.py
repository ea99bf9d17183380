"""The ``ticker`` command.

Data goes to stdout, diagnostics to stderr. Exit codes: 0 success, 1 partial failure
(some providers failed), 2 usage, configuration or database error, 70 internal error.
A user error is one line on stderr, never a traceback. Heavy modules (storage, the
dashboard) are imported inside the commands that need them, so ``--help`` stays instant.

Commands appear here as their features become real.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from ticker import __version__
from ticker.errors import TickerError, UsageError

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug, never confused with "some providers failed"

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and raises, so main() words it)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="read this config file (default: $TICKER_CONFIG, then the platform config dir)",
    )
    parser = _Parser(
        prog="ticker",
        description=(
            "Terminal currency ticker for the Kyrgyz som, Kazakh tenge, Tajik somoni, "
            "Uzbek sum and Turkmen manat against the US dollar."
        ),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"ticker {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    config = commands.add_parser(
        "config", help="check the configuration or show where things are", parents=[common]
    )
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION")
    check = config_commands.add_parser(
        "check",
        help="validate the configuration and the database it points to",
        parents=[common],
    )
    check.set_defaults(handler=_config_check)
    path = config_commands.add_parser(
        "path", help="print the config file in use and the database location", parents=[common]
    )
    path.set_defaults(handler=_config_path)
    config.set_defaults(handler=lambda _args: _help(config))
    parser.set_defaults(handler=lambda _args: _help(parser))
    return parser


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_OK


def _config_path(args: argparse.Namespace) -> int:
    from ticker import locations
    from ticker.config import describe_database, find_config, load_settings

    path, why = find_config(getattr(args, "config", None), os.environ)
    settings = load_settings(getattr(args, "config", None))
    if path is None:
        print(f"config: built-in defaults (no file at {locations.config_file()})")
    else:
        print(f"config: {path} (from {why})")
    source = " (from $TICKER_DB_URL)" if settings.db_url_from_env else ""
    print(f"database: {describe_database(settings.database_url)}{source}")
    return EXIT_OK


def _config_check(args: argparse.Namespace) -> int:
    from ticker.config import load_settings
    from ticker.storage.check import describe_store

    settings = load_settings(getattr(args, "config", None))
    origin = str(settings.path) if settings.path is not None else "built-in defaults"
    store = describe_store(settings)
    print(f"OK: {origin}; database {store}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handler: Handler = args.handler
        return handler(args)
    except TickerError as err:
        print(f"ticker: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("ticker: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # stdout closed early (``ticker ... | head``): not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as err:  # the environment refused: disk full, permissions, ...
        where = f"{err.filename}: " if err.filename else ""
        print(f"ticker: {where}{err.strerror or err}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as err:  # a bug: say so in one line, traceback only on request
        if os.environ.get("TICKER_DEBUG"):
            raise
        print(
            f"ticker: unexpected internal error: {type(err).__name__}: {err} "
            "(run with TICKER_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
