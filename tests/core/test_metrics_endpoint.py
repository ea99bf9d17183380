"""The metrics endpoint against hostile clients, over real sockets: slow ones that
trickle a request head, fat ones that send megabytes of headers, many at once from one
address, and addresses that listen wider than they say."""

from __future__ import annotations

import os
import platform
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from tests.helpers.paths import REPO
from tests.helpers.scrape import scrape, value
from ticker import __version__
from ticker.core.metrics import build_metrics, serve
from ticker.core.metrics.rates import Reading
from ticker.core.metrics.server import (
    HEAD_DEADLINE,
    MAX_CONNECTIONS,
    MAX_HEAD,
    PER_CLIENT,
    MetricsServer,
)
from ticker.errors import UsageError

#: Another loopback address: the hostile client, as seen by the endpoint.
STRANGER = "127.0.0.2"


@pytest.fixture
def endpoint() -> Iterator[MetricsServer]:
    metrics = build_metrics(Reading(lambda: (), lambda: None))
    server = serve(metrics.registry, "127.0.0.1", 0)
    try:
        yield server
    finally:
        server.close()
        metrics.close()


def connect(port: int, source: str = "127.0.0.1") -> socket.socket:
    conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    conn.settimeout(60)  # a hang guard, never a limit the test asserts
    conn.bind((source, 0))
    conn.connect(("127.0.0.1", port))
    return conn


def answer_to(data: bytes, port: int) -> bytes:
    with connect(port) as conn:
        try:
            conn.sendall(data)
        except OSError:
            pass  # the endpoint answered and closed before taking it all
        answer = b""
        try:
            while chunk := conn.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
        return answer


class Trickle(threading.Thread):
    """A client that sends a request head one header line every ``every`` seconds, up to
    ``lines`` of them, and notes how many it sent before the endpoint closed on it."""

    def __init__(self, port: int, lines: int, every: float, source: str = STRANGER) -> None:
        super().__init__(daemon=True)
        self.port, self.lines, self.every, self.source = port, lines, every, source
        self.sent = 0
        self.answer = b""
        self.connected = threading.Event()

    def run(self) -> None:
        with connect(self.port, self.source) as conn:
            self.connected.set()
            try:
                conn.sendall(b"GET /metrics HTTP/1.1\r\n")
                for _ in range(self.lines):
                    conn.sendall(b"X-Slow: y\r\n")
                    self.sent += 1
                    if _readable(conn, self.every):
                        break  # the endpoint answered or closed
                while chunk := conn.recv(65536):
                    self.answer += chunk
            except OSError:
                pass


def _readable(conn: socket.socket, timeout: float) -> bool:
    readable, _, _ = select.select([conn], [], [], timeout)
    return bool(readable)


def test_slow_clients_are_dropped_at_the_deadline_and_never_take_every_slot(
    endpoint: MetricsServer,
) -> None:
    # More slow clients than there are slots, all from one address, each sending a header
    # line every half second for four times the head's deadline.
    every = 0.5
    lines = int(4 * HEAD_DEADLINE / every)
    slow = [Trickle(endpoint.port, lines, every) for _ in range(MAX_CONNECTIONS + 4)]
    for client in slow:
        client.start()
        client.connected.wait(60)
    time.sleep(0.5)
    # Meanwhile every scrape from elsewhere is answered.
    for _ in range(5):
        assert value(scrape(endpoint.url), "ticker_info", version=__version__) == 1
    for client in slow:
        client.join(60)
    # Each slow client was cut off long before it had sent its whole head.
    assert all(client.sent < lines for client in slow), [c.sent for c in slow]
    timed_out = [c for c in slow if c.answer.startswith(b"HTTP/1.0 408")]
    assert 0 < len(timed_out) <= PER_CLIENT  # the rest were closed unanswered at once


