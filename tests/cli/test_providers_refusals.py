"""``ticker providers`` when a source refuses many indicators: a summary by reason that
fits the terminal, every one with the source's words under ``-v`` and in ``--json``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from ticker.model.health import HealthState, ProviderHealth
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ERROR_175 = (
    "archived or deleted at the source (World Bank error 175: The indicator was not found. "
    "It may have been deleted or archived.)"
)
#: Five of the configured World Bank indicators, as the store lists them (by code).
REFUSED = [
    "BN.CAB.XOKA.GD.ZS",
    "BX.TRF.PWKR.DT.GD.ZS",
    "FP.CPI.TOTL.ZG",
    "NY.GDP.MKTP.KD.ZG",
    "SL.UEM.TOTL.ZS",
]
IMF_WHY = "the IMF has no values for this indicator"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('refusals') / 't.db'}"
    database = open_database(url)
    repo = Repository(database)
    repo.record_refusals("worldbank", dict.fromkeys(REFUSED, ERROR_175), NOW)
    repo.record_refusals("imf", {"PCPIPCH": IMF_WHY}, NOW)
    database.dispose()
    return {"TICKER_DB_URL": url, "TICKER_NOW": NOW.isoformat()}


def _row(env: dict[str, str], name: str, *args: str, columns: str = "") -> str:
    done = ticker("providers", *args, env={**env, "COLUMNS": columns})
    assert done.returncode == 0, done.stderr
    return next(line for line in done.stdout.splitlines() if line.startswith(f"{name} "))


@pytest.mark.parametrize("columns", [80, 100, 120, 160, 240])
def test_many_refusals_are_summed_up_within_the_terminal(env: dict[str, str], columns: int) -> None:
    row = _row(env, "worldbank", columns=str(columns))
    assert len(row) <= columns, row
    said = row[row.index("refused") :]
    assert said.startswith("refused 5") and said.count("refused") == 1
    assert "World Bank error 175: The indicator was not found" not in row  # said once, -v
    if columns >= 160:
        assert said.startswith("refused 5 indicators (error 175, archived or deleted")
        assert ": BN.CAB.XOKA.GD.ZS, " in said
    if columns < 240:
        assert said.endswith(("…", "indicators", "(error 175)", "refused 5")), said


def test_without_a_terminal_every_code_is_listed_and_the_reason_said_once(
    env: dict[str, str],
) -> None:
    row = _row(env, "worldbank")  # a pipe, no $COLUMNS: nothing to fit
    assert row.endswith(
        f"refused 5 indicators (error 175, archived or deleted at the source): {', '.join(REFUSED)}"
    )
    assert len(row) < 250  # not five times the World Bank's sentence
    # One refused indicator keeps the source's own words.
    assert _row(env, "imf").endswith(f"refused PCPIPCH: {IMF_WHY}")


def test_verbose_and_json_give_every_refusal_with_its_words(env: dict[str, str]) -> None:
    row = _row(env, "worldbank", "-v", columns="80")
    assert row.endswith("; ".join(f"refused {code}: {ERROR_175}" for code in REFUSED))
    done = ticker("providers", "--json", env={**env, "COLUMNS": "80"})
    records = {r["provider"]: r for r in json.loads(done.stdout)["providers"]}
    refused = records["worldbank"]["refused"]
    assert [(r["indicator"], r["reason"]) for r in refused] == [(c, ERROR_175) for c in REFUSED]


def test_a_failing_source_keeps_its_last_error_before_the_summary(
    env: dict[str, str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'f.db'}"
    database = open_database(url)
    repo = Repository(database)
    repo.record_refusals("worldbank", dict.fromkeys(REFUSED, ERROR_175), NOW)
    repo.save_health(ProviderHealth("worldbank", HealthState.FAILING, NOW, None, "timed out", 2))
    database.dispose()
    row = _row({**env, "TICKER_DB_URL": url}, "worldbank", columns="200")
    assert "  timed out; refused 5 indicators (error 175, " in row and len(row) <= 200
