"""``ticker alerts edit|disable|enable|snooze`` and the states ``alerts list`` shows, in
the user's local time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers.factories import obs
from tests.helpers.zones import local_zone
from ticker import cli
from ticker.config import Settings
from ticker.core.alerts.evaluate import evaluate_rules
from ticker.model.pairs import parse_pair
from ticker.model.rules import AlertKind, AlertRuleConfig
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

# 00:10 on Saturday 21 November in Almaty (UTC+5); still Friday in UTC.
NOW = datetime(2026, 11, 20, 19, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def almaty(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The user's clock: just after midnight in Almaty."""
    monkeypatch.setenv("TICKER_NOW", NOW.isoformat())
    with local_zone("Asia/Almaty"):
        yield


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
        '[[alerts]]\npair = "USD/UZS"\nkind = "move"\npercent = 2\nwindow = "7d"\n'
        'label = "sum slides"\n'
    )
    return path


def run(capsys: pytest.CaptureFixture[str], cfg: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["alerts", *args, "--config", str(cfg)])
    out, err = capsys.readouterr()
    return code, out, err


def level_rule(level: str, cooldown: timedelta = timedelta(0)) -> AlertRuleConfig:
    return AlertRuleConfig(
        parse_pair("USD/KZT"), AlertKind.ABOVE, value=Decimal(level), cooldown=cooldown
    )


def listed(capsys: pytest.CaptureFixture[str], cfg: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, cfg, "list", "--json")
    assert code == 0
    records: list[dict[str, object]] = json.loads(out)
    return records


def test_edit_changes_only_the_fields_given(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, cfg, "add", "USD/KZT", "above", "480", "--cooldown", "2h", "--label", "weak",
        "--channel", "desktop")  # fmt: skip
    code, out, err = run(capsys, cfg, "edit", "2", "--level", "485.5")
    assert (code, err) == (0, "")
    assert out == 'edited alert #2: USD/KZT above 485.5 "weak" (armed)\n'
    (_, rule) = listed(capsys, cfg)
    assert (rule["value"], rule["cooldown"], rule["label"], rule["channels"]) == (
        "485.5", "2h", "weak", ["desktop"],
    )  # fmt: skip
    code, out, _ = run(capsys, cfg, "edit", "2", "--label", "", "--hysteresis", "0.5",
                       "--channel", "toast", "--channel", "bell")  # fmt: skip
    assert out == "edited alert #2: USD/KZT above 485.5 (armed)\n"
    (_, rule) = listed(capsys, cfg)
    assert (rule["label"], rule["hysteresis"], rule["channels"]) == ("", "0.5", ["toast", "bell"])
    # Another kind takes the threshold it needs; the old kind's keys go.
    code, out, _ = run(capsys, cfg, "edit", "2", "--kind", "move", "--threshold", "3",
                       "--window", "30d", "--pair", "KZT")  # fmt: skip
    assert out == "edited alert #2: KZT/USD moves 3% in 30d (armed)\n"
    (_, rule) = listed(capsys, cfg)
    assert (rule["value"], rule["percent"], rule["hysteresis"]) == (None, "3", "0.1")


def test_a_hook_given_by_edit_joins_the_channels_and_an_empty_one_leaves(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, cfg, "add", "KZT", "stale", "2")
    code, _, err = run(capsys, cfg, "edit", "2", "--hook", "pager")
    assert code == 0, err
    (_, rule) = listed(capsys, cfg)
    assert (rule["hook"], rule["channels"]) == ("pager", ["toast", "bell", "command"])
    run(capsys, cfg, "edit", "2", "--hook", "")
    (_, rule) = listed(capsys, cfg)
    assert (rule["hook"], rule["channels"]) == ("", ["toast", "bell"])


BAD_EDITS = {
    ("2", "--threshold", "lots"): '--threshold: expected a number from 0 to 1000000000, '
    'got "lots"',
    ("2", "--kind", "change"): "--threshold: expected a value (required for a 'change' rule), "
    "got nothing",
    ("2", "--window", "7d"): "--window: expected one of the keys of an 'above' rule (pair, "
    "kind, cooldown, channels, hook, label, value, hysteresis), got unknown key \"window\"",
    ("2", "--pair", "RUB"): "--pair: expected one of KGS, KZT, TJS, UZS, TMT or a pair like "
    'KZT/USD or RUB/TJS, got "RUB"',
    ("2", "--channel", "command"): '--hook: expected a hook (the "command" channel '
    "needs one), got nothing",
    ("2", "--label", "a\nb"): "--label: expected one line of at most 80 characters, without "
    'control characters, got "a\\nb"',
    ("2",): "nothing to change: give at least one of --pair, --kind, --threshold, --window, "
    "--direction, --hysteresis, --cooldown, --channel, --hook, --command, --label",
    ("9", "--label", "x"): "no alert rule #9 (stored rules: #1, #2, #3)",
    ("3", "--threshold", "480.0"): "the same rule is already stored: #2 USD/KZT above 480",
}  # fmt: skip


@pytest.mark.parametrize("args", list(BAD_EDITS), ids=lambda a: "-".join(a))
def test_a_bad_edit_is_one_line_exit_2_and_nothing_changes(
    args: tuple[str, ...], cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, cfg, "add", "USD/KZT", "above", "480")
    run(capsys, cfg, "add", "USD/KZT", "above", "490")
    before = listed(capsys, cfg)
    code, out, err = run(capsys, cfg, "edit", *args)
    assert (code, out) == (2, "")
    assert err == f"ticker: {BAD_EDITS[args]}\n"
    assert listed(capsys, cfg) == before


