"""Running a full-screen program in a pseudo-terminal: when given text first appears on the
screen (from process start), and how much CPU it uses while it runs."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Terminal:
    """A program on a pty of ``cols`` x ``rows``; its output is drained continuously."""

    argv: Sequence[str]
    env: dict[str, str]
    cols: int = 100
    rows: int = 30
    started: float = 0.0
    pid: int = 0
    _fd: int = -1
    _output: bytearray = field(default_factory=bytearray)
    _seen: dict[bytes, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _reader: threading.Thread | None = None

    def start(self, markers: Sequence[bytes]) -> None:
        self._markers = list(markers)
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the program
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
            os.execvpe(
                self.argv[0], list(self.argv), {**os.environ, **self.env, "TERM": "xterm-256color"}
            )
        self.pid, self._fd = pid, fd
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            now = time.perf_counter() - self.started
            with self._lock:
                self._output += chunk
                tail = bytes(self._output[-len(chunk) - 64 :])
                for marker in self._markers:
                    if marker not in self._seen and marker in tail:
                        self._seen[marker] = now

    def wait_for(self, marker: bytes, limit: float = 60.0) -> float:
        """Seconds from process start until ``marker`` was first written."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self._lock:
                if marker in self._seen:
                    return self._seen[marker]
            time.sleep(0.005)
        raise TimeoutError(f"{marker!r} never appeared on the screen of {' '.join(self.argv)}")

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime

    def cpu_percent(self, seconds: float) -> float:
        """Percent of one core used over the next ``seconds``."""
        before = self.cpu_seconds()
        time.sleep(seconds)
        return (self.cpu_seconds() - before) / seconds * 100

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                done, _status = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                time.sleep(0.05)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        finally:
            os.close(self._fd)
