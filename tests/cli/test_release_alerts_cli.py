"""``ticker alerts`` on release rules: ``add KZ policy-rate changed``, ``add UZ cpi above
10``, listed, edited, fired into the history, and refused in one line when mistyped."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import IndicatorValue
from ticker import cli
from ticker.config import load_settings
from ticker.core.alerts.evaluate import evaluate_rules
from ticker.storage.db import open_database
from ticker.storage.repository import Repository


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def decision(day: str, rate: str) -> IndicatorValue:
    return IndicatorValue(
        "nbk-data", "policy-rate", "KAZ", day, Decimal(rate), False, datetime.now(UTC),
        date.fromisoformat(day),
    )  # fmt: skip


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
        '[[alerts]]\ncountry = "KG"\nkind = "release"\nseries = "policy-rate"\n'
    )
    return path


def store(cfg: Path, *values: IndicatorValue) -> None:
    database = open_database(load_settings(str(cfg)).storage.url)
    try:
        Repository(database).store_indicators(list(values))
    finally:
        database.dispose()


def test_release_rules_are_added_listed_edited_and_fired(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = ("--config", str(cfg))
    store(cfg, decision("2020-07-27", "9.00"), decision("2020-09-07", "9.00"))
    code, out, _ = run(capsys, "alerts", "add", "KZ", "policy-rate", "changed", *c)
    assert code == 0
    assert out == (
        "added alert #2: KAZ policy-rate changed (armed; waits for the next value; the "
        "latest: NBK policy rate held at 9.00% on 07 Sep 2020)\n"
    )
    code, out, _ = run(capsys, "alerts", "add", "UZ", "cpi", "above", "10", "--label", "hot", *c)
    assert (code, out) == (
        0,
        'added alert #3: UZB cpi-yoy above 10 "hot" (cpi-yoy in % y/y: 10 = 10.0%; armed)\n',
    )
    code, out, _ = run(capsys, "alerts", "list", *c)
    assert out.splitlines() == [
        "ID  Subject  Condition            State  Channels    From    Label",
        " 1  KGZ      policy-rate changed  armed  toast,bell  config  -",
        " 2  KAZ      policy-rate changed  armed  toast,bell  cli     -",
        " 3  UZB      cpi-yoy above 10     armed  toast,bell  cli     hot",
    ]
    records = json.loads(run(capsys, "alerts", "list", "--json", *c)[1])
    assert [(r["pair"], r["country"], r["series"], r["kind"], r["direction"], r["value"])
            for r in records[1:]] == [
        ("KAZ", "KAZ", "policy-rate", "release", "changed", None),
        ("UZB", "UZB", "cpi-yoy", "release", "above", "10"),
    ]  # fmt: skip
    code, out, _ = run(capsys, "alerts", "edit", "3", "--threshold", "12", *c)
    assert (code, out) == (0, 'edited alert #3: UZB cpi-yoy above 12 "hot" (armed)\n')
    # The next decision: one firing, in the history.
    store(cfg, decision("2020-10-12", "9.50"))
    settings = load_settings(str(cfg))
    database = open_database(settings.storage.url)
    try:
        repo = Repository(database)
        (firing,) = evaluate_rules(repo, settings, datetime.now(UTC))
        assert evaluate_rules(repo, settings, datetime.now(UTC)) == []
    finally:
        database.dispose()
    assert firing.stored.id == 2
    code, out, _ = run(capsys, "alerts", "history", "--json", *c)
    (event,) = json.loads(out)
    assert (event["rule_id"], event["pair"], event["rate"], event["provider"]) == (
        2, "KAZ", "9.5", None,
    )  # fmt: skip
    assert event["message"] == (
        "#2 KAZ policy-rate changed: NBK policy rate 9.50% from 12 Oct 2020 (+0.50 pp)"
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("XX", "cpi", "changed"), "COUNTRY: expected a country: KGZ (KG), KAZ (KZ), TJK (TJ), "
         'UZB (UZ), TKM (TM), got "XX"'),
        (("UZ", "cpi", "above"), "LEVEL: expected a level after 'above' (COUNTRY SERIES "
         "changed, or COUNTRY SERIES above|below LEVEL: 'KZ policy-rate changed', 'UZ cpi "
         "above 10')"),
        (("UZ", "cpi", "sideways"), 'THRESHOLD: expected changed, above, below after the '
         'series, got "sideways"'),
        (("KZ", "policy-rate", "changed", "3"), "LEVEL: nothing after 'changed' (every new "
         'value fires), got "3"'),
        (("KZ", "release", "cpi"), "KIND: a release rule is written COUNTRY SERIES changed"),
        (("KZ", "cpi", "changed", "--direction", "up"), "--direction: a release rule's is the "
         "word after the series: changed"),
        (("KZ", "cpi", "below", "lots"), 'LEVEL: expected a number from -1000000000 to '
         '1000000000, got "lots"'),
        (("UZ", "gdp", "above", "10"), "SERIES: expected a series (policy-rate, "
         "policy-corridor-low, policy-corridor-high, cpi-yoy, cpi-mom, cpi-index, reserves, "
         "remittances-in, remittances-out, cpi, inflation, policy, rate, base-rate), got 'gdp'"),
        (("KZT", "gdp", "1"), "KIND: expected one of above, below, change, move, stale, "
         'divergence, market-sell, market-buy, release, got "gdp"'),  # no country: a pair's
        (("KZ", "cpi", "above", "1", "--window", "7d"), "--window: not for a release rule"),
        (("KZ", "cpi", "above", "1", "--hysteresis", "1"),
         "--hysteresis: not for a release rule"),
    ],
)  # fmt: skip
def test_a_mistyped_release_rule_is_one_line_exit_2(
    args: tuple[str, ...], said: str, cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "alerts", "add", *args, "--config", str(cfg))
    assert (code, out) == (2, "")
    assert err.startswith(f"ticker: {said}")


def test_a_rule_no_source_feeds_is_stored_with_a_warning(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Stored all the same (the configuration may change), with a warning on stderr."""
    c = ("--config", str(cfg))
    code, out, err = run(capsys, "alerts", "add", "KZ", "cpi-mom", "above", "1", *c)
    assert (code, out) == (
        0,
        "added alert #2: KAZ cpi-mom above 1 (cpi-mom in % m/m: 1 = 1.0%; armed)\n",
    )
    assert err == (
        "ticker: warning: no enabled source gives KAZ's CPI m/m: this rule fires only once "
        "one does\n"
    )
    code, out, err = run(capsys, "alerts", "add", "KZ", "remittances-in", "changed", *c)
    assert (code, out) == (0, "added alert #3: KAZ remittances-in changed (armed)\n")
    assert err == (
        "ticker: warning: no enabled source gives KAZ's remittances in (nbk-data does, "
        "enabled with remittances-in in its indicators): this rule fires only once one does\n"
    )
    code, out, err = run(capsys, "alerts", "add", "KZ", "policy-rate", "changed", *c)
    assert (code, out, err) == (0, "added alert #4: KAZ policy-rate changed (armed)\n", "")


def test_a_level_is_said_in_its_unit_and_one_far_from_the_latest_is_noted(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = ("--config", str(cfg))
    reserves = IndicatorValue(
        "nbk-data", "reserves", "KAZ", "2020-10", Decimal("61812.4"), False, datetime.now(UTC)
    )
    store(cfg, reserves)
    code, out, err = run(capsys, "alerts", "add", "KZ", "reserves", "below", "50", *c)
    assert (code, out) == (
        0, "added alert #2: KAZ reserves below 50 (reserves in USD m: 50 = $50m; armed; waits "
        "for the next value; the latest: NBK reserves $61.8bn in Oct 2020)\n",
    )  # fmt: skip
    assert err == (
        "ticker: note: KAZ's reserves: $61.8bn now (61812.4 in USD m), far from 50 ($50m); "
        "a level is in the series' unit, USD m\n"
    )
    code, out, err = run(capsys, "alerts", "add", "KZ", "reserves", "below", "50000", *c)
    assert (code, err) == (0, "")  # near the latest: no note
    assert out.startswith(
        "added alert #3: KAZ reserves below 50000 (reserves in USD m: 50000 = $50.0bn; armed;"
    )
