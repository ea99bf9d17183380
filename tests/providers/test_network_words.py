"""Network failures said in words, naming the host: from the real exception types
httpx raises (through a MockTransport, the chain as httpx builds it), and from a real
refused port and a real TLS handshake with a plain-HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from providers.base import ProviderError, ProviderUnavailable
from providers.http import get
from providers.network import network_words


def _chained(outer: Exception, *causes: BaseException) -> Exception:
    """``outer`` raised from ``causes[0]``, raised from ``causes[1]``...: as httpx wraps
    httpcore, which wraps anyio's error, which wraps the operating system's."""
    current = outer
    for cause in causes:
        current.__cause__ = cause
        current = cause  # type: ignore[assignment]
    return outer


def _fetch(url: str, transport: httpx.AsyncBaseTransport | None = None) -> ProviderError:
    async def go() -> None:
        async with httpx.AsyncClient(transport=transport) as client:
            await get(client, "nbkr", url, request_timeout=10)

    with pytest.raises(ProviderError) as info:
        asyncio.run(go())
    return info.value


def _raising(err: Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise err

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    ("make_error", "expected"),
    [
        (
            lambda: _chained(
                httpx.ConnectError("[Errno -2] Name or service not known"),
                socket.gaierror(-2, "Name or service not known"),
            ),
            "cannot resolve www.nbkr.kg (no network?)",
        ),
        (  # the text alone, as another backend or a proxy says it
            lambda: httpx.ConnectError("[Errno -3] Temporary failure in name resolution"),
            "cannot resolve www.nbkr.kg (no network?)",
        ),
        (
            lambda: _chained(
                httpx.ConnectError("All connection attempts failed"),
                OSError("All connection attempts failed"),
                ConnectionRefusedError(111, "Connect call failed"),
            ),
            "connection refused by www.nbkr.kg",
        ),
        (
            lambda: _chained(
                httpx.ConnectError("[Errno 101] Network is unreachable"),
                OSError(101, "Network is unreachable"),
            ),
            "network unreachable reaching www.nbkr.kg (no network?)",
        ),
        (
            lambda: httpx.ConnectError("[Errno 113] No route to host"),
            "no route to www.nbkr.kg",
        ),
        (
            lambda: _chained(
                httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
                _cert_error("certificate has expired"),
            ),
            "the TLS certificate of www.nbkr.kg was refused (certificate has expired)",
        ),
        (
            lambda: _chained(
                httpx.ReadError("[Errno 104] Connection reset by peer"),
                ConnectionResetError(104, "Connection reset by peer"),
            ),
            "connection reset by www.nbkr.kg",
        ),
        (
            lambda: httpx.RemoteProtocolError("Server disconnected without sending a response."),
            "www.nbkr.kg closed the connection without an answer",
        ),
        (lambda: httpx.ConnectTimeout(""), "timed out after 10 s reaching www.nbkr.kg"),
        (lambda: httpx.ReadTimeout("The read operation timed out"),
         "timed out after 10 s reaching www.nbkr.kg"),
    ],
)  # fmt: skip
def test_transport_failures_are_said_in_words(
    make_error: Callable[[], Exception], expected: str
) -> None:
    err = _fetch("https://www.nbkr.kg/XML/daily.xml", _raising(make_error()))
    assert isinstance(err, ProviderUnavailable)
    assert err.reason == expected
    assert "Errno" not in str(err) and err.url == "https://www.nbkr.kg/XML/daily.xml"


def _cert_error(message: str) -> ssl.SSLCertVerificationError:
    err = ssl.SSLCertVerificationError(1, f"[SSL: CERTIFICATE_VERIFY_FAILED] {message}")
    err.verify_message = message
    return err


def test_an_unknown_failure_keeps_the_systems_words_and_names_the_host() -> None:
    words = network_words(httpx.ConnectError("something odd"), "nbkr.kg")
    assert words == "cannot reach nbkr.kg: something odd"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when this returns: nothing listens


def test_a_real_refused_port_on_loopback() -> None:
    port = _closed_port()
    err = _fetch(f"http://127.0.0.1:{port}/XML/daily.xml")
    assert isinstance(err, ProviderUnavailable)
    assert err.reason == "connection refused by 127.0.0.1"


class _Plain(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def plain_http() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Plain)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_real_tls_handshake_with_a_plain_http_server(plain_http: int) -> None:
    err = _fetch(f"https://127.0.0.1:{plain_http}/XML/daily.xml")
    assert isinstance(err, ProviderUnavailable)
    assert err.reason.startswith("TLS handshake with 127.0.0.1 failed (")
    assert "Errno" not in err.reason
