"""The exit codes every command shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ticker.i18n.words import N_

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    Handler = Callable[[argparse.Namespace], int]

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug, never confused with "some providers failed"

#: What a read of a store without rates says, with :data:`EXIT_PARTIAL`.
NOTHING_STORED = N_("no rates stored yet; run 'ticker poll' (or 'ticker collect') first")
