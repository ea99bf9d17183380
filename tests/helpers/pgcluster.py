"""A PostgreSQL server a test can stop and start again (what a restart does to the
dashboards' connections): initdb in a temp dir, a fixed free port on 127.0.0.1, as the
``postgres`` user when running as root. The session-wide server
(:mod:`tests.helpers.pgserver`) is shared and never stopped; this one is the test's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.helpers.pgserver import _free_port, pg_binary


class PostgresCluster:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.data = base / "data"
        self.sock = base / "sock"
        self.log = base / "server.log"
        self.port = _free_port()
        self._as_root = os.geteuid() == 0
        self._run_as: dict[str, Any] = (
            {"user": "postgres", "group": "postgres"} if self._as_root else {}
        )
        self._env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _pg(self, *args: str, check: bool = True) -> None:
        subprocess.run(
            list(args),
            check=check,
            capture_output=True,
            env=self._env,
            cwd=self.base,
            **self._run_as,
        )

    def init(self) -> None:
        self.sock.mkdir()
        if self._as_root:
            for p in (self.base, self.sock):
                shutil.chown(p, "postgres", "postgres")
        self._pg(
            pg_binary("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 "
            # No synchronous_commit=off: an immediate stop would lose the last commits.
            "-c fsync=off -c full_page_writes=off"
        )
        self._pg(
            pg_binary("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log),
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop at once (``immediate``: every connection is cut, as a crash would)."""
        self._pg(pg_binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A started server of the test's own, stopped and deleted after."""
    cluster = PostgresCluster(Path(tempfile.mkdtemp(prefix="ticker-pg-own-")))
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        subprocess.run(
            [pg_binary("pg_ctl"), "-D", str(cluster.data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            env=cluster._env,
            cwd=cluster.base,
            **cluster._run_as,
        )
        shutil.rmtree(cluster.base, ignore_errors=True)
