"""``ticker alerts ...`` and alerts fired by ``ticker poll``, as a user runs them."""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from tests.helpers.e2e import E2E_ENV, cbt_route, write_config
from tests.helpers.feedserver import FeedServer
from ticker import cli


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
        '[[alerts]]\npair = "USD/UZS"\nkind = "move"\npercent = 2\nwindow = "7d"\n'
        'label = "sum slides"\n'
    )
    return path


def test_rules_from_the_config_and_the_command_line_are_listed_with_stable_ids(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "alerts", "add", "KZT", "above", "0.0021", "--config", str(cfg))
    assert code == 0 and out == "added alert #2: KZT/USD above 0.0021 (armed)\n"
    run(capsys, "alerts", "add", "USD/KZT", "below", "476", "--cooldown", "2h",
        "--label", "tenge up", "--config", str(cfg))  # fmt: skip
    code, out, _ = run(capsys, "alerts", "list", "--config", str(cfg))
    assert code == 0
    assert out.splitlines() == [
        "ID  Pair     Condition       State  Channels    From    Label",
        " 1  USD/UZS  moves 2% in 7d  armed  toast,bell  config  sum slides",
        " 2  KZT/USD  above 0.0021    armed  toast,bell  cli     -",
        " 3  USD/KZT  below 476       armed  toast,bell  cli     tenge up",
    ]
    code, out, _ = run(capsys, "alerts", "list", "--json", "--config", str(cfg))
    records = json.loads(out)
    assert [(r["id"], r["origin"]) for r in records] == [(1, "config"), (2, "cli"), (3, "cli")]
    assert records[2]["cooldown"] == "2h" and records[2]["value"] == "476"
    assert records[0]["window"] == "7d" and records[0]["percent"] == "2"


def test_a_config_rule_keeps_its_id_until_the_file_changes(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "alerts", "list", "--config", str(cfg))
    run(capsys, "alerts", "add", "KZT", "stale", "2", "--config", str(cfg))
    for _ in range(2):
        _, out, _ = run(capsys, "alerts", "list", "--json", "--config", str(cfg))
        assert [r["id"] for r in json.loads(out)] == [1, 2]
    # Removing a config rule is done in the file, not on the command line.
    code, _, err = run(capsys, "alerts", "remove", "1", "--config", str(cfg))
    assert code == 2 and err == f"ticker: alert #1 comes from {cfg} ([[alerts]]); remove it there\n"
    # Edited in the file: the old definition goes, the new one gets a new id.
    cfg.write_text(cfg.read_text().replace("percent = 2", "percent = 3"))
    _, out, _ = run(capsys, "alerts", "list", "--json", "--config", str(cfg))
    assert [(r["id"], r["kind"], r["percent"]) for r in json.loads(out)] == [
        (2, "stale", None),
        (3, "move", "3"),
    ]


def test_remove_by_id(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "alerts", "add", "KZT", "divergence", "1.5", "--config", str(cfg))
    code, out, _ = run(capsys, "alerts", "remove", "2", "--config", str(cfg))
    assert code == 0 and out == "removed #2 KZT/USD diverges 1.5%\n"
    code, _, err = run(capsys, "alerts", "remove", "2", "--config", str(cfg))
    assert code == 2 and err == "ticker: no alert rule #2 (stored rules: #1)\n"


BAD_ADDS = {
    ("RUB", "above", "3"): 'PAIR: expected one of KGS, KZT, TJS, UZS, TMT or a pair like '
    'KZT/USD or RUB/TJS, got "RUB"',
    ("KZT", "above", "lots"): 'THRESHOLD: expected a number from 0 to 1000000000, got "lots"',
    ("KZT", "below", "-476"): 'THRESHOLD: expected a number from 0 to 1000000000, got "-476"',
    ("KZT", "move", "2"): "--window: expected a value (required for a 'move' rule), got nothing",
    ("KZT", "move", "2", "--window", "0d"): '--window: expected a duration from 1d to 3660d, '
    'got "0d"',
    ("KZT", "stale", "0"): "THRESHOLD: expected a whole number from 1 to 366, got 0",
    ("KZT", "change", "2", "--channel", "pager"): "--channel: expected one of toast, bell, "
    'desktop, command, webhook, telegram, got "pager"',
    ("KZT", "change", "2", "--channel", "webhook"): "--channel: expected a [webhook] url to "
    'post to (the "webhook" channel needs one), got "webhook"',
    ("KZT", "change", "2", "--hook", "no such hook"): "--hook: expected a hook name of "
    'letters, digits, - and _ (at most 40), got "no such hook"',
    ("KZT", "stale", "²"): 'THRESHOLD: expected a whole number from 1 to 366, got "²"',
    ("KZT", "above", "1", "--label", "a\nb"): "--label: expected one line of at most 80 "
    'characters, without control characters, got "a\\nb"',
    ("KZT", "above", "1", "--hook", "pager", "--channel", "desktop"): '--channel: '
    'expected "command" among the channels (a hook is given; it would never run), got '
    '"desktop"',
    ("KZT", "sideways", "2"): "KIND: expected one of above, below, change, move, stale, "
    'divergence, market-sell, market-buy, release, got "sideways"',
    ("USD/TJS", "market-mid", "below", "9.3"): "KIND: expected one of above, below, change, "
    'move, stale, divergence, market-sell, market-buy, release, got "market-mid"',
    ("KZT", "above", "1", "--window", "7d"): "--window: expected one of the keys of an 'above' "
    "rule (pair, kind, cooldown, channels, hook, label, value, hysteresis), got unknown key "
    '"window"',
}  # fmt: skip


