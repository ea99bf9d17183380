"""Alerts on pairs beyond the dollar (issue 28): ``RUB/TJS``, ``KZT/KGS`` rules from the
command line and config.toml, judged on the pair's routed rate (its central bank's own
quote, or a cross said as such), listed, fired, in the history; a pair that is not
watched is refused in one line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Observation
from ticker import cli
from ticker.config import Settings, load_settings
from ticker.core.alerts.evaluate import evaluate_rules
from ticker.model.pairs import Pair
from ticker.model.rules import AlertKind, AlertRuleConfig
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday afternoon
DAY = date(2026, 11, 25)
FETCHED = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
WATCH = ["KGS/USD", "KZT/USD", "TJS/USD", "UZS/USD", "TMT/USD", "RUB/TJS", "RUB/KGS",
         "RUB/UZS", "RUB/KZT", "EUR/KZT", "CNY/KGS", "KZT/KGS"]  # fmt: skip


def o(provider: str, pair: str, rate: str, day: date = DAY, derived: bool = False) -> Observation:
    base, quote = pair.split("/")
    return Observation(provider, base, quote, day, Decimal(rate), derived, FETCHED)


#: Two days of the banks' own tables (divided by their nominals), the dollar rows too.
STORED = [
    o("nbt", "USD/TJS", "9.3", DAY - timedelta(days=1)),
    o("nbt", "USD/TJS", "9.2886"),
    o("nbt", "RUB/TJS", "0.1161", DAY - timedelta(days=1)),
    o("nbt", "RUB/TJS", "0.1149"),
    o("nbkr", "USD/KGS", "87.45", DAY - timedelta(days=1)),
    o("nbkr", "USD/KGS", "87.45"),
    o("nbkr", "KZT/KGS", "0.1812", DAY - timedelta(days=1)),
    o("nbkr", "KZT/KGS", "0.1859"),
    o("nbk", "USD/KZT", "478.77"),
]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Repository, Path]]:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{db}"\n'
        "[pairs]\nwatch = [" + ", ".join(f'"{p}"' for p in WATCH) + "]\n"
    )
    monkeypatch.setenv("TICKER_NOW", NOW.isoformat())
    monkeypatch.setenv("PATH", "/nonexistent")  # no desktop notifications here
    repo = Repository(database)
    repo.add_observations(STORED)
    yield repo, config
    database.dispose()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def settings_of(config: Path) -> Settings:
    return load_settings(str(config), {})


def test_rules_on_rub_tjs_and_kzt_kgs_are_added_listed_fired_and_in_the_history(
    store: tuple[Repository, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, config = store
    code, out, err = run(capsys, "alerts", "add", "RUB/TJS", "below", "0.115",
                         "--channel", "bell", "--config", str(config))  # fmt: skip
    assert code == 0, err
    assert out.startswith("added alert #1: RUB/TJS below 0.115 (")
    code, out, err = run(capsys, "alerts", "add", "KZT/KGS", "above", "0.185",
                         "--channel", "bell", "--config", str(config))  # fmt: skip
    assert code == 0, err
    assert out.startswith("added alert #2: KZT/KGS above 0.185 (")
    code, out, err = run(capsys, "alerts", "add", "KZT/KGS", "change", "2",
                         "--channel", "bell", "--config", str(config))  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, "alerts", "list", "--config", str(config))
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["RUB/TJS", "KZT/KGS", "KZT/KGS"]
    code, out, _ = run(capsys, "alerts", "list", "--json", "--config", str(config))
    assert [r["pair"] for r in json.loads(out)] == ["RUB/TJS", "KZT/KGS", "KZT/KGS"]
    # The rules fired at once (every channel delivers here), from the banks' own tables.
    code, out, _ = run(capsys, "alerts", "history", "--json", "--config", str(config))
    events = sorted(json.loads(out), key=lambda e: e["rule_id"])
    assert [(e["rule_id"], e["pair"], e["rate"]) for e in events] == [
        (1, "RUB/TJS", "0.1149"),
        (2, "KZT/KGS", "0.1859"),
        (3, "KZT/KGS", "0.1859"),
    ]
    assert events[0]["message"] == "#1 RUB/TJS below 0.115: 0.1149 (NBT, 2026-11-25)"
    assert events[1]["message"] == "#2 KZT/KGS above 0.185: 0.1859 (NBKR, 2026-11-25)"
    assert events[2]["message"].startswith("#3 KZT/KGS changes 2%: +2.59% to 0.1859 (NBKR")
    assert [(e["provider"], e["as_of"]) for e in events] == [("nbt", "2026-11-25")] + [
        ("nbkr", "2026-11-25")
    ] * 2
    # Judged again: nothing new (one firing per observation).
    assert evaluate_rules(repo, settings_of(config), NOW) == []
    code, out, _ = run(capsys, "alerts", "history", "--config", str(config))
    assert "RUB/TJS below 0.115: 0.1149 (NBT, 2026-11-25)" in out


def test_a_pair_in_the_other_orientation_and_from_the_other_bank(
    store: tuple[Repository, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """``TJS/RUB`` is ``RUB/TJS`` turned round; ``KGS/KZT`` from NBKR's ``KZT/KGS``."""
    repo, config = store
    code, out, err = run(capsys, "alerts", "add", "TJS/RUB", "above", "8.6",
                         "--channel", "bell", "--config", str(config))  # fmt: skip
    assert code == 0, err
    (event,) = repo.alert_events(10)
    assert event.pair == "TJS/RUB"
    assert event.message.startswith("#1 TJS/RUB above 8.6: 8.7032 (NBT, 2026-11-25)")


