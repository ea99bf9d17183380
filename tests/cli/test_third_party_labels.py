"""A third party's quote is labelled as such on every command-line screen: ``ticker
market`` (words and JSON ``origin``), ``convert --at market``, ``strip --market``, ``alerts
add``/``alerts list`` for a market rule (and the alert's own words), ``export --market``
(its origin column); for each third-party source (kurs-kz, fx-kg, bank-uz). The
dashboard's board, column mark and detail legend: tests/tui/test_market_board.py,
tests/tui/test_market_column.py (and test_third_party_marks below for the column's cell).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.market_quote import Channel, MarketQuote
from tests.helpers.dashboard import NOW, TODAY, repo_for
from tests.helpers.factories import obs
from tests.helpers.seeded import settings_for
from ticker.cli import main

QUOTED = NOW - timedelta(hours=1)
#: source, institution, local currency, buy, sell, city; and the official fixing.
THIRD = [
    ("kurs-kz", "Миг", "KZT", "477.5", "479.5", "Almaty", ("478.0", "nbk")),
    ("fx-kg", "Optima Bank", "KGS", "87.10", "87.60", "", ("87.4", "nbkr")),
    ("bank-uz", "Kapitalbank", "UZS", "12550", "12650", "", ("12600", "cbu")),
]
CODES = [row[2] for row in THIRD]
SOURCES = [row[0] for row in THIRD]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "t.db"
    repo = repo_for(settings_for(db))
    repo.add_observations([obs(code, rate, TODAY, by) for _s, _w, code, *_r, (rate, by) in THIRD])
    quotes = [
        MarketQuote(
            source, who, "USD", code, Channel.CASH, Decimal(b), Decimal(s), QUOTED, NOW, city=city
        )
        for source, who, code, b, s, city, _official in THIRD
    ]
    repo.store_quotes(quotes, {}, Decimal(50))
    repo.close()
    monkeypatch.setenv("TICKER_DB_URL", f"sqlite:///{db}")
    monkeypatch.setenv("TICKER_NOW", NOW.isoformat())
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("TICKER_CONFIG", raising=False)
    return db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.mark.parametrize(("source", "code"), zip(SOURCES, CODES, strict=True))
def test_market_says_third_party_in_words_and_json(
    store: Path, capsys: pytest.CaptureFixture[str], source: str, code: str
) -> None:
    summary = run(capsys, "market", code).splitlines()[0]
    assert summary.endswith("; third party"), summary
    assert f"{source}, third party" in run(capsys, "market", f"USD/{code}")  # the board
    (said,) = json.loads(run(capsys, "market", code, "--json"))
    assert said["origin"] == "third-party"
    assert {q["origin"] for q in said["quotes"]} == {"third-party"}


@pytest.mark.parametrize(("source", "code"), zip(SOURCES, CODES, strict=True))
def test_convert_at_market_says_third_party(
    store: Path, capsys: pytest.CaptureFixture[str], source: str, code: str
) -> None:
    assert f"({source}, third party)" in run(
        capsys, "convert", "100", "USD", code, "--at", "market"
    )
    said = json.loads(run(capsys, "convert", "100", "USD", code, "--at", "market", "--json"))
    assert (said["source"], said["origin"]) == (source, "third-party")


def test_strip_market_marks_a_third_party_s_figures(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = run(capsys, "strip", "--market").strip()
    market = line.split(" | ", 1)[1]
    assert market == (
        "market KGS 87.10/87.60* KZT 477.50/479.50* UZS 12,550.00/12,650.00* (* third party)"
    )


@pytest.mark.parametrize(("source", "code"), zip(SOURCES, CODES, strict=True))
def test_a_market_rule_names_a_third_party_when_added_and_listed(
    store: Path, capsys: pytest.CaptureFixture[str], source: str, code: str
) -> None:
    added = run(capsys, "alerts", "add", f"USD/{code}", "market-sell", "below", "99999")
    assert f"({source}, third party)" in added  # the alert's own words, as it fires
    listed = run(capsys, "alerts", "list")
    row = next(line for line in listed.splitlines() if f"USD/{code}" in line)
    assert f"({source}, third party)" in row


def test_export_market_has_the_origin_column(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(csv.DictReader(io.StringIO(run(capsys, "export", "--market"))))
    assert sorted((r["source"], r["origin"]) for r in rows) == sorted(
        (s, "third-party") for s in SOURCES
    )
