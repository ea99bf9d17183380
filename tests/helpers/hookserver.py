"""A webhook receiver on 127.0.0.1 for the tests: records every POST and answers each
with the next step of its script."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: A script step that holds the request until :meth:`HookServer.release` (or shutdown).
HOLD = "hold"


@dataclass(frozen=True)
class Posted:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Step:
    """One answer: a status, a body, headers (``Location`` for a redirect)."""

    status: int | str = 204
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class HookServer:
    def __init__(self, *script: Step) -> None:
        self.script = list(script) or [Step()]
        self.posted: list[Posted] = []
        self.body_cut_short = False
        """A reply body the client stopped reading before its end."""
        self._lock = threading.Lock()
        self._held = threading.Event()
        self.arrived = threading.Condition(self._lock)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with server._lock:
                    server.posted.append(Posted(self.path, dict(self.headers), body))
                    step = server.script[min(len(server.posted), len(server.script)) - 1]
                    server.arrived.notify_all()
                if step.status == HOLD:
                    server._held.wait(timeout=60)
                    self.close_connection = True
                    return
                assert isinstance(step.status, int)
                self.send_response(step.status)
                self.send_header("Content-Length", str(len(step.body)))
                for name, value in step.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(step.body)
                    self.wfile.flush()
                except OSError:
                    server.body_cut_short = True

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/t0ken"

    def wait_for(self, count: int, timeout: float = 30) -> bool:
        """Whether ``count`` POSTs have arrived (waiting for them, at most ``timeout``)."""
        with self._lock:
            return self.arrived.wait_for(lambda: len(self.posted) >= count, timeout)

    def release(self) -> None:
        """Let held requests go (they are closed without an answer)."""
        self._held.set()

    @contextmanager
    def running(self) -> Iterator[HookServer]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.release()
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=5)
