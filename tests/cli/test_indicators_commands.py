"""Indicators end to end: polled from local servers answering like the World Bank and the
IMF, then read back with `ticker indicators` and `ticker export --indicators`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers import exact_json
from tests.helpers.cli import ticker
from tests.helpers.feedserver import FeedServer
from tests.helpers.paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "indicators"
YEAR = datetime.now(UTC).year  # the commands judge forecasts by the real clock


class Sources:
    """What the fake World Bank and IMF answer; ``kgz_2024`` can be revised, and the gold
    reserves series un-archived."""

    def __init__(self) -> None:
        self.kgz_2024 = "5.0"
        self.gold_archived = True

    def route(self, provider: str, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        if provider == "worldbank":
            if path.endswith("/FI.RES.GOLD.CD") and self.gold_archived:
                return 200, (FIXTURES / "worldbank_error_175.json").read_bytes()
            if path.endswith("/FP.CPI.TOTL.ZG"):
                body = (FIXTURES / f"worldbank_cpi_p{query['page']}.json").read_bytes()
                return 200, body.replace(b'"value": 5.0,', f'"value": {self.kgz_2024},'.encode())
            return 200, (FIXTURES / "worldbank_empty.json").read_bytes()
        if provider == "imf":
            name = "imf_ngdp_rpch.json" if "/NGDP_RPCH/" in path else "imf_unknown.json"
            return 200, (FIXTURES / name).read_bytes()
        return 404, b"not here"


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Path, Sources]]:
    sources = Sources()
    with FeedServer(sources.route).running() as server:
        cfg = tmp_path / "config.toml"
        cfg.write_text(
            f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
            f'[providers.worldbank]\nbase_url = "{server.base_url("worldbank")}"\n'
            'indicators = ["FP.CPI.TOTL.ZG", "FI.RES.GOLD.CD"]\n'
            f'[providers.imf]\nbase_url = "{server.base_url("imf")}"\n'
            'indicators = ["NGDP_RPCH", "NOPE"]\n'
        )
        yield cfg, sources


def poll(cfg: Path) -> list[str]:
    result = ticker("--config", str(cfg), "poll", "--provider", "worldbank", "--provider", "imf")
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def test_poll_stores_indicators_and_reports_each_refused_one(setup: tuple[Path, Sources]) -> None:
    cfg, _ = setup
    worldbank, imf = poll(cfg)
    assert worldbank.split()[:2] == ["worldbank", "ok"]
    assert "12 indicator values (12 new, 0 revised)" in worldbank
    assert "FI.RES.GOLD.CD: archived or deleted at the source (World Bank error 175" in worldbank
    assert imf.split()[:2] == ["imf", "ok"]
    assert "NOPE: the IMF has no values for this indicator" in imf
    assert poll(cfg)[0].count("(0 new, 0 revised)") == 1  # polled again: nothing new


def test_the_table_shows_the_latest_actual_value_and_its_year(setup: tuple[Path, Sources]) -> None:
    cfg, _ = setup
    poll(cfg)
    result = ticker("--config", str(cfg), "indicators")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # The monetary monitor comes first (nothing of it polled here), the annual table after.
    assert lines[0].split()[:3] == ["Country", "Policy", "rate"]
    lines = lines[lines.index("") + 1 :]
    assert lines[0].split() == ["Indicator", "Source", "KGZ", "KAZ", "TJK", "UZB", "TKM"]
    cpi = next(line for line in lines if line.startswith("Inflation, CPI %"))
    assert cpi.split()[3:] == [
        "worldbank",
        "5.0",
        "(2024)",
        "8.7",
        "(2024)",
        "3.8",
        "(2024)",
        "n/a",
        "n/a",
    ]
    gold = next(
        line for line in lines if line.startswith("Total reserves") or "FI.RES.GOLD.CD" in line
    )
    assert gold.split()[-5:] == ["refused"] * 5  # archived: listed, refused, nothing stored
    assert lines[-2:] == [
        "FI.RES.GOLD.CD refused by worldbank: archived or deleted at the source (World Bank "
        "error 175: The indicator was not found. It may have been deleted or archived.)",
        "NOPE refused by imf: the IMF has no values for this indicator",
    ]
    growth = next(line for line in lines if line.startswith("Real GDP growth %"))
    imf = json.loads((FIXTURES / "imf_ngdp_rpch.json").read_text())["values"]["NGDP_RPCH"]
    actual_kgz = max(int(y) for y in imf["KGZ"] if int(y) < YEAR)
    assert f"({actual_kgz})" in growth  # never a forecast year


def test_json_marks_forecasts_and_keeps_revisions(setup: tuple[Path, Sources]) -> None:
    cfg, sources = setup
    poll(cfg)
    sources.kgz_2024 = "5.4"  # the World Bank revises Kyrgyzstan's 2024 inflation
    assert "(0 new, 1 revised)" in poll(cfg)[0]
    out = ticker("--config", str(cfg), "indicators", "--json", "--country", "kgz").stdout
    records = {(r["source"], r["indicator"]): r for r in exact_json.load(out)["annual"]}
    assert {r["country"] for r in records.values()} == {"KGZ"}
    cpi = records[("worldbank", "FP.CPI.TOTL.ZG")]
    y2024 = next(y for y in cpi["years"] if y["year"] == 2024)
    # exact, normalised: the World Bank's 5.0 is 5 (issue 27: one JSON form)
    assert (y2024["value"], y2024["previous_value"]) == ("5.4", "5")
    assert y2024["revised_at"].endswith("Z")
    assert cpi["latest"] == {"year": 2024, "value": "5.4"}
    growth = records[("imf", "NGDP_RPCH")]
    assert {y["year"]: y["forecast"] for y in growth["years"]} == {
        y: y >= YEAR for y in range(2021, 2029)
    }
    assert '"value": "5.4",' in out  # exact digits, a string (README: JSON output)


def test_export_indicators(setup: tuple[Path, Sources]) -> None:
    cfg, _ = setup
    poll(cfg)
    result = ticker("--config", str(cfg), "export", "--indicators", "--since", "2024-01-01")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert list(rows[0]) == [
        "source", "indicator", "country", "period", "value", "is_forecast", "fetched_at",
        "previous_value", "revised_at", "frequency", "released",
    ]  # fmt: skip
    assert {r["frequency"] for r in rows} == {"year"} and {r["released"] for r in rows} == {""}
    assert all(int(r["period"]) >= 2024 for r in rows)
    tkm = next(r for r in rows if r["country"] == "TKM" and r["indicator"] == "FP.CPI.TOTL.ZG")
    assert tkm["value"] == ""  # missing, never 0
    forecasts = {r["period"] for r in rows if r["is_forecast"] == "true"}
    assert forecasts and all(int(p) >= YEAR for p in forecasts)
    only_imf = ticker("--config", str(cfg), "export", "--indicators", "--provider", "imf").stdout
    assert {line.split(",")[0] for line in only_imf.splitlines()[1:]} == {"imf"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["indicators", "--country", "RUS"],
            "--country: expected a country: KGZ (KG), KAZ (KZ), TJK (TJ), UZB (UZ), TKM (TM), "
            "got 'RUS'",
        ),
        (
            ["indicators", "--indicator", "SP.POP.TOTL"],
            "--indicator: expected one of the configured",
        ),
        (["export", "--indicators", "--wide"], "--indicators: --wide is for rates, not indicators"),
        (
            ["export", "--indicators", "--provider", "nbk"],
            # The monetary sources are indicators sources too (issue 30).
            "--provider: expected one of nbk-data, imf-sdmx, cbu-stavka, cbu-policy, siat, "
            "worldbank, imf",
        ),
        (["export", "--provider", "imf"], "got 'imf' (an indicators source)"),
    ],
)
def test_bad_indicator_input_is_one_line_exit_2(args: list[str], message: str) -> None:
    result = ticker(*args)
    assert result.returncode == 2 and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_nothing_stored_yet_says_how_to_get_indicators(tmp_path: Path) -> None:
    result = ticker("indicators", env={"TICKER_DB_URL": f"sqlite:///{tmp_path / 'none.db'}"})
    assert result.returncode == 1
    assert "n/a" in result.stdout and "ticker poll --provider worldbank" in result.stderr


ERROR_175 = (
    "archived or deleted at the source (World Bank error 175: The indicator was not found. "
    "It may have been deleted or archived.)"
)


def test_a_refused_indicator_is_said_by_providers_until_it_is_served_again(
    setup: tuple[Path, Sources],
) -> None:
    cfg, sources = setup
    poll(cfg)
    table = ticker("--config", str(cfg), "providers").stdout.splitlines()
    worldbank = next(line for line in table if line.startswith("worldbank "))
    assert worldbank.split()[1] == "ok"
    assert worldbank.endswith(f"refused FI.RES.GOLD.CD: {ERROR_175}")
    imf = next(line for line in table if line.startswith("imf "))
    assert "refused NOPE: the IMF has no values for this indicator" in imf
    records = {
        r["provider"]: r
        for r in exact_json.load(ticker("--config", str(cfg), "providers", "--json").stdout)[
            "providers"
        ]
    }
    (refusal,) = records["worldbank"]["refused"]
    assert (refusal["indicator"], refusal["reason"]) == ("FI.RES.GOLD.CD", ERROR_175)
    assert refusal["refused_at"].endswith("Z") and records["nbk"]["refused"] == []
    series = exact_json.load(ticker("--config", str(cfg), "indicators", "--json").stdout)["annual"]
    gold = {s["refused"] for s in series if s["indicator"] == "FI.RES.GOLD.CD"}
    assert gold == {ERROR_175}
    assert {s["refused"] for s in series if s["indicator"] == "FP.CPI.TOTL.ZG"} == {None}
    # The World Bank serves the series again (an empty page here): refused no longer.
    sources.gold_archived = False
    poll(cfg)
    again = ticker("--config", str(cfg), "providers", "--json").stdout
    assert {r["provider"]: r for r in exact_json.load(again)["providers"]}["worldbank"][
        "refused"
    ] == []
    lines = ticker("--config", str(cfg), "indicators").stdout.splitlines()
    row = next(line for line in lines if line.startswith("FI.RES.GOLD.CD "))
    assert row.split()[-5:] == ["n/a"] * 5  # served, with nothing in it: not refused
    assert not any(line.startswith("FI.RES.GOLD.CD refused") for line in lines)
