"""A real HTTP server on 127.0.0.1 standing in for the feeds, for end-to-end tests.

Requests go to ``/<provider>/<the source's real path>?<real query>``: each provider's
``base_url`` is pointed at ``http://127.0.0.1:PORT/<provider>``. A route function answers;
every request is recorded with its time, and in-flight requests are counted per provider.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Seen:
    provider: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    started: float
    finished: float


Reply = tuple[int, bytes] | tuple[int, bytes, dict[str, str]]
Route = Callable[[str, str, dict[str, str]], Reply]

#: Special statuses a route may return to misbehave like a real server.
RESET = -1  # close the connection without answering
SLOW_BODY = -2  # answer 200, then send the body a few bytes at a time
HANG = -3  # answer nothing for a long while (the client times out)
RAW = -4  # the body is the whole answer, status line and headers included, as it is


class FeedServer:
    def __init__(self, route: Route, latency: float = 0.0) -> None:
        self.route = route
        self.latency = latency
        self.seen: list[Seen] = []
        self.in_flight: dict[str, int] = defaultdict(int)
        self.max_in_flight: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                started = time.monotonic()
                parts = urlsplit(self.path)
                provider, _, rest = parts.path.lstrip("/").partition("/")
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                with server._lock:
                    server.in_flight[provider] += 1
                    server.max_in_flight[provider] = max(
                        server.max_in_flight[provider], server.in_flight[provider]
                    )
                try:
                    if server.latency:
                        time.sleep(server.latency)
                    reply = server.route(provider, "/" + rest, query)
                    status, body = reply[0], reply[1]
                    extra = reply[2] if len(reply) > 2 else {}
                    if status == HANG:
                        time.sleep(3)
                finally:
                    with server._lock:
                        server.in_flight[provider] -= 1
                if status in (RESET, HANG):
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if status == RAW:
                    self.close_connection = True
                    self.wfile.write(body)
                    self.wfile.flush()
                elif status == SLOW_BODY:
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for i in range(0, len(body), max(len(body) // 5, 1)):
                        self.wfile.write(body[i : i + max(len(body) // 5, 1)])
                        self.wfile.flush()
                        time.sleep(0.05)
                else:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in extra.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                with server._lock:
                    server.seen.append(
                        Seen(
                            provider,
                            "/" + rest,
                            query,
                            dict(self.headers),
                            started,
                            time.monotonic(),
                        )
                    )

            def log_message(self, *args: object) -> None:
                pass

        ThreadingHTTPServer.request_queue_size = 128
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]

    def base_url(self, provider: str) -> str:
        return f"http://127.0.0.1:{self.port}/{provider}"

    def requests_of(self, provider: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.provider == provider]

    @contextmanager
    def running(self) -> Iterator[FeedServer]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=5)
