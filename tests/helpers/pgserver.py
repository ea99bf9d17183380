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


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the URL of the ``postgres`` database of a fresh server."""
    as_root = os.geteuid() == 0
    run_as: dict[str, Any] = {"user": "postgres", "group": "postgres"} if as_root else {}
    base = Path(tempfile.mkdtemp(prefix="ticker-pg-"))
    data, sock, log = base / "data", base / "sock", base / "server.log"
    sock.mkdir()
    if as_root:
        for p in (base, sock):
            shutil.chown(p, "postgres", "postgres")
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    subprocess.run(
        [
            pg_binary("initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        env=env,
        cwd=base,
        **run_as,
    )
    port = _free_port()
    options = (
        f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    pg_ctl = pg_binary("pg_ctl")
    subprocess.run(
        [pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start"],
        check=True,
        capture_output=True,
        env=env,
        cwd=base,
        **run_as,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            env=env,
            cwd=base,
            **run_as,
        )
        shutil.rmtree(base, ignore_errors=True)
