"""This process's local time zone, set for a test: the code that says moments in the
user's local time (``astimezone()`` with no zone) then speaks that zone."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def local_zone(name: str) -> Iterator[None]:
    """``TZ`` set to ``name`` (an IANA zone, e.g. ``Asia/Bishkek``), put back after."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