def test_a_head_over_the_cap_is_refused_unread(endpoint: MetricsServer) -> None:
    fat = b"GET /metrics HTTP/1.1\r\nX-Fat: " + b"a" * (MAX_HEAD + 1000) + b"\r\n\r\n"
    assert answer_to(fat, endpoint.port).startswith(b"HTTP/1.0 431")
    long_line = b"GET /" + b"a" * (MAX_HEAD + 1000) + b" HTTP/1.1\r\n\r\n"
    assert answer_to(long_line, endpoint.port).startswith(b"HTTP/1.0 414")
    # Many small headers that add up to more than the cap: the same.
    many = b"GET /metrics HTTP/1.1\r\n" + b"X-Many: " + b"b" * 90 + b"\r\n"
    many *= 1 + MAX_HEAD // 100
    assert answer_to(many + b"\r\n", endpoint.port).startswith(b"HTTP/1.0 431")
    # A head just under the cap is served.
    fits = b"GET /metrics HTTP/1.0\r\nX-Fits: " + b"c" * (MAX_HEAD - 200) + b"\r\n\r\n"
    assert answer_to(fits, endpoint.port).startswith(b"HTTP/1.0 200")


def test_one_address_gets_a_few_connections_and_the_others_still_get_theirs(
    endpoint: MetricsServer,
) -> None:
    held = [connect(endpoint.port, STRANGER) for _ in range(PER_CLIENT + 3)]
    try:
        time.sleep(0.5)
        refused = 0
        for conn in held:
            conn.setblocking(False)
            try:
                refused += conn.recv(1) == b""
            except BlockingIOError:
                pass  # still waiting for its head: one of its slots
        assert refused == 3
        assert value(scrape(endpoint.url), "ticker_info", version=__version__) == 1
    finally:
        for conn in held:
            conn.close()


SERVE_IN_A_CHILD = """
import sys
from ticker.core.metrics import build_metrics, serve
from ticker.core.metrics.rates import Reading
metrics = build_metrics(Reading(lambda: (), lambda: None))
server = serve(metrics.registry, "127.0.0.1", 0)
print(server.port, flush=True)
sys.stdin.read()
"""


def _high_water_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_megabytes_of_headers_do_not_grow_the_process() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", SERVE_IN_A_CHILD],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        answer_to(b"GET /metrics HTTP/1.0\r\n\r\n", port)  # warmed up: one scrape served
        before = _high_water_kb(child.pid)
        line = b"X-Fat: " + b"a" * 60000 + b"\r\n"

        def fat() -> None:
            with connect(port, STRANGER) as conn:
                try:
                    conn.sendall(b"GET /metrics HTTP/1.1\r\n")
                    for _ in range(100):  # 6 MB each
                        conn.sendall(line)
                except OSError:
                    pass  # refused: the endpoint closed on it

        clients = [threading.Thread(target=fat) for _ in range(16)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(120)
        answer_to(b"GET /metrics HTTP/1.0\r\n\r\n", port)
        grown = _high_water_kb(child.pid) - before
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(30)
        if child.stdout is not None:
            child.stdout.close()
    print(f"high-water growth after 96 MB of headers: {grown} kB")  # noqa: T201
    assert grown < 8 * 1024


@pytest.mark.parametrize("host", ["0", "0x0", "00", "0.0", "0x0.0", "000.0.0.0"])
def test_a_short_form_of_every_interface_is_refused(host: str) -> None:
    metrics = build_metrics(Reading(lambda: (), lambda: None))
    try:
        with pytest.raises(UsageError) as caught:
            serve(metrics.registry, host, 0).close()
    finally:
        metrics.close()
    assert str(caught.value) == (
        f"--metrics {host}:0: {host!r} means every interface; write 0.0.0.0:0 "
        "(or [::]:0) to listen on all of them"
    )


def test_the_metrics_do_not_name_the_python_they_run_on(endpoint: MetricsServer) -> None:
    answer = answer_to(b"GET /metrics HTTP/1.0\r\n\r\n", endpoint.port)
    assert answer.startswith(b"HTTP/1.0 200")
    text = answer.decode()
    assert "python_info" not in text
    assert platform.python_version() not in text
    assert "Python" not in text and "CPython" not in text
