"""Logging for long-running commands: stderr, plus a rotating file in the state dir.

The log speaks in the program's own words. What the libraries underneath say is not
passed on as they say it:

* APScheduler's chatter (jobs added, run, executed) is dropped; its "skipped: maximum
  number of running instances reached" is said by the collector instead
  (``cbt: poll skipped, the previous one is still running (started 14:02:11 UTC)``,
  :mod:`ticker.core.scheduler`);
* httpx, httpcore, SQLAlchemy and the rest: nothing below WARNING (httpx's "HTTP Request:"
  lines, SQL echo); a warning or worse, which would be a bug of ours, becomes one line of
  ``ticker.internal`` naming the library; Python warnings go the same way.

``verbose`` adds every poll's outcome (the ``ticker.collector.polls`` logger, at INFO);
without it the log keeps to changes of state, failures and quarantines.
"""

from __future__ import annotations

import logging
import sys
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path

from ticker.i18n.words import _

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Every poll's outcome; shown only with ``--verbose``.
POLLS = "ticker.collector.polls"
#: APScheduler's own words for a run skipped because the previous one still runs.
_APS_SKIPPED = "skipped: maximum number of running instances reached"


class _UTCFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))


class _Libraries(logging.Handler):
    """Another library's record, in our words (the unknown ones as one line naming it)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.internal = logging.getLogger("ticker.internal")

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if record.name.startswith("ticker"):
                return  # ours reach their handlers themselves
            if record.name.startswith("apscheduler") and _APS_SKIPPED in str(record.msg):
                return  # said by the collector, with when the running poll started
            library = record.name.split(".")[0]
            if library == "py":  # a Python warning (logging.captureWarnings)
                # "path/to/module.py:12: SomeWarning: the message\n  the source line"
                text = record.getMessage()  # logged as "%s" with the formatted warning
                first = (text.strip().splitlines() or [""])[0]
                message = first.split(": ", 1)[-1]
                library = "python"
            else:
                message = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                err = record.exc_info[1]
                message += f" ({type(err).__name__}: {err})"
            self.internal.log(
                record.levelno,
                "unexpected message from %s (please report it): %s",
                library,
                " ".join(message.split()),
            )
        except Exception:  # logging must never stop the program
            self.handleError(record)


def setup_logging(
    log_file: Path | None, level: int = logging.INFO, verbose: bool = False
) -> str | None:
    """Log ``ticker.*`` to stderr and, if it can be opened, to ``log_file``; other
    libraries only as described above; every poll only if ``verbose``.

    Returns a one-line warning when the file could not be used (logging goes on to
    stderr only), else None.
    """
    logger = logging.getLogger("ticker")
    logger.setLevel(level)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logging.getLogger(POLLS).setLevel(logging.INFO if verbose else logging.WARNING)
    # The libraries: everything reaches the root logger, where one handler translates.
    aps = logging.getLogger("apscheduler")
    aps.setLevel(logging.WARNING)
    aps.propagate = True
    for handler in list(aps.handlers):
        aps.removeHandler(handler)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _Libraries):
            root.removeHandler(handler)
    root.addHandler(_Libraries())
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    logging.captureWarnings(True)
    formatter = _UTCFormatter(FORMAT)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(formatter)
    logger.addHandler(console)
    if log_file is None:
        return None
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = RotatingFileHandler(
            log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as err:
        return _("cannot write the log file {path}: {error}; logging to stderr only").format(
            path=log_file, error=err.strerror
        )
    file_handler.setFormatter(formatter)
    logger.addHandler(file_handler)
    return None
