"""Every ``--json`` output follows the one rule the README states ("JSON output"): a
rate, change, percentage, amount, threshold or indicator value is a string with the
exact decimal, plain notation; a JSON number is only ever an integer."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest

from providers.base import IndicatorValue
from tests.helpers import exact_json
from tests.helpers.cli import ticker
from tests.helpers.dashboard import NOW, repo_for
from tests.helpers.seeded import seed, settings_for
from ticker.model.pairs import Pair
from ticker.model.records import NewEvent, RuleState
from ticker.model.rules import AlertKind, AlertRuleConfig

#: Every command with a --json flag, and the fields of its records that are decimals.
COMMANDS: list[tuple[list[str], set[str]]] = [
    (["rates", "--json"], {"rate", "change", "change_pct", "divergence_pct", "precision_pct"}),
    (["rates", "--json", "--invert"], {"rate", "change", "change_pct", "divergence_pct"}),
    (["convert", "1000000", "UZS", "TMT", "--json"], {"amount", "result", "rate"}),
    (["providers", "--json"], set()),
    (["indicators", "--json"], {"value", "previous_value", "change"}),
    (["alerts", "list", "--json"], {"value", "percent", "hysteresis"}),
    (["alerts", "history", "--json"], {"rate"}),
]


@pytest.fixture
def store(tmp_path: Path) -> dict[str, str]:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    seed(repo)
    # Tiny and long decimals, which a JSON reader given numbers would turn into floats
    # with an exponent (1E-5, 1/12194.21).
    tiny = AlertRuleConfig(Pair("UZS", "USD"), AlertKind.ABOVE, Decimal("1E-5"))
    repo.add_alert_rule(tiny, "cli", NOW)
    rule_id = repo.add_alert_rule(
        AlertRuleConfig(Pair("USD", "KZT"), AlertKind.MOVE, percent=Decimal("2.5"),
                        window=timedelta(days=7)),
        "cli", NOW,
    )  # fmt: skip
    event = NewEvent(None, "UZS/USD", Decimal(1) / Decimal("12194.21"), "test firing")
    repo.apply_alert(rule_id, lambda state, muted: (RuleState(False, NOW, None), event), NOW)
    repo.store_indicators(
        [
            IndicatorValue(
                "worldbank", "FP.CPI.TOTL.ZG", "KGZ", "2024", Decimal("5.4"), False, NOW
            ),
            IndicatorValue("worldbank", "FP.CPI.TOTL.ZG", "KGZ", "2023", None, False, NOW),
            IndicatorValue("imf", "NGDP_RPCH", "KGZ", "2025", Decimal("1E-7"), True, NOW),
            # A monetary series: its last decision's change is a decimal too.
            IndicatorValue(
                "nbk-data", "policy-rate", "KAZ", "2026-10-10", Decimal("16.50"), False, NOW
            ),
            IndicatorValue(
                "nbk-data", "policy-rate", "KAZ", "2026-11-14", Decimal("1E-7"), False, NOW
            ),
        ]
    )
    repo.close()
    return {"TICKER_DB_URL": settings.database_url, "TICKER_NOW": NOW.isoformat()}


def _walk(value: Any, key: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in _walk(v, k)]
    if isinstance(value, list):
        return [pair for v in value for pair in _walk(v, key)]
    return [(key, value)]


@pytest.mark.parametrize(("args", "decimals"), COMMANDS, ids=[" ".join(a) for a, _ in COMMANDS])
def test_every_json_output_keeps_decimals_as_exact_strings(
    store: dict[str, str], args: list[str], decimals: set[str]
) -> None:
    done = ticker(*args, env=store)
    assert done.returncode in (0, 1), done.stderr
    parsed = exact_json.load(done.stdout)  # fails on any number with a fraction/exponent
    assert parsed, "the command printed no records"
    leaves = _walk(parsed)
    seen = {key for key, value in leaves if key in decimals and value is not None}
    assert seen or not decimals, f"no decimal field of {sorted(decimals)} was there to check"
    for key, value in leaves:
        assert not isinstance(value, float), (key, value)
        if key in decimals and value is not None:
            exact_json.number(value)  # a plain decimal string


def test_a_long_cross_is_every_digit_and_no_exponent(store: dict[str, str]) -> None:
    records = exact_json.load(ticker("rates", "--json", env=store).stdout)
    uzs = next(r for r in records if r["pair"] == "UZS/USD")
    with localcontext(prec=20):
        expected = Decimal(1) / Decimal("12194.21")
    assert uzs["rate"] == format(expected, "f")  # 0.000082005... (20 digits), never 8.2E-05
    assert uzs["rate"].startswith("0.0000820")
    (event,) = exact_json.load(ticker("alerts", "history", "--json", env=store).stdout)
    assert Decimal(event["rate"]) == Decimal(1) / Decimal("12194.21")
    rules = exact_json.load(ticker("alerts", "list", "--json", env=store).stdout)
    assert [r["value"] for r in rules if r["kind"] == "above"] == ["0.00001"]
    values = exact_json.load(ticker("indicators", "--json", env=store).stdout)["annual"]
    growth = next(s for s in values if s["indicator"] == "NGDP_RPCH" and s["country"] == "KGZ")
    assert [y["value"] for y in growth["years"] if y["year"] == 2025] == ["0.0000001"]
