"""A corpus of hostile answers, served by a real local server to a real `ticker poll`.

Each case asserts what was stored (nothing wrong), the exit code, the poll line, the
time taken and the peak memory of the process.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers.e2e import write_config
from tests.helpers.feedserver import RAW, FeedServer, Reply
from tests.helpers.hostile import Run, measured, zeros_gzip
from tests.helpers.scenarios import fixture

#: When erapi's and CBR's recorded answers are current.
NOW = datetime(2026, 5, 23, 3, 0, tzinfo=UTC)
ENV = {"TICKER_NOW": NOW.isoformat()}

#: The issue's bounds: memory of any answer, and the provider's timeout plus a second.
PEAK_MB = 300
TIMEOUT = 3.0

ERAPI = json.loads(fixture("erapi/latest_USD.json"))


def erapi(**changes: object) -> bytes:
    data = {**ERAPI, **changes}
    return json.dumps(data).encode()


def erapi_rates(**rates: object) -> bytes:
    return erapi(rates={**ERAPI["rates"], **rates})


def failed(run: Run, provider: str) -> bool:
    """Whether the poll line of ``provider`` says it failed."""
    return any(line.split()[:2] == [provider, "failed"] for line in run.stdout.splitlines())


Answer = Callable[[str, dict[str, str]], Reply]


class Hostile:
    """One local server; ``answer`` says what the next poll gets."""

    def __init__(self, tmp_path: Path) -> None:
        self.answer: Answer = lambda path, query: (404, b"")
        self.server = FeedServer(lambda provider, path, query: self.answer(path, query))
        self.tmp_path = tmp_path
        self.db = tmp_path / "t.db"

    def poll(self, provider: str, extra: str = "") -> Run:
        timeouts = f'[providers.{provider}]\ntimeout = "{TIMEOUT:g}s"\n'
        cfg = write_config(self.tmp_path, self.server, self.db, extra)
        text = cfg.read_text().replace(f"[providers.{provider}]\n", timeouts, 1)
        cfg.write_text(text)
        run = measured("--config", str(cfg), "poll", "--provider", provider, env=ENV)
        assert "Traceback" not in run.stderr, run.stderr
        assert run.peak_mb < PEAK_MB, run
        return run

    def stored(self) -> list[tuple[str, str, str]]:
        """Every normal observation in the store: (quote, rate, as_of)."""
        return self._rows("SELECT quote, rate, as_of FROM observation")

    def quarantined(self) -> list[str]:
        return [row[0] for row in self._rows("SELECT quote FROM quarantined_observation")]

    def _rows(self, sql: str) -> list[tuple[str, str, str]]:
        if not self.db.exists():
            return []
        with closing(sqlite3.connect(self.db)) as conn:
            return [tuple(str(v) for v in row) for row in conn.execute(sql)]  # type: ignore[misc]


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Hostile]:
    h = Hostile(tmp_path)
    with h.server.running():
        yield h


def test_a_plain_answer_is_stored_as_the_control_case(hostile: Hostile) -> None:
    hostile.answer = lambda path, query: (200, erapi())
    run = hostile.poll("erapi")
    assert run.returncode == 0, run
    assert ("KGS", "87.450123", "2026-05-23") in hostile.stored()


@pytest.mark.parametrize(
    ("stamp", "why"),
    [
        (4102444800, "after 2026-05-24"),  # 2100-01-01
        (0, "before the source's history begins"),  # 1970-01-01
    ],
)
def test_a_fixing_dated_in_the_future_or_in_1970_is_never_stored(
    hostile: Hostile, stamp: int, why: str
) -> None:
    hostile.answer = lambda path, query: (200, erapi(time_last_update_unix=stamp))
    run = hostile.poll("erapi")
    assert run.returncode == 1
    assert failed(run, "erapi") and why in run.stdout
    assert hostile.stored() == []


def test_a_cbr_set_dated_2099_is_refused(hostile: Hostile) -> None:
    body = fixture("cbr/XML_daily_latest_2026-04-25.xml").replace(
        b'Date="25.04.2026"', b'Date="31.12.2099"'
    )
    hostile.answer = lambda path, query: (200, body)
    run = hostile.poll("cbr")
    assert run.returncode == 1 and "2099" in run.stdout
    assert hostile.stored() == []


def test_rates_of_1e30_and_8_7e20_on_an_empty_store_are_quarantined(hostile: Hostile) -> None:
    hostile.answer = lambda path, query: (200, erapi_rates(KGS=1e30, UZS=8.7e20))
    run = hostile.poll("erapi")
    assert "quarantined" in run.stdout
    stored = {quote for quote, _rate, _day in hostile.stored()}
    assert stored == {"KZT", "TJS", "TMT"}
    assert sorted(hostile.quarantined()) == ["KGS", "UZS"]


@pytest.mark.parametrize("layers", [1, 2])
def test_a_decompression_bomb_stays_bounded(hostile: Hostile, layers: int) -> None:
    bomb = zeros_gzip(1024 * 1024 * 1024, layers)  # 1 GB of zeros
    assert len(bomb) < 1_100_000
    coding = ", ".join(["gzip"] * layers)
    hostile.answer = lambda path, query: (200, bomb, {"Content-Encoding": coding})
    run = hostile.poll("erapi")
    assert run.returncode == 1
    expected = "more than one content coding" if layers == 2 else "larger than 5 MB"
    assert expected in run.stdout
    assert run.seconds < TIMEOUT + 5  # the child's start-up included
    assert hostile.stored() == []


def test_a_gzipped_answer_is_read(hostile: Hostile) -> None:
    import gzip

    body = gzip.compress(erapi())
    hostile.answer = lambda path, query: (200, body, {"Content-Encoding": "gzip"})
    assert hostile.poll("erapi").returncode == 0
    assert ("KGS", "87.450123", "2026-05-23") in hostile.stored()


@pytest.mark.parametrize(
    "body",
    [
        b'{"result": "success", "time_last_update_unix": ' + b"9" * 1_000_000 + b"}",
        b'{"rates": {"KGS": 1.' + b"1" * 1_000_000 + b"}}",
        b"[" * 2_000_000,
        b'{"a":' * 1_000_000,
    ],
    ids=["1MB-integer", "1MB-fraction", "2M-deep-array", "1M-deep-object"],
)
def test_monster_json_is_a_response_error_in_no_time(hostile: Hostile, body: bytes) -> None:
    hostile.answer = lambda path, query: (200, body)
    run = hostile.poll("erapi")
    assert run.returncode == 1
    assert failed(run, "erapi")
    assert any(
        word in run.stdout for word in ("digits in JSON", "nested too deeply", "larger than")
    ), run.stdout
    assert "internal error" not in run.stderr
    assert run.seconds < TIMEOUT + 5


def test_deeply_nested_xml_is_a_response_error(hostile: Hostile) -> None:
    body = b"<ValCurs>" + b"<a>" * 400_000 + b"</a>" * 400_000 + b"</ValCurs>"
    hostile.answer = lambda path, query: (200, body)
    run = hostile.poll("cbr")
    assert run.returncode == 1 and "nested more than" in run.stdout
    assert "internal error" not in run.stderr


def test_a_redirect_to_another_host_is_refused_and_not_followed(tmp_path: Path) -> None:
    other = FeedServer(lambda provider, path, query: (200, erapi()))
    with other.running():
        h = Hostile(tmp_path)
        elsewhere = f"http://localhost:{other.port}/erapi/v6/latest/USD"
        h.answer = lambda path, query: (302, b"", {"Location": elsewhere})
        with h.server.running():
            run = h.poll("erapi")
            assert len(h.server.requests_of("erapi")) == 1  # a response error: no retry
    assert run.returncode == 1 and "refused a redirect to another host" in run.stdout
    assert other.requests_of("erapi") == []
    assert h.stored() == []


@pytest.mark.parametrize(
    ("location", "why"),
    [
        ("http://169.254.169.254/latest/meta-data/", "another host"),
        ("ftp://127.0.0.1/rates", "unsupported scheme"),
    ],
)
def test_redirects_off_the_source_are_refused_at_once(
    hostile: Hostile, location: str, why: str
) -> None:
    hostile.answer = lambda path, query: (302, b"", {"Location": location})
    run = hostile.poll("erapi")
    assert run.returncode == 1 and why in run.stdout
    assert len(hostile.server.requests_of("erapi")) == 1
    assert run.seconds < TIMEOUT + 2


def test_a_redirect_on_the_same_host_is_followed(hostile: Hostile) -> None:
    def answer(path: str, query: dict[str, str]) -> Reply:
        if path == "/v6/latest/USD":
            return 301, b"", {"Location": "/erapi/moved"}
        return 200, erapi()

    hostile.answer = answer
    assert hostile.poll("erapi").returncode == 0
    assert hostile.stored()


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n{}", "broke HTTP"),
        (b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n{}", "broke HTTP"),
        (b"HTTP/1.1 999 Whatever\r\nContent-Length: 2\r\n\r\n{}", "not a standard status"),
    ],
    ids=["malformed-length", "oversized-header", "status-999"],
)
def test_protocol_errors_and_unknown_statuses_are_not_retried(
    hostile: Hostile, raw: bytes, why: str
) -> None:
    hostile.answer = lambda path, query: (RAW, raw)
    run = hostile.poll("erapi")
    assert run.returncode == 1 and why in run.stdout, run.stdout
    assert len(hostile.server.requests_of("erapi")) == 1


def test_a_503_with_retry_after_is_retried_after_it(hostile: Hostile) -> None:
    answers: Iterator[Reply] = iter([(503, b"busy", {"Retry-After": "1"}), (200, erapi())])
    hostile.answer = lambda path, query: next(answers)
    run = hostile.poll("erapi")
    assert run.returncode == 0, run.stdout
    seen = hostile.server.requests_of("erapi")
    assert len(seen) == 2
    assert seen[1].started - seen[0].finished >= 0.9