@pytest.mark.parametrize("args", list(BAD_ADDS), ids=lambda a: "-".join(a))
def test_bad_rules_are_one_line_exit_2_and_nothing_stored(
    args: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n')
    code, out, err = run(capsys, "alerts", "add", *args, "--config", str(cfg))
    assert (code, out) == (2, "")
    assert err == f"ticker: {BAD_ADDS[args]}\n"
    assert not (tmp_path / "t.db").exists()  # checked before the store is even opened


def test_list_and_history_on_a_fresh_machine_create_nothing(
    isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "alerts", "list")
    assert code == 0 and out.startswith("no alert rules yet")
    code, out, _ = run(capsys, "alerts", "history", "--json")
    assert code == 0 and json.loads(out) == []
    assert not any(p.is_file() for p in isolated_env.rglob("*"))


def hook_script(tmp_path: Path) -> tuple[Path, Path]:
    calls = tmp_path / "calls.jsonl"
    hook = tmp_path / "hook.py"
    hook.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"with open({str(calls)!r}, 'a') as f: f.write(json.dumps(sys.argv[1:]) + '\\n')\n"
    )
    hook.chmod(0o755)
    return hook, calls


def test_poll_fires_a_config_rule_once_across_runs(tmp_path: Path) -> None:
    hook, calls = hook_script(tmp_path)
    with FeedServer(cbt_route).running() as server:
        rule = (
            '[[alerts]]\npair = "USD/KZT"\nkind = "above"\nvalue = 1\n'
            'hook = "pager"\n[hooks.pager]\n'
            f'command = ["{hook}", "{{pair}}", "{{rate}}", "{{as_of}}", "{{message}}"]\n'
        )
        cfg = write_config(tmp_path, server, tmp_path / "t.db", rule)
        first = ticker("--config", str(cfg), "poll", "--provider", "nbk", env=E2E_ENV)
        second = ticker("--config", str(cfg), "poll", "--provider", "nbk", env=E2E_ENV)
    assert first.returncode == 0, first.stderr
    alert_lines = [line for line in first.stdout.splitlines() if line.startswith("alert: ")]
    assert alert_lines == ["alert: #1 USD/KZT above 1: 478.77 (NBK, 2026-05-23)"]
    assert "alert:" not in second.stdout  # a new process, the same condition: no refire
    (call,) = [json.loads(line) for line in calls.read_text().splitlines()]
    assert call == ["USD/KZT", "478.77", "2026-05-23", alert_lines[0].removeprefix("alert: ")]

    history = ticker("--config", str(cfg), "alerts", "history", "--json")
    (event,) = json.loads(history.stdout)
    assert (event["rule_id"], event["pair"], event["provider"], event["as_of"]) == (
        1, "USD/KZT", "nbk", "2026-05-23",
    )  # fmt: skip
    assert event["rate"] == "478.77" and '"rate": "478.77",' in history.stdout
    table = ticker("--config", str(cfg), "alerts", "history").stdout.splitlines()
    assert table[0].split() == ["Fired", "(UTC)", "Rule", "Message"]
    assert table[1].endswith("#1    #1 USD/KZT above 1: 478.77 (NBK, 2026-05-23)")
    listed = ticker("--config", str(cfg), "alerts", "list").stdout
    assert "fired " in listed.splitlines()[1]


