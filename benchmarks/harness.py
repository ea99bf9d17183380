"""Measuring: best-of-N wall time, a child process's peak memory, and the figure lines."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Figure:
    """One printed line: ``name: value (goal ...) ok|MISS``."""

    name: str
    value: str
    goal: str
    ok: bool

    def line(self) -> str:
        return f"{self.name}: {self.value} (goal {self.goal}) {'ok' if self.ok else 'MISS'}"


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    peak_rss_mb: float


#: Runs argv, timing it from spawn to exit, and writes its wall time (seconds) and peak RSS
#: (KB) to a file. The measured program is started from this small interpreter, not from the
#: benchmark's: a child's peak memory counts the parent's pages it shares between fork and
#: exec, which would inflate every figure. The timer runs inside the launcher, around the
#: spawn and the wait only: the launcher's own start (about 10 ms, an interpreter) is not
#: the measured program's and would dilute every ratio.
_LAUNCHER = (
    "import os, sys, time\n"
    "started = time.perf_counter()\n"
    "pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "seconds = time.perf_counter() - started\n"
    "open(sys.argv[1], 'w').write(f'{seconds!r} {usage.ru_maxrss}')\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_process(
    argv: Sequence[str],
    env: dict[str, str] | None = None,
    stdout: IO[bytes] | None = None,
    exit_codes: Collection[int] = (0,),
) -> Run:
    """Run ``argv`` (an absolute program path first) to completion; its wall time from
    spawn to exit (the launcher's own start not counted) and its peak resident memory.
    An exit code outside ``exit_codes`` is a failure (``ticker health`` answers 1 for a
    store no collector writes: an answer, not a failure)."""
    with tempfile.NamedTemporaryFile("r", suffix=".run") as measured:
        proc = subprocess.run(
            [sys.executable, "-S", "-c", _LAUNCHER, measured.name, *argv],
            env={**os.environ, **(env or {})},
            stdout=stdout if stdout is not None else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=REPO,
            check=False,
        )
        if proc.returncode not in exit_codes:
            err = proc.stderr.decode(errors="replace").strip()
            raise RuntimeError(f"{' '.join(argv)} failed: {err}")
        seconds, rss_kb = measured.read().split()
        return Run(float(seconds), int(rss_kb) / 1024)


def ticker_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "ticker.cli", *args]


def best_of(n: int, *measures: Callable[[], Run]) -> list[Run]:
    """Run each measure ``n`` times, interleaved (so noise hits all alike); the fastest
    run of each."""
    best: list[Run | None] = [None] * len(measures)
    for _ in range(n):
        for i, measure in enumerate(measures):
            run = measure()
            current = best[i]
            if current is None or run.seconds < current.seconds:
                best[i] = run
    return [r for r in best if r is not None]
