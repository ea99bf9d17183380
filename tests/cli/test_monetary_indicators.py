"""``ticker indicators`` with the monetary series stored: the monitor first (a row per
country, the source that speaks, why a cell is missing, the real rate), then the annual
table; ``--series``, ``--country`` (ISO3 or ISO2), ``--json``; and ``ticker export
--indicators --revisions``. Run as a user would, on a store filled beforehand; expected
texts written by hand."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import IndicatorValue
from tests.helpers import exact_json
from tests.helpers.cli import ticker
from tests.helpers.dashboard import repo_for
from tests.helpers.seeded import settings_for

AT = datetime(2026, 11, 20, 9, tzinfo=UTC)
LATER = datetime(2026, 11, 27, 9, tzinfo=UTC)


def v(
    source: str,
    code: str,
    country: str,
    period: str,
    value: str | None,
    released: date | None = None,
    at: datetime = AT,
) -> IndicatorValue:
    number = None if value is None else Decimal(value)
    return IndicatorValue(source, code, country, period, number, False, at, released)


@pytest.fixture
def store(tmp_path: Path) -> dict[str, str]:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    repo.store_indicators(
        [
            v("nbk-data", "policy-rate", "KAZ", "2026-08-29", "16.50", date(2026, 8, 29)),
            v("nbk-data", "policy-rate", "KAZ", "2026-10-10", "17.00", date(2026, 10, 10)),
            v("nbk-data", "reserves", "KAZ", "2026-10", "45230.1", date(2026, 11, 7)),
        ]
    )
    repo.store_indicators(
        [
            v("imf-sdmx", "policy-rate", "KGZ", "2026-09", "9.25"),
            v("imf-sdmx", "policy-rate", "KGZ", "2026-10", "9.25"),
            v("imf-sdmx", "policy-rate", "TJK", "2026-10", "8.25"),
            v("imf-sdmx", "cpi-yoy", "KAZ", "2026-10", "12.6"),
            v("imf-sdmx", "cpi-yoy", "KGZ", "2026-10", "7.1"),
            v("imf-sdmx", "cpi-yoy", "TJK", "2026-09", "3.5"),
            v("imf-sdmx", "cpi-yoy", "UZB", "2026-10", "8.4"),
        ]
    )
    # The IMF revises Kazakhstan's October inflation: both values are kept.
    repo.store_indicators([v("imf-sdmx", "cpi-yoy", "KAZ", "2026-10", "12.7", at=LATER)])
    repo.store_indicators(
        [
            v("cbu-policy", "policy-rate", "UZB", "2026-07-24", "14", date(2026, 7, 24)),
            v("cbu-policy", "policy-rate", "UZB", "2026-09-11", "13.5", date(2026, 9, 11)),
        ]
    )
    repo.store_indicators(
        [IndicatorValue("imf", "NGDP_RPCH", "KGZ", "2025", Decimal("9.0"), False, AT)]
    )
    repo.close()
    # After every built-in decision day of 2026 (NBK's last is 4 Dec): no calendar note.
    now = "2026-12-05T06:00:00+00:00"
    return {"TICKER_DB_URL": settings.database_url, "COLUMNS": "80", "TICKER_NOW": now}


MONITOR_80 = """\
Country  Policy rate             CPI y/y       Reserves        Remittances in
KGZ      9.25% Sep 26            7.1% Oct 26   no source       no source
KAZ      17.00% 10 Oct 26 +0.50  12.7% Oct 26  $45.2bn Oct 26  no source
TJK      8.25% Oct 26            3.5% Sep 26   no source       no source
UZB      13.50% 11 Sep 26 -0.50  8.4% Oct 26   no source       no source
TKM      n/a                     n/a           no source       no source
Policy rate: KAZ from nbk-data, UZB from cbu-policy, others from imf-sdmx
CPI y/y: from imf-sdmx
Reserves: KAZ from nbk-data
TKM: no source has published its Policy rate or CPI y/y (asked: imf-sdmx)
KGZ: real rate +2.15% (policy 9.25% minus CPI 7.1% y/y, Oct 2026)
KAZ: real rate +4.30% (policy 17.00% minus CPI 12.7% y/y, Oct 2026)
TJK: real rate +4.75% (policy 8.25% minus CPI 3.5% y/y, Sep 2026)
UZB: real rate +5.10% (policy 13.50% minus CPI 8.4% y/y, Oct 2026)"""


def test_the_monitor_comes_first_and_fits_80_columns_whole(store: dict[str, str]) -> None:
    done = ticker("indicators", env=store)
    assert done.returncode == 0, done.stderr
    monitor, annual = done.stdout.split("\n\n")
    assert monitor == MONITOR_80
    assert max(len(line) for line in monitor.splitlines()) <= 80
    assert annual.splitlines()[0].split() == [
        "Indicator",
        "Source",
        "KGZ",
        "KAZ",
        "TJK",
        "UZB",
        "TKM",
    ]
    growth = next(line for line in annual.splitlines() if line.startswith("Real GDP growth %"))
    assert growth.split()[4:7] == ["imf", "9.0", "(2025)"]


def test_a_wide_terminal_or_a_pipe_gets_the_long_forms(store: dict[str, str]) -> None:
    done = ticker("indicators", "--country", "kz", "--country", "UZ", "--series", "policy,cpi",
                  env={**store, "COLUMNS": ""})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "Country  Policy rate                         CPI y/y\n"
        "KAZ      17.00% since 10 Oct 2026, +0.50 pp  12.7% Oct 2026\n"
        "UZB      13.50% since 11 Sep 2026, -0.50 pp  8.4% Oct 2026\n"
        "Policy rate: KAZ from nbk-data; UZB from cbu-policy\n"
        "CPI y/y: from imf-sdmx\n"
        "KAZ: real rate +4.30% (policy 17.00% minus CPI 12.7% y/y, Oct 2026)\n"
        "UZB: real rate +5.10% (policy 13.50% minus CPI 8.4% y/y, Oct 2026)\n"
    )  # --series alone: no annual table


def test_series_repeated_and_an_indicator_show_both_parts(store: dict[str, str]) -> None:
    done = ticker("indicators", "--country", "TKM", "--series", "reserves", "--series",
                  "remittances-in", "--indicator", "NGDP_RPCH", env=store)  # fmt: skip
    assert done.stdout == (
        "Country  Reserves   Remittances in\n"
        "TKM      no source  no source\n"
        "\n"
        "Indicator          Source  TKM\n"
        "Real GDP growth %  imf     n/a\n"
    )
    only_annual = ticker("indicators", "--indicator", "NGDP_RPCH", env=store).stdout
    assert only_annual.startswith("Indicator ") and "Policy rate" not in only_annual


def test_json_has_the_monetary_series_beside_the_annual_ones(store: dict[str, str]) -> None:
    done = ticker("indicators", "--country", "KZ", "--series", "policy-rate,cpi", "--json",
                  env=store)  # fmt: skip
    assert done.returncode == 0, done.stderr
    document = exact_json.load(done.stdout)
    assert list(document) == ["monetary", "next_decisions"]  # --series alone: no annual
    (kaz,) = document["monetary"]
    policy, prices = kaz["series"]
    assert (policy["source"], policy["frequency"], policy["unit"]) == (
        "nbk-data",
        "day",
        "% a year",
    )
    assert policy["latest"] == {"period": "2026-10-10", "value": "17", "released": "2026-10-10"}
    assert policy["last_decision"] == {"period": "2026-10-10", "value": "17", "change": "0.5"}
    assert [p["value"] for p in policy["points"]] == ["16.5", "17"]
    assert prices["source"] == "imf-sdmx" and prices["last_decision"] is None
    (october,) = prices["points"]
    assert (october["value"], october["previous_value"]) == ("12.7", "12.6")
    assert october["revised_at"] == "2026-11-27T09:00:00Z"
    assert kaz["real_rate"] == {
        "value": "4.3",
        "policy": {"period": "2026-10-10", "value": "17"},
        "inflation": {"period": "2026-10", "value": "12.7"},
    }
    both = exact_json.load(ticker("indicators", "--json", env=store).stdout)
    assert list(both) == ["monetary", "next_decisions", "annual"]
    assert [c["country"] for c in both["monetary"]] == ["KGZ", "KAZ", "TJK", "UZB", "TKM"]
    tkm_policy = both["monetary"][-1]["series"][0]
    assert (tkm_policy["source"], tkm_policy["latest"]) == ("imf-sdmx", None)
    assert {(r["indicator"], r["country"]) for r in both["annual"] if r["latest"]} == {
        ("NGDP_RPCH", "KGZ")
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["indicators", "--series", "policy-rate,gdp"],
            "ticker: --series: expected a series (policy-rate, policy-corridor-low, "
            "policy-corridor-high, cpi-yoy, cpi-mom, cpi-index, reserves, remittances-in, "
            "remittances-out, cpi, inflation, policy, rate, base-rate), got 'gdp'\n",
        ),
        (
            ["indicators", "--country", "RU"],
            "ticker: --country: expected a country: KGZ (KG), KAZ (KZ), TJK (TJ), UZB (UZ), "
            "TKM (TM), got 'RU'\n",
        ),
        (["export", "--revisions"], "ticker: --revisions: goes with --indicators\n"),
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    done = ticker(*args, env={"TICKER_DB_URL": f"sqlite:///{tmp_path / 'none.db'}"})
    assert (done.returncode, done.stderr, done.stdout) == (2, message, "")


def test_nothing_stored_says_which_sources_to_poll(tmp_path: Path) -> None:
    env = {"TICKER_DB_URL": f"sqlite:///{tmp_path / 'none.db'}", "COLUMNS": "80"}
    done = ticker("indicators", "--series", "cpi", env=env)
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == "CPI y/y: from imf-sdmx"
    assert done.stderr == (
        "ticker: no indicators stored yet from imf-sdmx; run 'ticker poll --provider "
        "imf-sdmx' (the collector fetches them on its schedule)\n"
    )


def test_export_every_value_ever_published(store: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    done = ticker("export", "--indicators", "--revisions", "--provider", "imf-sdmx",
                  "--since", "2026-10", "-o", str(target), env=store)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == "6 rows written to " + str(target) + "\n"
    rows = list(csv.DictReader(io.StringIO(target.read_text(), newline="")))
    kaz = [r for r in rows if r["country"] == "KAZ"]
    assert [(r["value"], r["fetched_at"], r["replaced_at"]) for r in kaz] == [
        ("12.6", "2026-11-20T09:00:00.000000Z", "2026-11-27T09:00:00.000000Z"),
        ("12.7", "2026-11-27T09:00:00.000000Z", ""),
    ]
    assert {r["frequency"] for r in rows} == {"month"}
    assert {r["period"] for r in rows} == {"2026-10"}


def test_the_next_decision_known_to_the_calendar_is_said(store: dict[str, str]) -> None:
    """On 1 Oct 2026 NBK's next decision is 23 Oct (its published schedule); CBU's
    known dates ended in April, so nothing is said of it."""
    env = {**store, "TICKER_NOW": "2026-10-01T09:00:00+00:00"}
    done = ticker("indicators", "--series", "policy-rate", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "next NBK decision 23 Oct"
    assert "CBU" not in done.stdout
    doc = json.loads(ticker("indicators", "--series", "policy-rate", "--json", env=env).stdout)
    assert doc["next_decisions"] == {
        "KGZ": None, "KAZ": "2026-10-23", "TJK": None, "UZB": None, "TKM": None,
    }  # fmt: skip
    # Just after midnight in Almaty on the day itself (still the 22nd in UTC).
    env["TICKER_NOW"] = "2026-10-22T19:30:00+00:00"
    done = ticker("indicators", "--series", "policy-rate", "--country", "KZ", env=env)
    assert done.stdout.splitlines()[-1] == "NBK decision today"


ANNUAL_OFF = "[providers.worldbank]\nenabled = false\n[providers.imf]\nenabled = false\n"


def test_with_the_annual_sources_off_a_line_says_so(store: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(ANNUAL_OFF)
    done = ticker("indicators", "--config", str(config), env=store)
    assert (done.returncode, done.stderr) == (0, "")
    monitor, annual = done.stdout.split("\n\n")
    assert monitor.splitlines()[0].startswith("Country  Policy rate")
    assert annual == (
        "annual indicators: worldbank and imf are off "
        "(enabled = true in [providers.worldbank] or [providers.imf])\n"
    )
    done = ticker("indicators", "--indicator", "NY.GDP.MKTP.KD.ZG", "--config", str(config),
                  env=store)  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "ticker: --indicator: no annual indicator source is enabled: worldbank and imf are "
        "off (enabled = true in [providers.worldbank] or [providers.imf])\n"
    )