def test_alerts_test_says_which_channels_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hook, calls = hook_script(tmp_path)
    failing = tmp_path / "failing"
    failing.write_text("#!/bin/sh\necho 'pager offline' >&2\nexit 4\n")
    failing.chmod(0o755)
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
        f'[hooks.pager]\ncommand = ["{hook}", "{{message}}"]\n'
        f'[hooks.failing]\ncommand = ["{failing}"]\n'
    )
    monkeypatch.setenv("PATH", f"/nonexistent{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    run(capsys, "alerts", "add", "KZT", "above", "1", "--hook", "pager",
        "--config", str(cfg))  # fmt: skip
    code, out, _ = run(capsys, "alerts", "test", "--config", str(cfg))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "toast, bell: shown by the dashboard while it is open ('ticker')"
    assert lines[1].startswith("desktop: not available here")
    assert re.fullmatch(
        re.escape(f"hook pager of #1: works: {hook} 'test: #1 KZT/USD above 1' (exit 0 in ")
        + r"\d+\.\d\ds, no output\)",
        lines[2],
    )
    assert json.loads(calls.read_text()) == ["test: #1 KZT/USD above 1"]

    run(capsys, "alerts", "add", "KZT", "above", "2", "--hook", "failing",
        "--config", str(cfg))  # fmt: skip
    code, out, _ = run(capsys, "alerts", "test", "2", "--config", str(cfg))
    assert code == 1
    assert re.fullmatch(
        re.escape(f"hook failing of #2: FAILED: {failing} (exit 4 in ") + r"\d+\.\d\ds\)",
        out.splitlines()[-2],
    )
    assert out.splitlines()[-1] == "    pager offline"  # what it said
    code, _, err = run(capsys, "alerts", "test", "9", "--config", str(cfg))
    assert code == 2 and "no alert rule #9" in err


def test_alerts_test_sends_a_desktop_notification_where_it_can(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = tmp_path / "sent"
    notify = tmp_path / "notify-send"
    notify.write_text(f'#!/bin/sh\necho "$@" > {sent}\n')
    notify.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    code, out, _ = run(capsys, "alerts", "test")
    assert code == 0
    assert out.splitlines()[1] == "desktop: works (notify-send)"
    assert sent.read_text() == "--app-name=ticker ticker: test ticker alerts test: desktop works\n"
    assert out.splitlines()[2] == "command: no rule has a command hook"


def test_the_same_rule_twice_is_refused(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "alerts", "add", "KZT", "above", "0.0021", "--config", str(cfg))
    code, out, err = run(
        capsys, "alerts", "add", "kzt/usd", "above", "0.00210", "--config", str(cfg)
    )
    assert (code, out) == (2, "")
    assert err == "ticker: the same rule is already stored: #2 KZT/USD above 0.0021\n"


def test_a_level_far_from_the_rate_gets_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers.factories import obs
    from ticker.storage.db import open_database
    from ticker.storage.repository import Repository

    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    Repository(database).store([obs("KZT", "478.77")])
    database.dispose()
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "sqlite:///{db}"\n')
    code, _, err = run(capsys, "alerts", "add", "KZT/USD", "below", "476", "--config", str(cfg))
    assert code == 0  # stored all the same: the user may mean it
    assert err == (
        "ticker: note: KZT/USD is 0.0020887 now, far from 476; for a level in USD/KZT, "
        "remove this rule and write the pair as USD/KZT\n"
    )
    _, _, err = run(capsys, "alerts", "add", "USD/KZT", "below", "476", "--config", str(cfg))
    assert err == ""


def test_alerts_test_gives_a_hook_the_rate_the_pair_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers.factories import obs
    from ticker.storage.db import open_database
    from ticker.storage.repository import Repository

    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    Repository(database).add_observations([obs("KZT", "478.77", date(2026, 11, 27))])
    database.dispose()
    hook, calls = hook_script(tmp_path)
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[storage]\nurl = "sqlite:///{db}"\n[hooks.rate]\ncommand = ["{hook}", "{{rate}}"]\n'
    )
    monkeypatch.setenv("TICKER_NOW", "2026-11-27T12:00:00+00:00")
    run(capsys, "alerts", "add", "USD/KZT", "above", "500", "--hook", "rate",
        "--config", str(cfg))  # fmt: skip
    run(capsys, "alerts", "add", "UZS", "above", "1", "--hook", "rate",
        "--config", str(cfg))  # fmt: skip
    code, out, _ = run(capsys, "alerts", "test", "--config", str(cfg))
    assert code == 0, out
    assert "hook rate of #1: works:" in out and "hook rate of #2: works:" in out
    assert calls.read_text().splitlines() == ['["478.77"]', '["n/a"]']


