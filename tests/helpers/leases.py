"""Two `ticker collect` processes on one store, for the leadership tests and the
takeover benchmark: their config (every source on the local feed server), each
process with its own log, and looks into the store."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from tests.helpers.e2e import E2E_NOW
from tests.helpers.feedserver import FeedServer, Seen
from tests.helpers.paths import REPO
from ticker.config import PROVIDERS, RATE_PROVIDERS

HOST = os.uname().nodename


def write_config(tmp_path: Path, server: FeedServer, url: str) -> Path:
    lines = [f'[storage]\nurl = "{url}"\n']
    for name in RATE_PROVIDERS:  # every source on the local server
        lines.append(f'[providers.{name}]\nbase_url = "{server.base_url(name)}"\n')
    for name, spec in PROVIDERS.items():  # the boards and the indicators: not here
        if spec.kind != "rates":
            lines.append(f"[providers.{name}]\nenabled = false\n")
    cfg = tmp_path / "config.toml"
    cfg.write_text("".join(lines))
    return cfg


class Collect:
    """One `ticker collect` process, with its own log file."""

    def __init__(self, cfg: Path, state: Path) -> None:
        self.state = state
        env = {**os.environ, "TICKER_NOW": E2E_NOW.isoformat(), "XDG_STATE_HOME": str(state)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ticker.cli", "--config", str(cfg), "collect"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.pid = self.proc.pid

    def log(self) -> str:
        path = self.state / "ticker" / "collector.log"
        return path.read_text() if path.exists() else ""

    def lines(self, word: str) -> list[str]:
        return [line for line in self.log().splitlines() if word in line]

    def wait_for(self, word: str, count: int = 1, limit: float = 60.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if len(self.lines(word)) >= count:
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"exited early:\n{self.log()}\n{self.proc.stderr}")
            time.sleep(0.05)
        raise AssertionError(f"no {word!r} in {limit}s:\n{self.log()}")

    def finish(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
        try:
            _out, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _out, err = self.proc.communicate()
        return err


@contextmanager
def collectors(cfg: Path, tmp_path: Path) -> Iterator[Callable[[str], Collect]]:
    started: list[Collect] = []

    def start(name: str) -> Collect:
        c = Collect(cfg, tmp_path / name)
        started.append(c)
        return c

    try:
        yield start
    finally:
        for c in started:
            c.finish()


def requests_by_key(seen: list[Seen]) -> Counter[tuple[str, str, tuple[tuple[str, str], ...]]]:
    return Counter((s.provider, s.path, tuple(sorted(s.query.items()))) for s in seen)


def forget_schedules(url: str) -> None:
    """Drop the persisted next runs, so that whoever polls next polls at once."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.execute("DELETE FROM provider_status")
        conn.close()
    else:
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as pg:
            pg.execute("DELETE FROM provider_status")


def active_rows(url: str) -> list[tuple[str, int]]:
    statement = "SELECT host, pid FROM collector WHERE role = 'active'"
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            rows = conn.execute(statement).fetchall()
        conn.close()
        return [(str(h), int(p)) for h, p in rows]
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as pg:
        return [(str(h), int(p)) for h, p in pg.execute(statement).fetchall()]
