"""Running the program against hostile answers, and measuring what it cost.

:func:`measured` runs ``ticker ...`` in a child process and reports its exit code, its
output, the wall time and its peak memory (from the kernel's own account of the child,
``wait4``, in a small launcher between them), so a test can assert that an answer took
neither memory nor time.
"""

from __future__ import annotations

import gzip
import os
import signal
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


#: Runs the command given after a file descriptor and writes the command's peak resident
#: memory (KB) to that descriptor. A child's peak counts the memory of the process it was
#: forked from, so the test runner (hundreds of MB late in a suite) starts this small
#: process, and this forks the command: the peak measured is the command's own.
LAUNCHER = """
import os, sys
fd = int(sys.argv[1])
pid = os.fork()
if pid == 0:
    os.close(fd)
    os.execv(sys.argv[2], sys.argv[2:])
_pid, status, usage = os.wait4(pid, 0)
os.write(fd, str(usage.ru_maxrss).encode())
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measured(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> Run:
    """``ticker *args`` in a child process, with its peak resident memory."""
    reader, writer = os.pipe()
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        open(reader, "rb") as peak,
    ):
        started = time.monotonic()
        child = subprocess.Popen(
            [
                sys.executable,
                "-S",
                "-c",
                LAUNCHER,
                str(writer),
                sys.executable,
                "-m",
                "ticker.cli",
                *args,
            ],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            cwd=REPO,
            pass_fds=(writer,),
            start_new_session=True,  # a timeout stops the command with its launcher
        )
        os.close(writer)
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        kilobytes = peak.read()
        return Run(
            child.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            seconds,
            int(kilobytes or 0) / 1024,  # kilobytes on Linux; none if killed
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
