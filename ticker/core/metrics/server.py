"""The metrics endpoint: prometheus-client's WSGI app on a small threaded HTTP server.

Bound at once (so a bad address or a port in use is said before the first poll), served
from threads of its own, so a scrape never waits for a round nor a round for a scrape.
Every request byte is a stranger's, and the endpoint never grows the collector's memory
for one:

* the request head (request line and headers) must arrive whole within
  :data:`HEAD_DEADLINE` of the connection (then 408), however slowly it trickles;
* it is at most :data:`MAX_HEAD` bytes (then 414 for the request line, 431 for the
  headers), read into a buffer of that size and no more;
* at most :data:`MAX_CONNECTIONS` are served at once, and at most :data:`PER_CLIENT` from
  one address (more are closed unanswered), so one client cannot take every slot;
* the answer must be taken within :data:`IDLE_TIMEOUT` a write.

There is no authentication: whoever reaches the address reads the numbers (they are not
secrets, but bind to loopback unless that is intended). Every interface is listened on
only when said explicitly (``0.0.0.0`` or ``::``), never for a short form like ``0``.
"""

from __future__ import annotations

import io
import ipaddress
import socket
import threading
import time
from collections import Counter
from socketserver import TCPServer, ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from prometheus_client import CollectorRegistry, make_wsgi_app

from ticker.errors import UsageError
from ticker.i18n.words import _

#: Seconds a connection may take to take a part of the answer.
IDLE_TIMEOUT = 10.0
#: Connections served at once; Prometheus itself makes one per scrape.
MAX_CONNECTIONS = 16
#: Seconds from the connection to the end of the request head, however it trickles.
HEAD_DEADLINE = 5.0
#: Bytes of request head (request line and headers) read at most.
MAX_HEAD = 16 * 1024
#: Connections from one address served at once.
PER_CLIENT = 4
#: The only spellings of "every interface" that listen on every interface.
EVERY_INTERFACE = ("0.0.0.0", "::")
#: What is read and dropped, at most, after an error answer (so the peer reads the
#: answer instead of a reset).
_DRAIN = 64 * 1024


class _HeadTooLarge(Exception):
    def __init__(self, line_ended: bool) -> None:
        super().__init__("request head too large")
        self.line_ended = line_ended


def read_head(conn: socket.socket, deadline: float, limit: int = MAX_HEAD) -> bytes:
    """The request head from ``conn``: what arrived up to its blank line (or up to the
    peer's end), within ``deadline`` (a :func:`time.monotonic` time) and ``limit`` bytes.
    Raises TimeoutError past the deadline, :class:`_HeadTooLarge` past the limit."""
    data = bytearray()
    while b"\r\n\r\n" not in data and b"\n\n" not in data:
        if len(data) >= limit:
            raise _HeadTooLarge(line_ended=b"\n" in data)
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("request head too slow")
        conn.settimeout(left)
        chunk = conn.recv(min(4096, limit - len(data)))
        if not chunk:
            break  # the peer has said all it will: the parser judges it
        data += chunk
    return bytes(data)


class _Quiet(WSGIRequestHandler):
    timeout = IDLE_TIMEOUT
    server_version = "ticker"
    sys_version = ""  # the Server header names no Python version

    def handle(self) -> None:
        """One request, its head read within the deadline and the cap (then handed to
        the standard parser as if it had been read from the socket)."""
        deadline = time.monotonic() + HEAD_DEADLINE
        try:
            head = read_head(self.connection, deadline)
        except TimeoutError:
            self._refuse(408)
            return
        except _HeadTooLarge as err:
            self._refuse(431 if err.line_ended else 414)
            return
        self.connection.settimeout(IDLE_TIMEOUT)
        self.rfile.close()
        self.rfile = io.BytesIO(head)
        super().handle()

    def _refuse(self, code: int) -> None:
        self.connection.settimeout(IDLE_TIMEOUT)
        self.requestline = self.request_version = self.command = ""
        self.send_error(code)
        self.wfile.flush()
        _drain(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        """Scrapes are not logged."""


def _drain(conn: socket.socket) -> None:
    """Say we are done, and drop what the peer still sends for a moment (a bounded
    amount), so that it reads our answer rather than a reset."""
    try:
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(1.0)
        left = _DRAIN
        while left > 0 and (chunk := conn.recv(min(left, 16384))):
            left -= len(chunk)
    except OSError:
        pass


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, family: socket.AddressFamily, address: tuple[Any, ...]) -> None:
        self.address_family = family
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._lock = threading.Lock()
        self._clients: Counter[str] = Counter()
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
        client = str(client_address[0])
        with self._lock:
            crowded = self._clients[client] >= PER_CLIENT
            if not crowded:
                self._clients[client] += 1
        if crowded:
            self.shutdown_request(request)  # that address has its share: unanswered
            return
        if not self._slots.acquire(blocking=False):
            self._left(client)
            self.shutdown_request(request)  # too many at once: this one goes unanswered
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            self._left(client)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()
            self._left(str(client_address[0]))

    def _left(self, client: str) -> None:
        with self._lock:
            self._clients[client] -= 1
            if self._clients[client] <= 0:
                del self._clients[client]

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
        said = _("--metrics {where}: no such address ({reason})")
        raise UsageError(said.format(where=where, reason=reason)) from err
    family, _type, _proto, _name, address = infos[0]
    if host not in EVERY_INTERFACE and ipaddress.ip_address(address[0]).is_unspecified:
        said = _(
            "--metrics {where}: {host} means every interface; write 0.0.0.0:{port} "
            "(or [::]:{port}) to listen on all of them"
        )
        raise UsageError(said.format(where=where, host=repr(host), port=port))
    try:
        server = _Server(family, address)
    except OSError as err:
        said = _("--metrics {where}: cannot listen there ({reason})")
        raise UsageError(said.format(where=where, reason=err.strerror or err)) from err
    try:
        server.set_app(_named(make_wsgi_app(registry)))
    except BaseException:
        server.server_close()
        raise
    return MetricsServer(server)
