"""Logging for long-running commands: stderr, plus a rotating file in the state dir."""

from __future__ import annotations

import logging
import sys
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _UTCFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))


def setup_logging(log_file: Path | None, level: int = logging.INFO) -> str | None:
    """Log ``ticker.*`` to stderr and, if it can be opened, to ``log_file``.

    Returns a one-line warning when the file could not be used (logging goes on to
    stderr only), else None.
    """
    logger = logging.getLogger("ticker")
    logger.setLevel(level)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    # APScheduler's own messages go to the same places, warnings and worse only.
    aps = logging.getLogger("apscheduler")
    aps.setLevel(logging.WARNING)
    aps.propagate = False
    for handler in list(aps.handlers):
        aps.removeHandler(handler)
    formatter = _UTCFormatter(FORMAT)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(formatter)
    logger.addHandler(console)
    aps.addHandler(console)
    if log_file is None:
        return None
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = RotatingFileHandler(
            log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as err:
        return f"cannot write the log file {log_file}: {err.strerror}; logging to stderr only"
    file_handler.setFormatter(formatter)
    logger.addHandler(file_handler)
    aps.addHandler(file_handler)
    return None
