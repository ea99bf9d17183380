"""The metrics endpoint: prometheus-client's WSGI app on a small threaded HTTP server.

Bound at once (so a bad address or a port in use is said before the first poll), served
from threads of its own, so a scrape never waits for a round nor a round for a scrape.
Every request byte is a stranger's: a connection that sends nothing for
:data:`IDLE_TIMEOUT` is dropped, and at most :data:`MAX_CONNECTIONS` are served at once
(more are closed unanswered). There is no authentication: whoever reaches the address
reads the numbers (they are not secrets, but bind to loopback unless that is intended).
"""

from __future__ import annotations

import socket
import threading
from socketserver import TCPServer, ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from prometheus_client import CollectorRegistry, make_wsgi_app

from ticker.errors import UsageError

#: Seconds a connection may stay silent (reading the request, or taking the answer).
IDLE_TIMEOUT = 10.0
#: Connections served at once; Prometheus itself makes one per scrape.
MAX_CONNECTIONS = 16


class _Quiet(WSGIRequestHandler):
    timeout = IDLE_TIMEOUT
    server_version = "ticker"
    sys_version = ""  # the Server header names no Python version

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        """Scrapes are not logged."""


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, family: socket.AddressFamily, address: tuple[Any, ...]) -> None:
        self.address_family = family
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, _Quiet)

    def server_bind(self) -> None:
        """Bind, without http.server's reverse lookup of the host (a machine without a
        name server would wait for it)."""
        TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)
        self.setup_environ()

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)  # too many at once: this one goes unanswered
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A peer that hangs up or sends garbage is its own problem: nothing is printed."""


def _named(app: Any) -> Any:
    """``app``, answering as ``Server: ticker`` (not naming the Python it runs on)."""

    def named(environ: dict[str, Any], start_response: Any) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [*headers, ("Server", "ticker")], exc_info)

        return app(environ, start)

    return named


class MetricsServer:
    """A running endpoint; :meth:`close` stops it and frees the port."""

    def __init__(self, server: _Server) -> None:
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.5}, name="ticker-metrics"
        )
        self._thread.daemon = True
        self._thread.start()

    @property
    def url(self) -> str:
        host = self._server.server_address[0]
        text = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{text}]" if ":" in text else text
        return f"http://{shown}:{self.port}/metrics"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def serve(registry: CollectorRegistry, host: str, port: int) -> MetricsServer:
    """Serve ``registry`` on ``host``:``port`` (port 0: any free one). Raises
    :class:`UsageError` for an address that cannot be listened on, in one line."""
    where = f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise UsageError(f"--metrics {where}: no such address ({reason})") from err
    family, _type, _proto, _name, address = infos[0]
    try:
        server = _Server(family, address)
    except OSError as err:
        raise UsageError(f"--metrics {where}: cannot listen there ({err.strerror or err})") from err
    try:
        server.set_app(_named(make_wsgi_app(registry)))
    except BaseException:
        server.server_close()
        raise
    return MetricsServer(server)