def test_a_config_rule_is_edited_in_its_file_but_disabled_and_snoozed_here(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, cfg, "edit", "1", "--label", "x")
    assert (code, out) == (2, "")
    assert err == f"ticker: alert #1 comes from {cfg.resolve()} ([[alerts]]); edit it there\n"
    assert (
        run(capsys, cfg, "disable", "1")[1] == 'disabled #1 USD/UZS moves 2% in 7d "sum slides"\n'
    )
    assert run(capsys, cfg, "disable", "1")[1] == (
        '#1 USD/UZS moves 2% in 7d "sum slides" was disabled already\n'
    )
    code, out, _ = run(capsys, cfg, "snooze", "1", "2h")
    assert out == 'snoozed #1 USD/UZS moves 2% in 7d "sum slides" until 02:10\n'
    # The file's label changes: the rule is updated in place and keeps what was set here.
    cfg.write_text(cfg.read_text().replace("sum slides", "sum sliding"))
    (rule,) = listed(capsys, cfg)
    assert (rule["id"], rule["label"], rule["enabled"]) == (1, "sum sliding", False)
    assert str(rule["snoozed_until"]).startswith("2026-11-20T21:10:0")  # 2h from 19:10 UTC
    assert run(capsys, cfg, "enable", "1")[1] == 'enabled #1 USD/UZS moves 2% in 7d "sum sliding"\n'
    code, out, _ = run(capsys, cfg, "list")
    assert "  snoozed until 02:10  " in out.splitlines()[1]


SNOOZES = {
    ("30m",): "00:40",
    ("1d",): "22 Nov 00:10",
    ("--until", "09:00"): "09:00",  # today, for the user (still yesterday in UTC)
    ("--until", "00:05"): "22 Nov 00:05",  # passed five minutes ago: tomorrow's
    ("--until", "2026-11-21T18:00"): "18:00",  # a local moment
    ("--until", "2026-11-25T09:00+03:00"): "25 Nov 11:00",  # a moment with its offset
}


@pytest.mark.parametrize("args", list(SNOOZES), ids=lambda a: "-".join(a))
def test_snooze_for_a_while_or_until_a_local_time(
    args: tuple[str, ...], cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, cfg, "snooze", "1", *args)
    assert (code, err) == (0, "")
    assert out == f'snoozed #1 USD/UZS moves 2% in 7d "sum slides" until {SNOOZES[args]}\n'
    code, out, _ = run(capsys, cfg, "snooze", "1", "off")
    assert out == '#1 USD/UZS moves 2% in 7d "sum slides" is no longer snoozed\n'
    code, out, _ = run(capsys, cfg, "snooze", "1", "off")
    assert out == '#1 USD/UZS moves 2% in 7d "sum slides" was not snoozed\n'


BAD_SNOOZES = {
    ("1", "soon"): 'DURATION: expected a duration like "30m", "2h" or "1d", or "off", got "soon"',
    ("1", "10s"): 'DURATION: expected a duration from 1m to 365d, got "10s"',
    ("1", "400d"): 'DURATION: expected a duration from 1m to 365d, got "400d"',
    ("1",): 'snooze: give how long (a duration like "30m", "2h" or "1d", or "off") or --until, '
    "one of the two",
    ("1", "2h", "--until", "09:00"): 'snooze: give how long (a duration like "30m", "2h" or '
    '"1d", or "off") or --until, one of the two',
    ("1", "--until", "25:00"): "--until: expected a time like 14:30 or a moment like "
    '2026-11-21T09:00 (your local time), got "25:00"',
    ("1", "--until", "2026-11-20T23:00"): "--until: expected a moment still to come (it is "
    '2026-11-21 00:10), got "2026-11-20T23:00"',
    ("4", "2h"): "no alert rule #4 (stored rules: #1)",
}  # fmt: skip


@pytest.mark.parametrize("args", list(BAD_SNOOZES), ids=lambda a: "-".join(a))
def test_a_bad_snooze_is_one_line_exit_2(
    args: tuple[str, ...], cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, cfg, "snooze", *args)
    assert (code, out) == (2, "")
    assert err == f"ticker: {BAD_SNOOZES[args]}\n"
    (rule,) = listed(capsys, cfg)
    assert rule["snoozed_until"] is None


def test_unknown_ids_are_named(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for action in ("disable", "enable"):
        code, out, err = run(capsys, cfg, action, "7")
        assert (code, out, err) == (2, "", "ticker: no alert rule #7 (stored rules: #1)\n")


def test_list_says_when_a_rule_cools_down_in_local_time(
    tmp_path: Path, cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = open_database(f"sqlite:///{tmp_path / 't.db'}")
    repo = Repository(database)
    repo.store([obs("KZT", "481", date(2026, 11, 20))])
    fired_at = NOW - timedelta(minutes=40)  # 23:30 on Friday, for the user
    rule_id = repo.add_alert_rule(level_rule("480", timedelta(hours=1)), "cli", fired_at)
    assert len(evaluate_rules(repo, Settings(), fired_at)) == 1
    later = repo.add_alert_rule(level_rule("470"), "cli", fired_at)
    evaluate_rules(repo, Settings(), fired_at - timedelta(hours=3))  # fired 20:30, long ago
    database.dispose()
    code, out, _ = run(capsys, cfg, "list")
    states = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "cooling down until 00:30" in states[str(rule_id)]
    assert "fired 20 Nov 20:30" in states[str(later)]