def test_a_cross_says_which_rates_it_comes_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No bank publishes the pair: the cross through each side's dollar rate fires, said
    as such; a ``move`` is judged on the cross of both legs a window ago."""
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    repo = Repository(database)
    week_ago = DAY - timedelta(days=7)
    repo.add_observations(
        [
            o("nbk", "USD/KZT", "478.77"),
            o("nbkr", "USD/KGS", "87.45"),
            o("nbk", "USD/KZT", "500", week_ago),
            o("nbkr", "USD/KGS", "87.45", week_ago),
        ]
    )
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "sqlite:///{db}"\n[pairs]\nwatch = ["KZT/KGS"]\n')
    monkeypatch.setenv("TICKER_NOW", NOW.isoformat())
    monkeypatch.setenv("PATH", "/nonexistent")
    try:
        for args in (("above", "0.18"), ("move", "4", "--window", "7d")):
            code, _, err = run(capsys, "alerts", "add", "KZT/KGS", *args, "--channel", "bell",
                               "--config", str(config))  # fmt: skip
            assert code == 0, err
        events = sorted(repo.alert_events(10), key=lambda e: e.rule_id or 0)
    finally:
        database.dispose()
    assert [e.pair for e in events] == ["KZT/KGS", "KZT/KGS"]
    assert events[0].message == (
        "#1 KZT/KGS above 0.18: 0.18266 (via USD: NBK 25 Nov, NBKR 25 Nov)"
    )
    assert events[0].rate == Decimal("87.45") / Decimal("478.77")
    # A week ago the tenge was 500 per dollar: 0.1749 som; now 0.18265: +4.43%.
    assert events[1].message.startswith("#2 KZT/KGS moves 4% in 7d: +4.43% since 2026-11-18")


def test_a_pair_not_watched_is_refused_in_one_line(
    store: tuple[Repository, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, config = store
    code, out, err = run(capsys, "alerts", "add", "CNY/TJS", "above", "1", "--config",
                         str(config))  # fmt: skip
    assert (code, out) == (2, "")
    assert err == (
        "ticker: PAIR: expected a dollar pair or a watched pair (pairs.watch: RUB/TJS, "
        'RUB/KGS, RUB/UZS, RUB/KZT, EUR/KZT, CNY/KGS, KZT/KGS), got "CNY/TJS"\n'
    )
    assert repo.alert_rules() == []
    # Without [pairs], only the dollar pairs are watched: nothing else is collected.
    bare = config.parent / "bare.toml"
    bare.write_text(config.read_text().split("[pairs]")[0])
    code, out, err = run(capsys, "alerts", "add", "RUB/TJS", "below", "0.11", "--config",
                         str(bare))  # fmt: skip
    assert (code, out) == (2, "")
    assert err == (
        'ticker: PAIR: expected a dollar pair or a watched pair (pairs.watch), got "RUB/TJS"\n'
    )
    code, out, err = run(capsys, "alerts", "add", "RUB/USD", "below", "0.11", "--config",
                         str(bare))  # fmt: skip
    assert code == 2 and "or a pair like KZT/USD or RUB/TJS" in err
    # An edit to an unwatched pair: the same line, with the option's name.
    run(capsys, "alerts", "add", "RUB/TJS", "below", "0.1", "--config", str(config))
    code, out, err = run(capsys, "alerts", "edit", "1", "--pair", "CNY/TJS", "--config",
                         str(config))  # fmt: skip
    assert code == 2 and err.startswith("ticker: --pair: expected a dollar pair or a watched")


def test_config_rules_on_watched_pairs_and_the_unwatched_one(
    store: tuple[Repository, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, config = store
    text = config.read_text()
    config.write_text(
        text + '[[alerts]]\npair = "RUB/TJS"\nkind = "below"\nvalue = 0.115\n'
        'channels = ["bell"]\n'
        '[[alerts]]\npair = "kzt/kgs"\nkind = "stale"\ndays = 2\nchannels = ["bell"]\n'
    )
    settings = settings_of(config)
    assert [(str(r.pair), r.kind) for r in settings.alerts] == [
        ("RUB/TJS", AlertKind.BELOW),
        ("KZT/KGS", AlertKind.STALE),
    ]
    code, out, _ = run(capsys, "alerts", "list", "--config", str(config))
    assert code == 0
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["RUB/TJS", "KZT/KGS"]
    firings = evaluate_rules(repo, settings, NOW)
    assert [f.message for f in firings] == ["#1 RUB/TJS below 0.115: 0.1149 (NBT, 2026-11-25)"]
    # Five days later (two business days) without a fixing, the stale rule fires on NBKR's KZT/KGS.
    later = NOW + timedelta(days=5)
    firings = evaluate_rules(repo, settings, later)
    assert [f.message for f in firings] == [
        "#2 KZT/KGS stale 2 business days: last fixing 2026-11-25 (NBKR), 2 business days ago"
    ]
    config.write_text(text + '[[alerts]]\npair = "CNY/TJS"\nkind = "above"\nvalue = 1\n')
    code, out, err = run(capsys, "alerts", "list", "--config", str(config))
    assert (code, out) == (2, "")
    assert err == (
        f"ticker: {config}: alerts[0].pair: expected a dollar pair or a watched pair "
        "(pairs.watch: RUB/TJS, RUB/KGS, RUB/UZS, RUB/KZT, EUR/KZT, CNY/KGS, KZT/KGS), "
        'got "CNY/TJS"\n'
    )


def test_a_stored_rule_on_a_pair_beyond_the_dollar_reads_back() -> None:
    """The store keeps the pair as written (``RUB/TJS``, ``KGS/KZT``) in its text column:
    no migration; rules read back as they were written."""
    database = open_database("sqlite://")
    repo = Repository(database)
    try:
        for text in ("RUB/TJS", "TJS/RUB", "KGS/KZT"):
            base, quote = text.split("/")
            rule = AlertRuleConfig(Pair(base, quote), AlertKind.ABOVE, value=Decimal("1"))
            repo.add_alert_rule(rule, "cli", NOW)
        assert [str(r.rule.pair) for r in repo.alert_rules()] == ["RUB/TJS", "TJS/RUB", "KGS/KZT"]
    finally:
        database.dispose()
