"""`ticker collect --metrics HOST:PORT` as a process: scraped while it collects from the
local feed server; and every way the option can be refused, before any poll."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers.e2e import E2E_NOW, cbt_route, write_config
from tests.helpers.feedserver import FeedServer, Reply
from tests.helpers.paths import REPO
from tests.helpers.scenarios import LATEST
from tests.helpers.scrape import Samples, by_label, scrape, value
from ticker.cli import main
from ticker.config import PROVIDERS

FAILING = "frankfurter"


def route(provider: str, path: str, query: dict[str, str]) -> Reply:
    if provider == FAILING:
        return 500, b"internal error"
    if provider not in LATEST:  # the indicator sources: nothing recorded here
        return 404, b"not here"
    return cbt_route(provider, path, query)


def _start(
    cfg: Path, tmp_path: Path, *options: str, code: str | None = None
) -> subprocess.Popen[str]:
    env = {**os.environ, "TICKER_NOW": E2E_NOW.isoformat(), "XDG_STATE_HOME": str(tmp_path)}
    program = ["-m", "ticker.cli"] if code is None else ["-c", code]
    return subprocess.Popen(
        [sys.executable, *program, "--config", str(cfg), "collect", *options],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _endpoint(proc: subprocess.Popen[str]) -> tuple[str, list[str]]:
    """The URL the collector says it serves its metrics at, and its log so far."""
    assert proc.stderr is not None
    lines: list[str] = []
    while True:
        line = proc.stderr.readline()
        assert line, "".join(lines)  # it ended without serving
        lines.append(line)
        if "metrics at " in line:
            return line.split("metrics at ", 1)[1].split()[0], lines


def _after_first_round(url: str, providers: int) -> Samples:
    """A scrape once every provider has had its first round and the rates are shown."""
    deadline = time.monotonic() + 60
    while True:
        seen = scrape(url)
        rounds = sum(v for (n, _), v in seen.items() if n == "ticker_polls_total")
        rates = by_label(seen, "ticker_rate", "pair")
        if rounds == providers and len(rates) == 5:
            return seen
        assert time.monotonic() < deadline, seen
        time.sleep(0.1)


def test_the_endpoint_counts_what_the_server_saw_and_shows_the_stored_rates(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.db"
    with FeedServer(route).running() as server:
        # The monetary sources polled too (they fail here, as the annual ones do).
        cfg = write_config(tmp_path, server, db, "[collector]\nretries = 1\n", monetary=True)
        proc = _start(cfg, tmp_path, "--metrics", "127.0.0.1:0")
        try:
            url, log = _endpoint(proc)
            # The market boards are off here (write_config): every other source polls.
            polled = [n for n, spec in PROVIDERS.items() if spec.kind != "market"]
            seen = _after_first_round(url, len(polled))
            requests = {name: len(server.requests_of(name)) for name in polled}
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert url.startswith("http://127.0.0.1:") and url.endswith("/metrics")
    assert "(no authentication)" in log[-1]
    ok = by_label(seen, "ticker_polls_total", "provider", outcome="ok")
    failed = by_label(seen, "ticker_polls_total", "provider", outcome="failed")
    # One round each at start; one request per round (NBKR asks for two files).
    for name in ("nbk", "nbt", "cbu", "cbr", "erapi", "currencyapi"):
        assert ok[name] == requests[name] == 1, name
    assert failed[FAILING] == requests[FAILING] == 1 and ok[FAILING] == 0
    assert value(seen, "ticker_consecutive_failures", provider=FAILING) == 1
    # The indicator sources found nothing: their rounds failed.
    assert failed["worldbank"] == 1 and failed["imf"] == 1
    with sqlite3.connect(db) as conn:
        for local, source in {"KGS": "nbkr", "KZT": "nbk", "UZS": "cbu"}.items():
            (stored,) = conn.execute(
                "SELECT rate FROM observation WHERE provider = ? AND quote = ? "
                "ORDER BY as_of DESC LIMIT 1",
                (source, local),
            ).fetchone()
            shown = value(seen, "ticker_rate", pair=f"USD/{local}", source=source)
            assert shown is not None and Decimal(repr(shown)) == Decimal(stored)
        (rows,) = conn.execute("SELECT count(*) FROM observation").fetchone()
    assert sum(by_label(seen, "ticker_rows_stored_total", "provider").values()) == rows
    # The port is free again once the collector has stopped.
    with socket.create_server(("127.0.0.1", int(url.rsplit(":", 1)[1].split("/")[0]))):
        pass


def test_without_prometheus_client_metrics_is_one_line_exit_2(tmp_path: Path) -> None:
    with FeedServer(route).running() as server:
        cfg = write_config(tmp_path, server, tmp_path / "t.db")
        blocked = (
            "import sys\n"
            "sys.modules['prometheus_client'] = None  # as if it were not installed\n"
            "from ticker.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n"
        )
        proc = _start(cfg, tmp_path, "--metrics", "127.0.0.1:0", code=blocked)
        out, err = proc.communicate(timeout=60)
        assert server.seen == []  # nothing was polled
    assert proc.returncode == 2
    assert out == ""
    assert err == (
        "ticker: --metrics needs prometheus-client, which is not installed: "
        "pip install 'ticker[metrics]'\n"
    )
    assert not (tmp_path / "t.db").exists()


def test_a_port_in_use_is_refused_before_any_poll(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken, FeedServer(route).running() as server:
        port = taken.getsockname()[1]
        cfg = write_config(tmp_path, server, tmp_path / "t.db")
        proc = _start(cfg, tmp_path, "--metrics", f"127.0.0.1:{port}")
        _out, err = proc.communicate(timeout=60)
        assert server.seen == []
    assert proc.returncode == 2
    assert (
        err == f"ticker: --metrics 127.0.0.1:{port}: cannot listen there (Address already in use)\n"
    )
    assert not (tmp_path / "t.db").exists()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("9464", ": expected HOST:PORT like 127.0.0.1:9464 or [::1]:9464, got '9464'"),
        (":9464", ": expected HOST:PORT like 127.0.0.1:9464 or [::1]:9464, got ':9464'"),
        ("127.0.0.1:", ": expected HOST:PORT like 127.0.0.1:9464 or [::1]:9464, got '127.0.0.1:'"),
        (
            "127.0.0.1:65536",
            ": expected HOST:PORT like 127.0.0.1:9464 or [::1]:9464, got '127.0.0.1:65536'",
        ),
        (
            "127.0.0.1:-1",
            ": expected HOST:PORT like 127.0.0.1:9464 or [::1]:9464, got '127.0.0.1:-1'",
        ),
        (
            "127.0.0.1:http",
            ": expected HOST:PORT like 127.0.0.1:9464 or [::1]:9464, got '127.0.0.1:http'",
        ),
        ("::1:9464", ": expected HOST:PORT like 127.0.0.1:9464 or [::1]:9464, got '::1:9464'"),
        ("[::1:9464", ": expected HOST:PORT like 127.0.0.1:9464 or [::1]:9464, got '[::1:9464'"),
        (
            "127.0.0.1:٩٤٦٤",
            ": expected HOST:PORT like 127.0.0.1:9464 or [::1]:9464, got '127.0.0.1:٩٤٦٤'",
        ),
        (
            "0x0:9464",
            " 0x0:9464: '0x0' means every interface; write 0.0.0.0:9464 (or [::]:9464) "
            "to listen on all of them",
        ),
        (
            "192.0.2.1:9464",
            " 192.0.2.1:9464: cannot listen there (Cannot assign requested address)",
        ),
    ],
)
def test_a_bad_address_is_one_line_exit_2_before_any_poll(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str, message: str
) -> None:
    with FeedServer(route).running() as server:
        cfg = write_config(tmp_path, server, tmp_path / "t.db")
        code = main(["--config", str(cfg), "collect", "--metrics", given])
        assert server.seen == []
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.startswith(f"ticker: --metrics{message}") and err.count("\n") == 1
    assert not (tmp_path / "t.db").exists()
