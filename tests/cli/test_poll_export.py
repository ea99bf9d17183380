"""`ticker poll` and `ticker export` end to end, against a local feed server."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from decimal import Decimal, localcontext
from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from tests.helpers.e2e import E2E_ENV, cbt_route, write_config
from tests.helpers.factories import obs
from tests.helpers.feedserver import FeedServer
from tests.helpers.scenarios import LATEST
from ticker.config import RATE_PROVIDERS
from ticker.storage.db import open_database
from ticker.storage.repository import Repository


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer(cbt_route).running() as running:
        yield running


def test_poll_every_provider_then_export(tmp_path: Path, server: FeedServer) -> None:
    db = tmp_path / "t.db"
    cfg = write_config(tmp_path, server, db)
    result = ticker("--config", str(cfg), "poll", env=E2E_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(RATE_PROVIDERS)
    assert all(line.split()[1] == "ok" for line in lines)
    nbk = next(line for line in lines if line.startswith("nbk "))
    assert "4 rates as of 2026-05-23 (4 new)" in nbk

    # Each request kept the source's real path and query under the configured prefix.
    nbk_req = server.requests_of("nbk")[0]
    assert nbk_req.path == "/rss/get_rates.cfm" and re.fullmatch(
        r"\d\d\.\d\d\.\d{4}", nbk_req.query["fdate"]
    )
    nbt_req = server.requests_of("nbt")[0]
    assert nbt_req.path == "/en/kurs/export_xml.php" and nbt_req.query["export"] == "xmlout"
    assert server.requests_of("cbr")[0].path == "/scripts/XML_daily.asp"
    assert server.requests_of("frankfurter")[0].query == {
        "base": "USD",
        "quotes": "KGS,KZT,TJS,UZS,TMT",
    }
    assert {s.path for s in server.requests_of("nbkr")} == {"/XML/daily.xml", "/XML/weekly.xml"}
    assert server.requests_of("cbt")[0].headers["User-Agent"].startswith("Mozilla/5.0")
    assert server.requests_of("nbk")[0].headers["User-Agent"].startswith("ticker/")
    for name in RATE_PROVIDERS:  # every provider, under its own path prefix
        paths = {s.path for s in server.requests_of(name)}
        expected = set(LATEST[name].routes)
        assert paths == expected or (name == "cbt" and all(p.startswith("/kurs/") for p in paths))

    again = ticker("--config", str(cfg), "poll", env=E2E_ENV)
    assert again.returncode == 0
    assert all("(0 new)" in line for line in again.stdout.splitlines())

    exported = ticker("--config", str(cfg), "export", env=E2E_ENV)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.reader(io.StringIO(exported.stdout)))
    assert rows[0] == ["as_of", "base", "quote", "rate", "provider", "derived", "fetched_at"]
    data = rows[1:]
    # NBK has no TMT; every other provider has all five; CBU's TMT glitch is quarantined.
    assert len(data) == 4 + 5 * 8 - 1
    assert not [r for r in data if r[4] == "cbu" and r[2] == "TMT"]
    kzt = [r for r in data if r[4] == "nbk" and r[2] == "KZT"]
    assert kzt == [[*kzt[0][:3], "478.77", "nbk", "false", kzt[0][6]]]
    assert kzt[0][0] == "2026-05-23" and kzt[0][6].endswith("Z")
    # Ordered by pair, then date, then provider.
    keys = [(r[1], r[2], r[0], r[4]) for r in data]
    assert keys == sorted(keys)


def test_one_failing_provider_is_exit_1_and_the_rest_is_stored(tmp_path: Path) -> None:
    def failing_cbr(provider: str, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        if provider == "cbr":
            return 503, b"busy"
        return cbt_route(provider, path, query)

    with FeedServer(failing_cbr).running() as srv:
        db = tmp_path / "t.db"
        cfg = write_config(tmp_path, srv, db, extra="[collector]\nretries = 1\n")
        result = ticker(
            "--config", str(cfg), "poll", "--provider", "cbr", "--provider", "nbk", env=E2E_ENV
        )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "cbr          failed  HTTP 503 Service Unavailable (http://127.0.0.1:"
    )
    assert lines[1].startswith("nbk          ok ")
    database = open_database(f"sqlite:///{db}")
    assert Repository(database).count_observations() == 4
    database.dispose()


def test_cbu_tmt_glitch_is_quarantined_and_reported(tmp_path: Path, server: FeedServer) -> None:
    db = tmp_path / "t.db"
    cfg = write_config(tmp_path, server, db)
    result = ticker("--config", str(cfg), "poll", "--provider", "cbu", env=E2E_ENV)
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert line.startswith("cbu          ok      5 rates as of 2026-05-22 (4 new); ")
    database = open_database(f"sqlite:///{db}")
    repo = Repository(database)
    assert repo.history("TMT") == []  # never a normal point
    (held,) = repo.quarantined("TMT")
    assert held.observation.provider == "cbu" and held.previous_rate == Decimal("3.50")
    # Said in the display orientation (TMT/USD by default): the value, the percentage and
    # the peg alike. USD/TMT 3.02...: -13.71% per dollar is +15.89% in dollars per manat.
    per_usd = held.observation.rate
    assert per_usd.quantize(Decimal("0.01")) == Decimal("3.02")
    with localcontext(prec=30):
        shown = f"{1 / per_usd:.5g}"
        off = f"{(Decimal('3.50') / per_usd - 1) * 100:+.2f}%"
    assert off == "+15.89%"
    assert (
        f"quarantined TMT/USD {shown}: {off} off the official peg of 1/3.50 = 0.28571 "
        "(more than the 2% allowed) (fixing of 2026-05-22)"
    ) in line
    inverted = write_config(tmp_path, server, db, '[display]\norientation = "per-usd"\n')
    again = ticker("--config", str(inverted), "poll", "--provider", "cbu", env=E2E_ENV)
    # per-usd: 3.0200747 against 3.50 per dollar, -13.71%
    assert (
        "quarantined USD/TMT 3.0201: -13.71% off the official peg of 3.50 "
        "(more than the 2% allowed) (fixing of 2026-05-22)"
    ) in again.stdout
    assert {o.quote for o in repo.latest_per_provider(["KGS", "KZT", "TJS", "UZS"], ["cbu"])} == {
        "KGS",
        "KZT",
        "TJS",
        "UZS",
    }
    database.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pair", "RUB"], "--pair: expected one of KGS, KZT, TJS, UZS, TMT"),
        (["--provider", "ecb"], "--provider: expected one of nbkr, "),
        (["--provider", "worldbank"], "(an indicators source)"),
        (
            ["--since", "yesterday"],
            "--since: expected a date like 2026-01-31, a month like 2026-01, a year "
            "like 2024, or a span back from today like 30d, 8w, 6m or 2y, got 'yesterday'",
        ),
        (
            ["--since", "2026-05-02", "--until", "2026-05-01"],
            "--since 2026-05-02 is after --until 2026-05-01",
        ),
    ],
)
def test_export_bad_input_is_exit_2(args: list[str], message: str) -> None:
    result = ticker("export", *args)
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_export_to_a_file_is_atomic_and_refuses_to_overwrite(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    Repository(database).add_observations([obs(), obs(quote="UZS", rate="12050.47")])
    database.dispose()
    env = {"TICKER_DB_URL": f"sqlite:///{db}"}
    out = tmp_path / "rates.csv"
    result = ticker("export", "--pair", "KZT", "-o", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"1 row written to {out}\n"
    assert out.read_text().splitlines()[1].split(",")[3] == "478.77"
    assert out.read_bytes().count(b"\r\n") == 2  # RFC 4180 line ends
    again = ticker("export", "-o", str(out), env=env)
    assert again.returncode == 2 and "already exists; use --force" in again.stderr
    assert len(out.read_text().splitlines()) == 2  # untouched
    forced = ticker("export", "-o", str(out), "--force", env=env)
    assert forced.returncode == 0 and len(out.read_text().splitlines()) == 3
    missing = ticker("export", "-o", str(tmp_path / "nope" / "x.csv"), env=env)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_export_rates_round_trip_exactly(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    stored = [
        obs("KZT", "478.77"),
        obs("KGS", "87.4500", provider="nbkr"),
        obs("UZS", "12182.442748091603053", provider="nbk", derived=True),
    ]
    Repository(database).add_observations(stored)
    database.dispose()
    result = ticker("export", env={"TICKER_DB_URL": f"sqlite:///{db}"})
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    got = {(r["quote"], r["provider"]): Decimal(r["rate"]) for r in rows}
    assert got == {(o.quote, o.provider): o.rate for o in stored}
    assert {r["rate"] for r in rows} == {"478.77", "87.4500", "12182.442748091603053"}
