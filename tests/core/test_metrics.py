"""The collector's metrics, in process: fed by real rounds against a local feed server,
read over HTTP as Prometheus reads them, compared with what the server saw and the store
holds."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import threading
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from sqlalchemy import text

from tests.helpers.e2e import cbt_route, e2e_clock
from tests.helpers.feedserver import FeedServer, Reply
from tests.helpers.scenarios import LATEST
from tests.helpers.scrape import by_label, scrape, value
from ticker import __version__
from ticker.config import RATE_PROVIDERS, Settings
from ticker.core.collector import Collector
from ticker.core.metrics import build_metrics, serve, start_metrics
from ticker.core.metrics.rates import RateSample, RateWatch, Reading, store_reader
from ticker.core.net import make_client
from ticker.core.registry import build_providers
from ticker.errors import StorageError, UsageError
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

FAILING = "erapi"
#: The official source of each pair (DESIGN.md, section 4), all current at E2E_NOW.
OFFICIAL = {"KGS": "nbkr", "KZT": "nbk", "TJS": "nbt", "UZS": "cbu", "TMT": "cbt"}


def route(provider: str, path: str, query: dict[str, str]) -> Reply:
    if provider == FAILING:
        return 503, b"down for maintenance"
    if provider not in LATEST:
        return 404, b"not here"
    return cbt_route(provider, path, query)


def settings_for(server: FeedServer, db_url: str) -> Settings:
    base = Settings()
    providers = {
        name: dataclasses.replace(base.providers[name], base_url=server.base_url(name))
        for name in RATE_PROVIDERS
    }
    return dataclasses.replace(
        base,
        storage=dataclasses.replace(base.storage, url=db_url),
        providers={**base.providers, **providers},
        # One attempt per round, so that each request the server saw is one round.
        collector=dataclasses.replace(base.collector, retries=1, failing_after=2),
    )


def stored_latest(db_url: str, provider: str, local: str) -> Decimal:
    database = open_database(db_url)
    try:
        with database.engine.connect() as conn:
            rate = conn.execute(
                text(
                    "SELECT rate FROM observation WHERE provider = :p AND base = 'USD' "
                    "AND quote = :q ORDER BY as_of DESC LIMIT 1"
                ),
                {"p": provider, "q": local},
            ).scalar_one()
        return Decimal(rate)
    finally:
        database.dispose()


def stored_rows(db_url: str) -> dict[str, int]:
    database = open_database(db_url)
    try:
        with database.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT provider, count(*) FROM observation GROUP BY provider")
            ).all()
        return {provider: int(n) for provider, n in rows}
    finally:
        database.dispose()


def test_two_rounds_are_counted_as_the_server_saw_them_and_the_rates_are_the_stored_ones(
    db_url: str,
) -> None:
    with FeedServer(route).running() as server:
        settings = settings_for(server, db_url)
        metrics = build_metrics(store_reader(settings, e2e_clock))
        endpoint = serve(metrics.registry, "127.0.0.1", 0)
        database = open_database(db_url)
        try:

            async def main() -> None:
                async with make_client() as client:
                    providers = build_providers(settings, RATE_PROVIDERS, now=e2e_clock)
                    repo = Repository(database)
                    collector = Collector(settings, repo, providers, client, now=e2e_clock)
                    metrics.attach(collector)
                    await collector.poll_all()
                    await collector.poll_all()

            asyncio.run(main())
            assert metrics.rates.settle(timeout=30)
            health = Repository(database).load_health()
            seen = scrape(endpoint.url)
        finally:
            endpoint.close()
            metrics.close()
            database.dispose()
        requests = {name: len(server.requests_of(name)) for name in RATE_PROVIDERS}
        nbkr_daily = [s for s in server.requests_of("nbkr") if s.path == "/XML/daily.xml"]

    ok = by_label(seen, "ticker_polls_total", "provider", outcome="ok")
    failed = by_label(seen, "ticker_polls_total", "provider", outcome="failed")
    # Two rounds each: one request per round for most sources (NBKR asks for its daily
    # and its weekly file, CBT for tomorrow's file and then today's).
    assert ok["nbkr"] == len(nbkr_daily) == 2
    for name in ("nbk", "nbt", "cbu", "cbr", "frankfurter", "currencyapi"):
        assert ok[name] == requests[name] == 2, name
        assert failed[name] == 0
    assert failed[FAILING] == requests[FAILING] == 2 and ok[FAILING] == 0
    assert value(seen, "ticker_consecutive_failures", provider=FAILING) == 2
    assert value(seen, "ticker_provider_failing", provider=FAILING) == 1  # failing_after = 2
    assert value(seen, "ticker_provider_failing", provider="nbk") == 0
    assert value(seen, "ticker_last_success_timestamp_seconds", provider=FAILING) is None
    last = health["nbk"].last_success
    assert last is not None
    assert value(seen, "ticker_last_success_timestamp_seconds", provider="nbk") == pytest.approx(
        last.timestamp(), abs=1e-3
    )
    # New rows: the second round's fixings were already stored, so they add nothing.
    assert by_label(seen, "ticker_rows_stored_total", "provider") == {
        name: float(stored_rows(db_url).get(name, 0)) for name in RATE_PROVIDERS
    }
    assert value(seen, "ticker_round_duration_seconds_count", provider="cbr") == 2
    # The rate shown: the official source's stored fixing, the digits as stored.
    for local, source in OFFICIAL.items():
        shown = value(seen, "ticker_rate", pair=f"USD/{local}", source=source)
        assert shown is not None, local
        assert Decimal(repr(shown)) == stored_latest(db_url, source, local)
        assert value(seen, "ticker_rate_stale", pair=f"USD/{local}", source=source) == 0
    assert value(seen, "ticker_store_available") == 1


def test_each_collector_has_its_own_registry() -> None:
    # Two in one process (a test run builds many): no series is registered twice, and
    # one's counts are not the other's.
    reading = Reading(lambda: (), lambda: None)
    first, second = build_metrics(reading), build_metrics(reading)
    try:
        first.rounds.polls.labels("nbk", "ok").inc()
        one = serve(first.registry, "127.0.0.1", 0)
        two = serve(second.registry, "127.0.0.1", 0)
        try:
            assert value(scrape(one.url), "ticker_polls_total", provider="nbk", outcome="ok") == 1
            assert (
                value(scrape(two.url), "ticker_polls_total", provider="nbk", outcome="ok") is None
            )
        finally:
            one.close()
            two.close()
    finally:
        first.close()
        second.close()


def test_a_port_in_use_is_one_line_and_a_closed_endpoint_frees_its_port() -> None:
    metrics = start_metrics("127.0.0.1", 0, Settings(), e2e_clock)
    assert metrics.server is not None
    port = metrics.server.port
    try:
        with pytest.raises(UsageError) as caught:
            start_metrics("127.0.0.1", port, Settings(), e2e_clock)
        assert str(caught.value) == (
            f"--metrics 127.0.0.1:{port}: cannot listen there (Address already in use)"
        )
    finally:
        metrics.close()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10)
    again = start_metrics("127.0.0.1", port, Settings(), e2e_clock)
    again.close()


def sample(rate: str, source: str = "nbk") -> RateSample:
    return RateSample("USD/KZT", source, Decimal(rate), stale=False)


def test_a_reading_in_progress_holds_up_neither_the_rounds_nor_a_scrape() -> None:
    release = threading.Event()
    answers = [(sample("478.77"),), (sample("479.10"),)]
    reads: list[int] = []

    def read() -> tuple[RateSample, ...]:
        reads.append(1)
        if len(reads) == 2:
            release.wait()  # the store is slow to answer the second reading
        return answers[min(len(reads), 2) - 1]

    watch = RateWatch(Reading(read, lambda: None))
    try:
        watch.request()
        assert watch.settle(timeout=30)
        assert watch.samples == answers[0]
        watch.request()  # returns at once although the reading it starts is stuck
        watch.request()
        shown = [(s.name, s.labels, s.value) for m in watch.collect() for s in m.samples]
        pair = {"pair": "USD/KZT", "source": "nbk"}
        assert ("ticker_rate", pair, 478.77) in shown  # the last reading, meanwhile
        release.set()
        assert watch.settle(timeout=30)
        assert watch.samples == answers[1]
    finally:
        release.set()
        watch.close()


def test_a_store_that_refuses_keeps_the_last_reading_on_show() -> None:
    answers: list[object] = [
        (sample("478.77"),),
        StorageError("database is locked"),
        (sample("12.5", "cbr"),),
    ]
    closed: list[int] = []

    def read() -> tuple[RateSample, ...]:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[return-value]

    watch = RateWatch(Reading(read, lambda: closed.append(1)))
    try:
        for expected in ("478.77", "478.77", "12.5"):
            watch.request()
            assert watch.settle(timeout=30)
            assert [str(s.rate) for s in watch.samples] == [expected]
    finally:
        watch.close()
    assert closed == [1]  # the connection, once, when the watch closed


def test_a_host_that_does_not_resolve_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def unknown(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)  # no name server is asked
    metrics = build_metrics(Reading(lambda: (), lambda: None))
    try:
        with pytest.raises(UsageError) as caught:
            serve(metrics.registry, "metrics.example", 9464)
    finally:
        metrics.close()
    assert str(caught.value) == (
        "--metrics metrics.example:9464: no such address (Name or service not known)"
    )


def test_hostile_requests_get_short_answers_and_the_endpoint_keeps_serving(
    capfd: pytest.CaptureFixture[str],
) -> None:
    metrics = build_metrics(Reading(lambda: (), lambda: None))
    endpoint = serve(metrics.registry, "127.0.0.1", 0)

    def send(data: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", endpoint.port), timeout=10) as conn:
            conn.sendall(data)
            conn.shutdown(socket.SHUT_WR)
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
            return answer

    try:
        assert b" 400 " in send(b"\x00\xff\xfe\r\n\r\n")
        assert send(b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.0 414")
        many = b"GET /metrics HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n"
        assert send(many).startswith(b"HTTP/1.0 431")
        assert send(b"POST /metrics HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 405")
        with socket.create_connection(("127.0.0.1", endpoint.port), timeout=10) as conn:
            conn.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")  # and hangs up unanswered
        answer = send(b"GET /metrics HTTP/1.0\r\n\r\n")
        assert answer.startswith(b"HTTP/1.0 200") and b"Python" not in answer.split(b"\r\n\r\n")[0]
        assert value(scrape(endpoint.url), "ticker_info", version=__version__) == 1
    finally:
        endpoint.close()
        metrics.close()
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")  # nothing printed, no traceback
