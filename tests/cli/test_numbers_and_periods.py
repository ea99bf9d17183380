"""The command line's numbers by the one rule per kind (issue 27: a change has its rate's
decimals; JSON is exact and normalised, the same for a change and its percentage), and
changes over a period: ``rates --change``, ``strip --change``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.core.test_period_changes import nbk_rate, store
from tests.helpers import exact_json
from tests.helpers.cli import ticker
from tests.helpers.dashboard import NOW, repo_for
from tests.helpers.factories import obs
from tests.helpers.seeded import seed, settings_for

ALMATY = timezone(timedelta(hours=5))


@pytest.fixture
def seeded(tmp_path: Path) -> dict[str, str]:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    seed(repo)
    repo.db.dispose()
    return {"TICKER_DB_URL": settings.database_url, "TICKER_NOW": NOW.isoformat()}


@pytest.fixture
def history(tmp_path: Path) -> Iterator[dict[str, str]]:
    """NBK's tenge from 2025 to Tuesday 31 March 2026, NBKR's som from 10 March; the
    clock at noon that day in Almaty, and this machine in Almaty's zone."""
    settings, repo = store(tmp_path, date(2026, 3, 31))
    repo.db.dispose()
    now = datetime(2026, 3, 31, 12, tzinfo=ALMATY)
    yield {
        "TICKER_DB_URL": settings.database_url,
        "TICKER_NOW": now.isoformat(),
        "TZ": "ALMT-5",  # POSIX: five hours east of UTC
    }


def test_a_zero_change_is_the_same_zero_as_its_percentage_in_json(seeded: dict[str, str]) -> None:
    done = ticker("rates", "--json", env=seeded)
    assert done.returncode == 0, done.stderr
    records = {r["pair"]: r for r in exact_json.load(done.stdout)}
    kzt = records["KZT/USD"]  # 1/478.77 both days: no change
    # It was "0.00000000000000000000" beside a change_pct of "0".
    assert (kzt["change"], kzt["change_pct"]) == ("0", "0")
    assert kzt["change_period"] == "1d" and kzt["change_from"] == "2026-11-20"
    assert exact_json.number(kzt["change_from_rate"]) == exact_json.number(kzt["rate"])
    for record in records.values():  # every number exact and normalised
        for key in ("rate", "change", "change_pct", "change_from_rate"):
            text = record[key]
            assert not ("." in text and text.endswith("0")), (key, text)


def test_the_change_column_has_the_decimals_of_its_rate(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    repo.add_observations(
        [obs("KZT", "464.53", date(2026, 11, 19)), obs("KZT", "478.77", date(2026, 11, 20))]
    )
    repo.db.dispose()
    env = {"TICKER_DB_URL": settings.database_url, "TICKER_NOW": NOW.isoformat()}
    out = ticker("rates", "--invert", env=env).stdout
    row = next(line for line in out.splitlines() if line.startswith("USD/KZT"))
    assert row.split()[1:4] == ["478.77", "+14.24", "+3.07%"]  # it said +14


def test_rates_change_over_a_month(history: dict[str, str]) -> None:
    done = ticker("rates", "--invert", "--change", "1m", "--json", env=history)
    assert done.returncode == 0, done.stderr
    records = {r["pair"]: r for r in exact_json.load(done.stdout)}
    kzt = records["USD/KZT"]
    # From Tuesday 31 March: February's 28th was a Saturday, Friday's fixing was in force.
    assert (kzt["change_period"], kzt["change_from"]) == ("1m", "2026-02-27")
    assert exact_json.number(kzt["change_from_rate"]) == nbk_rate(date(2026, 2, 27))
    assert exact_json.number(kzt["change"]) == nbk_rate(date(2026, 3, 31)) - nbk_rate(
        date(2026, 2, 27)
    )
    kgs = records["USD/KGS"]  # a history of three weeks: no month
    assert (kgs["change"], kgs["change_pct"], kgs["change_from"]) == (None, None, None)
    text = ticker("rates", "--invert", "--change", "1m", env=history).stdout.splitlines()
    assert text[0].split()[:6] == ["Pair", "Rate", "Change", "1M", "Chg%", "1M"]
    kgs_row = next(line for line in text if line.startswith("USD/KGS")).split()
    assert kgs_row[2:4] == ["n/a", "n/a"]


def test_strip_change_says_its_period(history: dict[str, str]) -> None:
    done = ticker("strip", "--invert", "--change", "1m", env=history)
    assert done.returncode == 0, done.stderr
    kgs, kzt = done.stdout.strip().split(" • ")
    assert kgs.startswith("USD/KGS = 87.66 n/a 1M NBKR")
    pct = (nbk_rate(date(2026, 3, 31)) / nbk_rate(date(2026, 2, 27)) - 1) * 100
    assert kzt.startswith(f"USD/KZT = 454.54 +{pct:.2f}% 1M NBK")
    # The default is the previous fixing, said as it always was (no period).
    plain = ticker("strip", "--invert", env=history).stdout
    assert plain == "USD/KGS = 87.66 +0.01% NBKR • USD/KZT = 454.54 +0.0022% NBK\n"
    ytd = ticker("strip", "--invert", "--change", "YTD", "--format", "{code} {change} {period}",
                 env=history)  # fmt: skip
    assert ytd.stdout.split(" • ")[1].startswith("KZT +")
    assert ytd.stdout.strip().endswith("YTD")


@pytest.mark.parametrize("command", ["rates", "strip"])
def test_an_unknown_period_is_a_usage_error(seeded: dict[str, str], command: str) -> None:
    done = ticker(command, "--change", "2w", env=seeded)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "ticker: --change: expected one of 1d, 1w, 1m, ytd, 1y, got '2w'"
    )