def test_the_same_condition_with_another_label_or_cooldown_is_refused(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "alerts", "add", "KZT", "above", "0.0021", "--label", "a", "--config", str(cfg))
    code, out, err = run(
        capsys, "alerts", "add", "KZT", "above", "0.0021", "--label", "b",
        "--cooldown", "3h", "--channel", "bell", "--config", str(cfg),
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith("ticker: the same rule is already stored: #2 KZT/USD above 0.0021")
    # Another threshold is another condition.
    code, _out, err = run(capsys, "alerts", "add", "KZT", "above", "0.0022", "--config", str(cfg))
    assert code == 0, err


def test_history_of_an_unknown_rule_says_so(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "alerts", "add", "KZT", "above", "0.0021", "--config", str(cfg))
    code, out, err = run(capsys, "alerts", "history", "--rule", "99", "--config", str(cfg))
    assert (code, out) == (2, "")
    assert err == "ticker: no alert rule #99 (stored rules: #1, #2)\n"
    code, out, _err = run(capsys, "alerts", "history", "--rule", "2", "--config", str(cfg))
    assert (code, out) == (0, "alert #2 has not fired yet\n")
    run(capsys, "alerts", "remove", "2", "--config", str(cfg))
    code, out, _err = run(capsys, "alerts", "history", "--rule", "2", "--config", str(cfg))
    assert (code, out) == (0, "alert #2 (removed) has not fired yet\n")
    code, out, err = run(capsys, "alerts", "history", "--rule", "2", "--json", "--config", str(cfg))
    assert (code, out) == (0, "[]\n")


def test_alerts_test_posts_to_the_webhook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers.hookserver import HookServer, Step

    monkeypatch.setenv("PATH", "/nonexistent")  # no desktop notifications here
    monkeypatch.setenv("TICKER_NOW", "2026-11-20T12:00:00+00:00")
    cfg = tmp_path / "config.toml"

    def point_at(server: HookServer) -> None:
        cfg.write_text(
            f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
            f'[webhook]\nurl = "{server.url}"\nattempts = 1\n'
        )

    with HookServer().running() as server:
        point_at(server)
        code, _, err = run(capsys, "alerts", "add", "KZT", "above", "1", "--channel", "webhook",
                           "--config", str(cfg))  # fmt: skip
        assert code == 0, err
        code, out, _ = run(capsys, "alerts", "test", "--config", str(cfg))
    assert code == 0
    assert out.splitlines()[-1] == f"webhook: works (http://127.0.0.1:{server.port}, HTTP 204)"
    (posted,) = server.posted
    event = posted.json()
    assert (event["test"], event["rule_id"], event["pair"], event["message"]) == (
        True, 1, "KZT/USD", "ticker alerts test: #1",
    )  # fmt: skip
    assert event["fired_at"].startswith("2026-11-20T12:00:0")
    with HookServer(Step(410, b"gone")).running() as server:
        point_at(server)
        code, out, _ = run(capsys, "alerts", "test", "--config", str(cfg))
    assert code == 1
    assert out.splitlines()[-1] == (
        f"webhook: FAILED (http://127.0.0.1:{server.port}: HTTP 410: gone)"
    )


def test_poll_posts_a_webhook_rule_s_firing_before_it_exits(tmp_path: Path) -> None:
    from tests.helpers.hookserver import HookServer

    with FeedServer(cbt_route).running() as feeds, HookServer().running() as hooks:
        rule = (
            f'[webhook]\nurl = "{hooks.url}"\n'
            '[[alerts]]\npair = "USD/KZT"\nkind = "above"\nvalue = 1\nchannels = ["webhook"]\n'
        )
        cfg = write_config(tmp_path, feeds, tmp_path / "t.db", rule)
        done = ticker("--config", str(cfg), "poll", "--provider", "nbk", env=E2E_ENV)
    assert done.returncode == 0, done.stderr
    (posted,) = hooks.posted
    event = posted.json()
    assert (event["rule_id"], event["pair"], event["value"], event["threshold"]) == (
        1, "USD/KZT", "478.77", "1",
    )  # fmt: skip
    assert (event["as_of"], event["source"]) == ("2026-05-23", "nbk")
    assert "alert: #1 USD/KZT above 1: 478.77 (NBK, 2026-05-23)" in done.stdout
