"""A rate reported by hand is a current street rate (issue 29): checked against its pair's
current official rate (the local central bank's newest stored fixing, at most a month
old, either way round), from half of it to ten times it; where none is stored, against
the historic band of every rate the currency ever had. Refused in one line naming the
value and the range, exit 2 from the command line; nothing stored."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Observation
from tests.helpers.factories import obs
from ticker.cli import main
from ticker.core.ingest import REPORTED_BAND, report_rate, reported_band
from ticker.errors import UsageError
from ticker.storage.db import Database
from ticker.storage.repository import Repository

D = Decimal
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
DAY = date(2026, 12, 4)


@pytest.fixture
def repo(database: Database) -> Repository:
    return Repository(database)


def fixing(provider: str, base: str, local: str, rate: str, as_of: date = DAY) -> Observation:
    return dataclasses.replace(obs(local, rate, as_of, provider), base=base)


def refusal(repo: Repository, base: str, quote: str, rate: str) -> str:
    with pytest.raises(UsageError) as refused:
        report_rate(repo, base, quote, D(rate), "", NOW)
    return str(refused.value)


def test_the_bounds_are_half_to_ten_times_the_official_rate() -> None:
    # The Turkmen street rate, 18-20 manat per dollar against the 3.50 peg (5-6 times),
    # is well inside; so is a strong local currency a few per cent under its official rate.
    low, high = REPORTED_BAND
    assert low * D("3.5") < D("3.3") and D(20) < high * D("3.5")
    assert (low, high) == (D("0.5"), D(10))


def test_1950_manat_per_dollar_is_refused_against_the_peg(repo: Repository) -> None:
    repo.add_observations([fixing("cbt", "USD", "TMT", "3.5000")])
    assert refusal(repo, "USD", "TMT", "1950") == (
        "USD/TMT 1950 is not a plausible rate (a reported USD/TMT is between 1.75 and 35 TMT "
        "per USD: 0.5 to 10 times CBT's 3.5 of 2026-12-04); nothing was stored"
    )
    assert "between 1.75 and 35" in refusal(repo, "USD", "TMT", "35.01")
    assert "between 1.75 and 35" in refusal(repo, "USD", "TMT", "1.74")
    assert repo.reported_rates() == []
    # At the edges: kept; and the street rate of the reports.
    for rate in ("1.75", "35", "19.5"):
        report_rate(repo, "USD", "TMT", D(rate), "", NOW)
    assert [str(r.rate) for r in repo.reported_rates()] == ["19.5", "35", "1.75"]


def test_the_pair_turned_round_is_checked_against_the_banks_rate_turned_round(
    repo: Repository,
) -> None:
    # NBT publishes RUB/TJS 0.1277: 7.83085... roubles per somoni; the band's edges are
    # rounded outwards to five significant digits, and the value checked against those.
    repo.add_observations([fixing("nbt", "RUB", "TJS", "0.1277")])
    band, why = reported_band(repo, "TJS", "RUB", NOW) or ((D(0), D(0)), "")
    assert band == (D("3.9154"), D("78.309"))
    assert why == ": 0.5 to 10 times NBT's 7.8309 of 2026-12-04"
    assert refusal(repo, "TJS", "RUB", "78.31") == (
        "TJS/RUB 78.31 is not a plausible rate (a reported TJS/RUB is between 3.9154 and "
        "78.309 RUB per TJS: 0.5 to 10 times NBT's 7.8309 of 2026-12-04); nothing was stored"
    )
    assert "between 3.9154 and 78.309" in refusal(repo, "TJS", "RUB", "3.9153")
    report_rate(repo, "TJS", "RUB", D("3.9154"), "", NOW)
    report_rate(repo, "TJS", "RUB", D("78.309"), "", NOW)
    # As NBT writes it: somoni per rouble.
    assert "between 0.06385 and 1.277 TJS per RUB" in refusal(repo, "RUB", "TJS", "1.3")


def test_the_newest_fixing_of_the_local_central_bank_only(repo: Repository) -> None:
    repo.add_observations(
        [
            fixing("nbt", "USD", "TJS", "9.0", DAY - timedelta(days=3)),
            fixing("nbt", "USD", "TJS", "9.3450"),
            fixing("cbr", "USD", "TJS", "50"),  # another source: never the reference
        ]
    )
    assert "between 4.6725 and 93.45 TJS per USD" in refusal(repo, "USD", "TJS", "0.93")


def test_without_a_current_official_rate_the_historic_band(repo: Repository) -> None:
    # CBT's peg stored 32 days ago, and another source's today: neither is the current
    # official rate, so 1950 is within every rate the manat ever had (the old manat).
    repo.add_observations(
        [
            fixing("cbt", "USD", "TMT", "3.5", NOW.date() - timedelta(days=32)),
            fixing("frankfurter", "USD", "TMT", "3.5"),
        ]
    )
    assert reported_band(repo, "USD", "TMT", NOW) == ((D("0.28"), D("150000")), "")
    report_rate(repo, "USD", "TMT", D("1950"), "", NOW)
    assert refusal(repo, "USD", "TMT", "150001") == (
        "USD/TMT 150001 is not a plausible rate (a reported USD/TMT is between 0.28 and "
        "150000 TMT per USD); nothing was stored"
    )
    # A month old exactly: still current.
    repo.add_observations([fixing("cbt", "USD", "TMT", "3.5", NOW.date() - timedelta(days=31))])
    assert "0.5 to 10 times CBT's 3.5" in refusal(repo, "USD", "TMT", "1950")


def test_the_command_refuses_in_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ticker.storage.db import open_database

    url = f"sqlite:///{tmp_path / 't.db'}"
    database = open_database(url)
    try:
        Repository(database).add_observations([fixing("cbt", "USD", "TMT", "3.5000")])
    finally:
        database.dispose()
    monkeypatch.setenv("TICKER_DB_URL", url)
    monkeypatch.setenv("TICKER_NOW", NOW.isoformat())
    assert main(["market", "report", "TMT", "1950", "--note", "Ashgabat, cash"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == (
        "ticker: USD/TMT 1950 is not a plausible rate (a reported USD/TMT is between 1.75 "
        "and 35 TMT per USD: 0.5 to 10 times CBT's 3.5 of 2026-12-04); nothing was stored\n"
    )
    assert main(["market", "report", "TMT", "19.5", "--note", "Ashgabat, cash"]) == 0
    assert "reported #1: USD/TMT 19.5" in capsys.readouterr().out
