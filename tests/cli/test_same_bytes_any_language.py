"""CSV and JSON are for programs: the same bytes whatever the user's language, locale and
zone. Every command that writes them is run in English, under ``LANG=ru_RU.UTF-8``, on a
machine at ``TZ=Asia/Bishkek``, and with ``[display] language = "ru"`` and ``timezone =
"Asia/Bishkek"``, and its output compared byte for byte."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest

from providers.base import IndicatorValue
from providers.market_quote import Channel, MarketQuote
from tests.helpers.cli import ticker
from tests.helpers.dashboard import NOW, repo_for
from tests.helpers.seeded import seed, settings_for
from ticker.model.pairs import Pair
from ticker.model.records import NewEvent, RuleState
from ticker.model.rules import AlertKind, AlertRuleConfig

#: Every command whose output is CSV or JSON (export writes CSV to stdout).
COMMANDS: list[list[str]] = [
    ["rates", "--json"],
    ["rates", "--json", "--invert", "--change", "1w"],
    ["convert", "10000", "USD", "KZT", "--json"],
    ["convert", "1000000", "UZS", "TMT", "--json"],
    ["convert", "100", "USD", "TJS", "--at", "market", "--json"],
    ["providers", "--json"],
    ["health", "--json"],
    ["indicators", "--json"],
    ["alerts", "list", "--json"],
    ["alerts", "history", "--json"],
    ["market", "--json"],
    ["market", "USD/TJS", "--side", "buy", "--json"],
    ["market", "reported", "--json"],
    ["export"],
    ["export", "--best", "--since", "2026-11-01"],
    ["export", "--wide", "--sources", "--orientation", "usd-per"],
    ["export", "--indicators", "--revisions"],
    ["export", "--market"],
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("same-bytes")
    settings = settings_for(folder / "t.db")
    repo = repo_for(settings)
    seed(repo)
    rule_id = repo.add_alert_rule(
        AlertRuleConfig(Pair("USD", "KZT"), AlertKind.MOVE, percent=Decimal("2.5"),
                        window=timedelta(days=7), cooldown=timedelta(hours=1)),
        "cli", NOW,
    )  # fmt: skip
    repo.add_alert_rule(
        AlertRuleConfig(Pair("UZS", "USD"), AlertKind.ABOVE, Decimal("0.0000821")), "cli", NOW
    )
    event = NewEvent(None, "USD/KZT", Decimal("478.77"), "#1 USD/KZT move 2.5%: 478.77")
    fired = NOW - timedelta(minutes=7)
    repo.apply_alert(rule_id, lambda state, muted: (RuleState(False, fired, None), event), fired)
    quoted = NOW - timedelta(hours=1)
    board = [
        MarketQuote("nbt-banks", who, "USD", "TJS", Channel.CASH, Decimal(b), Decimal(s),
                    quoted, NOW)
        for who, b, s in (("Alif Bank", "10.85", "10.95"), ("Eskhata", "10.80", "10.92"))
    ]  # fmt: skip
    repo.store_quotes(board, {}, Decimal(50))
    repo.store_indicators(
        [
            IndicatorValue("worldbank", "FP.CPI.TOTL.ZG", "KGZ", "2024", Decimal("5.4"), False,
                           NOW),
            IndicatorValue("imf", "NGDP_RPCH", "KGZ", "2025", Decimal("1E-7"), True, NOW),
            IndicatorValue("nbk-data", "policy-rate", "KAZ", "2026-10-10", Decimal("16.50"),
                           False, NOW),
            IndicatorValue("nbk-data", "policy-rate", "KAZ", "2026-11-14", Decimal("16.00"),
                           False, NOW),
        ]
    )  # fmt: skip
    repo.close()
    env = {"TICKER_DB_URL": settings.database_url, "TICKER_NOW": NOW.isoformat()}
    reported = ticker("market", "report", "TMT", "19.5", "--note", "Ashgabat", env=env)
    assert reported.returncode == 0, reported.stderr
    config = folder / "config.toml"
    config.write_text('[display]\nlanguage = "ru"\ntimezone = "Asia/Bishkek"\n')
    return {**env, "CONFIG": str(config)}


def _run(store: dict[str, str], args: list[str], way: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in store.items() if k != "CONFIG"}
    config: list[str] = []
    if way == "LANG=ru_RU.UTF-8":
        env["LANG"] = "ru_RU.UTF-8"
    elif way == "TZ=Asia/Bishkek":
        env.update(TZ="Asia/Bishkek", LC_ALL="ru_RU.UTF-8")
    elif way == "[display] ru, Asia/Bishkek":
        config = ["--config", store["CONFIG"]]
    return ticker(*config, *args, env=env)


WAYS = ["LANG=ru_RU.UTF-8", "TZ=Asia/Bishkek", "[display] ru, Asia/Bishkek"]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_csv_and_json_are_the_same_bytes_in_every_language(
    store: dict[str, str], args: list[str]
) -> None:
    english = _run(store, args, "English")
    assert english.returncode in (0, 1), english.stderr
    assert english.stdout.strip(), "the command wrote nothing to compare"
    for way in WAYS:
        other = _run(store, args, way)
        assert other.returncode == english.returncode, (way, other.stderr)
        assert other.stdout.encode() == english.stdout.encode(), way
