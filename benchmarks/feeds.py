"""The recorded feeds served on 127.0.0.1 with a latency per request, for the benches
that run the program's real network code (the poll round, the backfill).

The server runs in a process of its own, as a real feed would: in the benchmark's process
its threads would take the GIL from the collector being measured. ``route`` must be a
module-level function (it is sent to the server process by name)."""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path

from tests.helpers.feedserver import FeedServer, Route
from ticker.config import Settings


def _serve(conn: Connection, latency: float, route: Route) -> None:
    """The child process: serve the recorded feeds until told to stop."""
    with FeedServer(route, latency=latency).running() as server:
        conn.send(server.base_url(""))
        conn.recv()


@contextmanager
def feed_server_apart(latency: float, route: Route) -> Iterator[str]:
    """The feed server in another process; yields its root URL (``http://host:port/``):
    a source's base URL is the root and its name."""
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(theirs, latency, route), daemon=True
    )
    process.start()
    try:
        if not ours.poll(30):
            raise RuntimeError("the feed server did not start")
        yield str(ours.recv())
    finally:
        ours.send("stop")
        process.join(10)
        if process.is_alive():
            process.kill()


def pointed_settings(root: str, db: Path, watch: tuple[str, ...] = ()) -> Settings:
    """The default settings a user gets, with every source on the server at ``root``, the
    store at ``db``, and ``watch`` watched pairs."""
    base = Settings()
    if watch:
        from ticker.config.pairs import PairsSettings
        from ticker.model.pairs import parse_pair

        pairs = PairsSettings(tuple(parse_pair(p, any_pair=True) for p in watch))
        base = dataclasses.replace(base, pairs=pairs)
    providers = {
        name: dataclasses.replace(conf, base_url=root + name)
        for name, conf in base.providers.items()
    }
    storage = dataclasses.replace(base.storage, url=f"sqlite:///{db}")
    return dataclasses.replace(base, providers=providers, storage=storage)
