"""The terminal's width, as ``shutil`` finds it but without loading it (nor argparse):
``ticker providers`` fits its table to it, ``--help`` wraps to it."""

from __future__ import annotations

import os
import sys


def columns() -> int | None:
    """The terminal's width: ``$COLUMNS``, then the terminal on stdout; None when
    neither says (output to a pipe or a file)."""
    try:
        found = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        found = 0
    if found <= 0:
        try:
            found = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            found = 0
    return found or None
