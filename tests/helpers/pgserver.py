"""A throwaway PostgreSQL server for the tests: initdb in a temp dir, a free port on
127.0.0.1, started with pg_ctl (as the ``postgres`` user when running as root), and
stopped and deleted at the end of the session.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def pg_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]
    raise RuntimeError(
        f"PostgreSQL's {name} was not found on PATH or in /usr/lib/postgresql/*/bin; "
        "the storage tests need the PostgreSQL 15 server binaries installed"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """A throwaway server that a test may also stop and start again (same port, same
    data): :meth:`stop` and :meth:`start`."""

    def __init__(self) -> None:
        self.as_root = os.geteuid() == 0
        self.run_as: dict[str, Any] = (
            {"user": "postgres", "group": "postgres"} if self.as_root else {}
        )
        self.base = Path(tempfile.mkdtemp(prefix="ticker-pg-"))
        self.data, self.sock, self.log = (
            self.base / "data",
            self.base / "sock",
            self.base / "server.log",
        )
        self.sock.mkdir()
        if self.as_root:
            for p in (self.base, self.sock):
                shutil.chown(p, "postgres", "postgres")
        self.env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        subprocess.run(
            [
                pg_binary("initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            env=self.env,
            cwd=self.base,
            **self.run_as,
        )
        self.port = _free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str, check: bool = True) -> None:
        subprocess.run(
            [pg_binary("pg_ctl"), "-D", str(self.data), *args],
            check=check,
            capture_output=True,
            env=self.env,
            cwd=self.base,
            **self.run_as,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._ctl("-o", options, "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "immediate") -> None:
        self._ctl("-m", mode, "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the URL of the ``postgres`` database of a fresh server."""
    server = PostgresServer()
    server.start()
    try:
        yield server.url
    finally:
        server.remove()
