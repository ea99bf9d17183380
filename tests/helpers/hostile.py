"""Running the program against hostile answers, and measuring what it cost.

:func:`measured` runs ``ticker ...`` in a child process and reports its exit code, its
output, the wall time and its peak memory (from the kernel's own account of the child,
``wait4``), so a test can assert that an answer took neither memory nor time.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from functools import cache

from tests.helpers.paths import REPO


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


def measured(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> Run:
    """``ticker *args`` in a child process, with its peak resident memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-m", "ticker.cli", *args],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            cwd=REPO,
        )
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # already reaped
        out.seek(0)
        err.seek(0)
        return Run(
            child.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            seconds,
            usage.ru_maxrss / 1024,  # kilobytes on Linux
        )


@cache
def zeros_gzip(size: int, layers: int = 1) -> bytes:
    """``size`` zero bytes, gzipped ``layers`` times (a decompression bomb)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    body = b"".join(parts) + compressor.flush()
    for _ in range(layers - 1):
        body = gzip.compress(body, 9)
    return body
